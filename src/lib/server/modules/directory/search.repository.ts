import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import { boundingBox, EARTH_RADIUS_KM, entityIdIn, type LatLng } from '../../db/geosearch.js';
import type { DB } from '../../db/schema.js';
import { toFtsMatch } from '../../db/text-search.js';
import { PLACE_ENTITY, toPlace, toService, type NoticeRecord, type PlaceRecord, type ServiceRecord } from './directory.repository.js';

/**
 * SQL of the public directory search. One query finds the matching places — geo box and exact
 * distance, place filters, "a service matches every service filter" through the indexed
 * `service_tag` rows, the text predicate over `search_document` — and either returns one page with
 * the total (`count(*) OVER ()`) or every candidate (when opening hours must be checked in code).
 * Then one query each loads the page's places, their matching services, and their notices: no N+1.
 *
 * Why not findNearby + searchDocuments: both cap their answer at 500 rows and neither counts, while
 * the search must page through and count every match within the radius searched; and the filters
 * must apply inside the geo query, or a widening search would count unfiltered points. The geo index, distance
 * formula and text folding are the shared modules' (boundingBox, entityIdIn, toFtsMatch, glane_fold).
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
  /** The folded search document (findAllCandidates with withBody), else null. */
  body: string | null;
}

/** The tag value that makes a service match any public filter, besides access 'unconditional'. */
const ALL_PUBLICS = 'tous-publics';

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
  return out;
}

const and = (conds: RawBuilder<unknown>[]) => (conds.length === 0 ? sql`1 = 1` : sql.join(conds, sql` AND `));

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
 * one exact check then requires a single service to match them all.
 */
function placeConditions(
  kind: DatabaseKind,
  f: CandidateFilter,
  pid: RawBuilder<unknown>,
  correlated: boolean
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
  if (f.publics.length > 0 && kinds === 1) {
    const unconditional = correlated
      ? sql`EXISTS (SELECT 1 FROM service AS us WHERE us.place_id = ${pid} AND us.access = 'unconditional')`
      : sql`${pid} IN (SELECT us.place_id FROM service AS us WHERE us.access = 'unconditional')`;
    out.push(sql`(${tagAtPlace('public', [...f.publics, ALL_PUBLICS])} OR ${unconditional})`);
  }
  if (kinds > 1) {
    // Driven from the place's services holding the first tag (index seek), so only those few are checked.
    const [driverKind, driverValues] = f.categories.length > 0 ? ['category', f.categories] : ['modality', f.modalities];
    const rest = serviceConditions({ ...f, [driverKind === 'category' ? 'categories' : 'modalities']: [] });
    out.push(sql`EXISTS (SELECT 1 FROM service_tag AS dt JOIN service AS s ON s.id = dt.service_id
      WHERE dt.kind = ${driverKind} AND ${inList(sql`dt.value`, driverValues)} AND dt.place_id = ${pid} AND ${and(rest)})`);
  }
  if (f.text.length > 0) out.push(sql`${pid} IN (${textSubquery(kind, f.text)})`);
  return out;
}

/**
 * The candidate places as a derived table `c(id, name, opening_hours, distance_km)`, radius applied.
 * The place row is joined only when a column of it is needed (place filters, hours, name order).
 * Exported for the plan tests and the benchmark.
 */
export function candidatesQuery(
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null,
  withHours = false,
  withBody = false
): RawBuilder<unknown> {
  const hours = withHours ? sql`p.opening_hours` : sql`NULL`;
  const body = (id: RawBuilder<unknown>) =>
    withBody
      ? sql`(SELECT d.body FROM search_document AS d WHERE d.entity_type = ${PLACE_ENTITY} AND d.entity_id = ${id})`
      : sql`NULL`;
  if (!geo) {
    return sql`SELECT p.id AS id, p.name AS name, ${hours} AS opening_hours, ${body(sql`p.id`)} AS body,
      NULL AS distance_km FROM place AS p WHERE ${and(placeConditions(kind, f, sql`p.id`, false))}`;
  }
  const { lat, lng } = geo.center;
  const least = kind === 'sqlite' ? sql`min` : sql`least`;
  const distance = sql`${sql.lit(2 * EARTH_RADIUS_KM)} * asin(${least}(1, sqrt(
      power(sin(radians(g.lat - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(g.lat)) * power(sin(radians(g.lng - ${lng}) / 2), 2))))`;
  const select = sql`SELECT g.entity_id AS id, NULL AS name, ${hours} AS opening_hours,
    ${body(sql`g.entity_id`)} AS body, ${distance} AS distance_km`;
  const needPlace = withHours || f.accessible || f.commune !== null;
  const joinPlace = needPlace ? sql`JOIN place AS p ON p.id = g.entity_id` : sql``;
  const conds = and(placeConditions(kind, f, sql`g.entity_id`, true));
  if (geo.radiusKm === null) {
    // Commune: few places, no box; distance from the commune's centre.
    return sql`${select} FROM geo_point AS g JOIN place AS p ON p.id = g.entity_id
      WHERE g.entity_type = ${PLACE_ENTITY} AND ${conds}`;
  }
  const box = boundingBox(geo.center, geo.radiusKm);
  const inner =
    kind === 'sqlite'
      ? // As geosearch.nearbyQuery: CROSS JOIN pins the R*Tree as the outer loop.
        sql`${select} FROM geo_point_rtree AS r CROSS JOIN geo_point AS g ON g.id = r.id ${joinPlace}
          WHERE r.max_lat >= ${box.minLat} AND r.min_lat <= ${box.maxLat}
            AND r.max_lng >= ${box.minLng} AND r.min_lng <= ${box.maxLng}
            AND g.entity_type = ${PLACE_ENTITY} AND ${conds}`
      : sql`${select} FROM geo_point AS g ${joinPlace}
          WHERE g.entity_type = ${PLACE_ENTITY}
            AND g.lat BETWEEN ${box.minLat} AND ${box.maxLat}
            AND g.lng BETWEEN ${box.minLng} AND ${box.maxLng} AND ${conds}`;
  return sql`SELECT * FROM (${inner}) AS b WHERE b.distance_km <= ${geo.radiusKm}`;
}

