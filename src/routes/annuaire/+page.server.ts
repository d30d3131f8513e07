import type { MessageKey } from '$lib/i18n';
import { parseSearchQuery, DEFAULT_PAGE_SIZE, MAX_PAGE } from '$lib/server/modules/directory/search.rules';
import { servicesOf } from '$lib/web/auth.server';
import { relayAddressSearch } from './adresse/address';
import { one, queryOf, readFilters, toCard } from './view.server';
import type { PageServerLoad } from './$types';

/**
 * `/annuaire`: the public search, rendered on the server from the URL (so a search is a link that
 * can be shared, bookmarked and used without JavaScript). A typed address is looked up here
 * through the national address API; invalid criteria are dropped with a message, never an error page.
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const locale = event.locals.locale;
  const filters = readFilters(event.url.searchParams);
  const messages: MessageKey[] = [];

  // A typed address (no suggestion picked, or no JavaScript): look it up, take the best match.
  if (filters.adresse) {
    const found = await relayAddressSearch(services, event.getClientAddress, filters.adresse);
    const best = found.suggestions[0];
    if (best) {
      filters.lat = best.lat.toFixed(5);
      filters.lng = best.lng.toFixed(5);
      filters.lieu = best.label;
      filters.commune = '';
      filters.adresse = '';
    } else {
      messages.push(found.error ? 'directory.address.unavailable' : 'directory.search.addressNotFound');
      filters.lat = filters.lng = filters.lieu = '';
    }
  }
  if (filters.lat && filters.lng) filters.commune = '';

  const pageText = one(event.url.searchParams, 'page');
  const raw: Record<string, string | string[] | undefined> = {
    q: filters.q || undefined,
    lat: filters.lat && filters.lng ? filters.lat : undefined,
    lng: filters.lat && filters.lng ? filters.lng : undefined,
    commune: filters.commune || undefined,
    categories: filters.categories.length ? filters.categories : undefined,
    publics: filters.publics.length ? filters.publics : undefined,
    modalities: filters.modalites.length ? filters.modalites : undefined,
    languages: filters.langue || undefined,
    openNow: filters.ouvert ? 'true' : undefined,
    accessible: filters.accessible ? 'true' : undefined,
    page: pageText || undefined,
    pageSize: String(DEFAULT_PAGE_SIZE)
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];

  let parsed = parseSearchQuery(raw);
  if (!parsed.ok) {
    // Drop what is wrong (a hand-edited URL, an old link) and search with the rest.
    messages.push('directory.search.invalid');
    for (const issue of parsed.fields) {
      const key = issue.path.split('.')[0] ?? '';
      delete raw[key];
      if (key === 'lat' || key === 'lng') delete raw[key === 'lat' ? 'lng' : 'lat'];
    }
    parsed = parseSearchQuery(raw);
  }
  if (!parsed.ok) parsed = parseSearchQuery({ pageSize: String(DEFAULT_PAGE_SIZE) });
  if (!parsed.ok) throw new Error('the empty search must be valid');
  const params = parsed.params;
  // Keep the form in step with what was actually searched.
  if (raw.lat === undefined) filters.lat = filters.lng = filters.lieu = '';
  if (raw.commune === undefined) filters.commune = '';
  if (raw.categories === undefined) filters.categories = [];
  if (raw.publics === undefined) filters.publics = [];
  if (raw.modalities === undefined) filters.modalites = [];
  if (raw.languages === undefined) filters.langue = '';
  if (raw.q === undefined) filters.q = '';

  const result = await services.directorySearch.search(params);
  const now = services.now();
  const cards = result.results.map((r) => toCard(r, locale, now));
  const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(result.total / result.pageSize)));

  return {
    filters,
    query: queryOf(filters),
    cards,
    total: result.total,
    page: result.page,
    pages,
    offset: (result.page - 1) * result.pageSize,
    center: params.point ?? result.center,
    radiusKm: result.radiusKm,
    byPosition: params.point !== null,
    messages,
    tileUrl: services.config.TILE_URL
  };
};
