import { ALL_PUBLICS } from '../../../schemas/directory.js';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import {
  boundingBox,
  distanceFromTerm,
  entityIdIn,
  haversineTerm,
  maxTermWithin,
  type LatLng
} from '../../db/geosearch.js';
import type { DB, PlaceNoticeTable } from '../../db/schema.js';
import { toFtsMatch } from '../../db/text-search.js';
import { parseArray, PLACE_ENTITY, toNotice, type NoticeRecord, type PlaceRecord, type ServiceRecord } from './directory.repository.js';

/**
 * SQL of the public directory search. One query finds the matching places — geo box and exact
 * distance, place filters, "a service matches every service filter" through the indexed
 * `service_tag` rows, the text predicate over `search_document` — and either returns one page with
 * the total or every candidate (when opening hours must be checked in code).
 * Then one query each loads the page's places, their matching services, and their notices: no N+1.
 *
 * Why not findNearby + searchDocuments: both cap their answer at 500 rows and neither counts, while
 * the search must page through and count every match within the radius searched; and the filters
 * must apply inside the geo query, or a widening search would count unfiltered points. The geo index, distance
 * formula and text folding are the shared modules' (boundingBox, haversineTerm, entityIdIn, toFtsMatch, glane_fold).
 *
 * Speed (bench/directory: 20,000 places, 100,000 services): counting every match within the radius
 * is the search's main cost, so each point of the box costs as little as possible — radius first
 * (haversine term, no asin per row), then the filters, matches gathered once for both the count and
 * the page. The page's queries read only the columns a result shows (each value crossing into
 * JavaScript costs about half a microsecond, more than SQLite spends finding it).
 */

/** The filters of a search, as the SQL sees them. */
export interface CandidateFilter {
  categories: string[];
  publics: string[];
  modalities: string[];
  languages: string[];
  accessible: boolean;
  commune: string | null;
  /** OR of ANDs of folded terms (expandQuery); [] = no text filter. */
  text: string[][];
}

export interface CandidateGeo {
  center: LatLng;
  /** Only places within this radius; null = every place (distance still computed from center). */
  radiusKm: number | null;
}

export interface CandidateRow {
  id: string;
  distanceKm: number | null;
  openingHours: string | null;
}


/**
 * `column IN (…)` over a short closed list (vocabulary values, at most MAX_LIST_VALUES): one
 * parameter per value. Not json_each: inside a correlated subquery SQLite would rebuild that list
 * for every row (measured: 80 µs per place instead of 3).
 */
function inList(column: RawBuilder<unknown>, values: string[]): RawBuilder<unknown> {
  return sql`${column} IN (${sql.join(values.map((v) => sql`${v}`))})`;
}

/** `column IN ids` for a long id list: one parameter (entityIdIn). */
function inIds(kind: DatabaseKind, column: RawBuilder<unknown>, ids: string[]): RawBuilder<unknown> {
  return entityIdIn(kind, column, ids);
}

/**
 * Conditions on service `s` for "matches every service filter": categories ANY-of, publics ANY-of
 * (an unconditional service, or one for 'tous-publics', matches any public), modalities ANY-of.
 * Languages ANY-of through the service's `language` tags (its place's languages and its own): with a
 * language asked, only the services that speak one are listed and judge the opening hours.
 */
function serviceConditions(f: CandidateFilter): RawBuilder<unknown>[] {
  const tag = (tagKind: string, values: string[]) =>
    sql`EXISTS (SELECT 1 FROM service_tag AS t WHERE t.service_id = s.id AND t.kind = ${tagKind}
      AND ${inList(sql`t.value`, values)})`;
  const out: RawBuilder<unknown>[] = [];
  if (f.categories.length > 0) out.push(tag('category', f.categories));
  if (f.modalities.length > 0) out.push(tag('modality', f.modalities));
  if (f.publics.length > 0)
    out.push(sql`(s.access = 'unconditional' OR ${tag('public', [...f.publics, ALL_PUBLICS])})`);
  if (f.languages.length > 0) out.push(tag('language', f.languages));
  return out;
}

const and = (conds: RawBuilder<unknown>[]) => (conds.length === 0 ? sql`1 = 1` : sql.join(conds, sql` AND `));

