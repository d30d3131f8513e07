import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { fieldError } from '../errors.js';
import type { DatabaseKind } from './database.js';
import type { DB } from './schema.js';

/**
 * Shared geosearch over the `geo_point` table: one point per (entityType, entityId).
 * Candidates always come from an index on a bounding box (R*Tree `geo_point_rtree` on SQLite,
 * the B-tree (entity_type, lat, lng) on PostgreSQL); the exact great-circle distance is then
 * computed in SQL, filtered by the radius and ordered there, so only `limit` rows leave the database.
 * The dialect is passed explicitly so every function also works on a `Transaction<DB>`.
 * Longitudes do not wrap across the antimeridian (no food aid to find there in France).
 */

/** Mean Earth radius (IUGG), in kilometres. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Radius the widening search starts from, in kilometres. */
export const WIDEN_START_KM = 1;
/** Default ceiling of the widening search, in kilometres. */
export const DEFAULT_MAX_RADIUS_KM = 100;
export const MAX_RADIUS_KM = 20_000;
export const MAX_LIMIT = 500;
/** The most entity ids a search may be restricted to (bound to one parameter, not one per id). */
export const MAX_ENTITY_IDS = 10_000;

export interface LatLng {
  lat: number;
  lng: number;
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

export interface GeoPointInput {
  entityType: string;
  entityId: string;
  lat: number;
  lng: number;
}

export interface NearbyQuery {
  entityType: string;
  lat: number;
  lng: number;
  /** At most this many results (1..500). */
  limit: number;
  /** Fixed radius: every point within it, nearest first. Absent: widen from 1 km. */
  radiusKm?: number;
  /** Ceiling of the widening search (default 100 km). Ignored when radiusKm is given. */
  maxRadiusKm?: number;
  /** Restricts the search to these entities (e.g. the offers still available). */
  entityIds?: string[];
}

export interface NearbyPoint {
  entityId: string;
  distanceKm: number;
  lat: number;
  lng: number;
}

const toRad = (deg: number) => (deg * Math.PI) / 180;
const toDeg = (rad: number) => (rad * 180) / Math.PI;

/** Great-circle distance in kilometres between two points (haversine formula, mean Earth radius). */
export function haversineKm(a: LatLng, b: LatLng): number {
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The smallest latitude/longitude box containing every point within `radiusKm` of `center`.
 * Longitude half-width is asin(sin(r/R) / cos(lat)), wider than r/R away from the equator; when the
 * circle reaches a pole every longitude is in. Clamped to [-90, 90] × [-180, 180] (no wrap-around),
 * and padded by 1e-9° so a point exactly on the circle is never lost to rounding.
 */
export function boundingBox(center: LatLng, radiusKm: number): BoundingBox {
  const pad = 1e-9;
  const angular = radiusKm / EARTH_RADIUS_KM;
  const dLat = toDeg(angular);
  const minLat = center.lat - dLat;
  const maxLat = center.lat + dLat;
  const latRad = toRad(center.lat);
  let dLng = Infinity;
  if (minLat > -90 && maxLat < 90 && angular < Math.PI / 2) {
    const ratio = Math.sin(angular) / Math.cos(latRad);
    if (ratio < 1) dLng = toDeg(Math.asin(ratio));
  }
  return {
    minLat: Math.max(-90, minLat - pad),
    maxLat: Math.min(90, maxLat + pad),
    minLng: Math.max(-180, center.lng - dLng - pad),
    maxLng: Math.min(180, center.lng + dLng + pad)
  };
}

/**
 * SQL predicate "the point lies in the box" for a Kysely `.where(...)`, on lat/lng columns named as
 * text (`'fp.lat'`) or given as SQL (`sql\`+g.lat\``: SQLite's unary plus keeps that column's index out
 * of the plan). The index prefilter of every search over lat/lng columns (the bounding box of boundingBox).
 */
export function inBoundingBox(box: BoundingBox, lat: string | RawBuilder<unknown>, lng: string | RawBuilder<unknown>): RawBuilder<SqlBool> {
  const la = typeof lat === 'string' ? sql.ref(lat) : lat;
  const ln = typeof lng === 'string' ? sql.ref(lng) : lng;
  return sql<SqlBool>`(${la} >= ${box.minLat} AND ${la} <= ${box.maxLat} AND ${ln} >= ${box.minLng} AND ${ln} <= ${box.maxLng})`;
}

/**
 * The haversine term of row `g` (a geo_point) seen from `center`, as SQL:
 * h = sin²(Δlat/2) + cos(lat₀)·cos(lat)·sin²(Δlng/2), the distance being 2R·asin(√h) (distanceFromTerm).
 * The distance grows with h, so a radius filter (h ≤ maxTermWithin(r)) and a nearest-first order on
 * h keep and order the points as the distance would (short of rounding in the last bit), without an
 * asin and a square root per row; the centre's cosine and the degree-to-radian factors are computed
 * once here, not per row. Used by the directory search, which scans every point of its box to count
 * them and turns only its page's terms into kilometres.
 */
export function haversineTerm(center: LatLng): RawBuilder<number> {
  const halfRadians = Math.PI / 360;
  return sql<number>`(power(sin((g.lat - ${center.lat}) * ${halfRadians}), 2)
    + ${Math.cos(toRad(center.lat))} * cos(g.lat * ${Math.PI / 180}) * power(sin((g.lng - ${center.lng}) * ${halfRadians}), 2))`;
}

/** The largest haversine term of a point within `radiusKm` (see haversineTerm). */
export function maxTermWithin(radiusKm: number): number {
  return Math.sin(radiusKm / (2 * EARTH_RADIUS_KM)) ** 2;
}

/** The great-circle distance, in kilometres, of a haversine term (see haversineTerm). */
export function distanceFromTerm(h: number): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(Math.max(0, h))));
}

