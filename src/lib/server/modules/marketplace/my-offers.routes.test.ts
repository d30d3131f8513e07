import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { putSetting } from '../eligibility/schemes.repository.js';
import { breadOffer } from './marketplace.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}
const NOW = new Date('2026-11-29T16:00:00.000Z');

describe.each(DIALECTS)("a private person's own offers over HTTP on %s", (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let alice: Session;
  let bob: Session;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }
  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = as ? { Cookie: as.cookie, ...(method === 'GET' ? {} : { 'X-CSRF-Token': as.csrfToken }) } : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }
  const allowIndividuals = (allowed: boolean) =>
    putSetting(services.db, {
      key: 'marketplace.settings',
      value: JSON.stringify({ individualsMayPost: allowed }),
      updatedByUserId: null,
      updatedAt: NOW.toISOString()
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => NOW });
    app = buildApp(services);
    alice = await session();
    bob = await session();
  });
  afterAll(async () => database?.destroy());

  it('answers 403 while the territory keeps private people out, 401 signed out', async () => {
    expect((await call('GET', '/me/offers')).status).toBe(401);
    const res = await call('GET', '/me/offers', alice);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { details?: { reason?: string } } }).error.details?.reason).toBe('individuals_may_not_post');
  });

  it('lists only my own offers once allowed; another person may not cancel them; I may', async () => {
    await allowIndividuals(true);
    const pickup = { addressLine: '12 rue des Lilas', postalCode: '59650', city: "Villeneuve-d'Ascq", lat: 50.62, lng: 3.14 };
    let res = await call('POST', '/offers', alice, breadOffer(null, NOW, { pickup, title: 'Confitures maison', category: 'epicerie-seche' }));
    expect(res.status).toBe(201);
    const mine = (await res.json()) as { id: string; organisationId: string | null };
    expect(mine.organisationId).toBeNull();
    // Raw animal products stay refused from private people.
    res = await call('POST', '/offers', bob, breadOffer(null, NOW, { pickup, isRawAnimalProduct: true }));
    expect(res.status).toBe(400);
    expect((await call('POST', '/offers', bob, breadOffer(null, NOW, { pickup }))).status).toBe(201);

    res = await call('GET', '/me/offers', alice);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { id: string }[] }).items.map((o) => o.id)).toEqual([mine.id]);
    expect((await call('POST', `/offers/${mine.id}/cancel`, bob, { reason: 'Pas à moi' })).status).toBe(403);
    res = await call('POST', `/offers/${mine.id}/cancel`, alice, { reason: 'Plus disponible' });
    expect(res.status).toBe(200);
    const items = ((await (await call('GET', '/me/offers', alice)).json()) as { items: { id: string; status: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ id: mine.id, status: 'cancelled' })]);
    await allowIndividuals(false);
  });
});
