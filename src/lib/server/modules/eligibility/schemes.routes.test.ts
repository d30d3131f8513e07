import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { DEFAULT_QF_PARTS } from './eligibility.rules.js';
import { SIMULATE_RATE_LIMIT } from './schemes.service.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { schemeInput } from './schemes.testing.js';

/** Where the schemes' territory is (the organisations' commune). */
const GLANEVILLE = { city: 'Glaneville', inseeCode: '59999' };

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; message: string }[]; retryAfter?: number } };
}

interface SchemeBody {
  id: string;
  code: string;
  isActive: boolean;
  maxResteAVivreCents: number | null;
  deciders: { id: string; name: string; kind: string }[];
}

describe.each(DIALECTS)('eligibility schemes HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let admin: Session;
  let ccasManager: Session;
  let assoOwner: Session;
  let ccas: string;
  let asso: string;
  let donor: string;

  async function session(isPlatformAdmin = false): Promise<Session> {
    const user = await createTestUser(services, { isPlatformAdmin });
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const h: Record<string, string> = {};
    if (as) {
      h.Cookie = as.cookie;
      if (method !== 'GET') h['X-CSRF-Token'] = as.csrfToken;
    }
    if (body !== undefined) h['Content-Type'] = 'application/json';
    return Promise.resolve(
      app.request(`/api/v1/eligibility${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    );
  }

  const json = async <T>(res: Response) => (await res.json()) as T;
  const fields = async (res: Response) => (await json<ErrorBody>(res)).error.details?.fields?.map((f) => f.path);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date('2026-11-29T10:00:00.000Z') });
    app = buildApp(services);
    admin = await session(true);
    ccasManager = await session();
    assoOwner = await session();
    ccas = await insertTestOrganisation(services.db, 'ccas', { name: 'CCAS de Glaneville', ...GLANEVILLE });
    asso = await insertTestOrganisation(services.db, 'association', { name: 'Secours populaire', ...GLANEVILLE });
    donor = await insertTestOrganisation(services.db, 'donor', { name: 'Boulangerie', ...GLANEVILLE });
    await insertTestMembership(services.db, ccas, ccasManager.userId, 'manager');
    await insertTestMembership(services.db, asso, assoOwner.userId, 'owner');
  }, 60_000);
  afterAll(async () => database?.destroy());

  it('manages schemes and deciders: 201, 200, 400 naming the field, 401, 403, 404, 409', async () => {
    let res = await call('POST', '/schemes', ccasManager, schemeInput({ code: 'anti-gaspi', name: 'Dons anti-gaspi' }));
    expect(res.status).toBe(201);
    const created = await json<SchemeBody>(res);
    expect(created).toMatchObject({ code: 'anti-gaspi', isActive: true, maxResteAVivreCents: 700, deciders: [] });

    res = await call('POST', '/schemes', admin, schemeInput({ code: 'anti-gaspi' }));
    expect(res.status).toBe(409);
    expect(await fields(res)).toEqual(['code']);
    res = await call('POST', '/schemes', admin, schemeInput({ defaultValidityDays: 90, maxValidityDays: 30 }));
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['defaultValidityDays']);
    res = await call('POST', '/schemes', admin, { ...schemeInput(), colour: 'red' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['colour']);
    res = await call('POST', '/schemes', assoOwner, schemeInput());
    expect(res.status).toBe(403);
    res = await call('POST', '/schemes', undefined, schemeInput());
    expect(res.status).toBe(401);
    // A cookie without the CSRF header is refused.
    res = await app.request('/api/v1/eligibility/schemes', {
      method: 'POST',
      headers: { Cookie: admin.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify(schemeInput())
    });
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error.code).toBe('csrf_failed');

    res = await call('PATCH', `/schemes/${created.id}`, admin, { maxResteAVivreCents: 650 });
    expect(res.status).toBe(200);
    expect((await json<SchemeBody>(res)).maxResteAVivreCents).toBe(650);
    res = await call('PATCH', `/schemes/${created.id}`, admin, { code: 'other' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['code']);
    res = await call('PATCH', '/schemes/unknown', admin, { name: 'x' });
    expect(res.status).toBe(404);
    res = await call('PATCH', `/schemes/${created.id}`, assoOwner, { name: 'x' });
    expect(res.status).toBe(403);

    res = await call('PUT', `/schemes/${created.id}/deciders`, admin, { organisationIds: [ccas, asso] });
    expect(res.status).toBe(200);
    expect((await json<SchemeBody>(res)).deciders.map((d) => d.kind)).toEqual(['ccas', 'association']);
    res = await call('PUT', `/schemes/${created.id}/deciders`, admin, { organisationIds: [donor] });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['organisationIds.0']);
    res = await call('PUT', `/schemes/${created.id}/deciders`, assoOwner, { organisationIds: [asso] });
    expect(res.status).toBe(403);
    res = await call('PUT', `/schemes/${created.id}/deciders`, undefined, { organisationIds: [asso] });
    expect(res.status).toBe(401);
  });

  it('lists schemes publicly with deciders, inactive ones only for managers', async () => {
    const hidden = await json<SchemeBody>(await call('POST', '/schemes', admin, schemeInput({ code: 'cache', isActive: false })));
    let res = await call('GET', '/schemes');
    expect(res.status).toBe(200);
    const items = (await json<{ items: SchemeBody[] }>(res)).items;
    expect(items.map((s) => s.code)).toEqual(['anti-gaspi']);
    expect(items[0]!.deciders.map((d) => d.name)).toEqual(['CCAS de Glaneville', 'Secours populaire']);
    res = await call('GET', '/schemes?includeInactive=true');
    expect(res.status).toBe(401);
    res = await call('GET', '/schemes?includeInactive=true', assoOwner);
    expect(res.status).toBe(403);
    res = await call('GET', '/schemes?includeInactive=true', ccasManager);
    expect((await json<{ items: SchemeBody[] }>(res)).items.map((s) => s.code).sort()).toEqual(['anti-gaspi', 'cache']);
    res = await call('GET', '/schemes?includeInactive=maybe');
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['query.includeInactive']);
    expect((await call('GET', `/schemes/${hidden.id}`)).status).toBe(404);
    expect((await call('GET', `/schemes/${hidden.id}`, admin)).status).toBe(200);
  });

  it('reads and replaces the settings (table of parts) for managers only', async () => {
    expect((await call('GET', '/settings')).status).toBe(401);
    expect((await call('GET', '/settings', assoOwner)).status).toBe(403);
    let res = await call('GET', '/settings', ccasManager);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ qfParts: DEFAULT_QF_PARTS, isDefault: true });
    res = await call('PUT', '/settings', ccasManager, { qfParts: { ...DEFAULT_QF_PARTS, furtherChild: 1.1 } });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['qfParts.furtherChild']);
    res = await call('PUT', '/settings', ccasManager, { qfParts: { ...DEFAULT_QF_PARTS, furtherChild: 1.5 } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ qfParts: { furtherChild: 1.5 }, isDefault: false });
    expect((await call('PUT', '/settings', assoOwner, { qfParts: DEFAULT_QF_PARTS })).status).toBe(403);
  });

  it('lists the organisations that may decide a scheme, as the deciders form does, for managers only', async () => {
    expect((await call('GET', '/decider-candidates')).status).toBe(401);
    // An association owner decides requests but does not manage schemes; a stranger neither.
    expect((await call('GET', '/decider-candidates', assoOwner)).status).toBe(403);
    expect((await call('GET', '/decider-candidates', await session())).status).toBe(403);
    for (const who of [ccasManager, admin]) {
      const res = await call('GET', '/decider-candidates', who);
      expect(res.status).toBe(200);
      const { items } = await json<{ items: { id: string; name: string; kind: string }[] }>(res);
      // CCAS and associations by name; the donor is none.
      expect(items).toEqual([
        { id: ccas, name: 'CCAS de Glaneville', kind: 'ccas' },
        { id: asso, name: 'Secours populaire', kind: 'association' }
      ]);
      expect(items).toEqual(await services.schemes.listDeciderCandidates({ userId: who.userId, isPlatformAdmin: who === admin, requestId: 'test' }));
    }
  });

  it('simulates without an account, with reasons and deciders; 400 names the field; 429 when abused', async () => {
    let res = await call('GET', '/communes');
    expect(res.status).toBe(200);
    expect((await json<{ items: unknown[] }>(res)).items).toEqual([{ insee: '59999', name: 'Glaneville' }]);

    const body = { adults: 1, children: 0, profile: 'etudiant', monthlyResourcesCents: 60_000, monthlyChargesCents: 35_640 };
    res = await call('POST', '/simulate', undefined, body);
    expect(res.status).toBe(200);
    const result = await json<{ resteAVivreCents: number; schemes: { scheme: { code: string }; outcome: string; reasons: unknown[]; deciders: unknown[] }[] }>(res);
    expect(result.resteAVivreCents).toBe(812);
    expect(result.schemes).toEqual([
      expect.objectContaining({
        scheme: expect.objectContaining({ code: 'anti-gaspi' }),
        outcome: 'not_eligible',
        eligible: false,
        reasons: [{ code: 'reste_a_vivre_over', value: 812, max: 650 }],
        deciders: [expect.objectContaining({ name: 'CCAS de Glaneville' }), expect.objectContaining({ name: 'Secours populaire' })]
      })
    ]);

    res = await call('POST', '/simulate', undefined, { ...body, adults: 0 });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['adults']);
    res = await call('POST', '/simulate', undefined, { ...body, monthlyResourcesCents: 600.5 });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['monthlyResourcesCents']);
    res = await call('POST', '/simulate', undefined, { ...body, communeInsee: 'Lille' });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['communeInsee']);

    // Signed in, it works too (with the CSRF header, as every cookie write).
    expect((await call('POST', '/simulate', assoOwner, body)).status).toBe(200);

    services.limiter.clear();
    for (let i = 0; i < SIMULATE_RATE_LIMIT; i++) expect((await call('POST', '/simulate', undefined, body)).status).toBe(200);
    res = await call('POST', '/simulate', undefined, body);
    expect(res.status).toBe(429);
    expect((await json<ErrorBody>(res)).error.details?.retryAfter).toBeGreaterThan(0);
    services.limiter.clear();
  });

  it('documents every route with its errors, 500 included', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      await app.request('/api/v1/openapi.json')
    );
    const expected: [string, string, string[]][] = [
      ['/v1/eligibility/schemes', 'get', ['200', '400', '401', '403', '500']],
      ['/v1/eligibility/schemes', 'post', ['201', '400', '401', '403', '409', '413', '415', '429', '500']],
      ['/v1/eligibility/schemes/{id}', 'get', ['200', '404', '500']],
      ['/v1/eligibility/schemes/{id}', 'patch', ['200', '400', '401', '403', '404', '500']],
      ['/v1/eligibility/schemes/{id}/deciders', 'put', ['200', '400', '401', '403', '404', '500']],
      ['/v1/eligibility/decider-candidates', 'get', ['200', '401', '403', '500']],
      ['/v1/eligibility/settings', 'get', ['200', '401', '403', '500']],
      ['/v1/eligibility/settings', 'put', ['200', '400', '401', '403', '500']],
      ['/v1/eligibility/communes', 'get', ['200', '500']],
      ['/v1/eligibility/simulate', 'post', ['200', '400', '429', '500']]
    ];
    for (const [path, method, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op!.responses), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
    }
  });
});
