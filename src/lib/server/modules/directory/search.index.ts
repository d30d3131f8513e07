import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import { boundingBox, distanceFromTerm, maxTermWithin, WIDEN_START_KM, type LatLng } from '../../db/geosearch.js';
import { ALL_PUBLICS } from '../../../schemas/directory.js';
import type { DB } from '../../db/schema.js';
import { parseArray, type NoticeRecord } from './directory.repository.js';
import {
  changesAfter,
  collatesByCodePoint,
  databaseNow,
  maxChangeSeq,
  oldestOpenTransactionStart,
  placeIdsAfter,
  pruneChanges,
  readIndexRows
} from './search-index.repository.js';
import { isOpenAt, NOTICE_LOOKAHEAD_DAYS, openingState, parisDateKey, type OpeningState } from './hours.rules.js';
import { staleSince } from './directory.rules.js';
import { communeCentre, toResultPlace } from './search.repository.js';
import {
  buildResult,
  hasServiceFilter,
  hoursTargets,
  targetKey,
  type HoursTarget,
  type ResultPlaceFields,
  type SearchPage,
  type SearchResult,
  type SearchResultService
} from './search.results.js';
import { MAX_SEARCH_RADIUS_KM, type SearchParams } from './search.rules.js';

/**
 * The in-memory read model of the public directory (DirectoryIndex): every place with its
 * organisation's name, geo point, folded search document, services (with their filter tags, read
 * from `service_tag` as the SQL does), and notices, in one process. It answers
 * `directorySearch.search` with the same answers as the SQL path (search.repository.ts, kept as the
 * cold-start fallback and as the reference of the differential test): same filters, haversine term,
 * radius test, order (distance term then id, or name then id), widening from 1 km, `total` and
 * `radiusKm`. Why: bench/directory — the SQL search costs ~5 ms of the one event loop, this ~0.1 ms.
 *
 * Freshness: triggers append the id of every place whose rows change to `directory_change`
 * (migration 041). After a write through this process's database handle (the services' `db` tells
 * `markWritten`), the next search first applies the new rows: it re-reads only those places. Writes
 * by another process are picked up within a second (at most one background check per second,
 * searches meanwhile answer from what is loaded). The first load and any rebuild run in the
 * background by chunks of places and swap in when complete; until then the SQL path answers.
 */

/** Grid cell side in degrees (≈ 550 × 350 m around Lille: a 1 km circle reads about 1.5 times its area). */
const CELL_DEG = 0.005;
const HALF_RAD = Math.PI / 360;
const DEG_RAD = Math.PI / 180;
/** Places read per query when loading. */
const CHUNK = 500;
/** The background check for other processes' writes runs at most this often. */
const POLL_MS = 1_000;
/** PostgreSQL: change rows are read again for this long (a sequence number can commit after a later one). */
const RECHECK_MS = 10_000;
/** Change rows older than this are pruned (an index behind by more rebuilds). */
const PRUNE_AFTER_MS = 86_400_000;
const PRUNE_EVERY_MS = 600_000;
const PRUNE_BATCH = 5_000;
/** Tag kinds the search filters on. */
const TAG_KINDS = ['category', 'public', 'modality', 'language'];

interface IService extends SearchResultService {
  /** Codes of its tags (a short array: smaller than a Set, as fast); its language tags are its place's languages and its own. */
  tags: number[];
  /** Its language tags as a bit mask. */
  mLang: number;
  /** The same as bit masks per kind (values with a bit: see bitOf). */
  mCat: number;
  mMod: number;
  mPub: number;
}

interface IPlace {
  id: string;
  organisationId: string;
  fields: ResultPlaceFields;
  /** geo_point (null: no point, never found by distance). */
  geoLat: number;
  geoLng: number;
  hasGeo: boolean;
  cosLat: number;
  /** ' ' + folded search document (null: none). */
  body: string | null;
  services: IService[];
  /** Tag codes of all its services (language tags included), each once. */
  tags: number[];
  /** The same as bit masks per kind. */
  mCat: number;
  mMod: number;
  mPub: number;
  mLang: number;
  notices: NoticeRecord[];
  /** Per-search scratch: the search generation that filled `match`/`open`. */
  stamp: number;
  match: boolean;
  openStamp: number;
  open: boolean;
  /** The hours targets without service filters on `targetsDay` (notices in force that day), with their keys. */
  targetsDay: string;
  targets: { key: string; target: HoursTarget }[];
  /** Per-search scratch: listed as a text candidate. */
  candidate: number;
}

interface Snapshot {
  byId: Map<string, IPlace>;
  cells: Map<number, IPlace[]>;
  geoCount: number;
  /** Places by (name, id) in code-point order; null: to sort again. */
  byName: IPlace[] | null;
  byCommune: Map<string, IPlace[]>;
  /** Word of a search document → the places whose document holds it (for rare text terms). */
  words: Map<string, IPlace[]>;
  /** The words, sorted (prefix ranges); null: to sort again. */
  sortedWords: string[] | null;
  organisations: Map<string, string>;
  /** Commune centres as the SQL computes them (avg), read once per commune until a place changes. */
  centres: Map<string, LatLng | null>;
}