/** Checks an entity type (and id when given): non-empty, bounded strings; throws fieldError. */
export function checkEntity(entityType: unknown, entityId?: unknown): void {
  if (typeof entityType !== 'string' || entityType.length === 0 || entityType.length > 64)
    throw fieldError('entityType', 'Entity type must be a non-empty string of at most 64 characters');
  if (entityId !== undefined && (typeof entityId !== 'string' || entityId.length === 0 || entityId.length > 200))
    throw fieldError('entityId', 'Entity id must be a non-empty string of at most 200 characters');
}

function checkLatLng(lat: unknown, lng: unknown): void {
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    throw fieldError('lat', 'Latitude must be a number between -90 and 90');
  if (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180)
    throw fieldError('lng', 'Longitude must be a number between -180 and 180');
}

function checkRadius(path: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_RADIUS_KM)
    throw fieldError(path, `Radius must be a number of kilometres above 0 and at most ${MAX_RADIUS_KM}`);
}

/** Checks the entity-id restriction shared by geosearch and text search; throws fieldError. */
export function checkEntityIds(entityIds: unknown): void {
  if (entityIds === undefined) return;
  if (!Array.isArray(entityIds) || entityIds.some((id) => typeof id !== 'string'))
    throw fieldError('entityIds', 'Entity ids must be an array of strings');
  if (entityIds.length > MAX_ENTITY_IDS)
    throw fieldError('entityIds', `At most ${MAX_ENTITY_IDS} entity ids may be given`);
}

/** Checks a result limit: an integer in 1..max; throws fieldError. */
export function checkLimit(limit: unknown, max = MAX_LIMIT): void {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max)
    throw fieldError('limit', `Limit must be an integer between 1 and ${max}`);
}

/**
 * SQL predicate "entity_id is one of `ids`", bound as ONE parameter (a JSON array on SQLite, a text[]
 * on PostgreSQL) so a long list never hits the engines' parameter limits.
 */
export function entityIdIn(kind: DatabaseKind, column: RawBuilder<unknown>, ids: string[]): RawBuilder<unknown> {
  return kind === 'sqlite'
    ? sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
    : sql`${column} = ANY(${ids}::text[])`;
}

/**
 * Inserts or moves the point of an entity (one point per entityType + entityId). On SQLite the
 * R*Tree follows through the table's triggers.
 */
export async function upsertGeoPoint(db: Kysely<DB>, _kind: DatabaseKind, p: GeoPointInput): Promise<void> {
  checkEntity(p.entityType, p.entityId);
  checkLatLng(p.lat, p.lng);
  await db
    .insertInto('geo_point')
    .values({ entity_type: p.entityType, entity_id: p.entityId, lat: p.lat, lng: p.lng })
    .onConflict((oc) =>
      oc.columns(['entity_type', 'entity_id']).doUpdateSet((eb) => ({
        lat: eb.ref('excluded.lat'),
        lng: eb.ref('excluded.lng')
      }))
    )
    .execute();
}

/** Removes the point of an entity (no error when it has none). */
export async function removeGeoPoint(
  db: Kysely<DB>,
  _kind: DatabaseKind,
  entityType: string,
  entityId: string
): Promise<void> {
  await db.deleteFrom('geo_point').where('entity_type', '=', entityType).where('entity_id', '=', entityId).execute();
}

interface RadiusSearch {
  entityType: string;
  center: LatLng;
  radiusKm: number;
  limit: number;
  entityIds?: string[];
}

/**
 * A short list of entity ids is a better prefilter than the map: those points are read through the
 * (entity_type, entity_id) index in one query at the full radius, instead of widening over every
 * point of the type (benchmark: 100 ids 0.5 ms instead of 39 ms; 5,000 ids are faster on the map).
 */
export const IDS_FIRST_MAX = 1_000;
const idsFirst = (ids: string[] | undefined): ids is string[] => ids !== undefined && ids.length <= IDS_FIRST_MAX;

