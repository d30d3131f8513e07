import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { AppError } from '../../errors.js';
import { insertTestUser } from '../organisations/organisations.testing.js';
import { LOOKUP_LIMITS } from './pickup.rules.js';
import { penaltyOf } from './pickup.service.js';
import { insertDonorOrganisation, insertTestCard, insertTestHousehold, insertTestOffer, insertTestReservation } from './marketplace.testing.js';

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

// The test clock starts at 2026-11-29T10:00Z; the window below runs 10:00–11:00Z.
const WINDOW = { pickupStartsAt: '2026-11-29T10:00:00.000Z', pickupEndsAt: '2026-11-29T11:00:00.000Z' };

describe.each(DIALECTS)('pickup service on %s', (kind) => {
  let t: TestServices;
  let baker: { userId: string; isPlatformAdmin: boolean; requestId: string };
  let otherBaker: { userId: string; isPlatformAdmin: boolean; requestId: string };
  let person: { userId: string };
  let orgId: string;
  let otherOrgId: string;

  beforeAll(async () => {
    t = await createTestServices(kind);
    baker = await insertTestUser(t.services.db);
    otherBaker = await insertTestUser(t.services.db);
    person = await insertTestUser(t.services.db, { displayName: 'Camille Martin' });
    await insertTestHousehold(t.services.db, person.userId, 'Camille');
    orgId = await insertDonorOrganisation(t.services.db, { members: [baker.userId] });
    otherOrgId = await insertDonorOrganisation(t.services.db, { members: [otherBaker.userId], name: 'Autre boulangerie' });
  }, 60_000);
  afterAll(async () => t.destroy());
  beforeEach(() => {
    t.clock.set('2026-11-29T10:00:00.000Z');
    t.services.limiter.clear();
  });

  const label = kind === 'postgres' ? postgresLabel : kind;

  async function remainingOf(offerId: string) {
    const r = await t.services.db.selectFrom('offer').select('remaining').where('id', '=', offerId).executeTakeFirstOrThrow();
    return Number(r.remaining);
  }

  it(`finds a confirmed reservation of this organisation by its code, first name only (${label})`, async () => {
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, title: 'Baguettes', ...WINDOW });
    const id = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 2, code: 'KX7P3M' });
    const found = await t.services.pickup.lookup(baker, orgId, { code: 'kx7-p3m' });
    expect(found).toMatchObject({ via: 'code', firstName: 'Camille' });
    expect(found.reservations).toEqual([
      expect.objectContaining({ reservationId: id, offerTitle: 'Baguettes', quantity: 2, status: 'confirmed' })
    ]);
    expect(JSON.stringify(found)).not.toContain('Martin');
  });

  it('answers 404 for a wrong code, another donor’s code, and 403 to non-members', async () => {
    const offerId = await insertTestOffer(t.services.db, { organisationId: otherOrgId, ...WINDOW });
    await insertTestReservation(t.services.db, { offerId, userId: person.userId, code: 'QW3RTY' });
    expect((await errorOf(t.services.pickup.lookup(baker, orgId, { code: 'QW3RTY' }))).code).toBe('not_found');
    expect((await errorOf(t.services.pickup.lookup(baker, orgId, { code: 'ZZZZZZ' }))).code).toBe('not_found');
    expect((await errorOf(t.services.pickup.lookup(otherBaker, orgId, { code: 'QW3RTY' }))).code).toBe('forbidden');
    const bad = await errorOf(t.services.pickup.lookup(baker, orgId, { code: 'QW0RTY' }));
    expect(bad.code).toBe('validation_failed');
    expect(bad.details?.fields?.[0]?.path).toBe('code');
  });

  it('rate limits wrong codes per caller (429 after the limit), successes do not count', async () => {
    for (let i = 0; i < LOOKUP_LIMITS.perUser; i++) {
      await errorOf(t.services.pickup.lookup(baker, orgId, { code: 'ZZZZZZ' }, { ip: '10.0.0.1' }));
    }
    expect((await errorOf(t.services.pickup.lookup(baker, orgId, { code: 'ZZZZZZ' }, { ip: '10.0.0.1' }))).code).toBe('rate_limited');
  });

  it('finds an accompanied person’s confirmed reservations here by their card', async () => {
    const accompanied = await insertTestUser(t.services.db);
    await insertTestHousehold(t.services.db, accompanied.userId, 'Rose');
    await insertTestCard(t.services.db, accompanied.userId, otherOrgId, 'ABCDEFGH');
    const here = await insertTestOffer(t.services.db, { organisationId: orgId, title: 'Soupe', ...WINDOW });
    const elsewhere = await insertTestOffer(t.services.db, { organisationId: otherOrgId, ...WINDOW });
    const id = await insertTestReservation(t.services.db, { offerId: here, userId: accompanied.userId, code: 'RS2345' });
    await insertTestReservation(t.services.db, { offerId: elsewhere, userId: accompanied.userId, code: 'RS2346' });
    const found = await t.services.pickup.lookup(baker, orgId, { code: 'abcd-efgh' });
    expect(found.via).toBe('card');
    expect(found.firstName).toBe('Rose');
    expect(found.reservations.map((r) => r.reservationId)).toEqual([id]);
  });

  it('collects in full or in part; the part not collected goes back to the offer', async () => {
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, quantity: 10, ...WINDOW });
    const full = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 2, code: 'FULL22' });
    const part = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 3, code: 'PART33' });
    expect(await remainingOf(offerId)).toBe(5);
    expect(await t.services.pickup.collect(baker, full, { quantity: 2 })).toMatchObject({ status: 'collected', collectedQuantity: 2 });
    expect(await remainingOf(offerId)).toBe(5);
    const tooMany = await errorOf(t.services.pickup.collect(baker, part, { quantity: 4 }));
    expect(tooMany.details?.fields?.[0]?.path).toBe('quantity');
    expect(await t.services.pickup.collect(baker, part, { quantity: 1 })).toMatchObject({ status: 'collected', collectedQuantity: 1 });
    expect(await remainingOf(offerId)).toBe(7);
    // Twice: the second finds it no longer confirmed.
    expect((await errorOf(t.services.pickup.collect(baker, part, { quantity: 1 }))).code).toBe('conflict');
  });

  it('refuses a handover long before or after the window, and another donor’s reservation (404)', async () => {
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, ...WINDOW });
    const id = await insertTestReservation(t.services.db, { offerId, userId: person.userId, code: 'TIME22' });
    t.clock.set('2026-11-29T09:00:00.000Z');
    expect((await errorOf(t.services.pickup.collect(baker, id, { quantity: 1 }))).details).toMatchObject({ timing: 'early' });
    t.clock.set('2026-11-29T12:30:00.000Z');
    expect((await errorOf(t.services.pickup.collect(baker, id, { quantity: 1 }))).details).toMatchObject({ timing: 'late' });
    t.clock.set('2026-11-29T11:45:00.000Z');
    expect((await errorOf(t.services.pickup.collect(otherBaker, id, { quantity: 1 }))).code).toBe('not_found');
    expect((await errorOf(t.services.pickup.donorCancel(otherBaker, id, { reason: 'Fermé' }))).code).toBe('not_found');
    expect(await t.services.pickup.collect(baker, id, { quantity: 1 })).toMatchObject({ status: 'collected' });
  });

  it('cancels by the donor with a reason: units back, the person told in the same transaction', async () => {
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, title: 'Tartes', quantity: 4, ...WINDOW });
    const id = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 2, code: 'CANC22' });
    expect(await remainingOf(offerId)).toBe(2);
    const view = await t.services.pickup.donorCancel(baker, id, { reason: 'Fermeture exceptionnelle' });
    expect(view.status).toBe('cancelled');
    expect(await remainingOf(offerId)).toBe(4);
    const row = await t.services.db.selectFrom('reservation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cancelled_by: 'donor', cancel_reason: 'Fermeture exceptionnelle' });
    const inbox = await t.services.db
      .selectFrom('inbox_item')
      .selectAll()
      .where('user_id', '=', person.userId)
      .where('kind', '=', 'reservation.cancelled')
      .execute();
    expect(inbox.some((i) => i.body.includes('Tartes') && i.body.includes('Fermeture exceptionnelle'))).toBe(true);
    expect(inbox.map((i) => i.title)).toContain('Réservation annulée par le donateur : Tartes');
    expect((await errorOf(t.services.pickup.donorCancel(baker, id, { reason: 'Encore' }))).code).toBe('conflict');
    expect((await errorOf(t.services.pickup.donorCancel(baker, id, { reason: '' }))).details?.fields?.[0]?.path).toBe('reason');
  });

  it('gives the units of a donor-cancelled or partly collected reservation to the waiting list first', async () => {
    const waiter = await insertTestUser(t.services.db);
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, title: 'Quiches', quantity: 4, ...WINDOW });
    const cancelled = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 2, code: 'QCH222' });
    const partial = await insertTestReservation(t.services.db, { offerId, userId: person.userId, quantity: 2, code: 'QCH333' });
    // The waiting list in the order people joined it.
    const first = await insertTestReservation(t.services.db, { offerId, userId: waiter.userId, quantity: 2, status: 'waiting', at: '2026-11-29T09:01:00.000Z' });
    const second = await insertTestReservation(t.services.db, { offerId, userId: waiter.userId, quantity: 1, status: 'waiting', at: '2026-11-29T09:02:00.000Z' });
    const statusOf = async (id: string) =>
      (await t.services.db.selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await remainingOf(offerId)).toBe(0);

    await t.services.pickup.donorCancel(baker, cancelled, { reason: 'Four en panne' });
    expect([await statusOf(first), await statusOf(second), await remainingOf(offerId)]).toEqual(['confirmed', 'waiting', 0]);
    const told = await t.services.db.selectFrom('inbox_item').select('kind').where('user_id', '=', waiter.userId).execute();
    expect(told.map((i) => i.kind)).toContain('reservation.promoted');

    // One of two taken at the handover: the other goes to the next person waiting.
    await t.services.pickup.collect(baker, partial, { quantity: 1 });
    expect([await statusOf(second), await remainingOf(offerId)]).toEqual(['confirmed', 0]);
  });

  it('lists today’s reservations of the organisation', async () => {
    const items = await t.services.pickup.listToday(baker, orgId);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => ['confirmed', 'collected', 'no_show'].includes(i.status))).toBe(true);
    expect((await errorOf(t.services.pickup.listToday(otherBaker, orgId))).code).toBe('forbidden');
  });

  it('marks no-shows after the grace, tells the person, and lowers limits after repeated no-shows', async () => {
    const student = await insertTestUser(t.services.db);
    const first = await insertTestOffer(t.services.db, {
      organisationId: orgId,
      title: 'Viennoiseries',
      pickupStartsAt: '2026-12-01T17:00:00.000Z',
      pickupEndsAt: '2026-12-01T18:00:00.000Z'
    });
    const second = await insertTestOffer(t.services.db, {
      organisationId: orgId,
      title: 'Quiches',
      pickupStartsAt: '2026-12-03T17:00:00.000Z',
      pickupEndsAt: '2026-12-03T18:00:00.000Z'
    });
    const r1 = await insertTestReservation(t.services.db, { offerId: first, userId: student.userId, code: 'NOSH22' });
    const r2 = await insertTestReservation(t.services.db, { offerId: second, userId: student.userId, code: 'NOSH33' });
    const statusOf = async (id: string) =>
      (await t.services.db.selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    // Within the grace: nothing yet.
    t.clock.set('2026-12-01T18:30:00.000Z');
    await t.services.pickup.markNoShows();
    expect(await statusOf(r1)).toBe('confirmed');
    t.clock.set('2026-12-01T19:05:00.000Z');
    expect(await t.services.pickup.markNoShows()).toBeGreaterThanOrEqual(1);
    expect(await statusOf(r1)).toBe('no_show');
    expect(await penaltyOf(t.services.db, student.userId, t.clock.now())).toBeNull();

    t.clock.set('2026-12-03T19:05:00.000Z');
    await t.services.pickup.markNoShows();
    expect(await statusOf(r2)).toBe('no_show');
    const penalty = await t.services.pickup.penaltyOf(student.userId);
    // 14 days from the no-show that reached the threshold (recorded when the job ran).
    expect(penalty).toEqual({ until: '2026-12-17T19:05:00.000Z', maxActiveReservations: 1 });
    const told = await t.services.db
      .selectFrom('inbox_item')
      .select(['title', 'body'])
      .where('user_id', '=', student.userId)
      .where('kind', '=', 'reservation.no_show')
      .orderBy('created_at')
      .execute();
    expect(told).toHaveLength(2);
    expect(told[0]!.body).not.toContain('jusqu’au');
    expect(told[1]!.body).toContain('17 décembre 2026');

    // Once over, limits are back.
    t.clock.set('2026-12-18T00:00:00.000Z');
    expect(await penaltyOf(t.services.db, student.userId, t.clock.now())).toBeNull();
  });

  it('reads the territory’s no-show settings from marketplace.settings', async () => {
    await t.services.db
      .insertInto('setting')
      .values({ key: 'marketplace.settings', value: JSON.stringify({ noShowThreshold: 1, noShowPenaltyDays: 7, penaltyMaxActiveReservations: 0 }), updated_by_user_id: null, updated_at: '2026-11-29T00:00:00.000Z' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify({ noShowThreshold: 1, noShowPenaltyDays: 7, penaltyMaxActiveReservations: 0 }) }))
      .execute();
    const student = await insertTestUser(t.services.db);
    const offerId = await insertTestOffer(t.services.db, { organisationId: orgId, ...WINDOW });
    await insertTestReservation(t.services.db, { offerId, userId: student.userId, code: 'SETT22' });
    t.clock.set('2026-11-29T12:30:00.000Z');
    await t.services.pickup.markNoShows();
    expect(await penaltyOf(t.services.db, student.userId, t.clock.now())).toEqual({ until: '2026-12-06T12:30:00.000Z', maxActiveReservations: 0 });
    await t.services.db.deleteFrom('setting').where('key', '=', 'marketplace.settings').execute();
  });
});