export interface IndexStats {
  places: number;
  services: number;
  notices: number;
  loadMs: number;
  appliedSeq: number;
}

/** A text whose places are at most this many is searched from them rather than from the map. */
let RARE_TEXT = 1_500;
/** Above this many (document word, place) pairs to mark, each document is tested instead. */
let MARK_LIMIT = 40_000;

/** Moves the two text thresholds (tests: each of the three text paths against the SQL). */
export function setTextThresholds(rare: number, mark: number): void {
  RARE_TEXT = rare;
  MARK_LIMIT = mark;
}

/**
 * PostgreSQL change log: the sequence number below which every row is known to be read. `polls`
 * holds (database time just after a poll's read, highest number seen then), oldest first: every
 * number up to a poll's was taken before its time, so by a transaction begun before it. Polls made
 * before `cutoff` (when the oldest transaction still open began, less a margin) only saw numbers of
 * transactions now ended and read since: they leave `polls` and the floor rises to their number.
 */
export function recheckFloor(polls: { at: number; seq: number }[], cutoff: number, floor: number): number {
  let out = floor;
  while (polls.length > 0 && polls[0]!.at <= cutoff) out = Math.max(out, polls.shift()!.seq);
  return out;
}

/** The distinct words of a padded search document. */
function wordsOf(body: string | null): Set<string> {
  const out = new Set<string>();
  if (body) for (const w of body.split(' ')) if (w.length > 0) out.add(w);
  return out;
}

/** Bits per kind in a tag mask (small integers stay unboxed up to 2^30). */
const MASK_BITS = 30;

const cellOf = (lat: number, lng: number) => Math.floor(lat / CELL_DEG) * 100_000 + Math.floor(lng / CELL_DEG);

/** Compares as SQLite's BINARY and PostgreSQL's C collations do: by code point (not UTF-16 unit). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const byNameThenId = (a: IPlace, b: IPlace) => compareCodePoints(a.fields.name, b.fields.name) || compareCodePoints(a.id, b.id);


/** Strings many rows repeat (hours, categories…) are kept once. */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();
  str<T extends string | null>(s: T): T {
    if (s === null) return s;
    const found = this.strings.get(s);
    if (found !== undefined) return found as T;
    this.strings.set(s, s);
    return s;
  }
  list(text: string | null): string[] {
    const key = text ?? '';
    const found = this.lists.get(key);
    if (found) return found;
    const list = Object.freeze(parseArray(text)) as string[];
    this.lists.set(key, list);
    return list;
  }
}

export interface DirectoryIndexDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  now: () => Date;
  staleAfterMonths: number;
  /** Told of a failed background load or refresh (the SQL path answers meanwhile). */
  onError?: (err: unknown) => void;
}

export type DirectoryIndex = ReturnType<typeof createDirectoryIndex>;