/**
 * The place `pid` has a search document matching the text alternatives, read from the document
 * itself: every term of one alternative begins a word (search.rules' matchesText, in SQL). Within a
 * radius this is cheaper than the full-text index, which would list every document holding a common
 * word (10,000 for "colis") to keep the few hundred of the box.
 */
function textInDocument(kind: DatabaseKind, pid: RawBuilder<unknown>, alternatives: string[][]): RawBuilder<unknown> {
  const position = kind === 'sqlite' ? sql`instr` : sql`strpos`;
  const match = sql.join(
    alternatives.map((terms) => sql`(${sql.join(terms.map((t) => sql`${position}(' ' || d.body, ${` ${t}`}) > 0`), sql` AND `)})`),
    sql` OR `
  );
  return sql`EXISTS (SELECT 1 FROM search_document AS d
    WHERE d.entity_type = ${PLACE_ENTITY} AND d.entity_id = ${pid} AND (${match}))`;
}

/** Place ids whose search document matches the text alternatives (OR of ANDs, each term a prefix). */
function textSubquery(kind: DatabaseKind, alternatives: string[][]): RawBuilder<unknown> {
  if (kind === 'sqlite') {
    const match = alternatives.map((terms) => `(${toFtsMatch(terms)})`).join(' OR ');
    return sql`SELECT d.entity_id FROM search_document_fts JOIN search_document AS d ON d.id = search_document_fts.rowid
      WHERE search_document_fts MATCH ${match} AND d.entity_type = ${PLACE_ENTITY}`;
  }
  // As text-search.ts: every term bound and quoted by quote_literal, folded by glane_fold.
  const query = sql.join(
    alternatives.map(
      (terms) =>
        sql`(${sql.join(
          terms.map((t) => sql`to_tsquery('simple', quote_literal(glane_fold(${t}::text)) || ':*')`),
          sql` && `
        )})`
    ),
    sql` || `
  );
  return sql`SELECT d.entity_id FROM search_document AS d
    WHERE d.search_vector @@ (${query}) AND d.entity_type = ${PLACE_ENTITY}`;
}

/**
 * Conditions on the place whose id is `pid` (row `p`, joined by the caller, for accessible and commune). `correlated`: checked
 * per place through the tag index (kind, value, place_id) — cheap once a geo box narrowed the places;
 * else as IN over that index (no box: drive from the tags). Each service filter kind is first
 * checked at the place level (a necessary condition, one index seek); when several kinds are given,
 * one exact check then requires a single service to match them all. Text: read from each place's
 * document when `textInBox` (a radius box narrowed the places), else through the full-text index.
 */
function placeConditions(
  kind: DatabaseKind,
  f: CandidateFilter,
  pid: RawBuilder<unknown>,
  correlated: boolean,
  textInBox: boolean
): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (f.accessible) out.push(sql`p.is_accessible = 1`);
  if (f.commune) out.push(sql`p.insee_code = ${f.commune}`);
  const tagAtPlace = (tagKind: string, values: string[]) =>
    correlated
      ? sql`EXISTS (SELECT 1 FROM service_tag AS pt WHERE pt.kind = ${tagKind} AND ${inList(sql`pt.value`, values)}
          AND pt.place_id = ${pid})`
      : sql`${pid} IN (SELECT pt.place_id FROM service_tag AS pt WHERE pt.kind = ${tagKind}
          AND ${inList(sql`pt.value`, values)})`;
  if (f.languages.length > 0) out.push(tagAtPlace('language', f.languages));
  if (f.categories.length > 0) out.push(tagAtPlace('category', f.categories));
  if (f.modalities.length > 0) out.push(tagAtPlace('modality', f.modalities));
  const kinds = [f.categories, f.modalities, f.publics].filter((l) => l.length > 0).length;
  // Publics alone: at the place level. With another filter, the exact check below covers them.
  if (f.publics.length > 0 && kinds === 1 && f.languages.length === 0) {
    const unconditional = correlated
      ? sql`EXISTS (SELECT 1 FROM service AS us WHERE us.place_id = ${pid} AND us.access = 'unconditional')`
      : sql`${pid} IN (SELECT us.place_id FROM service AS us WHERE us.access = 'unconditional')`;
    out.push(sql`(${tagAtPlace('public', [...f.publics, ALL_PUBLICS])} OR ${unconditional})`);
  }
  // Languages beside a service filter: one of the matching services must speak one (its language
  // tags hold its place's languages too), so they join the exact check.
  if (kinds > 1 || (kinds === 1 && f.languages.length > 0)) {
    // Driven from the place's services holding the first tag (index seek), so only those few are checked.
    const [driverKind, driverValues, driverField] =
      f.categories.length > 0
        ? (['category', f.categories, 'categories'] as const)
        : f.modalities.length > 0
          ? (['modality', f.modalities, 'modalities'] as const)
          : (['language', f.languages, 'languages'] as const);
    const rest = serviceConditions({ ...f, [driverField]: [] });
    out.push(sql`EXISTS (SELECT 1 FROM service_tag AS dt JOIN service AS s ON s.id = dt.service_id
      WHERE dt.kind = ${driverKind} AND ${inList(sql`dt.value`, driverValues)} AND dt.place_id = ${pid} AND ${and(rest)})`);
  }
  if (f.text.length > 0) {
    out.push(textInBox ? textInDocument(kind, pid, f.text) : sql`${pid} IN (${textSubquery(kind, f.text)})`);
  }
  return out;
}

