import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { insertTestOrganisation } from '../organisations/organisations.testing.js';
import { insertTestPlace } from './freshness.testing.js';

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string }[] } };
}

describe.each(DIALECTS)('freshness HTTP on %s', (kind) => {
  let t: TestServices;
  let app: ReturnType<typeof buildApp>;
  let admin: { cookie: string; csrfToken: string };
  let plain: { cookie: string; csrfToken: string };
  let orgA: string;
  let placeA: string;
  let placeB: string;
  let token = '';

  function call(method: string, path: string, as?: { cookie: string; csrfToken: string }, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (as) {
      headers.Cookie = as.cookie;
      if (method !== 'GET') headers['X-CSRF-Token'] = as.csrfToken;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  beforeAll(async () => {
    t = await createTestServices(kind, { PUBLIC_URL: 'http://glane.test', DEV_MAILBOX: 'true' });
    app = buildApp(t.services);
    const a = await createTestUser(t.services, { isPlatformAdmin: true });
    admin = await signInForTest(app, a.email, a.password);
    const p = await createTestUser(t.services);
    plain = await signInForTest(app, p.email, p.password);
    t.services.limiter.clear();
    orgA = await insertTestOrganisation(t.services.db, 'association', { name: 'Épicerie A', email: 'contact@a.test' });
    const orgB = await insertTestOrganisation(t.services.db, 'association', { name: 'Restos B', email: 'b@b.test' });
    placeA = await insertTestPlace(t.services.db, orgA, 'Lieu A');
    placeB = await insertTestPlace(t.services.db, orgB, 'Lieu B');
  });
  afterAll(async () => t?.destroy());

  it('starts a campaign (admin only) and reports its counts', async () => {
    expect((await call('POST', '/directory/campaigns', undefined, { campaign: '2026-automne' })).status).toBe(401);
    const denied = await call('POST', '/directory/campaigns', plain, { campaign: '2026-automne' });
    expect(denied.status, await denied.clone().text()).toBe(403);
    const bad = await call('POST', '/directory/campaigns', admin, { campaign: '2026-automne', extra: 1 });
    expect(bad.status).toBe(400);
    let res = await call('POST', '/directory/campaigns', admin, { campaign: '2026-automne', organisationIds: [orgA] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { counts: { sent: number } }).counts.sent).toBe(1);
    const mail = (await t.services.notify.listCaptured()).find((m) => m.recipient === 'contact@a.test')!;
    token = /mise-a-jour\/([A-Za-z0-9_-]{43})/.exec(mail.body)![1]!;
    res = await call('POST', '/directory/campaigns', admin, { campaign: '2026-automne', organisationIds: [orgA] });
    expect(((await res.json()) as { counts: { sent: number; alreadySent: number } }).counts).toMatchObject({ sent: 0, alreadySent: 1 });
    res = await call('GET', '/directory/campaigns/2026-automne', admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ links: 1, used: 0 });
    expect((await call('GET', '/directory/campaigns/nope', admin)).status).toBe(404);
    res = await call('GET', '/directory/campaigns', admin);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ campaign: '2026-automne', sent: 1, used: 0, pending: 1, placesConfirmed: 0 })
    ]);
    expect((await call('GET', '/directory/campaigns', plain)).status).toBe(403);
    expect((await call('GET', '/directory/campaigns')).status).toBe(401);
    res = await call('POST', '/directory/campaigns', admin, { campaign: '2026-relance', onlyStale: true, organisationIds: [orgA] });
    expect(((await res.json()) as { counts: { organisations: number } }).counts.organisations).toBe(1);
  });

  it('serves the link without session: preview, verify, hours; cross-organisation 404, bad hours 400', async () => {
    let res = await call('GET', `/freshness/${token}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { places: { id: string }[] }).places.map((p) => p.id)).toEqual([placeA]);
    res = await call('POST', `/freshness/${token}/places/${placeA}/verify`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: placeA, isStale: false });
    // a browser sending its own Origin and no cookie is fine
    res = await app.request(`/api/v1/freshness/${token}/places/${placeA}/verify`, { method: 'POST', headers: { Origin: 'http://glane.test' } });
    expect(res.status).toBe(200);
    expect((await call('POST', `/freshness/${token}/places/${placeB}/verify`)).status).toBe(404);
    res = await call('PATCH', `/freshness/${token}/places/${placeA}/hours`, undefined, { openingHours: 'n importe quoi' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.fields?.map((f) => f.path)).toContain('openingHours');
    res = await call('PATCH', `/freshness/${token}/places/${placeA}/hours`, undefined, { openingHours: 'Mo-Sa 10:00-12:00', saturation: 'low' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { place: { openingHours: string } }).place.openingHours).toBe('Mo-Sa 10:00-12:00');
    expect((await call('GET', `/freshness/${'x'.repeat(43)}`)).status).toBe(404);
    expect(await (await call('GET', '/directory/campaigns/2026-automne', admin)).json()).toMatchObject({ used: 1, placesVerified: 1 });
  });

  it('answers 410 once the link expired, and the OpenAPI document lists the routes', async () => {
    t.clock.advance(31 * 24 * 60 * 60 * 1000);
    const res = await call('GET', `/freshness/${token}`);
    expect(res.status).toBe(410);
    expect(((await res.json()) as ErrorBody).error.code).toBe('gone');
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/directory/campaigns',
        '/v1/directory/campaigns/{campaign}',
        '/v1/freshness/{token}',
        '/v1/freshness/{token}/places/{placeId}/verify',
        '/v1/freshness/{token}/places/{placeId}/hours'
      ])
    );
  });
});
