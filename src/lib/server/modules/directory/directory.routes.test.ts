import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { associationInput } from '../organisations/organisations.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; message: string }[]; duplicates?: { id: string }[] } };
}

describe.each(DIALECTS)('directory HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  const t = Date.parse('2026-11-30T10:00:00.000Z'); // Monday 11:00 in Paris
  let owner: Session;
  let member: Session;
  let outsider: Session;
  let orgId: string;

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
    return Promise.resolve(
      app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    );
  }

  const fields = async (res: Response) => ((await res.json()) as ErrorBody).error.details?.fields?.map((f) => f.path);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date(t) });
    app = buildApp(services);
    owner = await session();
    member = await session();
    outsider = await session();
    const res = await call('POST', '/organisations', owner, associationInput({ name: 'Secours du Quartier' }));
    expect(res.status).toBe(201);
    orgId = ((await res.json()) as { id: string }).id;
    const inv = await call('POST', `/organisations/${orgId}/invitations`, owner, { role: 'member' });
    const { token } = (await inv.json()) as { token: string };
    expect((await call('POST', `/invitations/${token}/accept`, member)).status).toBe(200);
  });
  afterAll(async () => database?.destroy());

  const placeBody = {
    name: 'Épicerie du Quartier',
    addressLine: '3 rue Solférino',
    postalCode: '59000',
    city: 'Lille',
    lat: 50.63,
    lng: 3.06,
    openingHours: 'Mo-Fr 9:00-17:00',
    languages: ['fr', 'ar']
  };

  it('runs the partner journey: create, duplicate, public page, section edits, services, notices, history', async () => {
    let res = await call('POST', '/places', owner, { ...placeBody, organisationId: orgId });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { place: { id: string; slug: string; openingHours: string }; warnings: { field: string }[] };
    expect(created.place.openingHours).toBe('Mo-Fr 09:00-17:00');
    expect(created.warnings.map((w) => w.field)).toContain('openingHours');
    const { id, slug } = created.place;

    res = await call('POST', '/places', owner, { ...placeBody, name: "L'épicerie du quartier", lat: 50.6301, organisationId: orgId });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.details?.duplicates?.map((d) => d.id)).toEqual([id]);

    // Public page, signed out: no permissions, open on Monday 11:00.
    res = await call('GET', `/places/${slug}`);
    expect(res.status).toBe(200);
    let page = (await res.json()) as {
      id: string;
      permissions: unknown;
      opening: { isOpen: boolean; text: { fr: string } };
      organisation: { name: string };
      services: { id: string; categories: string[] }[];
    };
    expect(page).toMatchObject({ id, permissions: null, opening: { isOpen: true }, organisation: { name: 'Secours du Quartier' } });

    // The member sees restricted permissions, edits hours, may not edit identity.
    res = await call('GET', `/places/${id}`, member);
    expect(((await res.json()) as { permissions: { canEditSections: string[] } }).permissions.canEditSections).toEqual(['hours', 'status']);
    res = await call('PATCH', `/places/${id}/hours`, member, { openingHours: 'Mo-Sa 10:00-12:00' });
    expect(res.status).toBe(200);
    res = await call('PATCH', `/places/${id}/identity`, member, { name: 'Pirate' });
    expect(res.status).toBe(403);
    res = await call('PATCH', `/places/${id}/hours`, member, { openingHours: 'quand on peut' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['openingHours']);
    res = await call('PATCH', `/places/${id}/hours`, member, { openingHours: 'Mo 10:00-12:00', colour: 'red' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['colour']);
    res = await call('PATCH', `/places/${id}/hours`, outsider, { openingHours: 'Mo 10:00-12:00' });
    expect(res.status).toBe(403);
    res = await call('PATCH', `/places/${id}/hours`, undefined, { openingHours: 'Mo 10:00-12:00' });
    expect(res.status).toBe(401);

    // Services: vocabulary errors name the list; creation works.
    res = await call('POST', `/places/${id}/services`, owner, { name: 'Colis', description: 'Le mardi', categories: ['caviar'] });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['categories']);
    res = await call('POST', `/places/${id}/services`, owner, {
      name: 'Colis',
      description: 'Le mardi',
      categories: ['colis-alimentaire'],
      publics: ['tous-publics']
    });
    expect(res.status).toBe(201);
    const serviceId = ((await res.json()) as { service: { id: string } }).service.id;
    res = await call('PATCH', `/services/${serviceId}`, owner, { categories: ['colis-alimentaire', 'colis-bebe'] });
    expect(res.status).toBe(200);
    res = await call('PATCH', `/services/${serviceId}`, member, { name: 'Nope' });
    expect(res.status).toBe(403);

    // A closure today: the public page says closed and shows the notice.
    res = await call('POST', `/places/${id}/notices`, member, { kind: 'closure', startsOn: '2026-11-30', endsOn: '2026-12-02' });
    expect(res.status).toBe(201);
    const noticeId = ((await res.json()) as { id: string }).id;
    page = (await (await call('GET', `/places/${slug}`)).json()) as typeof page;
    expect(page.opening.isOpen).toBe(false);
    expect(page.services[0]?.categories).toEqual(['colis-alimentaire', 'colis-bebe']);
    res = await call('GET', `/places/${slug}?at=2026-12-07T10:00:00%2B01:00`);
    expect(((await res.json()) as typeof page).opening.isOpen).toBe(true);
    expect((await call('DELETE', `/notices/${noticeId}`, member)).status).toBe(204);

    // Stops, verification, history.
    res = await call('PUT', `/places/${id}/stops`, owner, { version: 0, stops: [{ name: 'Marché', lat: 50.6, lng: 3.1, openingHours: 'sa 9:00-12:00' }] });
    expect(res.status).toBe(200);
    const stopsBody = (await res.json()) as { items: { name: string; openingHours: string }[]; warnings: { field: string }[] };
    expect(stopsBody.items[0]).toMatchObject({ name: 'Marché', openingHours: 'Sa 09:00-12:00' });
    expect(stopsBody.warnings.map((w) => w.field)).toContain('stops.0.openingHours');
    expect((await call('POST', `/places/${id}/verify`, member)).status).toBe(200);
    res = await call('GET', `/places/${id}/revisions?limit=3`, member);
    expect(res.status).toBe(200);
    const history = (await res.json()) as { items: { action: string; actorName: string | null }[]; nextCursor: string | null };
    expect(history.items.map((r) => r.action)).toEqual(['verify', 'update', 'update']);
    expect(history.items[0]?.actorName).toBeTruthy();
    expect(history.nextCursor).not.toBeNull();
    expect((await call('GET', `/places/${id}/revisions?cursor=${history.nextCursor}`, member)).status).toBe(200);
    expect((await call('GET', `/places/${id}/revisions`, outsider)).status).toBe(403);
    expect((await call('GET', `/places/${id}/revisions?limit=1000`, member)).status).toBe(400);

    // The organisation's public list.
    res = await call('GET', `/places?organisationId=${orgId}`);
    expect(((await res.json()) as { items: { id: string }[] }).items.map((p) => p.id)).toEqual([id]);

    // Deletion: services go too.
    expect((await call('DELETE', `/services/${serviceId}`, member)).status).toBe(403);
    expect((await call('DELETE', `/places/${id}`, member)).status).toBe(403);
    expect((await call('DELETE', `/places/${id}`, owner)).status).toBe(204);
    expect((await call('GET', `/places/${slug}`)).status).toBe(404);
  });

  it('answers 400 naming fields for bad creation input, 404 for unknown places, and documents the routes', async () => {
    let res = await call('POST', '/places', owner, { ...placeBody, organisationId: orgId, lat: 120 });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['lat']);
    res = await call('POST', '/places', owner, { ...placeBody, organisationId: orgId, lng: undefined });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['lng']);
    expect((await call('GET', '/places/nope')).status).toBe(404);
    expect((await call('PATCH', '/places/nope/hours', owner, { openingHours: 'Mo 10:00-12:00' })).status).toBe(404);
    expect((await call('PATCH', '/places/nope/colour', owner, {})).status).toBe(404);

    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.paths['/v1/places']?.post?.responses).toHaveProperty('409');
    expect(doc.paths['/v1/places/{id}/hours']?.patch?.responses).toHaveProperty('403');
    expect(doc.paths['/v1/places/{idOrSlug}']?.get?.responses).toHaveProperty('404');
    expect(doc.paths['/v1/places/{id}/stops']?.put?.responses).toHaveProperty('409');
    for (const path of ['/v1/services/{id}', '/v1/notices/{id}', '/v1/places/{id}/stops', '/v1/places/{id}/revisions']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('service languages and stop dates: 400 naming the field; two editors of the stop list: the second gets 409 with the current list', async () => {
    let res = await call('POST', '/places', owner, { ...placeBody, name: 'Camion solidaire', lat: 50.7, lng: 3.2, organisationId: orgId, isMobile: true });
    expect(res.status).toBe(201);
    const { id, slug } = ((await res.json()) as { place: { id: string; slug: string } }).place;

    res = await call('POST', `/places/${id}/services`, owner, { name: 'Accueil', description: 'En ukrainien', languages: ['uk', 'xx'] });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['languages']);
    res = await call('POST', `/places/${id}/services`, owner, { name: 'Accueil', description: 'En ukrainien', languages: ['uk'] });
    expect(res.status).toBe(201);
    const serviceId = ((await res.json()) as { service: { id: string; languages: string[] } }).service.id;
    res = await call('PATCH', `/services/${serviceId}`, owner, { languages: 'uk' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['languages']);

    // Both editors read the page: version 0.
    const read = (await (await call('GET', `/places/${id}`, owner)).json()) as { stopsVersion: number; services: { languages: string[] }[] };
    expect(read.stopsVersion).toBe(0);
    expect(read.services[0]?.languages).toEqual(['uk']);

    res = await call('PUT', `/places/${id}/stops`, owner, { version: 0, stops: [{ name: 'Plage', validFrom: '2027-07-01', validTo: '2027-06-30' }] });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['stops.0.validTo']);
    res = await call('PUT', `/places/${id}/stops`, owner, { stops: [] });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['version']);

    res = await call('PUT', `/places/${id}/stops`, owner, { version: 0, stops: [{ name: 'Plage', validFrom: '2027-07-01', validTo: '2027-08-31' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 1, items: [{ name: 'Plage', validFrom: '2027-07-01', validTo: '2027-08-31' }] });

    res = await call('PUT', `/places/${id}/stops`, owner, { version: 0, stops: [{ name: 'Gare' }] });
    expect(res.status).toBe(409);
    const conflict = (await res.json()) as { error: { code: string; details: { current: { version: number; stops: { name: string }[] } } } };
    expect(conflict.error.code).toBe('conflict');
    expect(conflict.error.details.current.version).toBe(1);
    expect(conflict.error.details.current.stops.map((s) => s.name)).toEqual(['Plage']);

    // The public page shows the upcoming stop with its dates.
    const page = (await (await call('GET', `/places/${slug}`)).json()) as { stops: { name: string; period: string; validFrom: string }[] };
    expect(page.stops).toMatchObject([{ name: 'Plage', period: 'upcoming', validFrom: '2027-07-01' }]);
  });
});
