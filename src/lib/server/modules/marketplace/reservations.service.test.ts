import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { householdInputFor, insertTestScheme } from '../eligibility/requests.testing.js';
import { putSetting } from '../eligibility/schemes.repository.js';
import { DEFAULT_MARKETPLACE_SETTINGS } from './marketplace.rules.js';
import { NO_SHOW_GRACE_MINUTES } from './pickup.rules.js';
import { RESERVATION_STATUSES, type ReservationStatus } from '../../../schemas/marketplace-vocabulary.js';
import { hashPickupCode, isActiveReservation } from './reservations.rules.js';
import { organisationReservationsPageQuery } from './reservations.repository.js';
import type { ReservationsService } from './reservations.service.js';
import { grantAntiGaspi, insertTestOffer, insertTestPerson, insertTestReservation } from './marketplace.testing.js';

const label = (kind: string) => (kind === 'postgres' ? postgresLabel : kind);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe.each(DIALECTS)('reservations service on %s', (kind) => {
  let t: TestServices;
  let svc: ReservationsService;
  let ccasId: string;
  let schemeId: string;
  let donorOrg: string;
  let keyN = 0;
  const key = () => `key-${(keyN += 1)}`;
  const db = () => t.services.db;

  async function eligible(name = 'Léa'): Promise<string> {
    const id = await insertTestPerson(db(), name);
    await grantAntiGaspi(db(), id, schemeId, ccasId);
    return id;
  }
  const as = (userId: string) => ({ userId, isPlatformAdmin: false, requestId: 'req-test' });
  const offer = (o: Parameters<typeof insertTestOffer>[1] = {}) =>
    insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString(), ...o });
  const remaining = async (offerId: string) =>
    Number((await db().selectFrom('offer').select('remaining').where('id', '=', offerId).executeTakeFirstOrThrow()).remaining);

  beforeAll(async () => {
    t = await createTestServices(kind);
    svc = t.services.reservations;
    ccasId = await insertTestOrganisation(db(), 'ccas', 'CCAS');
    donorOrg = await insertTestOrganisation(db(), 'donor', 'Boulangerie');
    schemeId = await insertTestScheme(db(), 'anti-gaspi', [ccasId]);
  }, 60_000);
  afterAll(async () => t?.destroy());
  beforeEach(() => t.clock.set('2026-11-29T10:00:00.000Z'));

  it(`reserves, takes the units, and stores only the code's hash and sealed form (${label(kind)})`, async () => {
    const person = await eligible();
    const offerId = await offer({ quantity: 5 });
    const { reservation, replayed } = await svc.reserve(as(person), offerId, { quantity: 2 }, key());
    expect(replayed).toBe(false);
    expect(reservation).toMatchObject({ status: 'confirmed', quantity: 2, offerId, forUserId: person, canCancel: true });
    expect(reservation.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
    expect(await remaining(offerId)).toBe(3);
    const row = await db().selectFrom('reservation').selectAll().where('id', '=', reservation.id).executeTakeFirstOrThrow();
    expect(row.code_hash).toBe(hashPickupCode(offerId, reservation.code!));
    expect(row.code_ciphertext).not.toContain(reservation.code!);
    const inbox = await db().selectFrom('inbox_item').selectAll().where('user_id', '=', person).execute();
    const told = inbox.find((i) => i.kind === 'reservation.confirmed');
    // The texts of notifications/messages.ts: offer, donor's name, quantity.
    expect(told?.title).toBe('Réservation confirmée : Pain de la veille');
    expect(told?.body).toMatch(/^Votre réservation \(2 parts\) chez Boulangerie est confirmée\. Retrait du /);
  });

  it('answers the same reservation again for the same key, without a second one', async () => {
    const person = await eligible();
    const offerId = await offer({ quantity: 5 });
    const k = key();
    const first = await svc.reserve(as(person), offerId, { quantity: 1 }, k);
    const again = await svc.reserve(as(person), offerId, { quantity: 1 }, k);
    expect(again.replayed).toBe(true);
    expect(again.reservation.id).toBe(first.reservation.id);
    expect(again.reservation.code).toBe(first.reservation.code);
    expect(await remaining(offerId)).toBe(4);
    const other = await rejection(svc.reserve(as(person), offerId, { quantity: 2 }, k));
    expect(other.code).toBe('conflict');
    // Concurrent calls with one key: one reservation.
    const k2 = key();
    const offer2 = await offer({ quantity: 5 });
    const results = await Promise.all(Array.from({ length: 5 }, () => svc.reserve(as(person), offer2, { quantity: 1 }, k2)));
    expect(new Set(results.map((r) => r.reservation.id)).size).toBe(1);
    expect(await remaining(offer2)).toBe(4);
  });

  it('refuses people without an active anti-gaspi access (403)', async () => {
    const offerId = await offer();
    const nobody = await insertTestPerson(db());
    expect((await rejection(svc.reserve(as(nobody), offerId, { quantity: 1 }, key()))).code).toBe('forbidden');
    const revoked = await insertTestPerson(db());
    await grantAntiGaspi(db(), revoked, schemeId, ccasId, { revokedAt: '2026-11-20T10:00:00.000Z' });
    expect((await rejection(svc.reserve(as(revoked), offerId, { quantity: 1 }, key()))).details).toMatchObject({ reason: 'not_eligible' });
    const ended = await insertTestPerson(db());
    await grantAntiGaspi(db(), ended, schemeId, ccasId, { from: '2026-05-01', until: '2026-11-28' });
    expect((await rejection(svc.reserve(as(ended), offerId, { quantity: 1 }, key()))).code).toBe('forbidden');
    const otherScheme = await insertTestScheme(db(), 'paniers', [ccasId]);
    const wrong = await insertTestPerson(db());
    await grantAntiGaspi(db(), wrong, otherScheme, ccasId);
    expect((await rejection(svc.reserve(as(wrong), offerId, { quantity: 1 }, key()))).code).toBe('forbidden');
    expect(await remaining(offerId)).toBe(5);
  });

  it('answers 409 with what remains, 400 for a quantity below 1, 410 for a gone offer', async () => {
    const offerId = await offer({ quantity: 3, remaining: 1 });
    const person = await eligible();
    const tooMuch = await rejection(svc.reserve(as(person), offerId, { quantity: 2 }, key()));
    expect(tooMuch.code).toBe('conflict');
    expect(tooMuch.details).toMatchObject({ remaining: 1 });
    const zero = await rejection(svc.reserve(as(person), offerId, { quantity: 0 }, key()));
    expect(zero.code).toBe('validation_failed');
    expect(zero.details?.fields?.[0]?.path).toBe('quantity');
    const cancelled = await offer({ status: 'cancelled' });
    expect((await rejection(svc.reserve(as(person), cancelled, { quantity: 1 }, key()))).code).toBe('gone');
    const ended = await offer({ pickup_starts_at: '2026-11-29T08:00:00.000Z', pickup_ends_at: '2026-11-29T09:00:00.000Z' });
    expect((await rejection(svc.reserve(as(person), ended, { quantity: 1 }, key()))).code).toBe('gone');
    expect((await rejection(svc.reserve(as(person), 'nope', { quantity: 1 }, key()))).code).toBe('not_found');
  });

  it('applies the limits from the settings and names the one reached', async () => {
    const person = await eligible();
    const a = await offer();
    const perOffer = await rejection(svc.reserve(as(person), a, { quantity: 3 }, key()));
    expect(perOffer.details).toMatchObject({ limit: 'maxUnitsPerOfferPerPerson', max: 2 });
    for (let i = 0; i < 3; i += 1) await svc.reserve(as(person), await offer(), { quantity: 1 }, key());
    const active = await rejection(svc.reserve(as(person), a, { quantity: 1 }, key()));
    expect(active.code).toBe('conflict');
    expect(active.details).toMatchObject({ limit: 'maxActiveReservations', max: 3 });
    // Settings are the territory's: raise the active limit, then the weekly one is met.
    await putSetting(db(), {
      key: 'marketplace.settings',
      value: JSON.stringify({ maxActiveReservations: 10, maxPickupsPerWeek: 4 }),
      updatedByUserId: null,
      updatedAt: '2026-11-29T09:00:00.000Z'
    });
    await svc.reserve(as(person), await offer(), { quantity: 1 }, key());
    const weekly = await rejection(svc.reserve(as(person), a, { quantity: 1 }, key()));
    expect(weekly.details).toMatchObject({ limit: 'maxPickupsPerWeek', max: 4 });
    await db().deleteFrom('setting').where('key', '=', 'marketplace.settings').execute();
  });

  it('lowers the active limit while a no-show penalty runs', async () => {
    const person = await eligible();
    for (const at of ['2026-11-20T20:00:00.000Z', '2026-11-25T20:00:00.000Z']) {
      const past = await offer({ pickup_starts_at: '2026-11-20T18:00:00.000Z', pickup_ends_at: '2026-11-20T19:00:00.000Z' });
      await insertTestReservation(db(), { offerId: past, userId: person, status: 'no_show', at });
    }
    const limits = await svc.limitsOf(person);
    expect(limits.maxActiveReservations).toBe(1);
    expect(limits.penaltyUntil).toBe('2026-12-09T20:00:00.000Z');
    await svc.reserve(as(person), await offer(), { quantity: 1 }, key());
    const refused = await rejection(svc.reserve(as(person), await offer(), { quantity: 1 }, key()));
    expect(refused.details).toMatchObject({ limit: 'maxActiveReservations', max: 1, penaltyUntil: '2026-12-09T20:00:00.000Z' });
  });

  it('explains the no-show rules with the territory settings and the handover grace', async () => {
    expect(await svc.noShowRules()).toEqual({
      graceMinutes: NO_SHOW_GRACE_MINUTES,
      threshold: DEFAULT_MARKETPLACE_SETTINGS.noShowThreshold,
      windowDays: DEFAULT_MARKETPLACE_SETTINGS.noShowWindowDays,
      penaltyDays: DEFAULT_MARKETPLACE_SETTINGS.noShowPenaltyDays,
      penaltyMaxActiveReservations: DEFAULT_MARKETPLACE_SETTINGS.penaltyMaxActiveReservations
    });
    await putSetting(db(), {
      key: 'marketplace.settings',
      value: JSON.stringify({ noShowThreshold: 3, noShowPenaltyDays: 7 }),
      updatedByUserId: null,
      updatedAt: '2026-11-29T09:00:00.000Z'
    });
    expect(await svc.noShowRules()).toMatchObject({ threshold: 3, penaltyDays: 7 });
    await db().deleteFrom('setting').where('key', '=', 'marketplace.settings').execute();
  });

  it('follows the audience: partners first, then people; partner reservations name the association', async () => {
    const person = await eligible();
    const assoc = await insertTestOrganisation(db(), 'association', 'Asso');
    const member = await insertTestPerson(db());
    await insertTestMembership(db(), assoc, member);
    const offerId = await offer({ audience: 'partners-first', partners_until: '2026-11-29T10:30:00.000Z', quantity: 10 });
    const early = await rejection(svc.reserve(as(person), offerId, { quantity: 1 }, key()));
    expect(early.code).toBe('forbidden');
    expect(early.details).toMatchObject({ reason: 'audience' });
    const partner = await svc.reserve(as(member), offerId, { quantity: 5, organisationId: assoc }, key());
    expect(partner.reservation).toMatchObject({ status: 'confirmed', partnerOrganisationId: assoc, quantity: 5 });
    const notMember = await rejection(svc.reserve(as(person), offerId, { quantity: 1, organisationId: assoc }, key()));
    expect(notMember.code).toBe('forbidden');
    t.clock.set('2026-11-29T10:30:00.000Z');
    expect((await svc.reserve(as(person), offerId, { quantity: 1 }, key())).reservation.status).toBe('confirmed');
    const partnersOnly = await offer({ audience: 'partners' });
    expect((await rejection(svc.reserve(as(person), partnersOnly, { quantity: 1 }, key()))).code).toBe('forbidden');
  });

  it(`lists a partner association's reservations by any of its members, with codes and who reserved, to its members only (${label(kind)})`, async () => {
    const assoc = await insertTestOrganisation(db(), 'association', 'Épicerie solidaire');
    const otherAssoc = await insertTestOrganisation(db(), 'association', 'Autre asso');
    const amina = await insertTestPerson(db(), 'Amina Diallo');
    const marc = await insertTestPerson(db(), 'Marc');
    const outsider = await insertTestPerson(db(), 'Paul');
    await insertTestMembership(db(), assoc, amina);
    await insertTestMembership(db(), assoc, marc);
    await insertTestMembership(db(), otherAssoc, outsider);
    await insertTestMembership(db(), donorOrg, outsider);
    const offerId = await offer({ audience: 'partners', quantity: 10 });
    const byAmina = await svc.reserve(as(amina), offerId, { quantity: 2, organisationId: assoc }, key());
    t.clock.advance(60_000);
    const byMarc = await svc.reserve(as(marc), offerId, { quantity: 3, organisationId: assoc }, key());
    await svc.reserve(as(outsider), offerId, { quantity: 1, organisationId: otherAssoc }, key());

    const seenByMarc = (await svc.listForOrganisation(as(marc), assoc)).items;
    expect(seenByMarc.map((r) => [r.id, r.reservedBy.firstName, r.quantity])).toEqual([
      [byMarc.reservation.id, 'Marc', 3],
      [byAmina.reservation.id, 'Amina', 2]
    ]);
    // Any member reads every code (any of them may collect); only who reserved may cancel.
    expect(seenByMarc[1]!.code).toBe(byAmina.reservation.code);
    expect(seenByMarc.map((r) => r.reservedBy.isMe)).toEqual([true, false]);
    expect(seenByMarc.map((r) => r.canCancel)).toEqual([true, false]);
    // No member's user id is shown: the first name is all the page and the API give.
    expect(JSON.stringify(seenByMarc)).not.toContain(amina);
    expect((await svc.listForOrganisation(as(amina), assoc)).items.map((r) => r.id)).toEqual(seenByMarc.map((r) => r.id));
    expect((await rejection(svc.listForOrganisation(as(outsider), assoc))).code).toBe('forbidden');
    // A donor organisation is no partner association, even for its members.
    expect((await rejection(svc.listForOrganisation(as(outsider), donorOrg))).code).toBe('forbidden');
    expect((await rejection(svc.listForOrganisation(as(marc), 'no-such-organisation'))).code).toBe('not_found');
  });

  it(`lists a partner association's reservations still to pick up (the rule of isActiveReservation) or all of them, by pages (${label(kind)})`, async () => {
    const assoc = await insertTestOrganisation(db(), 'association', 'Banque alimentaire');
    const sam = await insertTestPerson(db(), 'Sam');
    await insertTestMembership(db(), assoc, sam);
    const live = await offer({ audience: 'partners', quantity: 50 });
    const ended = await offer({ audience: 'partners', pickup_starts_at: '2026-11-29T08:00:00.000Z', pickup_ends_at: '2026-11-29T09:00:00.000Z' });
    const made: Record<string, string> = {};
    let minute = 0;
    const add = async (name: string, offerId: string, status: ReservationStatus) => {
      minute += 1;
      made[name] = await insertTestReservation(db(), { offerId, userId: sam, status, partnerOrganisationId: assoc, at: `2026-11-28T10:${String(minute).padStart(2, '0')}:00.000Z` });
    };
    for (const status of RESERVATION_STATUSES) await add(`live-${status}`, live, status);
    for (const status of RESERVATION_STATUSES) await add(`ended-${status}`, ended, status);
    const now = t.clock.now().getTime();

    const all = await svc.listForOrganisation(as(sam), assoc, { status: 'all', limit: 100 });
    expect(all.total).toBe(2 * RESERVATION_STATUSES.length);
    expect(all.items).toHaveLength(all.total);
    const active = await svc.listForOrganisation(as(sam), assoc);
    expect(active.status).toBe('active');
    // The SQL filter and the in-code rule agree on every status, on a live and an ended window.
    expect(active.items.map((r) => r.id)).toEqual(all.items.filter((r) => isActiveReservation(r, now)).map((r) => r.id));
    expect(active.items.map((r) => r.id).sort()).toEqual([made['live-pooled'], made['live-waiting'], made['live-confirmed']].sort());
    expect(active.total).toBe(3);

    // Pages, newest first: two, then the rest; `total` counts every match.
    const first = await svc.listForOrganisation(as(sam), assoc, { status: 'all', limit: 2 });
    const second = await svc.listForOrganisation(as(sam), assoc, { status: 'all', limit: 2, offset: 2 });
    expect(first).toMatchObject({ total: all.total, limit: 2, offset: 0 });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(all.items.slice(0, 4).map((r) => r.id));
    expect(first.items[0]!.id).toBe(made[`ended-${RESERVATION_STATUSES[RESERVATION_STATUSES.length - 1]}`]);

    if (kind === 'sqlite') {
      // Read through the partial index of the partners' reservations, not a scan of everyone's.
      for (const activeAt of [null, t.clock.now().toISOString()]) {
        const query = organisationReservationsPageQuery(db(), assoc, { activeAt, limit: 2 }).compile();
        const plan = await db().executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
        const details = plan.rows.map((r) => r.detail);
        expect(details[0], details.join(' | ')).toMatch(/^SEARCH r USING INDEX reservation_partner_idx \(partner_organisation_id=\?\)$/);
        expect(details.join('\n')).not.toMatch(/SCAN r\b/);
      }
    }

    const bad = await rejection(svc.listForOrganisation(as(sam), assoc, { status: 'old' as 'all' }));
    expect(bad.code).toBe('validation_failed');
    expect(bad.details?.fields?.[0]?.path).toBe('query.status');
  });

  it('lets an agent reserve for an accompanied person, audited as acting for them', async () => {
    const agent = await insertTestPerson(db(), 'Agent');
    await insertTestMembership(db(), ccasId, agent);
    const created = await t.services.people.createAccompanied(as(agent), ccasId, householdInputFor({ firstName: 'Josiane' }));
    await grantAntiGaspi(db(), created.userId, schemeId, ccasId);
    const offerId = await offer();
    const { reservation } = await svc.reserve(as(agent), offerId, { quantity: 1, forUserId: created.userId }, key());
    expect(reservation).toMatchObject({ forUserId: created.userId, actedByUserId: agent, status: 'confirmed' });
    expect(reservation.code).not.toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', created.userId)
      .where('action', '=', 'person.act_for')
      .execute();
    expect(audit.some((a) => a.details?.includes('marketplace.reserve'))).toBe(true);
    const stranger = await insertTestPerson(db());
    expect((await rejection(svc.reserve(as(stranger), offerId, { quantity: 1, forUserId: created.userId }, key()))).code).toBe(
      'not_found'
    );
  });

  it('cancels until the window starts, gives the units back and promotes the waiting list', async () => {
    const offerId = await offer({ quantity: 2 });
    const first = await eligible('Ana');
    const second = await eligible('Bob');
    const third = await eligible('Cléo');
    const held = await svc.reserve(as(first), offerId, { quantity: 2 }, key());
    const waitingRefused = await rejection(svc.reserve(as(second), offerId, { quantity: 1 }, key()));
    expect(waitingRefused.details).toMatchObject({ remaining: 0 });
    const w1 = await svc.reserve(as(second), offerId, { quantity: 2, waitingList: true }, key());
    const w2 = await svc.reserve(as(third), offerId, { quantity: 1, waitingList: true }, key());
    expect(w1.reservation).toMatchObject({ status: 'waiting', waitingPosition: 1, code: null });
    expect(w2.reservation).toMatchObject({ status: 'waiting', waitingPosition: 2 });
    const stranger = await eligible();
    expect((await rejection(svc.cancel(as(stranger), held.reservation.id))).code).toBe('not_found');

    const cancelled = await svc.cancel(as(first), held.reservation.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'person', canCancel: false, code: null });
    // Bob (2 units, first in line) is promoted; Cléo's 1 unit no longer fits.
    expect(await remaining(offerId)).toBe(0);
    const bob = await svc.getMine(as(second), w1.reservation.id);
    expect(bob.status).toBe('confirmed');
    expect(bob.code).toMatch(/^[A-Z2-9]{6}$/);
    const told = await db().selectFrom('inbox_item').selectAll().where('user_id', '=', second).execute();
    expect(told.map((i) => i.kind)).toContain('reservation.promoted');
    expect((await svc.getMine(as(third), w2.reservation.id)).status).toBe('waiting');

    t.clock.set('2026-11-29T11:00:00.000Z'); // the window starts
    const late = await rejection(svc.cancel(as(second), w1.reservation.id));
    expect(late.code).toBe('conflict');
    expect(late.details).toMatchObject({ reason: 'window_started' });
  });

  it('never oversells under many concurrent reservations', async () => {
    const quantity = 7;
    const offerId = await offer({ quantity });
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => eligible(`P${i}`)));
    const outcomes = await Promise.allSettled(
      people.map((p, i) => svc.reserve(as(p), offerId, { quantity: 1 + (i % 2) }, key()))
    );
    const made = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const r of refused) expect((r.reason as AppError).code).toBe('conflict');
    const rows = await db()
      .selectFrom('reservation')
      .select(['quantity'])
      .where('offer_id', '=', offerId)
      .where('status', '=', 'confirmed')
      .execute();
    const reserved = rows.reduce((s, r) => s + Number(r.quantity), 0);
    expect(rows.length).toBe(made.length);
    expect(reserved).toBeLessThanOrEqual(quantity);
    expect(reserved + (await remaining(offerId))).toBe(quantity);
    expect(reserved).toBeGreaterThanOrEqual(quantity - 1);
  }, 60_000);

  it('pools requests during the pooling window, then allocates by lottery and queues the rest', async () => {
    const offerId = await offer({ quantity: 3, pooling_ends_at: '2026-11-29T10:10:00.000Z' });
    const people = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => eligible(n)));
    // D and E collected a lot lately: the lottery favours A, B and C.
    for (const p of people.slice(3)) {
      const past = await offer({ pickup_starts_at: '2026-11-20T18:00:00.000Z', pickup_ends_at: '2026-11-20T19:00:00.000Z' });
      await insertTestReservation(db(), { offerId: past, userId: p, quantity: 2, status: 'collected', at: '2026-11-20T18:00:00.000Z', changedAt: '2026-11-20T18:30:00.000Z' });
    }
    const pooled = [];
    for (const p of people) pooled.push((await svc.reserve(as(p), offerId, { quantity: 1 }, key())).reservation);
    expect(pooled.every((r) => r.status === 'pooled' && r.code === null)).toBe(true);
    expect(await remaining(offerId)).toBe(3);
    expect(await svc.allocateOffer(offerId)).toBeNull(); // not yet: the window runs

    t.clock.set('2026-11-29T10:10:00.000Z');
    expect(await svc.allocateDue()).toBe(1);
    expect(await svc.allocateDue()).toBe(0); // once
    const after = await Promise.all(pooled.map((r, i) => svc.getMine(as(people[i]!), r.id)));
    const confirmed = after.filter((r) => r.status === 'confirmed');
    const waiting = after.filter((r) => r.status === 'waiting');
    expect(confirmed).toHaveLength(3);
    expect(waiting).toHaveLength(2);
    expect(waiting.map((r) => r.waitingPosition).sort()).toEqual([1, 2]);
    expect(await remaining(offerId)).toBe(0);
    const kinds = await db().selectFrom('inbox_item').select('kind').where('user_id', 'in', people).execute();
    expect(kinds.filter((k) => k.kind === 'reservation.allocated')).toHaveLength(3);
    expect(kinds.filter((k) => k.kind === 'reservation.not_allocated')).toHaveLength(2);
    const waitingTitles = await db().selectFrom('inbox_item').select('title').where('user_id', 'in', people).where('kind', '=', 'reservation.not_allocated').execute();
    expect(waitingTitles.map((w) => w.title)).toEqual(['Tirage au sort : liste d’attente pour Pain de la veille', 'Tirage au sort : liste d’attente pour Pain de la veille']);

    // After pooling: first come, first served (and the lottery runs lazily on the next reserve).
    const lazy = await offer({ quantity: 2, pooling_ends_at: '2026-11-29T10:05:00.000Z' });
    const late = await eligible('Late');
    expect((await svc.reserve(as(late), lazy, { quantity: 1 }, key())).reservation.status).toBe('confirmed');
    const row = await db().selectFrom('offer').select('allocated_at').where('id', '=', lazy).executeTakeFirstOrThrow();
    expect(row.allocated_at).not.toBeNull();
  });
});
