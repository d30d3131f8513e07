import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ReservationStatus } from '../../db/schema.marketplace.js';
import { hashCardCode } from '../eligibility/people.rules.js';
import { pickupCodeHash } from './pickup.rules.js';

/**
 * Test factories of marketplace rows the handover reads (donor organisations, offers, reservations with a
 * known pickup code), inserted directly so the pickup tests do not wait for the offers and reservations
 * services. Tests (and the handover browser test) only.
 */

let counter = 0;

export async function insertTestDonorOrganisation(db: Kysely<DB>, memberUserIds: string[] = [], name = 'Boulangerie du Test'): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const at = '2026-11-01T09:00:00.000Z';
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `donor-${counter}-${id.slice(0, 6)}`,
      name,
      kind: 'donor',
      donor_kind: 'commerce',
      network: null,
      siret: null,
      email: null,
      phone: null,
      address_line: '1 place du Test',
      postal_code: '59000',
      city: 'Lille',
      insee_code: null,
      lat: 50.63,
      lng: 3.06,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  for (const userId of memberUserIds) {
    await db
      .insertInto('membership')
      .values({ id: randomUUID(), organisation_id: id, user_id: userId, role: 'member', created_at: at })
      .execute();
  }
  return id;
}

export async function insertTestOffer(
  db: Kysely<DB>,
  o: {
    organisationId?: string | null;
    donorUserId?: string | null;
    title?: string;
    quantity?: number;
    remaining?: number;
    pickupStartsAt: string;
    pickupEndsAt: string;
    lat?: number;
    lng?: number;
  }
): Promise<string> {
  const id = randomUUID();
  const at = '2026-11-01T09:00:00.000Z';
  await db
    .insertInto('offer')
    .values({
      id,
      organisation_id: o.organisationId ?? null,
      donor_user_id: o.donorUserId ?? null,
      posted_by_user_id: null,
      series_id: null,
      occurrence_on: null,
      title: o.title ?? 'Pain de campagne',
      description: null,
      category: 'pain-viennoiserie',
      unit: 'unit',
      quantity: o.quantity ?? 10,
      remaining: o.remaining ?? o.quantity ?? 10,
      weight_grams: 4000,
      date_kind: 'none',
      date_on: null,
      allergens: '["gluten"]',
      allergen_mask: 1,
      diets: '[]',
      diet_mask: 0,
      storage: 'ambient',
      origins: '[]',
      address_line: '1 place du Test',
      postal_code: '59000',
      city: 'Lille',
      lat: o.lat ?? 50.63,
      lng: o.lng ?? 3.06,
      pickup_starts_at: o.pickupStartsAt,
      pickup_ends_at: o.pickupEndsAt,
      audience: 'people',
      partners_until: null,
      pooling_ends_at: null,
      allocated_at: null,
      value_cents: 1000,
      status: 'published',
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
 * A reservation of `quantity` units with the pickup code `code` (hash as the data contract says), and
 * the offer's remainder decremented as a real reservation would.
 */
export async function insertTestReservation(
  db: Kysely<DB>,
  r: { offerId: string; userId: string; quantity?: number; code?: string; status?: ReservationStatus; at?: string }
): Promise<string> {
  const id = randomUUID();
  const quantity = r.quantity ?? 1;
  const at = r.at ?? '2026-11-29T09:00:00.000Z';
  const status = r.status ?? 'confirmed';
  await db
    .insertInto('reservation')
    .values({
      id,
      offer_id: r.offerId,
      user_id: r.userId,
      partner_organisation_id: null,
      acted_by_user_id: null,
      quantity,
      collected_quantity: null,
      status,
      waiting_position: null,
      code_hash: r.code ? pickupCodeHash(r.offerId, r.code) : null,
      code_ciphertext: null,
      idempotency_key: null,
      cancel_reason: null,
      cancelled_by: null,
      is_demo: 0,
      created_at: at,
      confirmed_at: status === 'confirmed' ? at : null,
      collected_at: null,
      cancelled_at: null,
      updated_at: at
    })
    .execute();
  if (status === 'confirmed') {
    await db
      .updateTable('offer')
      .set((eb) => ({ remaining: eb('remaining', '-', quantity) }))
      .where('id', '=', r.offerId)
      .execute();
  }
  return id;
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