/**
 * The candidate places as a derived table `c(id, name, opening_hours, h)`, radius applied; `h` is the
 * haversine term from the centre (geosearch.haversineTerm: orders as the distance does), null without one.
 * The place row is joined only when a column of it is needed (place filters, hours, name order).
 * With a radius the radius is checked first, then the filters per place of the circle (correlated);
 * without, through the tag and text indexes. Exported for the plan tests and the benchmark.
 */
export function candidatesQuery(
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null,
  withHours = false
): RawBuilder<unknown> {
  const hours = withHours ? sql`p.opening_hours` : sql`NULL`;
  if (!geo) {
    return sql`SELECT p.id AS id, p.name AS name, ${hours} AS opening_hours,
      NULL AS h FROM place AS p WHERE ${and(placeConditions(kind, f, sql`p.id`, false, false))}`;
  }
  const h = haversineTerm(geo.center);
  const select = sql`SELECT g.entity_id AS id, NULL AS name, ${hours} AS opening_hours, ${h} AS h`;
  if (geo.radiusKm === null) {
    // Commune: few places, no box; distance from the commune's centre.
    return sql`${select} FROM geo_point AS g JOIN place AS p ON p.id = g.entity_id
      WHERE g.entity_type = ${PLACE_ENTITY} AND ${and(placeConditions(kind, f, sql`g.entity_id`, true, false))}`;
  }
  const needPlace = withHours || f.accessible || f.commune !== null;
  const joinPlace = needPlace ? sql`JOIN place AS p ON p.id = g.entity_id` : sql``;
  // The radius before the filters: a box holds a quarter more points than its circle.
  const conds = and([sql`${h} <= ${maxTermWithin(geo.radiusKm)}`, ...placeConditions(kind, f, sql`g.entity_id`, true, true)]);
  const box = boundingBox(geo.center, geo.radiusKm);
  return kind === 'sqlite'
    ? // As geosearch.nearbyQuery: CROSS JOIN pins the R*Tree as the outer loop.
      sql`${select} FROM geo_point_rtree AS r CROSS JOIN geo_point AS g ON g.id = r.id ${joinPlace}
        WHERE r.max_lat >= ${box.minLat} AND r.min_lat <= ${box.maxLat}
          AND r.max_lng >= ${box.minLng} AND r.min_lng <= ${box.maxLng}
          AND g.entity_type = ${PLACE_ENTITY} AND ${conds}`
    : sql`${select} FROM geo_point AS g ${joinPlace}
        WHERE g.entity_type = ${PLACE_ENTITY}
          AND g.lat BETWEEN ${box.minLat} AND ${box.maxLat}
          AND g.lng BETWEEN ${box.minLng} AND ${box.maxLng} AND ${conds}`;
}

const orderOf = (geo: CandidateGeo | null) => (geo ? sql`c.h, c.id` : sql`c.name, c.id`);

interface RawCandidate {
  id: string;
  opening_hours: string | null;
  h: number | string | null;
  total?: number | string;
}

const toCandidate = (r: RawCandidate): CandidateRow => ({
  id: r.id,
  distanceKm: r.h === null ? null : distanceFromTerm(Number(r.h)),
  openingHours: r.opening_hours
});

