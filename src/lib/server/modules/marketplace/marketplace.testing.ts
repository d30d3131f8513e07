import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { OfferTable, ReservationStatus, ReservationTable } from '../../db/schema.marketplace.js';
import type { CreateOfferInput } from '../../../schemas/offers.js';
import { hashCardCode } from '../eligibility/people.rules.js';
import { insertTestGrant } from '../eligibility/people.testing.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { pickupCodeHash } from './pickup.rules.js';

/**
 * The marketplace's test factories (offers, reservations, donors, eligible people, households, cards),
 * rows written directly so a module's tests do not wait for another module's services. Tests, the
 * browser tests and benches only.
 */

let counter = 0;
const AT = '2026-11-29T09:00:00.000Z';

/**
 * A donor organisation (a bakery) with an address and coordinates in Villeneuve-d'Ascq, its
 * `members` added as members; returns its id.
 */
export async function insertDonorOrganisation(
  db: Kysely<DB>,
  options: { name?: string; kind?: 'donor' | 'association' | 'ccas'; withAddress?: boolean; members?: string[] } = {}
): Promise<string> {
  counter += 1;
  const id = await insertTestOrganisation(db, options.kind ?? 'donor', {
    name: options.name ?? `Boulangerie ${counter}`,
    address: (options.withAddress ?? true) ? { line: '3 place du Marché', postalCode: '59650', city: "Villeneuve-d'Ascq", lat: 50.62, lng: 3.14 } : null
  });
  for (const userId of options.members ?? []) await insertTestMembership(db, id, userId);
  return id;
}

/** A valid bread offer for tonight relative to `now` (window from now+15 min for 1 h). */
export function breadOffer(organisationId: string | null, now: Date, overrides: Partial<CreateOfferInput> = {}): CreateOfferInput {
  const start = new Date(now.getTime() + 15 * 60_000);
  const end = new Date(start.getTime() + 3600_000);
  return {
    organisationId,
    title: 'Baguettes et pains de campagne',
    category: 'pain-viennoiserie',
    unit: 'unit',
    quantity: 10,
    weightGrams: 2500,
    dateKind: 'none',
    allergens: ['gluten'],
    diets: ['vegetarien', 'vegan'],
    origins: ['local'],
    storage: 'ambient',
    pickupStartsAt: start.toISOString(),
    pickupEndsAt: end.toISOString(),
    audience: 'people',
    valueCents: 1200,
    ...overrides
  };
}

/**
 * Inserts a published offer (defaults: 5 units, window from +1 h to +3 h of `at`, in Glaneville).
 * Columns by their names, or the camelCase shortcuts.
 */
