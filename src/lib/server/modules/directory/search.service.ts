import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { NoticeRecord, PlaceRecord, ServiceRecord } from './directory.repository.js';
import { isOpenAt, NOTICE_LOOKAHEAD_DAYS, openingState, parisDateKey, type TemporaryOverride } from './hours.rules.js';
import {
  combineOpening,
  DEFAULT_STALE_AFTER_MONTHS,
  isStale,
  MAX_SEARCH_RADIUS_KM,
  parseSearchQuery,
  type OpeningSummary,
  type SearchParams
} from './search.rules.js';
import {
  communeCentre,
  findAllCandidates,
  findCandidatePage,
  findMatchingServices,
  findNotices,
  findPlacesWithOrganisation,
  findServiceHours,
  type CandidateFilter,
  type CandidateGeo,
  type CandidateRow
} from './search.repository.js';

/**
 * The public directory search (no account needed): places near a point or in a commune, filtered
 * by what their services offer, by text (with synonyms) and by "open now / open at", with the
 * matching services, the distance, the opening state and any temporary notice of each place.
 */

export interface SearchServiceDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  now: () => Date;
  /** Months after which an unverified place is shown as "information à vérifier". */
  staleAfterMonths?: number;
}

export interface SearchResultService {
  id: string;
  name: string;
  categories: string[];
  publics: string[];
  modalities: string[];
  access: ServiceRecord['access'];
  frais: ServiceRecord['frais'];
  openingHours: string | null;
}

export interface SearchResultPlace {
  id: string;
  slug: string;
  name: string;
  organisation: { id: string; name: string };
  addressLine: string | null;
  addressComplement: string | null;
  postalCode: string | null;
  city: string | null;
  inseeCode: string | null;
  lat: number | null;
  lng: number | null;
  isAccessible: boolean | null;
  languages: string[];
  saturation: PlaceRecord['saturation'];
  isMobile: boolean;
  openingHours: string | null;
  isStale: boolean;
}

export interface SearchNotice {
  kind: 'closure' | 'hours';
  startsOn: string;
  endsOn: string;
  message: string | null;
}

export interface SearchResult {
  place: SearchResultPlace;
  services: SearchResultService[];
  distanceKm: number | null;
  /** null: no hours known. */
  openNow: boolean | null;
  nextChange: string | null;
  notice: SearchNotice | null;
}

export interface SearchPage {
  results: SearchResult[];
  page: number;
  pageSize: number;
  total: number;
  center: { lat: number; lng: number } | null;
  radiusKm: number | null;
}

export type DirectorySearchService = ReturnType<typeof createDirectorySearch>;

/** Radius the widening search starts from (km); it doubles up to MAX_SEARCH_RADIUS_KM. */
const WIDEN_START_KM = 1;

const toOverride = (n: NoticeRecord): TemporaryOverride => ({
  kind: n.kind,
  startsOn: n.startsOn,
  endsOn: n.endsOn,
  ...(n.openingHours ? { openingHours: n.openingHours } : {}),
  ...(n.message ? { message: n.message } : {})
});

/** What to evaluate for one place: its own hours and each matching service's (own hours or the place's). */
interface HoursTarget {
  hours: string;
  overrides: TemporaryOverride[];
}

/**
 * The hours that decide whether a place is open at an instant: with service filters, each matching
 * service's (its own hours, else the place's); without, the place's and each service's own. The
 * place's notices apply to all; a service's notices to it only. No hours at all → [] (unknown).
 */
function hoursTargets(
  placeHours: string | null,
  services: { id: string; openingHours: string | null }[],
  notices: NoticeRecord[],
  filtered: boolean
): HoursTarget[] {
  const placeNotices = notices.filter((n) => n.serviceId === null).map(toOverride);
  const targets: HoursTarget[] = [];
  let placeAdded = false;
  const addPlace = () => {
    if (placeAdded || !placeHours) return;
    placeAdded = true;
    targets.push({ hours: placeHours, overrides: placeNotices });
  };
  if (!filtered) addPlace();
  for (const s of services) {
    const own = notices.filter((n) => n.serviceId === s.id).map(toOverride);
    const hours = s.openingHours ?? placeHours;
    if (!hours) continue;
    if (s.openingHours === null && own.length === 0) addPlace();
    else targets.push({ hours, overrides: [...placeNotices, ...own] });
  }
  return targets;
}

