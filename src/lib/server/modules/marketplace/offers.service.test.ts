import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { putSetting } from '../eligibility/schemes.repository.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { insertTestScheme } from '../eligibility/requests.testing.js';
import { breadOffer, grantAntiGaspi, insertDonorOrganisation, insertTestReservation } from './marketplace.testing.js';
import { findOffer } from './offers.repository.js';
import { parisDayTime } from './offers.time.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe.each(DIALECTS)('offers service on %s', (kind) => {
  let t: TestServices;
  let baker: Actor;
  let stranger: Actor;
  let person: Actor & { email: string };
  let bakery: string;
  let association: string;
  const label = kind === 'postgres' ? postgresLabel : kind;

  beforeAll(async () => {
    t = await createTestServices(kind);
    baker = await insertTestUser(t.services.db);
    stranger = await insertTestUser(t.services.db);
    person = await insertTestUser(t.services.db, { displayName: 'Léa Martin' });
    bakery = await insertDonorOrganisation(t.services.db, { name: 'Boulangerie du Marché' });
    association = await insertDonorOrganisation(t.services.db, { kind: 'association' });
    await insertTestMembership(t.services.db, bakery, baker.userId, 'member');
    await insertTestMembership(t.services.db, association, stranger.userId, 'owner');
  });
  afterAll(async () => t?.destroy());

  it(`posts an offer at the organisation's address, with masks and cents (${label})`, async () => {
    const view = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    expect(view).toMatchObject({
      organisationId: bakery,
      organisationName: 'Boulangerie du Marché',
      quantity: 10,
      remaining: 10,
      reserved: 0,
      weightGrams: 2500,
      valueCents: 1200,
      status: 'published',
      pickup: { addressLine: '3 place du Marché', city: "Villeneuve-d'Ascq", lat: 50.62, lng: 3.14 }
    });
    const row = await t.services.db.selectFrom('offer').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect(Number(row.allergen_mask)).toBe(1); // gluten = bit 0
    expect(Number(row.diet_mask)).toBe(0b11); // vegetarien, vegan
    expect(row.pooling_ends_at).toBe(new Date(t.clock.now().getTime() + 10 * 60_000).toISOString());
  });

  it('takes a pickup place given in the offer', async () => {
    const view = await t.services.offers.postOffer(
      baker,
      breadOffer(bakery, t.clock.now(), { pickup: { addressLine: 'Marché couvert', city: 'Lille', lat: 50.63, lng: 3.06 } })
    );
    expect(view.pickup).toMatchObject({ addressLine: 'Marché couvert', city: 'Lille', lat: 50.63, lng: 3.06 });
  });

  it('refuses non-members (403), non-donor organisations (403) and unknown organisations (404)', async () => {
    expect((await refusal(t.services.offers.postOffer(stranger, breadOffer(bakery, t.clock.now())))).code).toBe('forbidden');
    expect((await refusal(t.services.offers.postOffer(stranger, breadOffer(association, t.clock.now())))).code).toBe('forbidden');
    expect((await refusal(t.services.offers.postOffer(baker, breadOffer('nope', t.clock.now())))).code).toBe('not_found');
  });

  it('refuses a private person unless the territory allows it, then refuses raw animal products', async () => {
    const e = await refusal(t.services.offers.postOffer(person, breadOffer(null, t.clock.now(), { pickup: { lat: 50.6, lng: 3.1 } })));
    expect(e.code).toBe('forbidden');
    expect(e.details?.fields?.[0]?.code).toBe('individuals_may_not_post');
    await putSetting(t.services.db, {
      key: 'marketplace.settings',
      value: JSON.stringify({ individualsMayPost: true }),
      updatedByUserId: null,
      updatedAt: t.clock.now().toISOString()
    });
    const raw = await refusal(
      t.services.offers.postOffer(person, breadOffer(null, t.clock.now(), { pickup: { lat: 50.6, lng: 3.1 }, isRawAnimalProduct: true }))
    );
    expect(raw.details?.fields).toEqual([expect.objectContaining({ path: 'isRawAnimalProduct', code: 'raw_animal_product_from_individual' })]);
    const ok = await t.services.offers.postOffer(person, breadOffer(null, t.clock.now(), { pickup: { lat: 50.6, lng: 3.1 } }));
    expect(ok.organisationId).toBeNull();
    await t.services.db.deleteFrom('setting').where('key', '=', 'marketplace.settings').execute();
  });

  it('names the field and the rule of each refusal', async () => {
    const e = await refusal(
      t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now(), { quantity: 0, dateKind: 'dlc', dateOn: '2026-11-01', allergens: ['kiwi'] }))
    );
    expect(e.code).toBe('validation_failed');
    expect(e.details?.fields?.map((f) => `${f.path}:${f.code}`)).toEqual([
      'quantity:quantity_not_positive_integer',
      'allergens:unknown_allergen',
      'dateOn:dlc_before_window_end'
    ]);
  });

  it('needs a pickup place when the organisation has no coordinates', async () => {
    const bare = await insertDonorOrganisation(t.services.db, { withAddress: false });
    await insertTestMembership(t.services.db, bare, baker.userId);
    const e = await refusal(t.services.offers.postOffer(baker, breadOffer(bare, t.clock.now())));
    expect(e.details?.fields?.[0]).toMatchObject({ path: 'pickup', code: 'pickup_required' });
  });

  it('edits an offer, keeps what is reserved, refuses a quantity below it and a stale version', async () => {
    const posted = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    await insertTestReservation(t.services.db, { offerId: posted.id, userId: person.userId, quantity: 3 });
    const edited = await t.services.offers.updateOffer(baker, posted.id, { quantity: 12, title: 'Pains du soir' });
    expect(edited).toMatchObject({ quantity: 12, remaining: 9, reserved: 3, title: 'Pains du soir', version: 2 });
    const below = await refusal(t.services.offers.updateOffer(baker, posted.id, { quantity: 2 }));
    expect(below.code).toBe('conflict');
    expect(below.details?.reserved).toBe(3);
    expect((await refusal(t.services.offers.updateOffer(baker, posted.id, { version: 1, quantity: 11 }))).code).toBe('conflict');
    const rule = await refusal(t.services.offers.updateOffer(baker, posted.id, { storage: 'chilled', pickupEndsAt: '2026-11-30T10:00:00Z' }));
    expect(rule.details?.fields?.[0]?.code).toBe('chilled_window_too_long');
    expect((await refusal(t.services.offers.updateOffer(stranger, posted.id, { quantity: 11 }))).code).toBe('forbidden');
  });

  it(`stores the donor's declarations and re-runs the rules with them on an edit (${label})`, async () => {
    // A DLC on the day the window ends: too close for a partner association unless it accepts shorter.
    const base = breadOffer(bakery, t.clock.now(), { audience: 'partners', dateKind: 'dlc', isRawAnimalProduct: true });
    const dlc = { ...base, dateOn: parisDayTime(base.pickupEndsAt).day };
    const refused = await refusal(t.services.offers.postOffer(baker, dlc));
    expect(refused.details?.fields?.map((f) => f.code)).toEqual(['dlc_too_close_for_partners']);
    const posted = await t.services.offers.postOffer(baker, { ...dlc, partnerAcceptsShorter: true });
    expect(posted).toMatchObject({ partnerAcceptsShorter: true, isRawAnimalProduct: true });
    const row = await t.services.db
      .selectFrom('offer')
      .select(['partner_accepts_shorter', 'is_raw_animal_product'])
      .where('id', '=', posted.id)
      .executeTakeFirstOrThrow();
    expect([Number(row.partner_accepts_shorter), Number(row.is_raw_animal_product)]).toEqual([1, 1]);

    // An edit that does not mention them keeps them, so the same DLC still passes.
    const edited = await t.services.offers.updateOffer(baker, posted.id, { title: 'Pains pour l’épicerie solidaire' });
    expect(edited).toMatchObject({ title: 'Pains pour l’épicerie solidaire', partnerAcceptsShorter: true, isRawAnimalProduct: true, version: 2 });
    // Withdrawing the partner's agreement is checked against the stored DLC, and refused.
    const withdrawn = await refusal(t.services.offers.updateOffer(baker, posted.id, { partnerAcceptsShorter: false }));
    expect(withdrawn.details?.fields?.map((f) => `${f.path}:${f.code}`)).toEqual(['dateOn:dlc_too_close_for_partners']);
    const cleared = await t.services.offers.updateOffer(baker, posted.id, { isRawAnimalProduct: false });
    expect(cleared).toMatchObject({ partnerAcceptsShorter: true, isRawAnimalProduct: false });
    expect((await findOffer(t.services.db, posted.id))?.isRawAnimalProduct).toBe(false);
  });

  it('cancels an offer with its live reservations and notifies each person in the same transaction', async () => {
    const posted = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    const other = await insertTestUser(t.services.db);
    const r1 = await insertTestReservation(t.services.db, { offerId: posted.id, userId: person.userId, quantity: 2, status: 'confirmed' });
    const r2 = await insertTestReservation(t.services.db, { offerId: posted.id, userId: other.userId, quantity: 1, status: 'waiting' });
    const collected = await insertTestReservation(t.services.db, { offerId: posted.id, userId: other.userId, quantity: 1, status: 'collected' });
    const cancelled = await t.services.offers.cancelOffer(baker, posted.id, { reason: 'Four en panne' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Four en panne', remaining: 0 });
    const rows = await t.services.db.selectFrom('reservation').select(['id', 'status', 'cancelled_by', 'cancel_reason']).where('offer_id', '=', posted.id).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(r1)).toMatchObject({ status: 'cancelled', cancelled_by: 'donor', cancel_reason: 'Four en panne' });
    expect(byId.get(r2)?.status).toBe('cancelled');
    expect(byId.get(collected)?.status).toBe('collected');
    const inbox = await t.services.db.selectFrom('inbox_item').selectAll().where('kind', '=', 'offer.cancelled').execute();
    expect(inbox.filter((i) => i.user_id === person.userId || i.user_id === other.userId)).toHaveLength(2);
    expect(inbox.find((i) => i.user_id === person.userId)?.body).toContain('Four en panne');
    const outbox = await t.services.db.selectFrom('outbox').selectAll().where('user_id', '=', person.userId).execute();
    expect(outbox.map((o) => o.channel)).toContain('email');
    expect((await refusal(t.services.offers.cancelOffer(baker, posted.id, { reason: 'Encore' }))).code).toBe('conflict');
    expect((await refusal(t.services.offers.cancelOffer(baker, posted.id, { reason: '' }))).details?.fields?.[0]?.path).toBe('reason');
  });

  it('shows the donor the value and the reservations (first name only); others a published offer without them', async () => {
    const posted = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    await insertTestReservation(t.services.db, { offerId: posted.id, userId: person.userId, quantity: 2 });
    const mine = await t.services.offers.getOffer(baker, posted.id);
    expect(mine.offer.valueCents).toBe(1200);
    expect(mine.reservations).toEqual([expect.objectContaining({ firstName: 'Léa', quantity: 2, status: 'confirmed' })]);
    expect(mine.permissions).toEqual({ canEdit: true, canCancel: true });
    const theirs = await t.services.offers.getOffer(stranger, posted.id);
    expect(theirs.offer.valueCents).toBeNull();
    expect(theirs.reservations).toBeNull();
    expect((await refusal(t.services.offers.getOffer(baker, 'missing'))).code).toBe('not_found');
  });

  it('lets read a published offer only those a feed shows it to (404 to others, as for an unknown id)', async () => {
    const ccas = await insertTestOrganisation(t.services.db, 'ccas', 'CCAS de lecture');
    const scheme = await insertTestScheme(t.services.db, 'anti-gaspi', [ccas]);
    const plain = await insertTestUser(t.services.db);
    const eligible = await insertTestUser(t.services.db);
    await grantAntiGaspi(t.services.db, eligible.userId, scheme, ccas);
    const expired = await insertTestUser(t.services.db);
    await grantAntiGaspi(t.services.db, expired.userId, scheme, ccas, { from: '2026-01-01', until: '2026-06-30' });
    const admin = await insertTestUser(t.services.db, { isPlatformAdmin: true });
    const forPeople = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    const forPartners = await t.services.offers.postOffer(baker, { ...breadOffer(bakery, t.clock.now()), audience: 'partners' });
    // The one whose access ended still sees the offer they reserved.
    await insertTestReservation(t.services.db, { offerId: forPeople.id, userId: expired.userId, quantity: 1 });

    const sees = async (who: Actor, id: string) => {
      try {
        await t.services.offers.getOffer(who, id);
        return true;
      } catch (err) {
        expect((err as AppError).code).toBe('not_found');
        return false;
      }
    };
    expect(await sees(plain, forPeople.id)).toBe(false);
    expect(await sees(plain, forPartners.id)).toBe(false);
    expect(await sees(eligible, forPeople.id)).toBe(true);
    expect(await sees(eligible, forPartners.id)).toBe(false);
    expect(await sees(expired, forPeople.id)).toBe(true);
    expect(await sees(expired, forPartners.id)).toBe(false);
    expect(await sees(stranger, forPartners.id)).toBe(true); // a member of an association
    expect(await sees(admin, forPartners.id)).toBe(true);
  });

  it('sums the impact of what was handed over and exports it as CSV', async () => {
    const org = await insertDonorOrganisation(t.services.db, { name: 'Primeur' });
    await insertTestMembership(t.services.db, org, baker.userId);
    const a = await t.services.offers.postOffer(baker, breadOffer(org, t.clock.now(), { title: '=Pommes', quantity: 10, weightGrams: 5000, valueCents: 1000 }));
    const b = await t.services.offers.postOffer(baker, breadOffer(org, t.clock.now(), { quantity: 4, weightGrams: 2000, valueCents: 400 }));
    await t.services.offers.postOffer(baker, breadOffer(org, t.clock.now(), { quantity: 4, weightGrams: 9000 }));
    const r1 = await insertTestReservation(t.services.db, { offerId: a.id, userId: person.userId, quantity: 10, status: 'collected' });
    await t.services.db.updateTable('reservation').set({ collected_quantity: 10 }).where('id', '=', r1).execute();
    const r2 = await insertTestReservation(t.services.db, { offerId: b.id, userId: person.userId, quantity: 2, status: 'collected' });
    await t.services.db.updateTable('reservation').set({ collected_quantity: 1 }).where('id', '=', r2).execute();
    const { impact, offers } = await t.services.offers.history(baker, org);
    expect(offers).toHaveLength(3);
    expect(impact).toMatchObject({ offers: 3, unitsCollected: 11, gramsSaved: 5500, kgSaved: 5.5, meals: 11, co2eKg: 13.8, valueCents: 1100 });
    const csv = await t.services.offers.historyCsv(baker, org);
    expect(csv.startsWith('\uFEFFpickup_starts_at,')).toBe(true);
    expect(csv).toContain("'=Pommes");
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect((await refusal(t.services.offers.history(stranger, org))).code).toBe('forbidden');
  });

  it("lists an organisation's offers in a range, for members only", async () => {
    const list = await t.services.offers.listOrganisationOffers(baker, bakery, { from: t.clock.now().toISOString() });
    expect(list.length).toBeGreaterThan(3);
    expect(list.every((o) => o.organisationId === bakery)).toBe(true);
    const none = await t.services.offers.listOrganisationOffers(baker, bakery, { from: '2027-01-01' });
    expect(none).toEqual([]);
    expect((await refusal(t.services.offers.listOrganisationOffers(stranger, bakery))).code).toBe('forbidden');
    expect((await refusal(t.services.offers.listOrganisationOffers(baker, bakery, { from: 'yesterday' }))).details?.fields?.[0]?.path).toBe('from');
    const recent = await t.services.offers.recentOffers(baker, bakery, 2);
    expect(recent).toHaveLength(2);
    expect((await findOffer(t.services.db, recent[0]!.id))?.organisationName).toBe('Boulangerie du Marché');
  });
});