export async function insertTestOffer(
  db: Kysely<DB>,
  o: Partial<OfferTable> & {
    organisationId?: string | null;
    donorUserId?: string | null;
    pickupStartsAt?: string;
    pickupEndsAt?: string;
    at?: string;
  } = {}
): Promise<string> {
  const id = o.id ?? randomUUID();
  const at = o.at ?? '2026-11-29T10:00:00.000Z';
  const plus = (h: number) => new Date(Date.parse(at) + h * 3600_000).toISOString();
  const quantity = o.quantity ?? 5;
  await db
    .insertInto('offer')
    .values({
      id,
      organisation_id: o.organisationId ?? o.organisation_id ?? null,
      donor_user_id: o.donorUserId ?? o.donor_user_id ?? null,
      posted_by_user_id: null,
      series_id: null,
      occurrence_on: null,
      title: o.title ?? 'Pain de la veille',
      description: o.description ?? null,
      category: o.category ?? 'pain-viennoiserie',
      unit: o.unit ?? 'unit',
      quantity,
      remaining: o.remaining ?? quantity,
      weight_grams: o.weight_grams ?? 400,
      date_kind: o.date_kind ?? 'none',
      date_on: o.date_on ?? null,
      allergens: o.allergens ?? '["gluten"]',
      allergen_mask: o.allergen_mask ?? 1,
      diets: o.diets ?? '["vegetarien"]',
      diet_mask: o.diet_mask ?? 1,
      storage: o.storage ?? 'ambient',
      origins: o.origins ?? '[]',
      address_line: o.address_line ?? '1 rue du Four',
      postal_code: o.postal_code ?? '59999',
      city: o.city ?? 'Glaneville',
      lat: o.lat ?? 50.63,
      lng: o.lng ?? 3.06,
      pickup_starts_at: o.pickupStartsAt ?? o.pickup_starts_at ?? plus(1),
      pickup_ends_at: o.pickupEndsAt ?? o.pickup_ends_at ?? plus(3),
      audience: o.audience ?? 'people',
      partners_until: o.partners_until ?? null,
      pooling_ends_at: o.pooling_ends_at ?? null,
      allocated_at: o.allocated_at ?? null,
      value_cents: o.value_cents ?? null,
      status: o.status ?? 'published',
      cancel_reason: null,
      cancelled_at: null,
      version: 1,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return id;
}

/**
 * A reservation row with every column: the given ones, and for the rest none of the optional facts
 * (no code, no cancellation, not collected, not demo); `collected_quantity` follows the status.
 * For tests that write many rows at once, or a row without the unit bookkeeping of insertTestReservation.
 */
export function testReservationRow(
  r: Pick<Insertable<ReservationTable>, 'offer_id' | 'user_id' | 'quantity' | 'status' | 'created_at'> & Partial<Insertable<ReservationTable>>
): Insertable<ReservationTable> {
  return {
    id: randomUUID(),
    partner_organisation_id: null,
    acted_by_user_id: null,
    collected_quantity: r.status === 'collected' ? r.quantity : null,
    waiting_position: null,
    code_hash: null,
    code_ciphertext: null,
    idempotency_key: null,
    cancel_reason: null,
    cancelled_by: null,
    is_demo: 0,
    confirmed_at: null,
    collected_at: null,
    cancelled_at: null,
    updated_at: r.created_at,
    ...r
  };
}

/**
 * A reservation of `quantity` units (default 1), made `at`, with the pickup code `code` when given
 * (hashed as the data contract says). It takes its units from the offer's remainder as a real one
 * would, except while waiting or once cancelled. A collected one was collected whole at `changedAt`
 * (default `at`), the time a no-show or a collection is dated by.
 */
export async function insertTestReservation(
  db: Kysely<DB>,
  r: {
    offerId: string;
    userId: string;
    quantity?: number;
    code?: string;
    status?: ReservationStatus;
    at?: string;
    changedAt?: string;
    /** Made for this partner association (by `userId`, a member). */
    partnerOrganisationId?: string;
  }
): Promise<string> {
  const id = randomUUID();
  const quantity = r.quantity ?? 1;
  const at = r.at ?? AT;
  const changedAt = r.changedAt ?? at;
  const status = r.status ?? 'confirmed';
  const collected = status === 'collected';
  await db
    .insertInto('reservation')
    .values(
      testReservationRow({
        id,
        offer_id: r.offerId,
        user_id: r.userId,
        partner_organisation_id: r.partnerOrganisationId ?? null,
        quantity,
        status,
        code_hash: r.code ? pickupCodeHash(r.offerId, r.code) : null,
        created_at: at,
        confirmed_at: status === 'confirmed' || collected || status === 'no_show' ? at : null,
        collected_at: collected ? changedAt : null,
        updated_at: changedAt
      })
    )
    .execute();
  if (status !== 'waiting' && status !== 'cancelled') {
    await db
      .updateTable('offer')
      .set((eb) => ({ remaining: eb('remaining', '-', quantity) }))
      .where('id', '=', r.offerId)
      .execute();
  }
  return id;
}

/** Gives `userId` a running anti-gaspi grant (validity around `today`). */
export async function grantAntiGaspi(
  db: Kysely<DB>,
  userId: string,
  schemeId: string,
  organisationId: string,
  validity: { from?: string; until?: string; revokedAt?: string | null } = {}
): Promise<string> {
  return insertTestGrant(db, {
    userId,
    schemeId,
    organisationId,
    validFrom: validity.from ?? '2026-11-01',
    validUntil: validity.until ?? '2027-04-30',
    revokedAt: validity.revokedAt ?? null
  });
}

/** Inserts a bare account (no password, email verified) for tests that need many people quickly; returns its id. */
export async function insertTestPerson(db: Kysely<DB>, name = 'Léa', locale = 'fr'): Promise<string> {
  return (await insertTestUser(db, { displayName: name, locale, emailVerifiedAt: '2026-11-01T09:00:00.000Z' })).userId;
}

/** A household first name for a person (what the donor sees). */
export async function insertTestHousehold(db: Kysely<DB>, userId: string, firstName: string): Promise<void> {
  const at = '2026-11-01T09:00:00.000Z';
  await db
    .insertInto('household')
    .values({
      user_id: userId,
      first_name: firstName,
      size: 1,
      adults: 1,
      children: 0,
      is_single_parent: 0,
      profile: 'etudiant',
      commune_insee: null,
      commune_name: null,
      is_demo: 0,
      created_at: at,
      updated_at: at,
      last_activity_at: at
    })
    .execute();
}

/** An active person card with a known code (8 symbols of the card alphabet), issued by `organisationId`. */
export async function insertTestCard(db: Kysely<DB>, userId: string, organisationId: string, code: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('person_card')
    .values({
      id,
      user_id: userId,
      organisation_id: organisationId,
      code_hash: hashCardCode(code),
      code_ciphertext: 'test-only',
      issued_by_user_id: null,
      issued_at: '2026-11-01T09:00:00.000Z',
      revoked_at: null,
      revoked_by_user_id: null,
      is_demo: 0
    })
    .execute();
  return id;
}