const hasServiceFilter = (f: CandidateFilter) =>
  f.categories.length > 0 || f.publics.length > 0 || f.modalities.length > 0;

const targetKey = (t: HoursTarget) => (t.overrides.length === 0 ? t.hours : `${t.hours}\u0000${JSON.stringify(t.overrides)}`);

/** Builds the search over one database; `now` is the clock "open now" reads. */
export function createDirectorySearch(deps: SearchServiceDeps) {
  const { db, kind, now } = deps;
  const staleAfterMonths = deps.staleAfterMonths ?? DEFAULT_STALE_AFTER_MONTHS;

  /**
   * The candidate places open at `at`, in order (hours evaluated once per distinct value). `judged`
   * keeps each place's answer for the rest of the search: a widening pass reads again the places of
   * the smaller circle, and only the new ones need their services, notices and hours.
   */
  async function keepOpen(
    f: CandidateFilter,
    candidates: CandidateRow[],
    at: Date,
    judged: Map<string, boolean>
  ): Promise<CandidateRow[]> {
    const fresh = candidates.filter((c) => !judged.has(c.id));
    if (fresh.length > 0) await judge(f, fresh, at, judged);
    return candidates.filter((c) => judged.get(c.id) === true);
  }

  /** Whether each of these places is open at `at` (into `judged`). */
  async function judge(f: CandidateFilter, candidates: CandidateRow[], at: Date, judged: Map<string, boolean>): Promise<void> {
    const ids = candidates.map((c) => c.id);
    const day = parisDateKey(at);
    const [serviceHours, notices] = await Promise.all([
      findServiceHours(db, kind, f, ids, day, day),
      findNotices(db, kind, ids, day, day)
    ]);
    const servicesByPlace = groupBy(serviceHours, (s) => s.placeId);
    const noticesByPlace = groupBy(notices, (n) => n.placeId);
    const filtered = hasServiceFilter(f);
    const memo = new Map<string, boolean>();
    for (const c of candidates) {
      const targets = hoursTargets(c.openingHours, servicesByPlace.get(c.id) ?? [], noticesByPlace.get(c.id) ?? [], filtered);
      const open = targets.some((t) => {
        const key = targetKey(t);
        let value = memo.get(key);
        if (value === undefined) {
          value = isOpenAt(t.hours, at, t.overrides);
          memo.set(key, value);
        }
        return value;
      });
      judged.set(c.id, open);
    }
  }

  /** One pass at a fixed geo restriction: the page and the total. */
  async function pass(
    f: CandidateFilter,
    geo: CandidateGeo | null,
    at: Date | null,
    page: number,
    pageSize: number,
    judged: Map<string, boolean>
  ): Promise<{ rows: CandidateRow[]; total: number }> {
    const offset = (page - 1) * pageSize;
    if (!at) return findCandidatePage(db, kind, f, geo, pageSize, offset);
    const rows = await keepOpen(f, await findAllCandidates(db, kind, f, geo), at, judged);
    return { rows: rows.slice(offset, offset + pageSize), total: rows.length };
  }

  /** The results of the page's places: one query each for places, services and notices. */
  async function present(
    f: CandidateFilter,
    rows: CandidateRow[],
    at: Date
  ): Promise<SearchResult[]> {
    const ids = rows.map((r) => r.id);
    const day = parisDateKey(at);
    const lookahead = parisDateKey(new Date(at.getTime() + NOTICE_LOOKAHEAD_DAYS * 86_400_000));
    const [places, services, notices] = await Promise.all([
      findPlacesWithOrganisation(db, kind, ids),
      findMatchingServices(db, kind, f, ids),
      findNotices(db, kind, ids, day, lookahead)
    ]);
    const placeById = new Map(places.map((p) => [p.place.id, p]));
    const servicesByPlace = groupBy(services, (s) => s.placeId);
    const noticesByPlace = groupBy(notices, (n) => n.placeId);
    const filtered = hasServiceFilter(f);
    const results: SearchResult[] = [];
    for (const row of rows) {
      const found = placeById.get(row.id);
      if (!found) continue; // deleted between the two queries
      const { place, organisation } = found;
      const placeServices = servicesByPlace.get(place.id) ?? [];
      const placeNotices = noticesByPlace.get(place.id) ?? [];
      const targets = hoursTargets(place.openingHours, placeServices, placeNotices, filtered);
      const states = targets.map((t) => openingState(t.hours, at, t.overrides));
      const opening = combineOpening(states as OpeningSummary[]);
      const shown =
        states.find((s) => s.notice !== null)?.notice ??
        // A notice on a place without hours still tells people it is closed.
        placeNotices.map(toOverride).find((n) => n.startsOn <= day && n.endsOn >= day) ??
        null;
      results.push({
        place: {
          id: place.id,
          slug: place.slug,
          name: place.name,
          organisation,
          addressLine: place.addressLine,
          addressComplement: place.addressComplement,
          postalCode: place.postalCode,
          city: place.city,
          inseeCode: place.inseeCode,
          lat: place.lat,
          lng: place.lng,
          isAccessible: place.isAccessible,
          languages: place.languages,
          saturation: place.saturation,
          isMobile: place.isMobile,
          openingHours: place.openingHours,
          isStale: isStale(place.verifiedAt ?? place.createdAt, now(), staleAfterMonths)
        },
        services: placeServices.map((s) => ({
          id: s.id,
          name: s.name,
          categories: s.categories,
          publics: s.publics,
          modalities: s.modalities,
          access: s.access,
          frais: s.frais,
          openingHours: s.openingHours
        })),
        distanceKm: row.distanceKm === null ? null : Math.round(row.distanceKm * 1000) / 1000,
        openNow: opening.openNow,
        nextChange: opening.nextChange ? opening.nextChange.toISOString() : null,
        notice: shown
          ? { kind: shown.kind, startsOn: shown.startsOn, endsOn: shown.endsOn, message: shown.message ?? null }
          : null
      });
    }
    return results;
  }

  /**
   * Searches the directory. With a point: nearest first, widening from 1 km (doubling) until this
   * page is full or `radiusKm` (default 100 km) is reached; with a commune: its places, nearest its
   * centre first; else by name. `openNow` / `openAt` keep only places open then (their hours or a
   * matching service's, temporary notices applied). `total` counts every match within the radius
   * searched, returned as `radiusKm` (at most the one asked).
   */
  async function search(params: SearchParams): Promise<SearchPage> {
    const f: CandidateFilter = {
      categories: params.categories,
      publics: params.publics,
      modalities: params.modalities,
      languages: params.languages,
      accessible: params.accessible,
      commune: params.commune,
      text: params.text
    };
    const clock = now();
    const at = params.openAt ?? (params.openNow ? clock : null);
    const { page, pageSize } = params;

    let center = params.point;
    if (params.commune) center = await communeCentre(db, params.commune);

    let found: { rows: CandidateRow[]; total: number };
    /** "Open at" answers per place, kept across the widening passes of this search. */
    const judged = new Map<string, boolean>();
    let radiusKm: number | null = null;
    if (params.point) {
      // The radius asked (or 100 km) is a ceiling: start at 1 km and double until this page is full.
      // The nearest places are the same, and a dense town is not read and counted whole (20,000 places
      // around Lille: 13,000 within 10 km). `radiusKm` and `total` tell the radius actually searched.
      const ceiling = params.radiusKm ?? MAX_SEARCH_RADIUS_KM;
      const wanted = page * pageSize;
      radiusKm = Math.min(WIDEN_START_KM, ceiling);
      for (;;) {
        found = await pass(f, { center: params.point, radiusKm }, at, page, pageSize, judged);
        if (found.total >= wanted || radiusKm >= ceiling) break;
        radiusKm = Math.min(radiusKm * 2, ceiling);
      }
    } else {
      found = await pass(f, center ? { center, radiusKm: null } : null, at, page, pageSize, judged);
    }

    return {
      results: await present(f, found.rows, at ?? clock),
      page,
      pageSize,
      total: found.total,
      center: center ? { lat: center.lat, lng: center.lng } : null,
      radiusKm
    };
  }

  /**
   * Validates a raw query (as the pages get it from the URL) and searches.
   * Throws AppError validation_failed naming each bad parameter.
   */
  async function searchQuery(raw: Record<string, string | string[] | undefined>): Promise<SearchPage> {
    const parsed = parseSearchQuery(raw);
    if (!parsed.ok) {
      const first = parsed.fields[0];
      throw new AppError(
        'validation_failed',
        first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid search',
        { fields: parsed.fields }
      );
    }
    return search(parsed.params);
  }

  return { search, searchQuery };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
