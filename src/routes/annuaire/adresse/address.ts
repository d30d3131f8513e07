/**
 * Address search through the national address API (api-adresse.data.gouv.fr, or any server that
 * answers in its format: `GET {base}/search/?q=…&limit=5` → GeoJSON FeatureCollection of points
 * with `properties.label`, `properties.citycode`, `geometry.coordinates [lng, lat]`).
 *
 * Called only by Glane's server (the page's CSP allows the browser to reach only Glane itself), with
 * a short timeout: a slow or broken address API gives "no suggestions" and a message, never an error page.
 * Relative imports only: unit-tested without SvelteKit.
 */

/** One address proposed to the visitor. */
export interface AddressSuggestion {
  label: string;
  /** INSEE code of the commune, when the API gives one. */
  citycode: string | null;
  city: string | null;
  postcode: string | null;
  lat: number;
  lng: number;
}

export interface AddressSearchResult {
  suggestions: AddressSuggestion[];
  /**
   * Set when the address API could not be reached or answered nonsense (`unavailable`), or when this
   * client asked too often (`rate_limited`): the page says so.
   */
  error?: 'unavailable' | 'rate_limited';
}

/** The API refuses queries shorter than 3 characters; we also bound the length we forward. */
export const ADDRESS_QUERY_MIN = 3;
export const ADDRESS_QUERY_MAX = 200;
export const ADDRESS_LIMIT = 5;
export const ADDRESS_TIMEOUT_MS = 3000;
/** Address look-ups one client address may make per window (Glane relays them to a public service). */
export const ADDRESS_RATE_LIMIT = 60;
export const ADDRESS_RATE_WINDOW_MS = 60_000;

/** The query as it will be sent, or null when too short to ask (the API needs a letter or digit first). */
export function normaliseAddressQuery(raw: string | null | undefined): string | null {
  const q = (raw ?? '').replace(/\s+/g, ' ').trim().slice(0, ADDRESS_QUERY_MAX);
  if (q.length < ADDRESS_QUERY_MIN || !/^[\p{L}\p{N}]/u.test(q)) return null;
  return q;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Reads the API's FeatureCollection defensively: features without a label or valid point are skipped. */
export function parseAddressCollection(body: unknown): AddressSuggestion[] | null {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { features?: unknown }).features)) return null;
  const out: AddressSuggestion[] = [];
  for (const feature of (body as { features: unknown[] }).features) {
    if (!feature || typeof feature !== 'object') continue;
    const f = feature as { properties?: Record<string, unknown>; geometry?: { coordinates?: unknown } };
    const label = str(f.properties?.label);
    const coords = f.geometry?.coordinates;
    if (!label || !Array.isArray(coords) || coords.length < 2) continue;
    const [lng, lat] = coords.map(Number);
    if (lat === undefined || lng === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) continue;
    if (Math.abs(lat) > 90 || Math.abs(lng) > 180) continue;
    const citycode = str(f.properties?.citycode);
    out.push({
      label: label.slice(0, 300),
      citycode: citycode && /^[0-9AB]{5}$/.test(citycode) ? citycode : null,
      city: str(f.properties?.city),
      postcode: str(f.properties?.postcode),
      lat,
      lng
    });
    if (out.length >= ADDRESS_LIMIT) break;
  }
  return out;
}

/**
 * Asks `baseUrl` for at most 5 addresses matching `query`. Never throws: a timeout (3 s), a network
 * error, a non-2xx answer or a body that is not the expected GeoJSON give `{ suggestions: [], error }`.
 * A query too short to ask gives no suggestions and no error, without calling the API.
 */
export async function searchAddresses(
  baseUrl: string,
  query: string | null | undefined,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {}
): Promise<AddressSearchResult> {
  const q = normaliseAddressQuery(query);
  if (!q) return { suggestions: [] };
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/search/`);
  url.searchParams.set('q', q);
  url.searchParams.set('limit', String(ADDRESS_LIMIT));
  const doFetch = options.fetch ?? fetch;
  try {
    const res = await doFetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? ADDRESS_TIMEOUT_MS),
      redirect: 'error'
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { suggestions: [], error: 'unavailable' };
    }
    const suggestions = parseAddressCollection(await res.json());
    return suggestions ? { suggestions } : { suggestions: [], error: 'unavailable' };
  } catch {
    return { suggestions: [], error: 'unavailable' };
  }
}

/** What a relayed look-up needs from the application's services. */
export interface AddressRelay {
  limiter: { consume(key: string, limit: number, windowMs: number): unknown };
  config: { ADDRESS_API_URL: string };
}

/**
 * One look-up relayed for a client (the autocomplete endpoint and the pages that accept a typed
 * address share this), within the per-client limit: Glane relays to a public service and must
 * not let one client spend its quota. `clientAddress` may throw (no socket): one shared bucket.
 */
export async function relayAddressSearch(
  relay: AddressRelay,
  clientAddress: () => string,
  raw: string | null | undefined
): Promise<AddressSearchResult> {
  let ip = 'unknown';
  try {
    ip = clientAddress();
  } catch {
    // no socket (tests, prerender)
  }
  try {
    relay.limiter.consume(`address-search:ip:${ip}`, ADDRESS_RATE_LIMIT, ADDRESS_RATE_WINDOW_MS);
  } catch {
    return { suggestions: [], error: 'rate_limited' };
  }
  return searchAddresses(relay.config.ADDRESS_API_URL, raw);
}
