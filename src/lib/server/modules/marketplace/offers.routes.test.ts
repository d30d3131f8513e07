import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { breadOffer, insertDonorOrganisation } from './marketplace.testing.js';
import { insertTestMembership } from '../organisations/organisations.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}
const NOW = new Date('2026-11-29T16:00:00.000Z');

describe.each(DIALECTS)('offers HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let baker: Session;
  let other: Session;
  let bakery: string;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (as) {
      headers.Cookie = as.cookie;
      if (method !== 'GET') headers['X-CSRF-Token'] = as.csrfToken;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => NOW });
    app = buildApp(services);
    bakery = await insertDonorOrganisation(services.db);
    baker = await session();
    other = await session();
    await insertTestMembership(services.db, bakery, baker.userId);
  });
  afterAll(async () => database?.destroy());

  it('posts, reads, edits, lists and cancels an offer', async () => {
    const posted = await call('POST', '/offers', baker, breadOffer(bakery, NOW));
    expect(posted.status).toBe(201);
    const offer = (await posted.json()) as { id: string; version: number };
    const read = await call('GET', `/offers/${offer.id}`, baker);
    expect(read.status).toBe(200);
    const detail = (await read.json()) as { reservations: unknown[]; offer: { partnerAcceptsShorter: boolean; isRawAnimalProduct: boolean } };
    expect(detail.reservations).toEqual([]);
    expect(detail.offer).toMatchObject({ partnerAcceptsShorter: false, isRawAnimalProduct: false });
    const patched = await call('PATCH', `/offers/${offer.id}`, baker, { quantity: 6, version: offer.version });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { quantity: number }).quantity).toBe(6);
    const declared = await call('PATCH', `/offers/${offer.id}`, baker, { isRawAnimalProduct: true });
    expect(declared.status).toBe(200);
    expect(((await declared.json()) as { isRawAnimalProduct: boolean }).isRawAnimalProduct).toBe(true);
    const list = await call('GET', `/organisations/${bakery}/offers?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z`, baker);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((o) => o.id)).toContain(offer.id);
    const badRange = await call('GET', `/organisations/${bakery}/offers?from=hier`, baker);
    expect(badRange.status).toBe(400);
    expect(((await badRange.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields[0]!.path).toBe('query.from');
    const cancelled = await call('POST', `/offers/${offer.id}/cancel`, baker, { reason: 'Plus de pain' });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
  });

  it('answers 400 naming the field and the rule', async () => {
    const res = await call('POST', '/offers', baker, breadOffer(bakery, NOW, { dateKind: 'dlc', dateOn: '2026-11-20', allergens: ['kiwi'] }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { fields: { path: string; code: string }[] } } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'dateOn', code: 'dlc_before_window_end' }),
        expect.objectContaining({ path: 'allergens', code: 'unknown_allergen' })
      ])
    );
    const past = await call('POST', '/offers', baker, breadOffer(bakery, new Date('2026-11-28T10:00:00Z')));
    expect(((await past.json()) as { error: { details: { fields: { code: string }[] } } }).error.details.fields[0]?.code).toBe('window_in_past');
    const missing = await call('POST', '/offers', baker, { organisationId: bakery });
    expect(missing.status).toBe(400);
  });

  it('answers 401 signed out, 403 for non-members, 404 for unknown offers and organisations', async () => {
    expect((await call('POST', '/offers', undefined, breadOffer(bakery, NOW))).status).toBe(401);
    expect((await call('POST', '/offers', other, breadOffer(bakery, NOW))).status).toBe(403);
    expect((await call('POST', '/offers', baker, breadOffer('nope', NOW))).status).toBe(404);
    expect((await call('GET', '/offers/nope', baker)).status).toBe(404);
    expect((await call('GET', `/organisations/${bakery}/offers`, other)).status).toBe(403);
    expect((await call('GET', '/organisations/nope/offers', baker)).status).toBe(404);
  });

  it('creates, reads, changes and stops a recurring offer', async () => {
    const template = { title: 'Pain du soir', category: 'pain-viennoiserie', quantity: 5, allergens: ['gluten'] };
    const created = await call('POST', '/offer-series', baker, { organisationId: bakery, weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '19:00', endTime: '20:00', template });
    expect(created.status).toBe(201);
    const series = (await created.json()) as { id: string; occurrences: { occurrenceOn: string }[] };
    expect(series.occurrences.map((o) => o.occurrenceOn)).toHaveLength(7);
    expect((await call('GET', `/offer-series/${series.id}`, baker)).status).toBe(200);
    expect((await call('GET', `/offer-series/${series.id}`, other)).status).toBe(403);
    const patched = await call('PATCH', `/offer-series/${series.id}`, baker, { weekdays: [1] });
    expect(((await patched.json()) as { weekdays: number[] }).weekdays).toEqual([1]);
    const bad = await call('POST', '/offer-series', baker, { organisationId: bakery, weekdays: [9], startTime: '7h', endTime: '20:00', template });
    expect(bad.status).toBe(400);
    expect((await call('POST', `/offer-series/${series.id}/stop`, baker)).status).toBe(200);
    expect((await call('POST', `/offer-series/${series.id}/stop`, baker)).status).toBe(409);
  });

  it('gives the impact and the CSV export to members', async () => {
    const impact = await call('GET', `/organisations/${bakery}/impact`, baker);
    expect(impact.status).toBe(200);
    expect(((await impact.json()) as { factors: { mealGrams: number } }).factors.mealGrams).toBe(500);
    const csv = await call('GET', `/organisations/${bakery}/offers.csv?from=2026-01-01`, baker);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain('pickup_starts_at');
    expect((await call('GET', `/organisations/${bakery}/offers.csv`, other)).status).toBe(403);
    expect((await call('GET', `/organisations/${bakery}/impact?from=nope`, baker)).status).toBe(400);
  });

  it('documents every route with its errors, 500 included', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const [path, methods] of [
      ['/v1/offers', ['post']],
      ['/v1/offers/{id}', ['get', 'patch']],
      ['/v1/offers/{id}/cancel', ['post']],
      ['/v1/organisations/{orgId}/offers', ['get']],
      ['/v1/organisations/{orgId}/impact', ['get']],
      ['/v1/organisations/{orgId}/offers.csv', ['get']],
      ['/v1/offer-series', ['post']],
      ['/v1/offer-series/{id}', ['get', 'patch']],
      ['/v1/offer-series/{id}/stop', ['post']]
    ] as const) {
      for (const m of methods) {
        expect(doc.paths[path]?.[m]?.responses, `${m} ${path}`).toHaveProperty('500');
        expect(doc.paths[path]?.[m]?.responses).toHaveProperty('400');
      }
    }
  });
});
