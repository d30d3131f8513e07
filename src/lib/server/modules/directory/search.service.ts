import { WIDEN_START_KM } from '../../db/geosearch.js';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { isOpenAt, NOTICE_LOOKAHEAD_DAYS, parisDateKey } from './hours.rules.js';
import { staleSince } from './directory.rules.js';
import { createDirectoryIndex } from './search.index.js';
import {
  buildResult,
  groupBy,
  hasServiceFilter,
  hoursTargets,
  targetKey,
  type SearchPage,
  type SearchResult
} from './search.results.js';
import { DEFAULT_STALE_AFTER_MONTHS, MAX_SEARCH_RADIUS_KM, parseSearchQuery, type SearchParams } from './search.rules.js';
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
  /**
   * The in-memory directory index (search.index.ts): 'lazy' (default) loads it in the background on
   * the first search (or `index.load()`), the SQL path answering until then; 'wait' makes searches
   * wait for it (tests: every search goes through it); 'off': SQL only.
   */
  index?: 'lazy' | 'wait' | 'off';
  /** Told when the index fails to load or refresh (the SQL path answers meanwhile). */
  onIndexError?: (err: unknown) => void;
}

export type { SearchNotice, SearchPage, SearchResult, SearchResultPlace, SearchResultService } from './search.results.js';

export type DirectorySearchService = ReturnType<typeof createDirectorySearch>;

/** Builds the search over one database; `now` is the clock "open now" reads. */
export function createDirectorySearch(deps: SearchServiceDeps) {
  const { db, kind, now } = deps;
  const staleAfterMonths = deps.staleAfterMonths ?? DEFAULT_STALE_AFTER_MONTHS;
  const mode = deps.index ?? 'lazy';
  const index =
    mode === 'off' ? null : createDirectoryIndex({ db, kind, now, staleAfterMonths, onError: deps.onIndexError });

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
    const staleBefore = staleSince(now(), staleAfterMonths);
    const results: SearchResult[] = [];
    for (const row of rows) {
      const found = placeById.get(row.id);
      if (!found) continue; // deleted between the two queries
      results.push(
        buildResult(
          found.place,
          found.organisation,
          servicesByPlace.get(row.id) ?? [],
          noticesByPlace.get(row.id) ?? [],
          row.distanceKm,
          at,
          day,
          filtered,
          staleBefore
        )
      );
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
  async function searchSql(params: SearchParams): Promise<SearchPage> {
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

  /** Searches: from the in-memory index once loaded (same answers), else with SQL. */
  async function search(params: SearchParams): Promise<SearchPage> {
    if (index) {
      try {
        const answer = await index.search(params, mode === 'wait');
        if (answer) return answer;
      } catch (err) {
        // A failed refresh (database gone away…): SQL answers; tests ('wait') see the failure.
        if (mode === 'wait') throw err;
        deps.onIndexError?.(err);
      }
    }
    return searchSql(params);
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

  return { search, searchQuery, searchSql, index };
}
