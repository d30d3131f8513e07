import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { LOOKUP_LIMITS } from './pickup.rules.js';
import { insertDonorOrganisation, insertTestHousehold, insertTestOffer, insertTestReservation } from './marketplace.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

const WINDOW = { pickupStartsAt: '2026-11-29T10:00:00.000Z', pickupEndsAt: '2026-11-29T11:00:00.000Z' };

describe.each(DIALECTS)('handover HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let baker: Session;
  let otherBaker: Session;
  let person: Session;
  let orgId: string;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown, ip?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (as) {
      headers.Cookie = as.cookie;
      if (method !== 'GET') headers['X-CSRF-Token'] = as.csrfToken;
    }
    if (ip) headers['X-Forwarded-For'] = ip;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date('2026-11-29T10:15:00.000Z') });
    app = buildApp(services);
    baker = await session();
    otherBaker = await session();
    person = await session();
    await insertTestHousehold(services.db, person.userId, 'Inès');
    orgId = await insertDonorOrganisation(services.db, { members: [baker.userId] });
    await insertDonorOrganisation(services.db, { members: [otherBaker.userId], name: 'Autre' });
  }, 60_000);
  afterAll(async () => database.destroy());

  it('looks up a code, then collects in part', async () => {
    const offerId = await insertTestOffer(services.db, { organisationId: orgId, title: 'Croissants', ...WINDOW });
    await insertTestReservation(services.db, { offerId, userId: person.userId, quantity: 2, code: 'HT7P2M' });
    const res = await call('POST', `/organisations/${orgId}/handover/lookup`, baker, { code: 'ht7 p2m' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { firstName: string; reservations: { reservationId: string; quantity: number; offerTitle: string }[] };
    expect(body.firstName).toBe('Inès');
    expect(body.reservations[0]).toMatchObject({ quantity: 2, offerTitle: 'Croissants' });
    const id = body.reservations[0]!.reservationId;

    expect((await call('POST', `/reservations/${id}/collect`, otherBaker, { quantity: 1 })).status).toBe(404);
    const collected = await call('POST', `/reservations/${id}/collect`, baker, { quantity: 1 });
    expect(collected.status).toBe(200);
    expect(await collected.json()).toMatchObject({ status: 'collected', collectedQuantity: 1 });
    expect((await call('POST', `/reservations/${id}/collect`, baker, { quantity: 1 })).status).toBe(409);

    const today = await call('GET', `/organisations/${orgId}/handover/today`, baker);
    expect(((await today.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('answers 400 naming the field, 401 signed out, 403 for non-members', async () => {
    const bad = await call('POST', `/organisations/${orgId}/handover/lookup`, baker, { code: 'AB0CD3' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields[0]!.path).toBe('code');
    expect((await call('POST', `/organisations/${orgId}/handover/lookup`, undefined, { code: 'ABCDEF' })).status).toBe(401);
    expect((await call('POST', `/organisations/${orgId}/handover/lookup`, otherBaker, { code: 'ABCDEF' })).status).toBe(403);
    const q = await call('POST', `/reservations/nope/collect`, baker, { quantity: 0 });
    expect(q.status).toBe(400);
    expect(((await q.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields[0]!.path).toBe('quantity');
  });

  it('cancels as donor with a reason', async () => {
    const offerId = await insertTestOffer(services.db, { organisationId: orgId, ...WINDOW });
    const id = await insertTestReservation(services.db, { offerId, userId: person.userId, code: 'DC2345' });
    expect((await call('POST', `/reservations/${id}/donor-cancel`, baker, {})).status).toBe(400);
    const res = await call('POST', `/reservations/${id}/donor-cancel`, baker, { reason: 'Four en panne' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'cancelled' });
  });

  it('answers 404 to wrong codes, then 429', async () => {
    services.limiter.clear();
    let last = 0;
    for (let i = 0; i <= LOOKUP_LIMITS.perUser; i++) {
      last = (await call('POST', `/organisations/${orgId}/handover/lookup`, baker, { code: 'ZZZZZZ' })).status;
      if (i < LOOKUP_LIMITS.perUser) expect(last).toBe(404);
    }
    expect(last).toBe(429);
  });

  it('documents every error of its routes in OpenAPI', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const lookup = doc.paths['/v1/organisations/{orgId}/handover/lookup']!.post!.responses;
    expect(Object.keys(lookup)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '429', '500']));
    const collect = doc.paths['/v1/reservations/{id}/collect']!.post!.responses;
    expect(Object.keys(collect)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '500']));
    expect(doc.paths['/v1/reservations/{id}/donor-cancel']!.post!.responses['409']).toBeDefined();
  });
});
