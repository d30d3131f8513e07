import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { householdInputFor, insertTestScheme } from '../eligibility/requests.testing.js';
import { grantAntiGaspi, insertTestOffer } from './marketplace.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

describe.each(DIALECTS)('feed HTTP on %s', (kind) => {
  let t: TestServices;
  let app: ReturnType<typeof buildApp>;
  let eligible: Session;
  let other: Session;

  async function session(): Promise<Session> {
    const user = await createTestUser(t.services);
    t.services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }
  function call(method: string, path: string, as?: Session, body?: unknown) {
    const h: Record<string, string> = {};
    if (as) {
      h.Cookie = as.cookie;
      if (method !== 'GET') h['X-CSRF-Token'] = as.csrfToken;
    }
    if (body !== undefined) h['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  beforeAll(async () => {
    t = await createTestServices(kind, { PUBLIC_URL: 'http://glane.test' });
    app = buildApp(t.services);
    const ccas = await insertTestOrganisation(t.services.db, 'ccas', 'CCAS');
    const scheme = await insertTestScheme(t.services.db, 'anti-gaspi', [ccas]);
    eligible = await session();
    other = await session();
    await grantAntiGaspi(t.services.db, eligible.userId, scheme, ccas);
    await insertTestOffer(t.services.db, { title: 'Baguettes', lat: 50.63, lng: 3.06 });
  }, 60_000);
  afterAll(async () => t?.destroy());

  it('serves the feed to eligible people, 403 to others, 401 signed out, 400 naming parameters', async () => {
    const ok = await call('GET', '/marketplace/feed?lat=50.63&lng=3.06&radiusKm=2', eligible);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { items: { title: string }[]; total: number; totalCapped: boolean };
    expect(body.items.map((i) => i.title)).toEqual(['Baguettes']);
    expect([body.total, body.totalCapped]).toEqual([1, false]);
    expect((await call('GET', '/marketplace/feed?lat=50.63&lng=3.06', other)).status).toBe(403);
    expect((await call('GET', '/marketplace/feed?lat=50.63&lng=3.06')).status).toBe(401);
    const bad = await call('GET', '/marketplace/feed?lat=50.63&lng=3.06&excludeAllergens=pollen', eligible);
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { details: { fields: { path: string }[] } } };
    expect(err.error.details.fields[0]!.path).toBe('excludeAllergens');
  });

  it('reads and saves feed preferences', async () => {
    expect(((await (await call('GET', '/me/feed-preferences', eligible)).json()) as { isSaved: boolean }).isSaved).toBe(false);
    const put = await call('PUT', '/me/feed-preferences', eligible, {
      lat: 50.63,
      lng: 3.06,
      radiusKm: 2,
      categories: ['pain-viennoiserie'],
      diets: [],
      excludeAllergens: ['lait']
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ isSaved: true, excludeAllergens: ['lait'] });
    const bad = await call('PUT', '/me/feed-preferences', eligible, { lat: 50.63, lng: 3.06, radiusKm: 2, categories: ['caviar'], diets: [], excludeAllergens: [] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('categories');
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(doc.paths['/v1/marketplace/feed']?.get?.responses).toHaveProperty('500');
    expect(doc.paths['/v1/me/feed-preferences']?.put?.responses).toHaveProperty('500');
  });

  it('holds the alert fields of the feed preferences to the alert settings’ rules', async () => {
    const area = { lat: 50.63, lng: 3.06, radiusKm: 2, categories: [], diets: [], excludeAllergens: [] };
    const fieldsOf = async (res: Response) => {
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields.map((f) => f.path);
    };
    expect(await fieldsOf(await call('PUT', '/me/feed-preferences', other, { ...area, dailyCap: 0 }))).toEqual(['dailyCap']);
    expect(await fieldsOf(await call('PUT', '/me/feed-preferences', other, { ...area, dailyCap: 50 }))).toEqual(['dailyCap']);
    expect(await fieldsOf(await call('PUT', '/me/feed-preferences', other, { ...area, quietStart: '22:00' }))).toEqual(['quietEnd']);
    // The territory's default cap before any is chosen, as the alert settings give it.
    const first = (await (await call('GET', '/me/feed-preferences', other)).json()) as { dailyCap: number };
    expect(first.dailyCap).toBe(((await (await call('GET', '/me/alert-settings', other)).json()) as { dailyCap: number }).dailyCap);
    const saved = await call('PUT', '/me/feed-preferences', other, { ...area, quietStart: '22:00', quietEnd: '07:00', dailyCap: 2 });
    expect(await saved.json()).toMatchObject({ quietStart: '22:00', quietEnd: '07:00', dailyCap: 2 });
    // Clearing one end only, the other kept: refused, naming the end missing.
    expect(await fieldsOf(await call('PUT', '/me/feed-preferences', other, { ...area, quietEnd: null }))).toEqual(['quietEnd']);
  });

  it('serves an agent the feed of an accompanied person (404 to others), and partner members the offers addressed to partners (403 to others)', async () => {
    const ccas = await insertTestOrganisation(t.services.db, 'ccas', 'CCAS des agents');
    const association = await insertTestOrganisation(t.services.db, 'association', 'Épicerie');
    const agent = await session();
    await insertTestMembership(t.services.db, ccas, agent.userId);
    await insertTestMembership(t.services.db, association, other.userId);
    const person = await t.services.people.createAccompanied(
      { userId: agent.userId, isPlatformAdmin: false, requestId: 'req' },
      ccas,
      householdInputFor({ firstName: 'Josiane' })
    );
    await insertTestOffer(t.services.db, { title: 'Colis bébé', audience: 'partners', lat: 50.63, lng: 3.06 });

    let res = await call('GET', `/marketplace/people/${person.userId}/feed?lat=50.63&lng=3.06&radiusKm=2`, agent);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ eligible: false, items: [] });
    expect((await call('GET', `/marketplace/people/${person.userId}/feed?lat=50.63&lng=3.06`, other)).status).toBe(404);
    res = await call('GET', `/marketplace/people/${person.userId}/feed?radiusKm=2`, agent);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('"lat"');

    res = await call('GET', `/marketplace/partner-feed?organisationId=${association}&lat=50.63&lng=3.06&radiusKm=2`, other);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(['Colis bébé']);
    expect((await call('GET', `/marketplace/partner-feed?organisationId=${association}&lat=50.63&lng=3.06`, agent)).status).toBe(403);
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(doc.paths['/v1/marketplace/people/{userId}/feed']?.get?.responses).toHaveProperty('404');
    expect(doc.paths['/v1/marketplace/partner-feed']?.get?.responses).toHaveProperty('403');
  });
});