/**
 * One page of matching places (nearest first with a point, else by name) and the total of matches.
 * The matches are gathered once and both counted and sorted (a window count would sort them twice).
 */
export async function findCandidatePage(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null,
  limit: number,
  offset: number
): Promise<{ rows: CandidateRow[]; total: number }> {
  const { rows } = await sql<RawCandidate>`WITH c AS MATERIALIZED (${candidatesQuery(kind, f, geo)})
    SELECT c.id, c.opening_hours, c.h, (SELECT count(*) FROM c) AS total
    FROM c ORDER BY ${orderOf(geo)} LIMIT ${limit} OFFSET ${offset}`.execute(db);
  if (rows.length === 0 && offset > 0) {
    // Past the last page: no row carries the total; count separately.
    const { rows: counted } = await sql<{ n: number | string }>`SELECT count(*) AS n
      FROM (${candidatesQuery(kind, f, geo)}) AS c`.execute(db);
    return { rows: [], total: Number(counted[0]?.n ?? 0) };
  }
  return { rows: rows.map(toCandidate), total: Number(rows[0]?.total ?? 0) };
}

/** Every matching place, in result order, with its hours: for "open now / open at", decided in code. */
export async function findAllCandidates(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null
): Promise<CandidateRow[]> {
  const { rows } = await sql<RawCandidate>`SELECT c.id, c.opening_hours, c.h
    FROM (${candidatesQuery(kind, f, geo, true)}) AS c ORDER BY ${orderOf(geo)}`.execute(db);
  return rows.map(toCandidate);
}

/** The centre of the places of a commune (mean of their coordinates), or null when it has none. */
export async function communeCentre(db: Kysely<DB>, inseeCode: string): Promise<LatLng | null> {
  const row = await db
    .selectFrom('place')
    .select((eb) => [eb.fn.avg<number | string | null>('lat').as('lat'), eb.fn.avg<number | string | null>('lng').as('lng')])
    .where('insee_code', '=', inseeCode)
    .where('lat', 'is not', null)
    .where('lng', 'is not', null)
    .executeTakeFirst();
  if (!row || row.lat === null || row.lng === null) return null;
  return { lat: Number(row.lat), lng: Number(row.lng) };
}

/** A service row as the search reads it. */
export interface ResultServiceRow {
  id: string;
  place_id: string;
  name: string;
  categories: string;
  publics: string;
  modalities: string;
  access: ServiceRecord['access'];
  frais: ServiceRecord['frais'];
  opening_hours: string | null;
}

/**
 * The services of these places that can make a place open at an instant other than its own hours
 * do, with their own hours (null: the place's). With service filters: every matching service (the
 * place is judged by them alone). Without: only those with hours of their own or a notice of their
 * own in force between `fromDay` and `toDay` — a service with neither is open exactly when its
 * place is (most services: a fraction of the rows).
 */
export async function findServiceHours(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  placeIds: string[],
  fromDay: string,
  toDay: string
): Promise<{ id: string; placeId: string; openingHours: string | null }[]> {
  if (placeIds.length === 0) return [];
  const conds = serviceConditions(f);
  if (conds.length === 0) {
    conds.push(sql`(s.opening_hours IS NOT NULL OR EXISTS (SELECT 1 FROM place_notice AS n
      WHERE n.place_id = s.place_id AND n.service_id = s.id AND n.ends_on >= ${fromDay} AND n.starts_on <= ${toDay}))`);
  }
  const { rows } = await sql<{ id: string; place_id: string; opening_hours: string | null }>`SELECT s.id, s.place_id, s.opening_hours
    FROM service AS s WHERE ${inIds(kind, sql`s.place_id`, placeIds)} AND ${and(conds)}`.execute(db);
  return rows.map((r) => ({ id: r.id, placeId: r.place_id, openingHours: r.opening_hours }));
}

/** A service as a search result lists it. */
export type ResultService = Pick<
  ServiceRecord,
  'id' | 'placeId' | 'name' | 'categories' | 'publics' | 'modalities' | 'access' | 'frais' | 'openingHours'
>;

/** A JSON list column (as the directory repository writes it); anything unreadable reads as []. */

/**
 * The matching services of these places (all their services when no service filter), by name.
 * With languages, only the services that speak one (theirs or their place's).
 */
