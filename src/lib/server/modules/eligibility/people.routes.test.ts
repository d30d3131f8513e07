import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { IDENTIFY_LIMITS } from './people.service.js';
import { insertTestGrant } from './people.testing.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { householdInputFor, insertTestScheme } from './requests.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

describe.each(DIALECTS)('people HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let agent: Session;
  let otherAgent: Session;
  let donor: Session;
  let person: Session;
  let ccasId: string;
  let otherId: string;
  let schemeId: string;

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

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date('2026-11-29T10:00:00.000Z') });
    app = buildApp(services);
    ccasId = await insertTestOrganisation(services.db, 'ccas', 'CCAS de Glaneville');
    otherId = await insertTestOrganisation(services.db, 'association', 'Autre association');
    const donorOrg = await insertTestOrganisation(services.db, 'donor', 'Boulangerie');
    schemeId = await insertTestScheme(services.db, 'anti-gaspi', [ccasId]);
    agent = await session();
    otherAgent = await session();
    donor = await session();
    person = await session();
    await insertTestMembership(services.db, ccasId, agent.userId);
    await insertTestMembership(services.db, otherId, otherAgent.userId);
    await insertTestMembership(services.db, donorOrg, donor.userId);
  });
  afterAll(async () => database?.destroy());
  beforeEach(() => services.limiter.clear());

  async function createPerson(firstName = 'Josiane'): Promise<string> {
    const res = await call('POST', `/organisations/${ccasId}/accompanied`, agent, householdInputFor({ firstName }));
    expect(res.status).toBe(201);
    return ((await res.json()) as { userId: string }).userId;
  }

  it('creates and lists accompanied people; refuses others (403) and names bad fields (400)', async () => {
    const userId = await createPerson('Micheline');
    const list = await call('GET', `/organisations/${ccasId}/accompanied`, agent);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: { userId: string; firstName: string }[]; reminderDays: number };
    expect(body.items.find((p) => p.userId === userId)?.firstName).toBe('Micheline');
    expect((await call('GET', `/organisations/${ccasId}/accompanied`, otherAgent)).status).toBe(403);
    expect((await call('POST', `/organisations/${ccasId}/accompanied`, donor, householdInputFor())).status).toBe(403);
    expect((await call('GET', `/organisations/${ccasId}/accompanied`)).status).toBe(401);
    expect((await call('GET', `/organisations/nope/accompanied`, agent)).status).toBe(404);
    const bad = await call('POST', `/organisations/${ccasId}/accompanied`, agent, householdInputFor({ profile: 'pirate' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields[0]?.path).toBe('profile');
  });

  it('shows the summary to the accompanying organisation and 404 to anyone else, including for unknown ids', async () => {
    const userId = await createPerson();
    const res = await call('GET', `/people/${userId}`, agent);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId, firstName: 'Josiane', permissions: { canIssueCard: true } });
    expect((await call('GET', `/people/${userId}`, otherAgent)).status).toBe(404);
    expect((await call('GET', `/people/${person.userId}`, agent)).status).toBe(404);
    expect((await call('GET', `/people/unknown`, agent)).status).toBe(404);
  });

  it('issues, prints (A6, ID-1), identifies and revokes a card', async () => {
    const userId = await createPerson('Henri');
    await insertTestGrant(services.db, { userId, schemeId, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30' });
    const issued = await call('POST', `/people/${userId}/cards`, agent);
    expect(issued.status).toBe(201);
    const { card, code } = (await issued.json()) as { card: { id: string }; code: string };

    for (const format of ['a6', 'id1']) {
      const pdf = await call('GET', `/cards/${card.id}.pdf?format=${format}`, agent);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('cache-control')).toBe('private, no-store');
      const bytes = new Uint8Array(await pdf.arrayBuffer());
      expect(bytes.byteLength).toBeGreaterThan(1000);
      expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }
    expect((await call('GET', `/cards/${card.id}.pdf`, agent)).status).toBe(200);
    const badFormat = await call('GET', `/cards/${card.id}.pdf?format=a4`, agent);
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields[0]?.path).toBe('query.format');
    expect((await call('GET', `/cards/${card.id}.pdf`, otherAgent)).status).toBe(404);
    expect((await call('GET', `/cards/${card.id}.pdf`)).status).toBe(401);

    const found = await call('POST', '/cards/identify', otherAgent, { code });
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({
      firstName: 'Henri',
      grants: [{ schemeCode: 'anti-gaspi', schemeName: 'Dispositif anti-gaspi', schemeNameEn: 'Scheme anti-gaspi', validUntil: '2027-04-30', organisationName: 'CCAS de Glaneville' }]
    });
    expect(await (await call('POST', '/cards/identify', donor, { code })).json()).toEqual({ firstName: 'Henri', grants: null });
    expect((await call('POST', '/cards/identify', person, { code })).status).toBe(403);
    expect((await call('POST', '/cards/identify', agent, { code: 'IIII-0000' })).status).toBe(400);

    expect((await call('POST', `/cards/${card.id}/revoke`, otherAgent)).status).toBe(404);
    const revoked = await call('POST', `/cards/${card.id}/revoke`, agent);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { isActive: boolean }).isActive).toBe(false);
    expect((await call('POST', `/cards/${card.id}/revoke`, agent)).status).toBe(410);
    expect((await call('GET', `/cards/${card.id}.pdf`, agent)).status).toBe(410);
    expect((await call('POST', '/cards/identify', agent, { code })).status).toBe(404);
  });

  it('answers 429 once identification failures pass the limit', async () => {
    let last = 0;
    for (let i = 0; i <= IDENTIFY_LIMITS.perUser; i++) last = (await call('POST', '/cards/identify', agent, { code: 'ZZZZ-ZZZZ' })).status;
    expect(last).toBe(429);
  });

  it('shows what others see, and 404 to donors', async () => {
    const userId = await createPerson('Gaston');
    await insertTestGrant(services.db, { userId, schemeId, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30' });
    const seen = await call('GET', `/people/${userId}/eligibility`, otherAgent);
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await call('GET', `/people/${userId}/eligibility`, donor)).status).toBe(404);
    expect((await call('GET', `/people/${person.userId}/eligibility`, person)).status).toBe(200);
  });

  it('lets me see who read my file and download my data', async () => {
    await services.audit.record({ at: new Date('2026-11-28T10:00:00Z'), actorUserId: agent.userId, organisationId: ccasId, action: 'person.file.read', subjectType: 'person', subjectId: person.userId });
    const reads = await call('GET', '/me/file-reads', person);
    expect(reads.status).toBe(200);
    expect(((await reads.json()) as { items: { organisationName: string }[] }).items[0]?.organisationName).toBe('CCAS de Glaneville');
    expect((await call('GET', '/me/file-reads?limit=0', person)).status).toBe(400);
    expect((await call('GET', '/me/file-reads')).status).toBe(401);
    const exported = await call('GET', '/me/export', person);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/json');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="glane-donnees-2026-11-29.json"');
    const data = (await exported.json()) as { account: { id: string }; fileReads: unknown[] };
    expect(data.account.id).toBe(person.userId);
    expect(data.fileReads).toHaveLength(1);
  });

  it('erases an accompanied account for the person (accompanying organisation only)', async () => {
    const userId = await createPerson('Lucette');
    expect((await call('GET', `/people/${userId}/export`, agent)).status).toBe(200);
    expect((await call('DELETE', `/people/${userId}`, otherAgent)).status).toBe(404);
    const erased = await call('DELETE', `/people/${userId}`, agent);
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ deleted: true, erased: { household: 1, accompaniment: 1 }, kept: [{ what: 'audit_log' }] });
    expect((await call('GET', `/people/${userId}`, agent)).status).toBe(404);
  });

  it('answers DELETE /account with what was erased and what is kept, and why', async () => {
    const leaving = await session();
    const res = await call('DELETE', '/account', leaving);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { deleted: boolean; kept: { what: string; fr: string; en: string }[]; summary: { fr: string } };
    expect(body.deleted).toBe(true);
    expect(body.kept[0]?.what).toBe('audit_log');
    expect(body.kept[0]?.fr).toContain("journal d'audit");
    expect(body.kept[0]?.en).toContain('accountability');
  });

  it('documents every route with its errors, 500 included', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const routes = [
      ['/v1/organisations/{orgId}/accompanied', 'post', ['400', '401', '403', '404']],
      ['/v1/organisations/{orgId}/accompanied', 'get', ['401', '403', '404']],
      ['/v1/people/{userId}', 'get', ['401', '404']],
      ['/v1/people/{userId}', 'delete', ['401', '404']],
      ['/v1/people/{userId}/export', 'get', ['401', '404']],
      ['/v1/people/{userId}/cards', 'post', ['401', '404']],
      ['/v1/people/{userId}/eligibility', 'get', ['401', '404']],
      ['/v1/cards/{cardId}/revoke', 'post', ['401', '404', '410']],
      ['/v1/cards/{cardId}.pdf', 'get', ['400', '401', '404', '410']],
      ['/v1/cards/identify', 'post', ['400', '401', '403', '404', '429']],
      ['/v1/me/file-reads', 'get', ['400', '401']],
      ['/v1/me/export', 'get', ['401']],
      ['/v1/account', 'delete', ['401']]
    ] as const;
    for (const [path, method, errors] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      for (const status of [...errors, '500']) expect(op?.responses[status], `${method} ${path} ${status}`).toBeDefined();
    }
  });
});
