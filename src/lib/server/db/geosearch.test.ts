import { CompiledQuery, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, postgresLabel, type TestDatabase } from '../../../../tests/helpers/db.js';
import { AppError } from '../errors.js';
import type { DatabaseKind } from './database.js';
import {
  boundingBox,
  EARTH_RADIUS_KM,
  findNearby,
  haversineKm,
  IDS_FIRST_MAX,
  nearbyQuery,
  removeGeoPoint,
  upsertGeoPoint,
  type LatLng
} from './geosearch.js';
import type { DB } from './schema.js';

const LILLE: LatLng = { lat: 50.63, lng: 3.06 };
const PARIS: LatLng = { lat: 48.8566, lng: 2.3522 };

/** The point reached from `from` after `km` kilometres on `bearingDeg` (spherical Earth). */
function destination(from: LatLng, km: number, bearingDeg: number): LatLng {
  const d = km / EARTH_RADIUS_KM;
  const b = (bearingDeg * Math.PI) / 180;
  const lat1 = (from.lat * Math.PI) / 180;
  const lng1 = (from.lng * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = lng1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: (lat2 * 180) / Math.PI, lng: (lng2 * 180) / Math.PI };
}

describe('haversineKm', () => {
  it('measures Lille–Paris at about 204 km, symmetrically', () => {
    expect(haversineKm(LILLE, PARIS)).toBeCloseTo(203.9, 0);
    expect(haversineKm(PARIS, LILLE)).toBe(haversineKm(LILLE, PARIS));
  });

  it('is zero for the same point and half the circumference for antipodes', () => {
    expect(haversineKm(LILLE, LILLE)).toBe(0);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('agrees with the destination formula', () => {
    for (const bearing of [0, 45, 90, 180, 270]) {
      expect(haversineKm(LILLE, destination(LILLE, 12.5, bearing))).toBeCloseTo(12.5, 6);
    }
  });
});

describe('boundingBox', () => {
  it('contains every point of the circle, at every bearing and latitude', () => {
    for (const center of [LILLE, { lat: 0, lng: 0 }, { lat: 70, lng: 20 }, { lat: -45, lng: -70 }]) {
      for (const km of [0.5, 10, 300]) {
        const box = boundingBox(center, km);
        for (let bearing = 0; bearing < 360; bearing += 5) {
          const p = destination(center, km, bearing);
          expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
          expect(p.lat).toBeLessThanOrEqual(box.maxLat);
          expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
          expect(p.lng).toBeLessThanOrEqual(box.maxLng);
        }
      }
    }
  });

  it('widens longitudes with latitude and stays tight', () => {
    const equator = boundingBox({ lat: 0, lng: 0 }, 100);
    const lille = boundingBox(LILLE, 100);
    const latHalf = (lille.maxLat - lille.minLat) / 2;
    const lngHalf = (lille.maxLng - lille.minLng) / 2;
    expect(latHalf).toBeCloseTo(100 / 111.195, 3);
    expect(equator.maxLng - equator.minLng).toBeCloseTo(equator.maxLat - equator.minLat, 3);
    expect(lngHalf / latHalf).toBeCloseTo(1 / Math.cos((LILLE.lat * Math.PI) / 180), 2);
  });

  it('takes every longitude when the circle reaches a pole, and clamps to valid ranges', () => {
    expect(boundingBox({ lat: 89.9, lng: 10 }, 50)).toEqual({ minLat: expect.any(Number), maxLat: 90, minLng: -180, maxLng: 180 });
    const nearAntimeridian = boundingBox({ lat: -17, lng: 179.95 }, 50);
    expect(nearAntimeridian.maxLng).toBe(180);
    expect(nearAntimeridian.minLng).toBeLessThan(179.95);
    const world = boundingBox(LILLE, 20_000);
    expect(world).toEqual({ minLat: -90, maxLat: 90, minLng: -180, maxLng: 180 });
  });
});

interface Seeded {
  id: string;
  at: LatLng;
}

/** 36 points from 0.2 to 35 km around Lille on varied bearings, plus far-away ones. */
function seedPoints(): Seeded[] {
  const points: Seeded[] = [];
  for (let i = 0; i < 36; i++) {
    const km = 0.2 + i * i * 0.027; // 0.2 … 33.3 km, denser near the centre
    points.push({ id: `p${String(i).padStart(2, '0')}`, at: destination(LILLE, km, (i * 137) % 360) });
  }
  points.push({ id: 'paris', at: PARIS });
  points.push({ id: 'marseille', at: { lat: 43.2965, lng: 5.3698 } });
  points.push({ id: 'fiji', at: { lat: -17.8, lng: 179.9 } });
  points.push({ id: 'north', at: { lat: 89.99, lng: 0 } });
  return points;
}

function bruteForce(points: Seeded[], center: LatLng, radiusKm: number) {
  return points
    .map((p) => ({ id: p.id, d: haversineKm(center, p.at) }))
    .filter((p) => p.d <= radiusKm)
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
    .map((p) => p.id);
}

async function expectFieldError(promise: Promise<unknown>, path: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('validation_failed');
  expect((error as AppError).details?.fields?.[0]?.path).toBe(path);
}

describe.each(DIALECTS)('geosearch on %s', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  const points = seedPoints();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    for (const p of points) await upsertGeoPoint(db, kind, { entityType: 'place', entityId: p.id, ...p.at });
    // Same coordinates under another type: must never leak into 'place' results.
    for (const p of points.slice(0, 10))
      await upsertGeoPoint(db, kind, { entityType: 'offer', entityId: `offer-${p.id}`, ...p.at });
  });
  afterAll(async () => database?.destroy());

  it(`returns every point within the radius, nearest first (${kind === 'postgres' ? postgresLabel : kind})`, async () => {
    for (const radiusKm of [0.5, 3, 10, 250]) {
      const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, radiusKm, limit: 500 });
      expect(found.map((f) => f.entityId)).toEqual(bruteForce(points, LILLE, radiusKm));
      for (const f of found) {
        expect(f.distanceKm).toBeLessThanOrEqual(radiusKm);
        expect(f.distanceKm).toBeCloseTo(haversineKm(LILLE, f), 6);
      }
    }
  });

  it('returns coordinates as stored, and distances ascending', async () => {
    const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, radiusKm: 40, limit: 500 });
    expect(found).toHaveLength(36);
    const p05 = points.find((p) => p.id === 'p05')!;
    expect(found.find((f) => f.entityId === 'p05')).toMatchObject({ lat: p05.at.lat, lng: p05.at.lng });
    for (let i = 1; i < found.length; i++) expect(found[i]!.distanceKm).toBeGreaterThanOrEqual(found[i - 1]!.distanceKm);
  });

  it('stops at the limit, keeping the nearest', async () => {
    const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, radiusKm: 40, limit: 5 });
    expect(found.map((f) => f.entityId)).toEqual(bruteForce(points, LILLE, 40).slice(0, 5));
  });

  it('widens the radius until it finds the nearest N', async () => {
    for (const limit of [1, 7, 20, 36]) {
      const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit });
      expect(found.map((f) => f.entityId)).toEqual(bruteForce(points, LILLE, 100).slice(0, limit));
    }
  });

  it('widens up to maxRadiusKm and no further', async () => {
    const capped = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 50, maxRadiusKm: 5 });
    expect(capped.map((f) => f.entityId)).toEqual(bruteForce(points, LILLE, 5));
    const byDefault = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 50 });
    expect(byDefault.map((f) => f.entityId)).not.toContain('paris'); // 204 km > default 100 km
    const wide = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 50, maxRadiusKm: 1000 });
    expect(wide.map((f) => f.entityId)).toEqual(bruteForce(points, LILLE, 1000));
    expect(wide.at(-1)?.entityId).toBe('marseille');
  });

  it('finds points far from any other when widening from a remote place', async () => {
    const found = await findNearby(db, kind, { entityType: 'place', ...PARIS, limit: 1, maxRadiusKm: 500 });
    expect(found).toEqual([{ entityId: 'paris', distanceKm: 0, lat: PARIS.lat, lng: PARIS.lng }]);
  });

  it('restricts the search to the given entity ids', async () => {
    const ids = ['p03', 'p30', 'paris', 'unknown'];
    const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 10, maxRadiusKm: 300, entityIds: ids });
    expect(found.map((f) => f.entityId)).toEqual(['p03', 'p30', 'paris']);
    expect(await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 10, entityIds: [] })).toEqual([]);
  });

  it('restricts to a long list of entity ids (filtered on the map, not looked up one by one)', async () => {
    const ids = [...Array.from({ length: IDS_FIRST_MAX + 50 }, (_, i) => `unknown-${i}`), 'p02', 'p20', 'p35'];
    const found = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 2, entityIds: ids });
    expect(found.map((f) => f.entityId)).toEqual(['p02', 'p20']);
    const all = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 10, radiusKm: 50, entityIds: ids });
    expect(all.map((f) => f.entityId)).toEqual(['p02', 'p20', 'p35']);
  });

  it('keeps entity types apart', async () => {
    const found = await findNearby(db, kind, { entityType: 'offer', ...LILLE, radiusKm: 1000, limit: 100 });
    expect(found).toHaveLength(10);
    expect(found.every((f) => f.entityId.startsWith('offer-'))).toBe(true);
    expect(await findNearby(db, kind, { entityType: 'nothing', ...LILLE, limit: 10 })).toEqual([]);
  });

  it('orders equal distances by entity id', async () => {
    const at = destination(LILLE, 200, 180); // nobody else there
    for (const id of ['tie-c', 'tie-a', 'tie-b']) await upsertGeoPoint(db, kind, { entityType: 'tie', entityId: id, ...at });
    const found = await findNearby(db, kind, { entityType: 'tie', ...LILLE, limit: 3, maxRadiusKm: 300 });
    expect(found.map((f) => f.entityId)).toEqual(['tie-a', 'tie-b', 'tie-c']);
  });

  it('moves a point on upsert and forgets it on remove', async () => {
    await upsertGeoPoint(db, kind, { entityType: 'mobile', entityId: 'm1', ...PARIS });
    expect(await findNearby(db, kind, { entityType: 'mobile', ...LILLE, limit: 5, radiusKm: 10 })).toEqual([]);
    const nearLille = destination(LILLE, 2, 90);
    await upsertGeoPoint(db, kind, { entityType: 'mobile', entityId: 'm1', ...nearLille });
    const moved = await findNearby(db, kind, { entityType: 'mobile', ...LILLE, limit: 5, radiusKm: 10 });
    expect(moved.map((f) => f.entityId)).toEqual(['m1']);
    expect(moved[0]?.distanceKm).toBeCloseTo(2, 6);
    expect(await findNearby(db, kind, { entityType: 'mobile', ...PARIS, limit: 5, radiusKm: 10 })).toEqual([]);
    const rows = await db.selectFrom('geo_point').select('id').where('entity_type', '=', 'mobile').execute();
    expect(rows).toHaveLength(1);

    await removeGeoPoint(db, kind, 'mobile', 'm1');
    expect(await findNearby(db, kind, { entityType: 'mobile', ...LILLE, limit: 5, radiusKm: 10 })).toEqual([]);
    await removeGeoPoint(db, kind, 'mobile', 'm1'); // removing twice is harmless
  });

  it('works inside a transaction and rolls back with it', async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        await upsertGeoPoint(trx, kind, { entityType: 'trx', entityId: 't1', ...LILLE });
        const inside = await findNearby(trx, kind, { entityType: 'trx', ...LILLE, limit: 1 });
        expect(inside.map((f) => f.entityId)).toEqual(['t1']);
        throw new Error('rollback');
      })
      .catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(await findNearby(db, kind, { entityType: 'trx', ...LILLE, limit: 1 })).toEqual([]);
  });

  it('does not crash near the antimeridian or the poles', async () => {
    const fiji = await findNearby(db, kind, { entityType: 'place', lat: -17.8, lng: 180, limit: 3, maxRadiusKm: 50 });
    expect(fiji.map((f) => f.entityId)).toEqual(['fiji']);
    const west = await findNearby(db, kind, { entityType: 'place', lat: -17.8, lng: -180, limit: 3, radiusKm: 50 });
    expect(west).toEqual([]); // no wrap-around: documented limitation
    const pole = await findNearby(db, kind, { entityType: 'place', lat: 90, lng: 0, limit: 3, radiusKm: 10 });
    expect(pole.map((f) => f.entityId)).toEqual(['north']);
    const world = await findNearby(db, kind, { entityType: 'place', ...LILLE, limit: 500, radiusKm: 20_000 });
    expect(world).toHaveLength(points.length);
  });

  it('rejects out-of-range inputs naming the field', async () => {
    const base = { entityType: 'place', ...LILLE, limit: 10 };
    await expectFieldError(findNearby(db, kind, { ...base, lat: 90.5 }), 'lat');
    await expectFieldError(findNearby(db, kind, { ...base, lat: Number.NaN }), 'lat');
    await expectFieldError(findNearby(db, kind, { ...base, lng: -180.01 }), 'lng');
    await expectFieldError(findNearby(db, kind, { ...base, limit: 0 }), 'limit');
    await expectFieldError(findNearby(db, kind, { ...base, limit: 501 }), 'limit');
    await expectFieldError(findNearby(db, kind, { ...base, limit: 2.5 }), 'limit');
    await expectFieldError(findNearby(db, kind, { ...base, radiusKm: 0 }), 'radiusKm');
    await expectFieldError(findNearby(db, kind, { ...base, radiusKm: 20_001 }), 'radiusKm');
    await expectFieldError(findNearby(db, kind, { ...base, maxRadiusKm: -1 }), 'maxRadiusKm');
    await expectFieldError(findNearby(db, kind, { ...base, maxRadiusKm: Infinity }), 'maxRadiusKm');
    await expectFieldError(findNearby(db, kind, { ...base, entityType: '' }), 'entityType');
    await expectFieldError(findNearby(db, kind, { ...base, entityIds: [1] as unknown as string[] }), 'entityIds');
    await expectFieldError(upsertGeoPoint(db, kind, { entityType: 'place', entityId: 'x', lat: 0, lng: 200 }), 'lng');
    await expectFieldError(upsertGeoPoint(db, kind, { entityType: 'place', entityId: '', lat: 0, lng: 0 }), 'entityId');
  });

  it('takes its candidates from the spatial index', async () => {
    const query = nearbyQuery(kind, { entityType: 'place', center: LILLE, radiusKm: 5, limit: 10 }).compile(db);
    if (kind === 'sqlite') {
      const plan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters])
      );
      const details = plan.rows.map((r) => r.detail);
      // The R*Tree (alias r) drives the join through its index with the 4 bbox constraints
      // (e.g. `2:D1B0D3B2`), and each candidate is fetched from geo_point by rowid.
      expect(details[0]).toMatch(/^SCAN r VIRTUAL TABLE INDEX \d+:(?:[A-H]\d){4}$/);
      expect(details[1]).toMatch(/^SEARCH g USING INTEGER PRIMARY KEY/);
      expect(query.sql).toContain('FROM geo_point_rtree AS r');
      // A short id list is looked up through the (entity_type, entity_id) index instead.
      const byIds = nearbyQuery(kind, { entityType: 'place', center: LILLE, radiusKm: 5, limit: 10, entityIds: ['p01', 'p02'] }).compile(db);
      const idsPlan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${byIds.sql}`, [...byIds.parameters])
      );
      expect(idsPlan.rows.map((r) => r.detail).join('\n')).toMatch(/SEARCH g USING INDEX \S+ \(entity_type=\? AND entity_id=\?\)/);
    } else {
      const plan = await db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
        return trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters])
        );
      });
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('geo_point_bbox_idx');
      expect(text).toMatch(/Index Cond: .*lat >=/);
    }
  });
});