export async function findMatchingServices(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  placeIds: string[]
): Promise<ResultService[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<ResultServiceRow>`SELECT s.id, s.place_id, s.name, s.categories, s.publics, s.modalities, s.access, s.frais, s.opening_hours
    FROM service AS s WHERE ${inIds(kind, sql`s.place_id`, placeIds)} AND ${and(serviceConditions(f))}
    ORDER BY s.name, s.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    placeId: r.place_id,
    name: r.name,
    categories: parseArray(r.categories),
    publics: parseArray(r.publics),
    modalities: parseArray(r.modalities),
    access: r.access,
    frais: r.frais,
    openingHours: r.opening_hours
  }));
}

/** The notices of these places that are in force on `fromDay` or start by `toDay` (YYYY-MM-DD). */
export async function findNotices(
  db: Kysely<DB>,
  kind: DatabaseKind,
  placeIds: string[],
  fromDay: string,
  toDay: string
): Promise<NoticeRecord[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<Selectable<PlaceNoticeTable>>`SELECT * FROM place_notice AS n
    WHERE ${inIds(kind, sql`n.place_id`, placeIds)} AND n.ends_on >= ${fromDay} AND n.starts_on <= ${toDay}
    ORDER BY n.starts_on, n.id`.execute(db);
  return rows.map(toNotice);
}

/** A place as a search result shows it. */
export type ResultPlace = Pick<
  PlaceRecord,
  | 'id'
  | 'slug'
  | 'name'
  | 'addressLine'
  | 'addressComplement'
  | 'postalCode'
  | 'city'
  | 'inseeCode'
  | 'lat'
  | 'lng'
  | 'isAccessible'
  | 'languages'
  | 'saturation'
  | 'isMobile'
  | 'openingHours'
  | 'verifiedAt'
  | 'createdAt'
>;

/** A place row as the search reads it, with its organisation's name. */
export interface ResultPlaceRow {
  id: string;
  organisation_id: string;
  org_name: string;
  slug: string;
  name: string;
  address_line: string | null;
  address_complement: string | null;
  postal_code: string | null;
  city: string | null;
  insee_code: string | null;
  lat: number | string | null;
  lng: number | string | null;
  is_accessible: number | null;
  languages: string;
  saturation: PlaceRecord['saturation'];
  is_mobile: number;
  opening_hours: string | null;
  verified_at: string | null;
  created_at: string;
}

const same = <T>(value: T): T => value;

/**
 * The place of a row as a result shows it. `str` and `list` let the in-memory index keep one copy
 * of the strings and lists many places repeat.
 */
export function toResultPlace(
  r: ResultPlaceRow,
  str: <T extends string | null>(value: T) => T = same,
  list: (text: string | null) => string[] = parseArray
): ResultPlace {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    addressLine: r.address_line,
    addressComplement: r.address_complement,
    postalCode: str(r.postal_code),
    city: str(r.city),
    inseeCode: str(r.insee_code),
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
    isAccessible: r.is_accessible === null ? null : r.is_accessible !== 0,
    languages: list(r.languages),
    saturation: r.saturation,
    isMobile: r.is_mobile !== 0,
    openingHours: str(r.opening_hours),
    verifiedAt: r.verified_at,
    createdAt: str(r.created_at)
  };
}

/**
 * The places with these ids and their organisation's id and name (every place has one: foreign key).
 * The name is read per place (a page is 20 places): PostgreSQL would otherwise hash every organisation.
 */
export async function findPlacesWithOrganisation(
  db: Kysely<DB>,
  kind: DatabaseKind,
  placeIds: string[]
): Promise<{ place: ResultPlace; organisation: { id: string; name: string } }[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<ResultPlaceRow>`SELECT p.id, p.organisation_id, p.slug, p.name, p.address_line, p.address_complement,
      p.postal_code, p.city, p.insee_code, p.lat, p.lng, p.is_accessible, p.languages, p.saturation, p.is_mobile,
      p.opening_hours, p.verified_at, p.created_at,
      (SELECT o.name FROM organisation AS o WHERE o.id = p.organisation_id) AS org_name
    FROM place AS p WHERE ${inIds(kind, sql`p.id`, placeIds)}`.execute(db);
  return rows.map((r) => ({ place: toResultPlace(r), organisation: { id: r.organisation_id, name: r.org_name } }));
}
