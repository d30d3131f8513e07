import {
  ALLERGENS,
  DIETS,
  OFFER_CATEGORIES,
  maskOf,
  type OfferCategory
} from '../../../schemas/marketplace-vocabulary.js';
import { AGENT_RADII_KM, FEED_DEFAULT_RADIUS_KM, FEED_MAX_LIMIT, FEED_MAX_RADIUS_KM, FEED_SORTS, type FeedSort } from '../../../schemas/reservations.js';
import type { FieldIssue } from '../../errors.js';

/**
 * The feed's query, read from URL parameters (API and page alike): a point (or the saved area),
 * a radius, filters as comma-separated lists of the vocabulary, a sort and a page. Every bad
 * parameter is named; unknown list values are named with the value.
 */

export interface FeedQuery {
  lat: number;
  lng: number;
  radiusKm: number;
  categories: OfferCategory[];
  /** Offers must carry every one of these diets: `(diet_mask & m) = m`. */
  dietMask: number;
  /** Offers must contain none of these allergens: `(allergen_mask & m) = 0`. */
  excludeAllergenMask: number;
  sort: FeedSort;
  limit: number;
  offset: number;
}

export type RawFeedQuery = Partial<Record<
  'lat' | 'lng' | 'radiusKm' | 'categories' | 'diets' | 'excludeAllergens' | 'sort' | 'limit' | 'offset',
  string | undefined
>>;

function list<T extends string>(path: string, raw: string | undefined, allowed: readonly T[], issues: FieldIssue[]): T[] {
  if (raw === undefined || raw.trim() === '') return [];
  const values = [...new Set(raw.split(',').map((v) => v.trim()).filter(Boolean))];
  const unknown = values.filter((v) => !allowed.includes(v as T));
  if (unknown.length > 0) issues.push({ path, message: `unknown value(s): ${unknown.join(', ')}`, code: 'invalid_value' });
  return values.filter((v): v is T => allowed.includes(v as T));
}

function number(path: string, raw: string | undefined, min: number, max: number, issues: FieldIssue[], integer = false): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    issues.push({ path, message: `must be ${integer ? 'a whole number' : 'a number'} between ${min} and ${max}`, code: 'invalid_number' });
    return undefined;
  }
  return n;
}

/**
 * Reads a feed query; `saved` (the person's saved area) stands in for a missing point and radius.
 * Returns the query, or the issues (each naming its parameter).
 */
export function parseFeedQuery(
  raw: RawFeedQuery,
  saved: { lat: number | null; lng: number | null; radiusKm: number } | null = null
): { query: FeedQuery; issues: [] } | { query: null; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let lat = number('lat', raw.lat, -90, 90, issues);
  let lng = number('lng', raw.lng, -180, 180, issues);
  const radius = number('radiusKm', raw.radiusKm, 0.1, FEED_MAX_RADIUS_KM, issues);
  if (lat === undefined && lng === undefined && raw.lat === undefined && raw.lng === undefined && saved?.lat != null && saved.lng != null) {
    lat = saved.lat;
    lng = saved.lng;
  }
  if (lat === undefined && !issues.some((i) => i.path === 'lat')) issues.push({ path: 'lat', message: 'required (or a saved area)', code: 'required' });
  if (lng === undefined && !issues.some((i) => i.path === 'lng')) issues.push({ path: 'lng', message: 'required (or a saved area)', code: 'required' });
  const categories = list('categories', raw.categories, OFFER_CATEGORIES, issues);
  const diets = list('diets', raw.diets, DIETS, issues);
  const allergens = list('excludeAllergens', raw.excludeAllergens, ALLERGENS, issues);
  let sort: FeedSort = 'distance';
  if (raw.sort !== undefined && raw.sort !== '') {
    if ((FEED_SORTS as readonly string[]).includes(raw.sort)) sort = raw.sort as FeedSort;
    else issues.push({ path: 'sort', message: `must be one of ${FEED_SORTS.join(', ')}`, code: 'invalid_value' });
  }
  const limit = number('limit', raw.limit, 1, FEED_MAX_LIMIT, issues, true) ?? 20;
  const offset = number('offset', raw.offset, 0, 10_000, issues, true) ?? 0;
  if (issues.length > 0) return { query: null, issues };
  return {
    query: {
      lat: lat!,
      lng: lng!,
      radiusKm: radius ?? saved?.radiusKm ?? FEED_DEFAULT_RADIUS_KM,
      categories,
      dietMask: maskOf(DIETS, diets),
      excludeAllergenMask: maskOf(ALLERGENS, allergens),
      sort,
      limit,
      offset
    },
    issues: []
  };
}

/**
 * The radius of an agent page (`?rayon=` of /organisations/[id]/dons-partenaires and
 * /organisations/[id]/personnes/[userId]/dons): one of AGENT_RADII_KM, else the page's default (a
 * hand-edited or stale URL never fails the page).
 */
export function chosenRadius(raw: string | null | undefined, fallback: number): number {
  const n = Number(raw);
  return raw && (AGENT_RADII_KM as readonly number[]).includes(n) ? n : fallback;
}