export function createDirectoryIndex(deps: DirectoryIndexDeps) {
  const { db, kind, now, staleAfterMonths } = deps;
  const tagCodes = new Map<string, number>();
  const tagCode = (kind_: string, value: string) => {
    const key = `${kind_}\u0000${value}`;
    let code = tagCodes.get(key);
    if (code === undefined) {
      code = tagCodes.size;
      tagCodes.set(key, code);
    }
    return code;
  };
  const interner = new Interner();
  /** Bit of a tag value within its kind: the first MASK_BITS values of each kind get one (0: none). */
  const bits = new Map<string, number>();
  const bitsPerKind = new Map<string, number>();
  const bitOf = (kind_: string, value: string): number => {
    const key = `${kind_}\u0000${value}`;
    let bit = bits.get(key);
    if (bit === undefined) {
      const n = bitsPerKind.get(kind_) ?? 0;
      bitsPerKind.set(kind_, n + 1);
      bit = n < MASK_BITS ? 1 << n : 0;
      bits.set(key, bit);
    }
    return bit;
  };
  /** The mask of these values, or -1 when one has no bit (then the code arrays are read). */
  const maskOf = (kind_: string, values: string[]): number => {
    let mask = 0;
    for (const v of values) {
      const bit = bitOf(kind_, v);
      if (bit === 0) return -1;
      mask |= bit;
    }
    return mask;
  };

  let snapshot: Snapshot | null = null;
  /** Whether name order can be computed here (the database collates by code point). */
  let codePointNames = kind === 'sqlite';
  let loading: Promise<void> | null = null;
  let catchingUp: Promise<void> | null = null;
  /** A write was made through this process since the last catch-up started. */
  let written = false;
  /**
   * When this process last wrote. PostgreSQL: a write is seen when its statement returns, before its
   * transaction commits, so a catch-up on another connection meanwhile reads nothing of it; searches
   * keep catching up for POLL_MS after a write (then the background check takes over).
   */
  let writtenAt = -Infinity;
  let lastPoll = 0;
  let lastPrune = 0;
  /** (time, applied seq) every PRUNE_EVERY_MS; rows up to a day-old checkpoint are pruned. */
  const checkpoints: { at: number; seq: number }[] = [];
  let pruneUpTo = 0;
  /** Every change with seq ≤ appliedSeq is applied (PostgreSQL: modulo the recheck window). */
  let appliedSeq = 0;
  /** PostgreSQL: (time, highest seq seen) of recent polls, and the seqs applied above the window. */
  const polls: { at: number; seq: number }[] = [];
  let recheckFrom = 0;
  const appliedAbove = new Set<number>();
  let generation = 0;
  let stats: IndexStats = { places: 0, services: 0, notices: 0, loadMs: 0, appliedSeq: 0 };

  // ------------------------------------------------------------ loading

  /** Reads these places (with everything the search needs) from the database; missing ids → absent. */
  async function readPlaces(ids: string[]): Promise<(IPlace & { orgName?: string })[]> {
    const { places: placeRows, services: serviceRows, tags: tagRows, notices: noticeRows } = await readIndexRows(
      db,
      kind,
      ids,
      TAG_KINDS
    );
    if (placeRows.length === 0) return [];
    const tagsByService = new Map<string, { kind: string; value: string }[]>();
    for (const t of tagRows) {
      const list = tagsByService.get(t.service_id);
      if (list) list.push(t);
      else tagsByService.set(t.service_id, [t]);
    }
    const places = new Map<string, IPlace>();
    for (const r of placeRows) {
      const hasGeo = r.g_lat !== null && r.g_lng !== null;
      const geoLat = hasGeo ? Number(r.g_lat) : 0;
      places.set(r.id, {
        id: r.id,
        organisationId: r.organisation_id,
        fields: toResultPlace(r, (v) => interner.str(v), (text) => interner.list(text)),
        geoLat,
        geoLng: hasGeo ? Number(r.g_lng) : 0,
        hasGeo,
        cosLat: Math.cos(geoLat * DEG_RAD),
        body: r.body === null ? null : ` ${r.body}`,
        services: [],
        tags: [],
        mCat: 0,
        mMod: 0,
        mPub: 0,
        mLang: 0,
        notices: [],
        stamp: 0,
        match: false,
        openStamp: 0,
        open: false,
        targetsDay: '',
        targets: [],
        candidate: 0
      });
      interner.str(r.org_name);
    }
    for (const s of serviceRows) {
      const place = places.get(s.place_id);
      if (!place) continue;
      const tags: number[] = [];
      let mCat = 0;
      let mMod = 0;
      let mPub = 0;
      let mLang = 0;
      for (const t of tagsByService.get(s.id) ?? []) {
        const code = tagCode(t.kind, t.value);
        if (!place.tags.includes(code)) place.tags.push(code);
        tags.push(code);
        const bit = bitOf(t.kind, t.value);
        if (bit === 0) continue;
        if (t.kind === 'category') mCat |= bit;
        else if (t.kind === 'modality') mMod |= bit;
        else if (t.kind === 'public') mPub |= bit;
        else mLang |= bit;
      }
      place.mLang |= mLang;
      place.mCat |= mCat;
      place.mMod |= mMod;
      place.mPub |= mPub;
      place.services.push({
        id: s.id,
        name: interner.str(s.name),
        categories: interner.list(s.categories),
        publics: interner.list(s.publics),
        modalities: interner.list(s.modalities),
        access: s.access,
        frais: s.frais,
        openingHours: interner.str(s.opening_hours),
        tags,
        mCat,
        mMod,
        mPub,
        mLang
      });
    }
    for (const n of noticeRows) places.get(n.placeId)?.notices.push(n);
    const orgNames = new Map(placeRows.map((r) => [r.organisation_id, r.org_name]));
    return [...places.values()].map((p) => Object.assign(p, { orgName: orgNames.get(p.organisationId) }));
  }

  function emptySnapshot(): Snapshot {
    return {
      byId: new Map(),
      cells: new Map(),
      geoCount: 0,
      byName: null,
      byCommune: new Map(),
      words: new Map(),
      sortedWords: null,
      organisations: new Map(),
      centres: new Map()
    };
  }

  function removeFrom(list: IPlace[] | undefined, place: IPlace) {
    if (!list) return;
    const i = list.indexOf(place);
    if (i >= 0) list.splice(i, 1);
  }

  /** Puts (or replaces, or with `null` removes) the place `id` in the snapshot. */
  function put(s: Snapshot, id: string, next: (IPlace & { orgName?: string }) | null) {
    const prev = s.byId.get(id);
    if (prev) {
      if (prev.hasGeo) {
        removeFrom(s.cells.get(cellOf(prev.geoLat, prev.geoLng)), prev);
        s.geoCount--;
      }
      if (prev.fields.inseeCode) removeFrom(s.byCommune.get(prev.fields.inseeCode), prev);
      for (const word of wordsOf(prev.body)) {
        const list = s.words.get(word);
        removeFrom(list, prev);
        if (list && list.length === 0) {
          s.words.delete(word);
          s.sortedWords = null;
        }
      }
      s.byId.delete(id);
    }
    if (next) {
      s.byId.set(id, next);
      if (next.orgName !== undefined) s.organisations.set(next.organisationId, interner.str(next.orgName));
      delete next.orgName;
      if (next.hasGeo) {
        const key = cellOf(next.geoLat, next.geoLng);
        const cell = s.cells.get(key);
        if (cell) cell.push(next);
        else s.cells.set(key, [next]);
        s.geoCount++;
      }
      if (next.fields.inseeCode) {
        const list = s.byCommune.get(next.fields.inseeCode);
        if (list) list.push(next);
        else s.byCommune.set(next.fields.inseeCode, [next]);
      }
      for (const word of wordsOf(next.body)) {
        const list = s.words.get(word);
        if (list) list.push(next);
        else {
          s.words.set(word, [next]);
          s.sortedWords = null;
        }
      }
    }
    if (!prev || !next || prev.fields.name !== next.fields.name) s.byName = null;
    else if (s.byName) s.byName[s.byName.indexOf(prev)] = next;
    s.centres.clear();
  }

  /** Builds a whole snapshot by chunks of places, then swaps it in (searches keep the previous one meanwhile). */
  async function build(): Promise<void> {
    const started = performance.now();
    if (kind === 'postgres') {
      codePointNames = await collatesByCodePoint(db);
    }
    const fromSeq = await maxChangeSeq(db);
    const next = emptySnapshot();
    let after = '';
    for (;;) {
      const ids = await placeIdsAfter(db, after, CHUNK);
      if (ids.length === 0) break;
      for (const place of await readPlaces(ids)) put(next, place.id, place);
      after = ids[ids.length - 1]!;
      // Let searches (on the previous snapshot or SQL) run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    snapshot = next;
    appliedSeq = fromSeq;
    recheckFrom = fromSeq;
    polls.length = 0;
    appliedAbove.clear();
    lastPoll = Date.now();
    let services = 0;
    let notices = 0;
    for (const p of next.byId.values()) {
      services += p.services.length;
      notices += p.notices.length;
    }
    stats = { places: next.byId.size, services, notices, loadMs: performance.now() - started, appliedSeq };
    // Changes made while loading.
    await catchUp();
  }

  /** Applies the change rows not applied yet: re-reads those places. */
  async function catchUp(): Promise<void> {
    const s = snapshot;
    if (!s) return;
    const started = Date.now();
    lastPoll = started;
    written = false;
    const from = kind === 'postgres' ? recheckFrom : appliedSeq;
    // PostgreSQL: when the oldest transaction still open (another connection's) began, read before
    // the change rows: any transaction begun earlier has ended, so its rows are read below.
    let oldestOpen = Infinity;
    if (kind === 'postgres') {
      oldestOpen = (await oldestOpenTransactionStart(db)) ?? Infinity;
    }
    const rows = await changesAfter(db, from);
    const ids = new Set<string>();
    let top = appliedSeq;
    const applied: number[] = [];
    for (const { seq, placeId } of rows) {
      if (seq > top) top = seq;
      if (seq <= appliedSeq && appliedAbove.has(seq)) continue;
      applied.push(seq);
      ids.add(placeId);
    }
    const list = [...ids];
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const fresh = new Map((await readPlaces(chunk)).map((p) => [p.id, p]));
      if (snapshot !== s) return; // rebuilt meanwhile
      for (const id of chunk) put(s, id, fresh.get(id) ?? null);
    }
    appliedSeq = top;
    stats.appliedSeq = top;
    if (kind === 'postgres') {
      // A sequence number taken by a transaction that commits after a higher one was read would be
      // missed: rows are read again from the highest number seen by a poll made before the oldest
      // open transaction began (and at least RECHECK_MS ago), skipping those applied.
      for (const seq of applied) appliedAbove.add(seq);
      const dbNow = await databaseNow(db);
      polls.push({ at: dbNow, seq: top });
      recheckFrom = recheckFloor(polls, Math.min(oldestOpen, dbNow - RECHECK_MS) - 1_000, recheckFrom);
      for (const seq of appliedAbove) if (seq <= recheckFrom) appliedAbove.delete(seq);
    }
    if (started - lastPrune > PRUNE_EVERY_MS) {
      // Rows applied here more than a day ago go, by sequence number (the primary key) and at most
      // PRUNE_BATCH per check (an import writes a row per tag: deleting them at once would stall).
      lastPrune = started;
      checkpoints.push({ at: started, seq: appliedSeq });
      let upTo = 0;
      while (checkpoints.length > 0 && checkpoints[0]!.at < started - PRUNE_AFTER_MS) upTo = checkpoints.shift()!.seq;
      if (upTo > 0) pruneUpTo = upTo;
    }
    if (pruneUpTo > 0) {
      if ((await pruneChanges(db, pruneUpTo, PRUNE_BATCH)) < PRUNE_BATCH) pruneUpTo = 0;
    }
  }

  function fail(err: unknown) {
    deps.onError?.(err);
  }

  /** Starts loading (once); resolves when loaded (rejects on failure, the next call retries). */
  function load(): Promise<void> {
    loading ??= build().catch((err: unknown) => {
      loading = null;
      throw err;
    });
    return loading;
  }

  function runCatchUp(): Promise<void> {
    catchingUp ??= catchUp().finally(() => {
      catchingUp = null;
    });
    return catchingUp;
  }

  /**
   * The snapshot to answer from, brought up to date with this process's writes; null while the
   * first load runs (`wait`: wait for it). Other processes' writes: a background check per second.
   */
  async function current(wait: boolean): Promise<Snapshot | null> {
    if (!snapshot) {
      const loaded = load();
      if (!wait) {
        loaded.catch(fail);
        return null;
      }
      await loaded;
    }
    const unread = () => written || (kind === 'postgres' && Date.now() - writtenAt < POLL_MS);
    if (unread()) {
      // Until the writes are read: after an in-flight catch-up (which may predate them), one more.
      if (catchingUp) await catchingUp.catch(() => undefined);
      if (unread()) await runCatchUp();
    } else if (Date.now() - lastPoll >= POLL_MS) {
      if (Date.now() - lastPoll > PRUNE_AFTER_MS / 2) {
        // Asleep long enough for change rows to be pruned: rebuild (the old snapshot answers meanwhile).
        lastPoll = Date.now();
        loading = null;
        load().catch(fail);
      } else {
        runCatchUp().catch(fail);
      }
    }
    return snapshot;
  }

  // ------------------------------------------------------------ searching

  interface Compiled {
    categories: number[];
    modalities: number[];
    publics: number[];
    languages: number[];
    serviceFilter: boolean;
    accessible: boolean;
    commune: string | null;
    catMask: number;
    modMask: number;
    pubMask: number;
    langMask: number;
    /** Text alternatives, each term prefixed with a space (matchesBody). */
    text: string[][];
    /** The word index marked the text's candidates (p.candidate === -generation): test that first. */
    marked: boolean;
    /** Some alternative has several terms: a marked place still needs the exact test. */
    exact: boolean;
  }

  const codes = (k: string, values: string[]) => values.map((v) => tagCode(k, v));
  const hasAny = (tags: number[], list: number[]) => {
    for (let i = 0; i < list.length; i++) if (tags.includes(list[i]!)) return true;
    return false;
  };

  /** Whether the tags hold one of the codes: by mask when the query's values all have a bit. */
  const holds = (mask: number, tags: number[], queryMask: number, codesOf: number[]) =>
    queryMask >= 0 ? (mask & queryMask) !== 0 : hasAny(tags, codesOf);

  /** Whether the service speaks one of the languages asked (its own or its place's); true when none asked. */
  const speaks = (c: Compiled, s: IService) => c.languages.length === 0 || holds(s.mLang, s.tags, c.langMask, c.languages);

  /**
   * Whether the service matches every service filter (search.repository's serviceConditions): beside
   * another service filter, languages count too — the service itself must speak one.
   */
  function serviceMatches(c: Compiled, s: IService): boolean {
    if (!speaks(c, s)) return false;
    if (c.categories.length > 0 && !holds(s.mCat, s.tags, c.catMask, c.categories)) return false;
    if (c.modalities.length > 0 && !holds(s.mMod, s.tags, c.modMask, c.modalities)) return false;
    if (c.publics.length > 0 && s.access !== 'unconditional' && !holds(s.mPub, s.tags, c.pubMask, c.publics)) return false;
    return true;
  }

  /** The place filters (search.repository's placeConditions), memoised for this search. */
  function placeMatches(c: Compiled, p: IPlace, gen: number): boolean {
    if (p.stamp === gen) return p.match;
    let ok = true;
    if (c.accessible && p.fields.isAccessible !== true) ok = false;
    else if (c.commune !== null && p.fields.inseeCode !== c.commune) ok = false;
    else if (c.languages.length > 0 && !holds(p.mLang, p.tags, c.langMask, c.languages)) ok = false;
    else if (c.categories.length > 0 && !holds(p.mCat, p.tags, c.catMask, c.categories)) ok = false;
    else if (c.modalities.length > 0 && !holds(p.mMod, p.tags, c.modMask, c.modalities)) ok = false;
    else if (c.serviceFilter && !p.services.some((s) => serviceMatches(c, s))) ok = false;
    else if (c.text.length > 0) {
      if (c.marked) ok = p.candidate === -gen && (!c.exact || matchesBody(p.body!, c.text));
      else ok = p.body !== null && matchesBody(p.body, c.text);
    }
    p.stamp = gen;
    p.match = ok;
    return ok;
  }

  /**
   * "Open at" answers and opening states per (hours, overrides) and minute: hours change state on
   * whole minutes, so isOpenAt and openingState give the same answer throughout a minute.
   */
  const openMemo = new Map<number, { open: Map<string, boolean>; states: Map<string, OpeningState> }>();
  function memoFor(at: Date) {
    const minute = Math.floor(at.getTime() / 60_000);
    let memo = openMemo.get(minute);
    if (!memo) {
      if (openMemo.size >= 8) openMemo.delete(openMemo.keys().next().value as number);
      memo = { open: new Map(), states: new Map() };
      openMemo.set(minute, memo);
    }
    return memo;
  }
  const openMemoFor = (at: Date) => memoFor(at).open;

  /** The place's hours targets on `day` without service filters (kept for the day: the common case). */
  function dayTargets(p: IPlace, day: string): { key: string; target: HoursTarget }[] {
    if (p.targetsDay !== day) {
      const notices = p.notices.filter((n) => n.endsOn >= day && n.startsOn <= day);
      const services = p.services.filter((s) => s.openingHours !== null || notices.some((n) => n.serviceId === s.id));
      p.targets = hoursTargets(p.fields.openingHours, services, notices, false).map((target) => ({ key: targetKey(target), target }));
      p.targetsDay = day;
    }
    return p.targets;
  }

  /** Whether the place is open at `at` (search.service's judge, on the loaded rows). */
  function isOpen(c: Compiled, p: IPlace, at: Date, day: string, memo: Map<string, boolean>, gen: number): boolean {
    if (p.openStamp === gen) return p.open;
    let targets: { key: string; target: HoursTarget }[];
    if (c.serviceFilter) {
      const notices = p.notices.filter((n) => n.endsOn >= day && n.startsOn <= day);
      const services = p.services.filter((s) => serviceMatches(c, s));
      targets = hoursTargets(p.fields.openingHours, services, notices, true).map((target) => ({ key: targetKey(target), target }));
    } else {
      targets = dayTargets(p, day);
    }
    let open = false;
    for (const { key, target } of targets) {
      let value = memo.get(key);
      if (value === undefined) {
        value = isOpenAt(target.hours, at, target.overrides);
        memo.set(key, value);
      }
      if (value) {
        open = true;
        break;
      }
    }
    p.openStamp = gen;
    p.open = open;
    return open;
  }

  const termOf = (center: LatLng, cosCenter: number, p: IPlace) => {
    const a = Math.sin((p.geoLat - center.lat) * HALF_RAD);
    const b = Math.sin((p.geoLng - center.lng) * HALF_RAD);
    return a * a + cosCenter * p.cosLat * (b * b);
  };

  /** The hits of the last pass (reused arrays: a pass runs without awaiting). */
  const hitP: IPlace[] = [];
  const hitH: number[] = [];
  let hits = 0;
  const addHit = (p: IPlace, h: number) => {
    hitP[hits] = p;
    hitH[hits] = h;
    hits++;
  };

  /**
   * Marks the places holding, for some alternative, a word that starts with its rarest term (a
   * superset of the text's matches; exact for one-term alternatives), so the text test is a field
   * read. Returns them when few (at most RARE_TEXT: the search reads them rather than the map),
   * else null. Leaves `c.marked` false when the terms are so common that testing each document
   * read is cheaper than marking.
   */
  function textCandidates(s: Snapshot, c: Compiled, gen: number): IPlace[] | null {
    s.sortedWords ??= [...s.words.keys()].sort();
    const sorted = s.sortedWords;
    const ranges: [number, number][] = [];
    let estimate = 0;
    for (const terms of c.text) {
      let best: [number, number, number] | null = null;
      for (const padded of terms) {
        const term = padded.slice(1);
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid]! < term) lo = mid + 1;
          else hi = mid;
        }
        let size = 0;
        let end = lo;
        for (; end < sorted.length && sorted[end]!.startsWith(term); end++) {
          size += s.words.get(sorted[end]!)!.length;
          if (size > MARK_LIMIT) break;
        }
        if (best === null || size < best[2]) best = [lo, end, size];
      }
      if (!best) continue;
      estimate += best[2];
      if (estimate > MARK_LIMIT) return null;
      ranges.push([best[0], best[1]]);
    }
    const few = estimate <= RARE_TEXT;
    const out: IPlace[] = [];
    const stamp = -gen;
    for (const [from, to] of ranges) {
      for (let i = from; i < to; i++) {
        for (const p of s.words.get(sorted[i]!)!) {
          if (p.candidate === stamp) continue;
          p.candidate = stamp;
          if (few) out.push(p);
        }
      }
    }
    c.marked = true;
    return few ? out : null;
  }

  /** The cells of the box of this radius, or null when the box holds more cells than there are filled ones. */
  function cellsOf(s: Snapshot, center: LatLng, radiusKm: number): IPlace[][] | null {
    const box = boundingBox(center, radiusKm);
    const lat0 = Math.floor(box.minLat / CELL_DEG);
    const lat1 = Math.floor(box.maxLat / CELL_DEG);
    const lng0 = Math.floor(box.minLng / CELL_DEG);
    const lng1 = Math.floor(box.maxLng / CELL_DEG);
    if ((lat1 - lat0 + 1) * (lng1 - lng0 + 1) > s.cells.size) return null;
    const out: IPlace[][] = [];
    for (let i = lat0; i <= lat1; i++) {
      for (let j = lng0; j <= lng1; j++) {
        const cell = s.cells.get(i * 100_000 + j);
        if (cell) out.push(cell);
      }
    }
    return out;
  }

  /** Every match within the radius into the hit arrays (the SQL's radius test on the haversine term). */
  function radiusPass(
    cells: IPlace[][],
    c: Compiled,
    center: LatLng,
    radiusKm: number,
    open: ((p: IPlace) => boolean) | null,
    gen: number
  ): number {
    const max = maxTermWithin(radiusKm);
    const cosCenter = Math.cos(center.lat * DEG_RAD);
    const box = boundingBox(center, radiusKm);
    const { lat: cLat, lng: cLng } = center;
    hits = 0;
    // One loop, no closure per pass (tsx would define a function name on each).
    for (const cell of cells) {
      for (let i = 0; i < cell.length; i++) {
        const p = cell[i]!;
        // Outside the box: outside the circle (cells overlap the box's edges).
        if (p.geoLat < box.minLat || p.geoLat > box.maxLat || p.geoLng < box.minLng || p.geoLng > box.maxLng) continue;
        const a = Math.sin((p.geoLat - cLat) * HALF_RAD);
        const a2 = a * a;
        if (a2 > max) continue;
        const b = Math.sin((p.geoLng - cLng) * HALF_RAD);
        const h = a2 + cosCenter * p.cosLat * (b * b);
        if (!(h <= max)) continue;
        if (!placeMatches(c, p, gen)) continue;
        if (open && !open(p)) continue;
        addHit(p, h);
      }
    }
    return hits;
  }

  /**
   * With the hits of the ceiling collected: the radius the widening search (from `radiusKm`,
   * doubling) stops at, keeping only the hits within it. Returns that radius.
   */
  function widenOnHits(radiusKm: number, ceiling: number, wanted: number): number {
    for (;;) {
      const within = maxTermWithin(radiusKm);
      let found = 0;
      for (let i = 0; i < hits; i++) if (hitH[i]! <= within) found++;
      if (found >= wanted || radiusKm >= ceiling) {
        let kept = 0;
        for (let i = 0; i < hits; i++) {
          if (hitH[i]! <= within) {
            hitP[kept] = hitP[i]!;
            hitH[kept] = hitH[i]!;
            kept++;
          }
        }
        hits = kept;
        return radiusKm;
      }
      radiusKm = Math.min(radiusKm * 2, ceiling);
    }
  }

  /**
   * Hits offset … offset + size in (term, id) order — the SQL's `ORDER BY h, id` — sorting only
   * the hits up to the (offset + size)-th smallest term (found by a typed-array sort of the terms).
   */
  function pageOfHits(offset: number, size: number): { p: IPlace; distanceKm: number }[] {
    const n = hits;
    const k = offset + size;
    if (offset >= n) return [];
    let limit = Infinity;
    if (n > 64 && k < n / 2) {
      const terms = new Float64Array(n);
      for (let i = 0; i < n; i++) terms[i] = hitH[i]!;
      terms.sort();
      limit = terms[k - 1]!;
    }
    const chosen: number[] = [];
    for (let i = 0; i < n; i++) if (hitH[i]! <= limit) chosen.push(i);
    chosen.sort((a, b) => hitH[a]! - hitH[b]! || compareCodePoints(hitP[a]!.id, hitP[b]!.id));
    return chosen.slice(offset, k).map((i) => ({ p: hitP[i]!, distanceKm: distanceFromTerm(hitH[i]!) }));
  }

  /**
   * Answers a search from the snapshot, or undefined when this index cannot (name order under a
   * collation other than code points: the SQL path answers).
   */
  async function searchIn(s: Snapshot, params: SearchParams): Promise<SearchPage | undefined> {
    const c: Compiled = {
      categories: codes('category', params.categories),
      modalities: codes('modality', params.modalities),
      publics: params.publics.length > 0 ? codes('public', [...params.publics, ALL_PUBLICS]) : [],
      languages: codes('language', params.languages),
      catMask: maskOf('category', params.categories),
      modMask: maskOf('modality', params.modalities),
      pubMask: params.publics.length > 0 ? maskOf('public', [...params.publics, ALL_PUBLICS]) : 0,
      langMask: maskOf('language', params.languages),
      serviceFilter: hasServiceFilter(params),
      accessible: params.accessible,
      commune: params.commune,
      text: params.text.map((terms) => terms.map((t) => ` ${t}`)),
      marked: false,
      exact: params.text.some((terms) => terms.length > 1)
    };
    const clock = now();
    const at = params.openAt ?? (params.openNow ? clock : null);
    const { page, pageSize } = params;
    const offset = (page - 1) * pageSize;

    let center = params.point;
    if (params.commune) {
      if (!s.centres.has(params.commune)) {
        const found = await communeCentre(db, params.commune);
        if (snapshot !== s) return undefined;
        s.centres.set(params.commune, found);
      }
      center = s.centres.get(params.commune) ?? null;
    }
    const gen = ++generation;
    let open: ((p: IPlace) => boolean) | null = null;
    if (at) {
      const day = parisDateKey(at);
      const memo = openMemoFor(at);
      open = (p) => isOpen(c, p, at, day, memo, gen);
    }

    let rows: { p: IPlace; distanceKm: number | null }[];
    let total: number;
    let radiusKm: number | null = null;
    if (params.point) {
      const ceiling = params.radiusKm ?? MAX_SEARCH_RADIUS_KM;
      const wanted = page * pageSize;
      radiusKm = Math.min(WIDEN_START_KM, ceiling);
      const few = c.text.length > 0 ? textCandidates(s, c, gen) : null;
      const cosCenter = Math.cos(params.point.lat * DEG_RAD);
      const collect = (places: Iterable<IPlace>) => {
        // Every match within the ceiling, then the radius the widening stops at: the same answer
        // as the passes, without reading the same places once per pass.
        const max = maxTermWithin(ceiling);
        hits = 0;
        for (const p of places) {
          if (!p.hasGeo) continue;
          const h = termOf(params.point!, cosCenter, p);
          if (h <= max && placeMatches(c, p, gen) && (!open || open(p))) addHit(p, h);
        }
        radiusKm = widenOnHits(radiusKm!, ceiling, wanted);
      };
      if (few) collect(few);
      else {
        for (;;) {
          const cells = cellsOf(s, params.point, radiusKm);
          if (!cells) {
            // The box holds the whole map: read it once.
            collect(s.byId.values());
            break;
          }
          const found = radiusPass(cells, c, params.point, radiusKm, open, gen);
          if (found >= wanted || radiusKm >= ceiling) break;
          radiusKm = Math.min(radiusKm * 2, ceiling);
        }
      }
      total = hits;
      rows = pageOfHits(offset, pageSize);
    } else if (params.commune && center) {
      if (c.text.length > 0) textCandidates(s, c, gen);
      const cosCenter = Math.cos(center.lat * DEG_RAD);
      hits = 0;
      for (const p of s.byCommune.get(params.commune) ?? []) {
        if (!p.hasGeo || !placeMatches(c, p, gen) || (open && !open(p))) continue;
        addHit(p, termOf(center, cosCenter, p));
      }
      total = hits;
      rows = pageOfHits(offset, pageSize);
    } else {
      // No point, or a commune whose places all lack coordinates: by name (the commune as a filter).
      if (!codePointNames) return undefined;
      const few = c.text.length > 0 ? textCandidates(s, c, gen) : null;
      total = 0;
      rows = [];
      const take = (p: IPlace) => {
        if (!placeMatches(c, p, gen) || (open && !open(p))) return;
        if (total >= offset && rows.length < pageSize) rows.push({ p, distanceKm: null });
        total++;
      };
      if (few) for (const p of few.sort(byNameThenId)) take(p);
      else for (const p of (s.byName ??= [...s.byId.values()].sort(byNameThenId))) take(p);
    }

    const when = at ?? clock;
    const day = parisDateKey(when);
    const lookahead = parisDateKey(new Date(when.getTime() + NOTICE_LOOKAHEAD_DAYS * 86_400_000));
    const states = memoFor(when).states;
    const stateOf = (t: HoursTarget) => {
      const key = targetKey(t);
      let state = states.get(key);
      if (!state) {
        state = openingState(t.hours, when, t.overrides);
        states.set(key, state);
      }
      return state;
    };
    const staleBefore = staleSince(clock, staleAfterMonths);
    const results: SearchResult[] = rows.map(({ p, distanceKm }) =>
      buildResult(
        p.fields,
        { id: p.organisationId, name: s.organisations.get(p.organisationId) ?? '' },
        c.serviceFilter ? p.services.filter((x) => serviceMatches(c, x)) : p.services,
        p.notices.filter((n) => n.endsOn >= day && n.startsOn <= lookahead),
        distanceKm,
        when,
        day,
        c.serviceFilter,
        staleBefore,
        stateOf
      )
    );
    return {
      results,
      page,
      pageSize,
      total,
      center: center ? { lat: center.lat, lng: center.lng } : null,
      radiusKm
    };
  }

  return {
    /** Starts the first load in the background (main.ts at start); resolves when loaded. */
    load,
    /** The answer from memory; null while not loaded (unless `wait`), undefined when the SQL path must answer. */
    async search(params: SearchParams, wait = false): Promise<SearchPage | null | undefined> {
      const s = await current(wait);
      return s ? searchIn(s, params) : null;
    },
    /** Tells the index that this process wrote to the database: the next search first reads the changes. */
    markWritten() {
      written = true;
      writtenAt = Date.now();
    },
    /** Whether the first load is complete. */
    get ready() {
      return snapshot !== null;
    },
    stats: () => ({ ...stats, places: snapshot?.byId.size ?? 0 })
  };
}

/** search.rules' matchesText, on a body and terms already prefixed with a space. */
function matchesBody(padded: string, alternatives: string[][]): boolean {
  for (const terms of alternatives) {
    let all = true;
    for (const t of terms) {
      if (!padded.includes(t)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
