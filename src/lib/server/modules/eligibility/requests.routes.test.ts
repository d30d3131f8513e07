import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { householdInputFor, insertTestScheme, tinyPdf } from './requests.testing.js';

interface Session {
  userId: string;
  email: string;
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { fields?: { path: string }[]; [k: string]: unknown } };
}

describe.each(DIALECTS)('eligibility requests HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let ccas: string;
  let asso: string;
  let student: Session;
  let agent: Session;
  let assoAgent: Session;
  let outsider: Session;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, email: user.email, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (as) {
      headers.Cookie = as.cookie;
      if (method !== 'GET') headers['X-CSRF-Token'] = as.csrfToken;
    }
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: payload }));
  }

  function upload(requestId: string, as: Session, file: Uint8Array, label = 'Justificatif', name = 'scan.pdf') {
    const form = new FormData();
    form.set('file', new Blob([file as Uint8Array<ArrayBuffer>]), name);
    form.set('label', label);
    return call('POST', `/eligibility/requests/${requestId}/documents`, as, form);
  }

  const json = async <T>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'http://glane.test',
      DEMO_DATA: 'false',
      DOCUMENT_MAX_KB: '100'
    });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date('2026-11-29T10:00:00.000Z') });
    app = buildApp(services);
    student = await session();
    agent = await session();
    assoAgent = await session();
    outsider = await session();
    ccas = await insertTestOrganisation(database.db, 'ccas', 'CCAS de Glaneville');
    asso = await insertTestOrganisation(database.db, 'association', 'Épicerie du Pont');
    await insertTestMembership(database.db, ccas, agent.userId);
    await insertTestMembership(database.db, asso, assoAgent.userId);
    await insertTestScheme(database.db, 'anti-gaspi', [ccas, asso]);
    await insertTestScheme(database.db, 'epicerie-sociale', [ccas]);
  });
  afterAll(async () => database?.destroy());

  it('a person declares the household, asks, sends a proof, follows the answer', async () => {
    expect((await call('GET', '/me/household', student)).status).toBe(404);
    expect((await call('GET', '/me/household')).status).toBe(401);
    const bad = await call('PUT', '/me/household', student, householdInputFor({ size: 5 }));
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.details?.fields?.[0]?.path).toBe('size');
    const put = await call('PUT', '/me/household', student, householdInputFor({ firstName: 'Inès' }));
    expect(put.status).toBe(200);
    expect((await json<{ firstName: string }>(await call('GET', '/me/household', student))).firstName).toBe('Inès');

    const options = await json<{ deciders: { organisationId: string; schemes: string[] }[] }>(
      await call('GET', '/eligibility/request-options')
    );
    expect(options.deciders.find((d) => d.organisationId === ccas)?.schemes).toEqual(['anti-gaspi', 'epicerie-sociale']);

    const created = await call('POST', '/eligibility/requests', student, {
      organisationId: ccas,
      schemes: ['anti-gaspi'],
      monthlyResourcesCents: 61_000,
      message: 'Étudiante boursière'
    });
    expect(created.status).toBe(201);
    const request = await json<{ id: string; version: number; status: string }>(created);
    expect(request.status).toBe('submitted');

    const up = await upload(request.id, student, tinyPdf('bourse'), 'Notification de bourse', 'bourse.png');
    expect(up.status).toBe(201);
    const doc = await json<{ id: string; mediaType: string; label: string }>(up);
    expect(doc).toMatchObject({ mediaType: 'application/pdf', label: 'Notification de bourse' });

    // The organisation's agent sees it in the queue and downloads the document.
    const queue = await json<{ items: { id: string }[]; counts: { submitted: number } }>(
      await call('GET', `/organisations/${ccas}/eligibility/requests?status=submitted`, agent)
    );
    expect(queue.items.map((i) => i.id)).toContain(request.id);
    const file = await call('GET', `/eligibility/requests/${request.id}/documents/${doc.id}`, agent);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="notification-de-bourse.pdf"');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(tinyPdf('bourse')))).toBe(true);
    expect((await call('GET', `/eligibility/requests/${request.id}/documents/${doc.id}`, student)).status).toBe(403);
    expect((await call('GET', `/eligibility/requests/${request.id}/documents/${doc.id}`, assoAgent)).status).toBe(404);

    // Another organisation's agent, or anyone else, gets 404.
    expect((await call('GET', `/eligibility/requests/${request.id}`, assoAgent)).status).toBe(404);
    expect((await call('GET', `/eligibility/requests/${request.id}`, outsider)).status).toBe(404);
    expect((await call('GET', `/organisations/${ccas}/eligibility/requests`, assoAgent)).status).toBe(403);

    const decided = await call('POST', `/eligibility/requests/${request.id}/decision`, agent, {
      outcome: 'granted',
      schemes: ['anti-gaspi'],
      validUntil: '2027-05-29',
      version: request.version
    });
    expect(decided.status).toBe(200);
    const after = await json<{ status: string; documents: unknown[]; documentsDeletedCount: number }>(decided);
    expect(after).toMatchObject({ status: 'granted', documents: [], documentsDeletedCount: 1 });
    expect((await call('GET', `/eligibility/requests/${request.id}/documents/${doc.id}`, agent)).status).toBe(404);

    const late = await call('POST', `/eligibility/requests/${request.id}/decision`, agent, {
      outcome: 'refused',
      reason: 'Non',
      version: request.version
    });
    expect(late.status).toBe(409);
    const lateBody = await json<ErrorBody>(late);
    expect(lateBody.error.message).toMatch(/already decided by someone else/);
    expect(lateBody.error.details?.current).toMatchObject({ status: 'granted' });

    const mine = await json<{ requests: { status: string }[]; grants: { scheme: { code: string }; validUntil: string }[] }>(
      await call('GET', '/me/eligibility', student)
    );
    expect(mine.requests[0]?.status).toBe('granted');
    expect(mine.grants).toEqual([expect.objectContaining({ scheme: expect.objectContaining({ code: 'anti-gaspi' }), validUntil: '2027-05-29' })]);
  });

  it('documents: other type 415 naming the accepted types, too large 413 naming the limit, JSON refused', async () => {
    const who = await session();
    await call('PUT', '/me/household', who, householdInputFor());
    const r = await json<{ id: string }>(await call('POST', '/eligibility/requests', who, { organisationId: asso, schemes: ['anti-gaspi'] }));

    const gif = await upload(r.id, who, new TextEncoder().encode('GIF89a'), 'Photo', 'photo.pdf');
    expect(gif.status).toBe(415);
    const gifBody = await json<ErrorBody>(gif);
    expect(gifBody.error.message).toMatch(/PDF, JPEG or PNG/);
    expect(gifBody.error.details?.fields?.[0]?.path).toBe('file');

    const slightlyBig = new Uint8Array(100 * 1024 + 10);
    slightlyBig.set(tinyPdf());
    const big = await upload(r.id, who, slightlyBig);
    expect(big.status).toBe(413);
    expect((await json<ErrorBody>(big)).error.message).toMatch(/100 KB/);
    const huge = await upload(r.id, who, new Uint8Array(400 * 1024));
    expect(huge.status).toBe(413);
    expect((await json<ErrorBody>(huge)).error.message).toMatch(/100 KB/);

    const asJson = await call('POST', `/eligibility/requests/${r.id}/documents`, who, { label: 'x' });
    expect(asJson.status).toBe(415);
    expect((await json<ErrorBody>(asJson)).error.message).toMatch(/multipart\/form-data/);

    const noLabel = new FormData();
    noLabel.set('file', new Blob([tinyPdf() as Uint8Array<ArrayBuffer>]), 'a.pdf');
    const missing = await call('POST', `/eligibility/requests/${r.id}/documents`, who, noLabel);
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).error.details?.fields?.[0]?.path).toBe('label');

    // Someone else's request: 404, as if it did not exist.
    expect((await upload(r.id, outsider, tinyPdf())).status).toBe(404);
    // Multipart anywhere else is still refused.
    const form = new FormData();
    form.set('organisationId', asso);
    const asForm = await app.request('/api/v1/eligibility/requests', {
      method: 'POST',
      headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrfToken, 'Content-Length': '200' },
      body: form
    });
    expect(asForm.status).toBe(415);

    expect((await call('POST', `/eligibility/requests/${r.id}/withdraw`, outsider)).status).toBe(404);
    const withdrawn = await call('POST', `/eligibility/requests/${r.id}/withdraw`, who);
    expect(withdrawn.status).toBe(200);
    expect((await upload(r.id, who, tinyPdf())).status).toBe(409);
  });

  it('decisions: 403 for a scheme the organisation may not decide, 400 for a past date, 409 for the loser of a race', async () => {
    const who = await session();
    await call('PUT', '/me/household', who, householdInputFor());
    const r = await json<{ id: string; version: number }>(
      await call('POST', '/eligibility/requests', who, { organisationId: asso, schemes: ['anti-gaspi'] })
    );
    const notDecider = await call('POST', `/eligibility/requests/${r.id}/decision`, assoAgent, {
      outcome: 'granted',
      schemes: ['epicerie-sociale'],
      version: r.version
    });
    expect(notDecider.status).toBe(403);
    expect((await json<ErrorBody>(notDecider)).error.message).toMatch(/epicerie-sociale/);
    const past = await call('POST', `/eligibility/requests/${r.id}/decision`, assoAgent, {
      outcome: 'granted',
      schemes: ['anti-gaspi'],
      validUntil: '2026-01-01',
      version: r.version
    });
    expect(past.status).toBe(400);
    expect((await json<ErrorBody>(past)).error.details?.fields?.[0]?.path).toBe('validUntil');
    expect(
      (await call('POST', `/eligibility/requests/${r.id}/decision`, who, { outcome: 'refused', reason: 'x', version: 1 })).status
    ).toBe(403);

    const [a, b] = await Promise.all([
      call('POST', `/eligibility/requests/${r.id}/decision`, assoAgent, { outcome: 'granted', schemes: ['anti-gaspi'], version: r.version }),
      call('POST', `/eligibility/requests/${r.id}/decision`, assoAgent, { outcome: 'refused', reason: 'Non', version: r.version })
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('desk requests by an agent of the organisation', async () => {
    const walkIn = await session();
    const res = await call('POST', `/organisations/${ccas}/eligibility/requests`, agent, {
      person: { email: walkIn.email },
      household: householdInputFor({ firstName: 'Mme Guichet' }),
      schemes: ['epicerie-sociale']
    });
    expect(res.status).toBe(201);
    expect(await json<{ isDesk: boolean; person: { userId: string } }>(res)).toMatchObject({
      isDesk: true,
      person: { userId: walkIn.userId }
    });
    const notMember = await call('POST', `/organisations/${ccas}/eligibility/requests`, assoAgent, {
      person: { email: walkIn.email },
      household: householdInputFor(),
      schemes: ['anti-gaspi']
    });
    expect(notMember.status).toBe(403);

    // A new person without phone or email: the accompanied account comes with the request, or not at all.
    const users = async () => Number((await database.db.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await users();
    const refused = await call('POST', `/organisations/${ccas}/eligibility/requests`, agent, {
      person: { new: true },
      household: householdInputFor({ firstName: 'Oksana' }),
      schemes: ['no-such-scheme']
    });
    expect(refused.status).toBe(400);
    expect(await users()).toBe(before);
    const created = await call('POST', `/organisations/${ccas}/eligibility/requests`, agent, {
      person: { new: true },
      household: householdInputFor({ firstName: 'Oksana' }),
      schemes: ['epicerie-sociale']
    });
    expect(created.status).toBe(201);
    expect(await json<{ person: { firstName: string } }>(created)).toMatchObject({ person: { firstName: 'Oksana' } });
    expect(await users()).toBe(before + 1);
    const doc = await json<{ components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(
      await app.request('/api/v1/openapi.json')
    );
    expect(JSON.stringify(doc.components.schemas.EligibilityDeskRequestCreate)).toContain('"new"');
  });

  it('documents every route with its errors in OpenAPI', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      await app.request('/api/v1/openapi.json')
    );
    const expected: [string, string, string[]][] = [
      ['/me/household', 'get', ['401', '404', '500']],
      ['/me/household', 'put', ['400', '401', '500']],
      ['/me/eligibility', 'get', ['401', '500']],
      ['/eligibility/request-options', 'get', ['500']],
      ['/eligibility/requests', 'post', ['400', '401', '409', '500']],
      ['/eligibility/requests/{id}', 'get', ['401', '404', '500']],
      ['/eligibility/requests/{id}/documents', 'post', ['400', '401', '403', '404', '409', '413', '415', '500']],
      ['/eligibility/requests/{id}/documents/{documentId}', 'get', ['401', '403', '404', '500']],
      ['/eligibility/requests/{id}/withdraw', 'post', ['401', '403', '404', '409', '500']],
      ['/eligibility/requests/{id}/decision', 'post', ['400', '401', '403', '404', '409', '500']],
      ['/organisations/{orgId}/eligibility/requests', 'get', ['400', '401', '403', '404', '500']],
      ['/organisations/{orgId}/eligibility/requests', 'post', ['400', '401', '403', '404', '409', '500']]
    ];
    for (const [path, method, statuses] of expected) {
      const op = doc.paths[`/v1${path}`]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op!.responses), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
    }
  });
});
