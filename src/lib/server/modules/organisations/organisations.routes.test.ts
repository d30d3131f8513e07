import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { associationInput } from './organisations.testing.js';

const START = Date.parse('2026-11-29T10:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

describe.each(DIALECTS)('organisations HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let t = START;
  let owner: Session;
  let member: Session;
  let outsider: Session;
  let admin: Session;
  let orgId: string;

  async function session(overrides: { isPlatformAdmin?: boolean } = {}): Promise<Session> {
    const user = await createTestUser(services, overrides);
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
    services = createServices(config, database, createLogger('silent'), { now: () => new Date(t) });
    app = buildApp(services);
    owner = await session();
    member = await session();
    outsider = await session();
    admin = await session({ isPlatformAdmin: true });
    const res = await call('POST', '/organisations', owner, associationInput({ name: 'Secours du Quartier' }));
    expect(res.status).toBe(201);
    orgId = ((await res.json()) as { id: string }).id;
    const inv = await call('POST', `/organisations/${orgId}/invitations`, owner, { role: 'member' });
    const { token } = (await inv.json()) as { token: string };
    expect((await call('POST', `/invitations/${token}/accept`, member)).status).toBe(200);
  });
  afterAll(async () => database?.destroy());
  beforeEach(() => {
    t = START;
  });

  it('creates an organisation for a signed-in caller, who becomes owner', async () => {
    const res = await call('POST', '/organisations', owner, { name: 'Le Frigo Partagé', kind: 'donor', donorKind: 'cantine' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ slug: 'le-frigo-partage', kind: 'donor', donorKind: 'cantine', myRole: 'owner' });
    expect(body.permissions).toMatchObject({ canUpdate: true, canDelete: true, canInvite: true, canInviteOwner: true });
  });

  it('answers 401 when signed out and 403 without the CSRF token', async () => {
    expect((await call('POST', '/organisations', undefined, { name: 'Anonyme', kind: 'ccas' })).status).toBe(401);
    const res = await app.request('/api/v1/organisations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: owner.cookie },
      body: JSON.stringify({ name: 'Sans jeton', kind: 'ccas' })
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('csrf_failed');
  });

  it('answers 400 naming siret for a bad SIRET, and donorKind for a donor without one', async () => {
    const res = await call('POST', '/organisations', owner, associationInput({ siret: '123 456 789 01234' }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['siret']);
    const donor = await call('POST', '/organisations', owner, { name: 'Boulangerie', kind: 'donor' });
    expect((await donor.json()).error.details.fields[0].path).toBe('donorKind');
  });

  it('answers 403 when a non-admin creates the platform organisation', async () => {
    const res = await call('POST', '/organisations', owner, { name: 'Glane', kind: 'platform' });
    expect(res.status).toBe(403);
  });

  it('answers 404 for an unknown organisation', async () => {
    const res = await call('GET', '/organisations/does-not-exist', owner);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect((await call('PATCH', '/organisations/does-not-exist', owner, { name: 'Nouveau' })).status).toBe(404);
  });

  it('shows public fields to anyone, with permissions for the caller', async () => {
    const anonymous = await (await call('GET', `/organisations/${orgId}`)).json();
    expect(anonymous.name).toBe('Secours du Quartier');
    expect(anonymous.myRole).toBeNull();
    expect(anonymous.permissions.canUpdate).toBe(false);
    const asMember = await (await call('GET', `/organisations/${orgId}`, member)).json();
    expect(asMember.myRole).toBe('member');
    expect(asMember.permissions).toMatchObject({ canListMembers: true, canInvite: false, canLeave: true });
  });

  it('lists my organisations', async () => {
    const res = await call('GET', '/organisations/mine', member);
    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((o: { id: string }) => o.id)).toEqual([orgId]);
    expect((await call('GET', '/organisations/mine')).status).toBe(401);
  });

  it('answers 403 to a member trying to invite, or to update', async () => {
    const res = await call('POST', `/organisations/${orgId}/invitations`, member, { email: 'x@example.org' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect((await call('PATCH', `/organisations/${orgId}`, member, { name: 'Pris' })).status).toBe(403);
    expect((await call('GET', `/organisations/${orgId}/members`, outsider)).status).toBe(403);
  });

  it('runs the invitation flow: create, preview, accept, then 410; emails the link', async () => {
    const created = await call('POST', `/organisations/${orgId}/invitations`, owner, { email: 'Newcomer@Example.org', role: 'manager' });
    expect(created.status).toBe(201);
    const { token, link, emailSent, invitation } = await created.json();
    expect(link).toBe(`http://glane.test/invitations/${token}`);
    expect(emailSent).toBe(true);
    const mail = (await services.notify.listCaptured({ limit: 50 })).find((m) => m.recipient === 'newcomer@example.org');
    expect(mail?.body).toContain(link);

    const pending = await (await call('GET', `/organisations/${orgId}/invitations`, owner)).json();
    expect(pending.items.map((i: { id: string }) => i.id)).toContain(invitation.id);
    expect(JSON.stringify(pending)).not.toContain(token);

    const preview = await call('GET', `/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ organisation: { id: orgId, name: 'Secours du Quartier' }, role: 'manager', status: 'pending' });

    expect((await call('POST', `/invitations/${token}/accept`)).status).toBe(401);
    const newcomer = await session();
    const accepted = await call('POST', `/invitations/${token}/accept`, newcomer);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ id: orgId, myRole: 'manager' });
    const again = await call('POST', `/invitations/${token}/accept`, outsider);
    expect(again.status).toBe(410);
    expect((await again.json()).error.code).toBe('gone');

    const members = await (await call('GET', `/organisations/${orgId}/members`, member)).json();
    expect(members.items.find((m: { userId: string }) => m.userId === newcomer.userId)?.role).toBe('manager');
    expect((await call('GET', '/invitations/unknown-token')).status).toBe(404);
  });

  it('answers 410 to an expired invitation and 409 to someone already a member', async () => {
    const { token } = await (await call('POST', `/organisations/${orgId}/invitations`, owner, {})).json();
    expect((await call('POST', `/invitations/${token}/accept`, member)).status).toBe(409);
    t = START + 8 * DAY;
    // Sessions may rotate with time: sign in again at the new time.
    const late = await session();
    expect((await (await call('GET', `/invitations/${token}`)).json()).status).toBe('expired');
    expect((await call('POST', `/invitations/${token}/accept`, late)).status).toBe(410);
  });

  it('revokes an invitation', async () => {
    const { token, invitation } = await (await call('POST', `/organisations/${orgId}/invitations`, owner, {})).json();
    expect((await call('DELETE', `/organisations/${orgId}/invitations/${invitation.id}`, owner)).status).toBe(204);
    expect((await call('POST', `/invitations/${token}/accept`, outsider)).status).toBe(410);
    expect((await call('DELETE', `/organisations/${orgId}/invitations/${invitation.id}`, owner)).status).toBe(410);
  });

  it('changes roles, keeps the last owner (409), removes and lets leave', async () => {
    const demote = await call('PATCH', `/organisations/${orgId}/members/${owner.userId}`, owner, { role: 'member' });
    expect(demote.status).toBe(409);
    expect((await call('DELETE', `/organisations/${orgId}/members/${owner.userId}`, owner)).status).toBe(409);
    const bad = await call('PATCH', `/organisations/${orgId}/members/${member.userId}`, owner, { role: 'chief' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields[0].path).toBe('role');
    const promoted = await call('PATCH', `/organisations/${orgId}/members/${member.userId}`, owner, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect((await promoted.json()).role).toBe('manager');

    const leaver = await session();
    const { token } = await (await call('POST', `/organisations/${orgId}/invitations`, owner, {})).json();
    await call('POST', `/invitations/${token}/accept`, leaver);
    expect((await call('DELETE', `/organisations/${orgId}/members/${leaver.userId}`, leaver)).status).toBe(204);
    expect((await call('DELETE', `/organisations/${orgId}/members/${leaver.userId}`, owner)).status).toBe(404);
  });

  it('updates with PATCH and refuses unknown fields naming them', async () => {
    const res = await call('PATCH', `/organisations/${orgId}`, owner, { phone: '03 20 11 22 33', network: 'secours-populaire' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ phone: '0320112233', network: 'secours-populaire' });
    const unknown = await call('PATCH', `/organisations/${orgId}`, owner, { slug: 'mine' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.details.fields[0].path).toBe('slug');
  });

  it('shows the audit log to platform admins only, filtered by subject, with request ids', async () => {
    const created = await call('POST', '/organisations', owner, { name: 'Audité', kind: 'ccas' });
    const requestId = created.headers.get('x-request-id');
    const { id } = await created.json();
    expect((await call('GET', '/admin/audit', owner)).status).toBe(403);
    expect((await call('GET', '/admin/audit')).status).toBe(401);
    const res = await call('GET', `/admin/audit?subjectType=organisation&subjectId=${id}`, admin);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ action: 'organisation.create', actorUserId: owner.userId, requestId });
    const page = await (await call('GET', `/admin/audit?actorUserId=${owner.userId}&limit=2`, admin)).json();
    expect(page.items).toHaveLength(2);
    expect(typeof page.nextCursor).toBe('string');
    const next = await (await call('GET', `/admin/audit?actorUserId=${owner.userId}&limit=2&cursor=${page.nextCursor}`, admin)).json();
    expect(next.items[0].id).not.toBe(page.items[1].id);
    const badLimit = await call('GET', '/admin/audit?limit=0', admin);
    expect(badLimit.status).toBe(400);
    expect((await badLimit.json()).error.details.fields[0].path).toBe('query.limit');
  });

  it('documents every route with its error responses', async () => {
    const doc = await (await app.request('/api/v1/openapi.json')).json();
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/v1/organisations/{id}/invitations'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/v1/organisations/{id}/members/{userId}']?.patch?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '500'])
    );
    expect(Object.keys(paths['/v1/invitations/{token}/accept']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['401', '404', '409', '410'])
    );
    expect(paths['/v1/admin/audit']?.get).toBeDefined();
  });
});