/**
 * The one SQL query behind findNearby: index prefilter on the bounding box (or on a short id list),
 * exact haversine in SQL, radius filter, order by (distance, entityId), limit.
 * Exported for the plan tests and the benchmark.
 */
export function nearbyQuery(kind: DatabaseKind, s: RadiusSearch): RawBuilder<NearbyRow> {
  const box = boundingBox(s.center, s.radiusKm);
  const { lat, lng } = s.center;
  const least = kind === 'sqlite' ? sql`min` : sql`least`;
  // `g` is the geo_point row on both dialects.
  const distance = sql`${sql.lit(2 * EARTH_RADIUS_KM)} * asin(${least}(1, sqrt(
      power(sin(radians(g.lat - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(g.lat)) * power(sin(radians(g.lng - ${lng}) / 2), 2))))`;
  const restrict = s.entityIds ? sql`AND ${entityIdIn(kind, sql`g.entity_id`, s.entityIds)}` : sql``;
  const candidates =
    kind === 'sqlite' && !idsFirst(s.entityIds)
      ? // CROSS JOIN pins the R*Tree as the outer loop: SQLite must not drive from geo_point's
        // (entity_type, entity_id) index, which would visit every point of the type.
        sql`SELECT g.entity_id AS entity_id, g.lat AS lat, g.lng AS lng, ${distance} AS distance_km
          FROM geo_point_rtree AS r CROSS JOIN geo_point AS g ON g.id = r.id
          WHERE r.max_lat >= ${box.minLat} AND r.min_lat <= ${box.maxLat}
            AND r.max_lng >= ${box.minLng} AND r.min_lng <= ${box.maxLng}
            AND g.entity_type = ${s.entityType} ${restrict}`
      : sql`SELECT g.entity_id AS entity_id, g.lat AS lat, g.lng AS lng, ${distance} AS distance_km
          FROM geo_point AS g
          WHERE g.entity_type = ${s.entityType}
            AND g.lat BETWEEN ${box.minLat} AND ${box.maxLat}
            AND g.lng BETWEEN ${box.minLng} AND ${box.maxLng} ${restrict}`;
  return sql<NearbyRow>`SELECT entity_id, lat, lng, distance_km FROM (${candidates}) AS c
    WHERE distance_km <= ${s.radiusKm}
    ORDER BY distance_km, entity_id
    LIMIT ${s.limit}`;
}

interface NearbyRow {
  entity_id: string;
  lat: number;
  lng: number;
  distance_km: number;
}

async function searchRadius(db: Kysely<DB>, kind: DatabaseKind, s: RadiusSearch): Promise<NearbyPoint[]> {
  const { rows } = await nearbyQuery(kind, s).execute(db);
  return rows.map((r) => ({
    entityId: r.entity_id,
    distanceKm: Number(r.distance_km),
    lat: Number(r.lat),
    lng: Number(r.lng)
  }));
}

/**
 * Points of `entityType` near (lat, lng), nearest first (ties by entityId).
 * With `radiusKm`: the nearest points within it, at most `limit`. Without: the radius starts at 1 km
 * and doubles until `limit` points are found or `maxRadiusKm` (default 100 km) is reached, so a
 * dense town and an empty countryside both get an answer with few index pages read. Each step is
 * one exact query, so the result is always the true nearest `limit` within the final radius.
 * Throws fieldError (validation_failed) on an out-of-range input.
 */
export async function findNearby(db: Kysely<DB>, kind: DatabaseKind, q: NearbyQuery): Promise<NearbyPoint[]> {
  checkEntity(q.entityType);
  checkLatLng(q.lat, q.lng);
  checkLimit(q.limit);
  if (q.radiusKm !== undefined) checkRadius('radiusKm', q.radiusKm);
  if (q.maxRadiusKm !== undefined) checkRadius('maxRadiusKm', q.maxRadiusKm);
  checkEntityIds(q.entityIds);
  if (q.entityIds && q.entityIds.length === 0) return [];

  const base = { entityType: q.entityType, center: { lat: q.lat, lng: q.lng }, limit: q.limit, entityIds: q.entityIds };
  // A fixed radius widens too, with the radius as ceiling: the answer is the same (the nearest
  // `limit` within it) but a dense town centre is not read and sorted whole for 20 results.
  const maxRadiusKm = q.radiusKm ?? q.maxRadiusKm ?? DEFAULT_MAX_RADIUS_KM;
  if (idsFirst(q.entityIds)) return searchRadius(db, kind, { ...base, radiusKm: maxRadiusKm });
  let radiusKm = Math.min(WIDEN_START_KM, maxRadiusKm);
  for (;;) {
    const found = await searchRadius(db, kind, { ...base, radiusKm });
    if (found.length >= q.limit || radiusKm >= maxRadiusKm) return found;
    radiusKm = Math.min(radiusKm * 2, maxRadiusKm);
  }
}
