import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The app first: it loads @hono/zod-openapi, which must extend zod before any schema is built.
import { buildApp } from '../../app.js';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { LILLE, seedSearchDirectory, type SearchFixture } from './search.testing.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { fields?: { path: string }[] } };
}

describe.each(DIALECTS)('GET /api/v1/directory/search on %s', (kind) => {
  let t: TestServices;
  let fx: SearchFixture;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    t = await createTestServices(kind);
    fx = await seedSearchDirectory(t.services.db, kind);
    app = buildApp(t.services);
    t.clock.set('2026-12-01T10:00:00.000Z'); // Tuesday 11:00 in Paris
  }, 60_000);

  afterAll(async () => {
    await t.destroy();
  });

  const get = (query: string) => Promise.resolve(app.request(`/api/v1/directory/search?${query}`));

  it('answers a search without an account, nearest first, with repeated and comma list values', async () => {
    const res = await get(
      `lat=${LILLE.lat}&lng=${LILLE.lng}&radiusKm=20&categories=frigo-solidaire&categories=colis-alimentaire,colis-bebe&openNow=true&pageSize=2`
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: { place: { id: string; organisation: { name: string } }; openNow: boolean; distanceKm: number; services: unknown[] }[];
      total: number;
      page: number;
      pageSize: number;
      center: unknown;
      radiusKm: number;
    };
    // Widened 1 → 8 km, where A and C fill the page (D, 11 km away, is within 20 km but not needed).
    expect(body).toMatchObject({ page: 1, pageSize: 2, total: 2, center: LILLE, radiusKm: 8 });
    expect(body.results.map((r) => r.place.id)).toEqual([fx.ids.A, fx.ids.C]);
    expect(body.results[0]).toMatchObject({ openNow: true, place: { organisation: { name: 'Association Les Restos du Cœur du Nord' } } });
    expect(body.results[0]?.services).toHaveLength(1);
  });

  it('finds "Restos du Cœur" from "restos" with accents and synonyms', async () => {
    const res = await get(`q=${encodeURIComponent('Restaurants du coeur')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { place: { name: string } }[] };
    expect(body.results.map((r) => r.place.name)).toEqual(['Restos du Cœur – Lille Centre']);
  });

  it.each([
    ['lat=50.6', 'query.lng'],
    ['lng=3.0', 'query.lat'],
    ['lat=50.6&lng=3&radiusKm=150', 'query.radiusKm'],
    ['lat=95&lng=3', 'query.lat'],
    ['categories=caviar', 'query.categories'],
    ['publics=martiens', 'query.publics'],
    ['pageSize=100', 'query.pageSize'],
    ['page=0', 'query.page'],
    ['openAt=garbage', 'query.openAt'],
    ['openNow=true&openAt=2026-12-01T10:00:00Z', 'query.openAt'],
    ['commune=Lille', 'query.commune'],
    ['sort=name', 'query.sort']
  ])('?%s → 400 naming %s', async (query, field) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details?.fields?.map((f) => f.path)).toContain(field);
  });

  it('is described in the OpenAPI document with its 400', async () => {
    const res = await Promise.resolve(app.request('/api/v1/openapi.json'));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> } }>;
    };
    const op = doc.paths['/v1/directory/search']?.get;
    expect(op).toBeDefined();
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
    const params = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['lat', 'lng', 'radiusKm', 'commune', 'q', 'categories', 'openNow', 'openAt', 'page', 'pageSize']));
  });
});
