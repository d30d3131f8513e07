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

  async function session(displayName?: string): Promise<Session> {
    const user = await createTestUser(t.services, displayName ? { displayName } : {});
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
    const list = (await mine.json()) as {
      items: { id: string; code: string }[];
      limits: { maxActiveReservations: number };
      noShowRules: { graceMinutes: number };
    };
    expect(list.items.map((i) => i.id)).toEqual([body.id]);
    expect(list.items[0]!.code).toBe(body.code);
    expect(list.limits.maxActiveReservations).toBe(3);
    // The no-show rules the page /mes-reservations explains, from the same service call.
    expect(list.noShowRules).toEqual(await t.services.reservations.noShowRules());
    expect(list.noShowRules.graceMinutes).toBeGreaterThan(0);

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

  it("lists a partner association's reservations to its members: codes, first names only, active or all, paged; 400/401/403/404", async () => {
    const amina = await session('Amina Diallo');
    const marc = await session('Marc Petit');
    const association = await insertTestOrganisation(t.services.db, 'association', 'Épicerie solidaire');
    await insertTestMembership(t.services.db, association, amina.userId);
    await insertTestMembership(t.services.db, association, marc.userId);
    await insertTestMembership(t.services.db, donor, other.userId);
    const crates = await insertTestOffer(t.services.db, { organisationId: donor, quantity: 10, audience: 'partners', title: 'Cagettes' });
    const asPartner = (s: Session, quantity: number, k: string) =>
      call('POST', `/offers/${crates}/reservations`, s, { quantity, organisationId: association }, { 'Idempotency-Key': k });
    const made = (await (await asPartner(amina, 2, 'org-1')).json()) as { id: string; code: string };
    t.clock.advance(60_000); // newest first: the cancelled one comes first in the history
    const cancelled = (await (await asPartner(amina, 1, 'org-2')).json()) as { id: string };
    expect((await call('POST', `/reservations/${cancelled.id}/cancel`, amina)).status).toBe(200);
    const path = `/organisations/${association}/reservations`;

    let res = await call('GET', path, marc);
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      status: string;
      total: number;
      items: { id: string; code: string; offerTitle: string; status: string; pickupStartsAt: string; pickupEndsAt: string; reservedBy: { firstName: string; isMe: boolean }; canCancel: boolean }[];
    };
    // Active by default, as the page: the cancelled one is left out.
    expect(page).toMatchObject({ status: 'active', total: 1, limit: 50, offset: 0 });
    expect(page.items).toEqual([
      expect.objectContaining({ id: made.id, code: made.code, offerTitle: 'Cagettes', status: 'confirmed', reservedBy: { firstName: 'Amina', isMe: false }, canCancel: false })
    ]);
    expect(page.items[0]!.pickupEndsAt).toMatch(/Z$/);
    // No member's user id, nor last name: the first name is all the page shows.
    const text = JSON.stringify(page);
    expect(text).not.toContain(amina.userId);
    expect(text).not.toContain('Diallo');
    expect(page.items[0]).not.toHaveProperty('forUserId');

    res = await call('GET', `${path}?status=all&limit=1&offset=1`, amina);
    expect(res.status).toBe(200);
    const history = (await res.json()) as { total: number; items: { id: string; status: string; reservedBy: { isMe: boolean } }[] };
    expect(history.total).toBe(2);
    expect(history.items).toEqual([expect.objectContaining({ id: made.id, reservedBy: { firstName: 'Amina', isMe: true } })]);
    expect((await (await call('GET', `${path}?status=all&limit=1`, amina)).json()) as object).toMatchObject({
      items: [expect.objectContaining({ id: cancelled.id, status: 'cancelled' })]
    });

    for (const [query, field] of [
      ['status=old', 'query.status'],
      ['limit=0', 'query.limit'],
      ['limit=101', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['sort=name', 'query.sort']
    ] as const) {
      res = await call('GET', `${path}?${query}`, marc);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.fields.map((f) => f.path), query).toContain(field);
    }
    expect((await call('GET', path)).status).toBe(401);
    // Not a member of this association; a member of a donor organisation asking for it: 403.
    expect((await call('GET', path, eligible)).status).toBe(403);
    expect((await call('GET', `/organisations/${donor}/reservations`, other)).status).toBe(403);
    res = await call('GET', '/organisations/no-such-organisation/reservations', marc);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
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
    const forOrganisation = doc.paths['/v1/organisations/{orgId}/reservations']?.get as
      | { responses: Record<string, unknown>; parameters: { name: string; in: string; schema: { enum?: string[] } }[] }
      | undefined;
    expect(Object.keys(forOrganisation?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '500']);
    const status = forOrganisation?.parameters.find((p) => p.in === 'query' && p.name === 'status');
    expect(status?.schema.enum).toEqual(['active', 'all']);
    expect(forOrganisation?.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['limit', 'offset', 'status']);
  });
});
