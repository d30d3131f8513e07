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

describe.each(DIALECTS)('reservations HTTP on %s', (kind) => {
  let t: TestServices;
  let app: ReturnType<typeof buildApp>;
  let eligible: Session;
  let other: Session;
  let offerId: string;
  let ccas: string;
  let donor: string;
  let scheme: string;

  async function session(): Promise<Session> {
    const user = await createTestUser(t.services);
    t.services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
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
    ccas = await insertTestOrganisation(t.services.db, 'ccas', 'CCAS');
    donor = await insertTestOrganisation(t.services.db, 'donor', 'Boulangerie');
    scheme = await insertTestScheme(t.services.db, 'anti-gaspi', [ccas]);
    eligible = await session();
    other = await session();
    await grantAntiGaspi(t.services.db, eligible.userId, scheme, ccas);
    offerId = await insertTestOffer(t.services.db, { organisationId: donor, quantity: 3 });
  }, 60_000);
  afterAll(async () => t?.destroy());

  it('reserves with an Idempotency-Key, replays the same answer, lists and cancels', async () => {
    const res = await call('POST', `/offers/${offerId}/reservations`, eligible, { quantity: 2 }, { 'Idempotency-Key': 'k-1' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; code: string; status: string };
    expect(body.status).toBe('confirmed');
    expect(body.code).toMatch(/^[A-Z2-9]{6}$/);
    const again = await call('POST', `/offers/${offerId}/reservations`, eligible, { quantity: 2 }, { 'Idempotency-Key': 'k-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(body.id);

    const mine = await call('GET', '/me/reservations', eligible);
    expect(mine.status).toBe(200);
    const list = (await mine.json()) as { items: { id: string; code: string }[]; limits: { maxActiveReservations: number } };
    expect(list.items.map((i) => i.id)).toEqual([body.id]);
    expect(list.items[0]!.code).toBe(body.code);
    expect(list.limits.maxActiveReservations).toBe(3);

    expect((await call('GET', `/reservations/${body.id}`, other)).status).toBe(404);
    expect((await call('POST', `/reservations/${body.id}/cancel`, other)).status).toBe(404);
    const cancelled = await call('POST', `/reservations/${body.id}/cancel`, eligible);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
  });

  it('answers 400 naming the field, 403 when not eligible, 409 with what remains, 401 signed out', async () => {
    const noKey = await call('POST', `/offers/${offerId}/reservations`, eligible, { quantity: 1 });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(await noKey.json())).toContain('idempotency-key');
    const zero = await call('POST', `/offers/${offerId}/reservations`, eligible, { quantity: 0 }, { 'Idempotency-Key': 'k-0' });
    expect(zero.status).toBe(400);
    const zeroBody = (await zero.json()) as { error: { details: { fields: { path: string }[] } } };
    expect(zeroBody.error.details.fields[0]!.path).toBe('quantity');
    const forbidden = await call('POST', `/offers/${offerId}/reservations`, other, { quantity: 1 }, { 'Idempotency-Key': 'k-2' });
    expect(forbidden.status).toBe(403);
    const tooMuch = await call('POST', `/offers/${offerId}/reservations`, eligible, { quantity: 5 }, { 'Idempotency-Key': 'k-3' });
    // 5 > maxUnitsPerOfferPerPerson (2): the limit is named.
    expect(tooMuch.status).toBe(409);
    expect(((await tooMuch.json()) as { error: { details: { limit: string } } }).error.details.limit).toBe('maxUnitsPerOfferPerPerson');
    expect((await call('POST', `/offers/${offerId}/reservations`, undefined, { quantity: 1 }, { 'Idempotency-Key': 'k-4' })).status).toBe(401);
    expect((await call('GET', '/me/reservations')).status).toBe(401);
  });

  it("lists an accompanied person's reservations with codes to the agents of the accompanying organisation, each read audited; 404 to others", async () => {
    const agent = await session();
    const colleague = await session();
    const otherAssociation = await insertTestOrganisation(t.services.db, 'association', 'Autre association');
    await insertTestMembership(t.services.db, ccas, agent.userId);
    await insertTestMembership(t.services.db, ccas, colleague.userId);
    await insertTestMembership(t.services.db, otherAssociation, agent.userId);
    const actor = { userId: agent.userId, isPlatformAdmin: false, requestId: 'req-route' };
    const josiane = (await t.services.people.createAccompanied(actor, ccas, householdInputFor({ firstName: 'Josiane' }))).userId;
    await grantAntiGaspi(t.services.db, josiane, scheme, ccas);
    const soup = await insertTestOffer(t.services.db, { organisationId: donor, quantity: 3, title: 'Soupe' });
    const { reservation } = await t.services.reservations.reserve(actor, soup, { quantity: 1, forUserId: josiane }, 'k-josiane');
    const reads = async () =>
      (await t.services.db.selectFrom('audit_log').select('details').where('subject_id', '=', josiane).where('action', '=', 'person.act_for').execute()).filter(
        (a) => JSON.parse(a.details ?? '{}').action === 'marketplace.reservations.read'
      ).length;
    const path = `/organisations/${ccas}/accompanied/${josiane}/reservations`;

    let res = await call('GET', path, colleague);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; code: string | null; forUserId: string; actedByUserId: string }[] };
    expect(body.items).toEqual([expect.objectContaining({ id: reservation.id, code: reservation.code, forUserId: josiane, actedByUserId: agent.userId })]);
    expect(body.items[0]!.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(await reads()).toBe(1);
    expect((await call('GET', path, agent)).status).toBe(200);
    expect(await reads()).toBe(2);

    // Not an agent of the person's organisation, or the wrong organisation in the URL: 404, nothing audited.
    expect((await call('GET', path, other)).status).toBe(404);
    res = await call('GET', `/organisations/${otherAssociation}/accompanied/${josiane}/reservations`, agent);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await call('GET', `/organisations/${ccas}/accompanied/no-such-person/reservations`, agent)).status).toBe(404);
    expect(await reads()).toBe(2);
    expect((await call('GET', path)).status).toBe(401);
    expect((await call('GET', `/organisations/${ccas}/accompanied/${'x'.repeat(101)}/reservations`, agent)).status).toBe(400);
  });

  it('documents its routes and their errors in OpenAPI', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const reserve = doc.paths['/v1/offers/{id}/reservations']?.post;
    expect(reserve?.responses).toHaveProperty('409');
    expect(reserve?.responses).toHaveProperty('500');
    expect(doc.paths['/v1/reservations/{id}/cancel']?.post?.responses).toHaveProperty('500');
    expect(doc.paths['/v1/me/reservations']?.get).toBeDefined();
    const forPerson = doc.paths['/v1/organisations/{orgId}/accompanied/{userId}/reservations']?.get?.responses ?? {};
    expect(Object.keys(forPerson).sort()).toEqual(['200', '400', '401', '404', '500']);
  });
});