const orderOf = (geo: CandidateGeo | null) => (geo ? sql`c.distance_km, c.id` : sql`c.name, c.id`);

interface RawCandidate {
  id: string;
  opening_hours: string | null;
  body?: string | null;
  distance_km: number | string | null;
  total?: number | string;
}

const toCandidate = (r: RawCandidate): CandidateRow => ({
  id: r.id,
  distanceKm: r.distance_km === null ? null : Number(r.distance_km),
  openingHours: r.opening_hours,
  body: r.body ?? null
});

/** One page of matching places (nearest first with a point, else by name) and the total of matches. */
export async function findCandidatePage(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null,
  limit: number,
  offset: number
): Promise<{ rows: CandidateRow[]; total: number }> {
  const { rows } = await sql<RawCandidate>`SELECT c.id, c.opening_hours, c.distance_km, count(*) OVER () AS total
    FROM (${candidatesQuery(kind, f, geo)}) AS c ORDER BY ${orderOf(geo)} LIMIT ${limit} OFFSET ${offset}`.execute(db);
  if (rows.length === 0 && offset > 0) {
    // Past the last page: the window gives no total; count separately.
    const { rows: counted } = await sql<{ n: number | string }>`SELECT count(*) AS n
      FROM (${candidatesQuery(kind, f, geo)}) AS c`.execute(db);
    return { rows: [], total: Number(counted[0]?.n ?? 0) };
  }
  return { rows: rows.map(toCandidate), total: Number(rows[0]?.total ?? 0) };
}

/**
 * Every matching place, in result order, with its hours (and its search document when `withBody`),
 * for the filters computed in code: open now, and text within a radius.
 */
export async function findAllCandidates(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  geo: CandidateGeo | null,
  withBody = false
): Promise<CandidateRow[]> {
  const { rows } = await sql<RawCandidate>`SELECT c.id, c.opening_hours, c.body, c.distance_km
    FROM (${candidatesQuery(kind, f, geo, true, withBody)}) AS c ORDER BY ${orderOf(geo)}`.execute(db);
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

/** The matching services of these places (all their services when no service filter) with their own hours (null: the place's). */
export async function findServiceHours(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  placeIds: string[]
): Promise<{ id: string; placeId: string; openingHours: string | null }[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<{ id: string; place_id: string; opening_hours: string | null }>`SELECT s.id, s.place_id, s.opening_hours
    FROM service AS s WHERE ${inIds(kind, sql`s.place_id`, placeIds)} AND ${and(serviceConditions(f))}`.execute(db);
  return rows.map((r) => ({ id: r.id, placeId: r.place_id, openingHours: r.opening_hours }));
}

/** The matching services of these places (all their services when no service filter), by name. */
export async function findMatchingServices(
  db: Kysely<DB>,
  kind: DatabaseKind,
  f: CandidateFilter,
  placeIds: string[]
): Promise<ServiceRecord[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<Parameters<typeof toService>[0]>`SELECT s.* FROM service AS s
    WHERE ${inIds(kind, sql`s.place_id`, placeIds)} AND ${and(serviceConditions(f))}
    ORDER BY s.name, s.id`.execute(db);
  return rows.map(toService);
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
  const { rows } = await sql<{
    id: string;
    place_id: string;
    service_id: string | null;
    kind: 'closure' | 'hours';
    starts_on: string;
    ends_on: string;
    opening_hours: string | null;
    message: string | null;
    created_at: string;
  }>`SELECT * FROM place_notice AS n
    WHERE ${inIds(kind, sql`n.place_id`, placeIds)} AND n.ends_on >= ${fromDay} AND n.starts_on <= ${toDay}
    ORDER BY n.starts_on, n.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    placeId: r.place_id,
    serviceId: r.service_id,
    kind: r.kind,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    openingHours: r.opening_hours,
    message: r.message,
    createdAt: r.created_at
  }));
}

/** The places with these ids and their organisation's id and name. */
export async function findPlacesWithOrganisation(
  db: Kysely<DB>,
  kind: DatabaseKind,
  placeIds: string[]
): Promise<{ place: PlaceRecord; organisation: { id: string; name: string } }[]> {
  if (placeIds.length === 0) return [];
  const { rows } = await sql<Parameters<typeof toPlace>[0] & { org_name: string }>`SELECT p.*, o.name AS org_name
    FROM place AS p JOIN organisation AS o ON o.id = p.organisation_id
    WHERE ${inIds(kind, sql`p.id`, placeIds)}`.execute(db);
  return rows.map((r) => ({ place: toPlace(r), organisation: { id: r.organisation_id, name: r.org_name } }));
}
