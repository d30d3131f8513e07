import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countingQueries, DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { insertTestScheme } from '../eligibility/requests.testing.js';
import { grantAntiGaspi, insertTestOffer, insertTestPerson, insertTestReservation } from '../marketplace/marketplace.testing.js';
import { createAlertsService } from './alerts.service.js';

const AT = '2026-11-29T10:00:00.000Z';

describe.each(DIALECTS)('marketplace alerts on %s', (kind) => {
  let t: TestServices;
  let schemeId: string;
  let ccasId: string;
  let donorOrg: string;
  const db = () => t.database.db;

  async function eligible(name = 'Léa', locale = 'fr'): Promise<string> {
    const id = await insertTestPerson(db(), name, locale);
    await grantAntiGaspi(db(), id, schemeId, ccasId);
    return id;
  }
  async function savedArea(userId: string, values: Partial<{ lat: number; lng: number; radius_km: number; categories: string; diet_mask: number; excluded_allergen_mask: number; quiet_start: string | null; quiet_end: string | null; daily_cap: number; notify_new_offers: number }> = {}) {
    await db()
      .insertInto('feed_preference')
      .values({
        user_id: userId,
        lat: 50.63,
        lng: 3.06,
        radius_km: 3,
        categories: '[]',
        diet_mask: 0,
        excluded_allergen_mask: 0,
        notify_new_offers: 1,
        quiet_start: null,
        quiet_end: null,
        daily_cap: 5,
        updated_at: AT,
        ...values
      })
      .execute();
  }
  async function inbox(userId: string) {
    return db().selectFrom('inbox_item').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }

  beforeAll(async () => {
    t = await createTestServices(kind);
    ccasId = await insertTestOrganisation(db(), 'ccas', 'CCAS');
    donorOrg = await insertTestOrganisation(db(), 'donor', 'Boulangerie Martin');
    schemeId = await insertTestScheme(db(), 'anti-gaspi', [ccasId]);
  });
  afterAll(async () => t.destroy());
  beforeEach(() => t.clock.set(AT));

  it('reminds a confirmed reservation once, in the person’s language, when its window ends within the setting', async () => {
    const fr = await eligible('Léa');
    const en = await eligible('Sam', 'en');
    const offer = await insertTestOffer(db(), { organisationId: donorOrg, at: AT, pickup_starts_at: '2026-11-29T17:00:00.000Z', pickup_ends_at: '2026-11-29T18:00:00.000Z' });
    const r1 = await insertTestReservation(db(), { offerId: offer, userId: fr, quantity: 1 });
    await insertTestReservation(db(), { offerId: offer, userId: en, quantity: 2 });
    const waiting = await eligible('Noé');
    await insertTestReservation(db(), { offerId: offer, userId: waiting, quantity: 1, status: 'waiting' });

    // 17:00 UTC: the window ends in 60 minutes, more than the default 30: nothing yet.
    t.clock.set('2026-11-29T17:00:00.000Z');
    expect(await t.services.alerts.sendPickupReminders()).toEqual({ reminded: 0 });
    t.clock.set('2026-11-29T17:31:00.000Z');
    expect(await t.services.alerts.sendPickupReminders()).toEqual({ reminded: 2 });
    expect(await t.services.alerts.sendPickupReminders()).toEqual({ reminded: 0 });

    const [frItem] = await inbox(fr);
    expect(frItem).toMatchObject({ kind: 'reservation.reminder', title: 'Rappel : retrait avant 19:00', link: '/mes-reservations' });
    expect(frItem!.body).toContain('Boulangerie Martin');
    const [enItem] = await inbox(en);
    expect(enItem!.title).toBe('Reminder: pick up before 19:00');
    expect(await inbox(waiting)).toHaveLength(0);
    const row = await db().selectFrom('reservation').select('reminded_at').where('id', '=', r1).executeTakeFirstOrThrow();
    expect(row.reminded_at).toBe('2026-11-29T17:31:00.000Z');
    // The email goes through the outbox.
    expect(await db().selectFrom('outbox').select('channel').where('user_id', '=', fr).execute()).toEqual([{ channel: 'email' }]);
  });

  const LYON = { lat: 45.76, lng: 4.83 };
  it('alerts eligible people whose saved area and preferences match a new offer, once', async () => {
    const near = await eligible('Près');
    await savedArea(near, LYON);
    const far = await eligible('Loin');
    await savedArea(far, { ...LYON, lat: 45.83, lng: 4.97 }); // ~13 km away, radius 3
    const notEligible = await insertTestPerson(db(), 'Sans accès');
    await savedArea(notEligible, LYON);
    const off = await eligible('Sans alertes');
    await savedArea(off, { ...LYON, notify_new_offers: 0 });
    const wrongCategory = await eligible('Fruits');
    await savedArea(wrongCategory, { ...LYON, categories: '["fruits-legumes"]' });
    const allergic = await eligible('Gluten');
    await savedArea(allergic, { ...LYON, excluded_allergen_mask: 1 });
    const vegan = await eligible('Végan');
    await savedArea(vegan, { ...LYON, diet_mask: 2 });
    const member = await eligible('Boulanger');
    await savedArea(member, LYON);
    await insertTestMembership(db(), donorOrg, member);

    const offer = await insertTestOffer(db(), { organisationId: donorOrg, at: AT, ...LYON, title: 'Baguettes' });
    const partnersOnly = await insertTestOffer(db(), { organisationId: donorOrg, at: AT, ...LYON, audience: 'partners' });
    expect(await t.services.alerts.sendNewOfferAlerts()).toEqual({ alerted: 1, quiet: 0, capped: 0 });
    expect(await t.services.alerts.sendNewOfferAlerts()).toEqual({ alerted: 0, quiet: 0, capped: 0 });
    const [item] = await inbox(near);
    expect(item).toMatchObject({ kind: 'offer.new', title: 'Nouveau don près de chez vous : Baguettes', link: `/dons/${offer}` });
    expect(item!.body).toMatch(/^Boulangerie Martin, à 0 km\./);
    for (const other of [far, notEligible, off, wrongCategory, allergic, vegan, member]) expect(await inbox(other)).toHaveLength(0);
    expect(partnersOnly).toBeTruthy();
  });

  it('waits for the end of quiet hours (Europe/Paris) and respects the daily cap', async () => {
    const sleeper = await eligible('Dort');
    await savedArea(sleeper, { lat: 48.85, lng: 2.35, quiet_start: '22:00', quiet_end: '07:00' });
    const capped = await eligible('Plafond');
    await savedArea(capped, { lat: 48.85, lng: 2.35, daily_cap: 1 });
    // 22:30 in Paris (21:30 UTC in winter).
    t.clock.set('2026-11-29T21:30:00.000Z');
    const first = await insertTestOffer(db(), { organisationId: donorOrg, at: '2026-11-29T21:30:00.000Z', lat: 48.85, lng: 2.35, pickup_starts_at: '2026-11-30T08:00:00.000Z', pickup_ends_at: '2026-11-30T10:00:00.000Z' });
    await insertTestOffer(db(), { organisationId: donorOrg, at: '2026-11-29T21:31:00.000Z', lat: 48.85, lng: 2.35, pickup_starts_at: '2026-11-30T08:00:00.000Z', pickup_ends_at: '2026-11-30T10:00:00.000Z' });
    t.clock.set('2026-11-29T21:32:00.000Z');
    expect(await t.services.alerts.sendNewOfferAlerts()).toEqual({ alerted: 1, quiet: 2, capped: 1 });
    expect((await inbox(capped)).map((i) => i.link)).toEqual([`/dons/${first}`]);
    expect(await inbox(sleeper)).toHaveLength(0);
    // 07:00 in Paris: the delayed alerts go out (no cap reached for this person: 5 a day).
    t.clock.set('2026-11-30T06:00:00.000Z');
    expect(await t.services.alerts.sendNewOfferAlerts()).toMatchObject({ alerted: 2, quiet: 0 });
    expect(await inbox(sleeper)).toHaveLength(2);
  });

  it('reads as often for five people as for one (no query per person)', async () => {
    const counting = countingQueries(db());
    const alerts = createAlertsService({ db: counting.db, now: t.clock.now });
    const MARSEILLE = { lat: 43.3, lng: 5.37 };
    const awake = '2026-12-05T11:00:00.000Z';
    t.clock.set(awake);
    await insertTestOffer(db(), { organisationId: donorOrg, at: awake, ...MARSEILLE, pickup_starts_at: '2026-12-05T16:00:00.000Z', pickup_ends_at: '2026-12-05T17:00:00.000Z' });
    // Quiet all day: everyone is counted, nobody is written to, so only the reads are counted.
    const quietPerson = async () => savedArea(await eligible(), { ...MARSEILLE, quiet_start: '00:00', quiet_end: '23:59' });
    await quietPerson();
    expect(await alerts.sendNewOfferAlerts()).toEqual({ alerted: 0, quiet: 1, capped: 0 });
    const forOne = counting.count();
    for (let i = 0; i < 4; i++) await quietPerson();
    counting.reset();
    expect(await alerts.sendNewOfferAlerts()).toEqual({ alerted: 0, quiet: 5, capped: 0 });
    expect(counting.count()).toBe(forOne);
  });

  it('decides batch by batch as it would at once, each person’s daily cap whole', async () => {
    const NANTES = { lat: 47.22, lng: -1.55 };
    const awake = '2026-12-06T11:00:00.000Z';
    t.clock.set(awake);
    const people = [];
    for (const cap of [1, 2, 5, 1, 5]) {
      const id = await eligible(`Lot ${cap}`);
      await savedArea(id, { ...NANTES, daily_cap: cap });
      people.push(id);
    }
    const stranger = await insertTestPerson(db(), 'Sans accès');
    await savedArea(stranger, NANTES);
    for (let i = 0; i < 3; i++) {
      await insertTestOffer(db(), { organisationId: donorOrg, at: `2026-12-06T10:5${i}:00.000Z`, ...NANTES, pickup_starts_at: '2026-12-06T16:00:00.000Z', pickup_ends_at: '2026-12-06T17:00:00.000Z' });
    }
    const inTwos = createAlertsService({ db: db(), now: t.clock.now, userBatch: 2 });
    // 3 offers: caps 1, 2, 5, 1, 5 → 1 + 2 + 3 + 1 + 3 alerts, and 2 + 1 + 0 + 2 + 0 over the cap.
    expect(await inTwos.sendNewOfferAlerts()).toEqual({ alerted: 10, quiet: 0, capped: 5 });
    expect(await Promise.all(people.map(async (id) => (await inbox(id)).length))).toEqual([1, 2, 3, 1, 3]);
    expect(await inbox(stranger)).toHaveLength(0);
  });

  it('alerts the eligible person among more subscribers than a query may bind parameters', async () => {
    const RENNES = { lat: 48.11, lng: -1.68 };
    const awake = '2026-12-07T11:00:00.000Z';
    t.clock.set(awake);
    // 33,000 saved areas without access (over SQLite's 32,766 parameters), written in bulk.
    const COUNT = 33_000;
    for (let start = 0; start < COUNT; start += 1_000) {
      const ids = Array.from({ length: Math.min(1_000, COUNT - start) }, (_, i) => `bulk-${start + i}`);
      await db()
        .insertInto('user')
        .values(ids.map((id) => ({ id, email: `${id}@example.test`, phone: null, password_hash: null, display_name: id, locale: 'fr', email_verified_at: AT, phone_verified_at: null, is_platform_admin: 0, failed_sign_in_count: 0, locked_until: null, is_demo: 0, created_at: AT, updated_at: AT })))
        .execute();
      await db()
        .insertInto('feed_preference')
        .values(ids.map((id) => ({ user_id: id, ...RENNES, radius_km: 3, categories: '[]', diet_mask: 0, excluded_allergen_mask: 0, notify_new_offers: 1, quiet_start: null, quiet_end: null, daily_cap: 5, updated_at: AT })))
        .execute();
    }
    const person = await eligible('Rennaise');
    await savedArea(person, RENNES);
    const offer = await insertTestOffer(db(), { organisationId: donorOrg, at: awake, ...RENNES, pickup_starts_at: '2026-12-07T16:00:00.000Z', pickup_ends_at: '2026-12-07T17:00:00.000Z' });
    expect(await t.services.alerts.sendNewOfferAlerts()).toEqual({ alerted: 1, quiet: 0, capped: 0 });
    expect((await inbox(person)).map((i) => i.link)).toEqual([`/dons/${offer}`]);
  });

  it('reads and saves the alert settings without touching the saved area', async () => {
    const id = await eligible('Réglages');
    expect(await t.services.alerts.getAlertSettings(id)).toEqual({
      notifyNewOffers: false,
      quietStart: null,
      quietEnd: null,
      dailyCap: 5,
      hasArea: false,
      radiusKm: null
    });
    await savedArea(id, { notify_new_offers: 0, radius_km: 4 });
    const saved = await t.services.alerts.saveAlertSettings(id, { notifyNewOffers: true, quietStart: '21:30', quietEnd: '08:00', dailyCap: 3 });
    expect(saved).toEqual({ notifyNewOffers: true, quietStart: '21:30', quietEnd: '08:00', dailyCap: 3, hasArea: true, radiusKm: 4 });
    await expect(t.services.alerts.saveAlertSettings(id, { notifyNewOffers: true, quietStart: '21:30', quietEnd: null, dailyCap: 3 })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ path: 'quietEnd' }] }
    });
  });
});
