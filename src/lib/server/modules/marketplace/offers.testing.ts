import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CreateOfferInput } from '../../../schemas/offers.js';

/** Test factories for offers (used by *.test.ts only). */

let counter = 0;
const AT = '2026-11-29T09:00:00.000Z';

/** A donor organisation (a bakery) with an address and coordinates; returns its id. */
export async function insertDonorOrganisation(
  db: Kysely<DB>,
  options: { name?: string; kind?: 'donor' | 'association' | 'ccas'; withAddress?: boolean } = {}
): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const withAddress = options.withAddress ?? true;
  const kind = options.kind ?? 'donor';
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `donor-${counter}-${id.slice(0, 6)}`,
      name: options.name ?? `Boulangerie ${counter}`,
      kind,
      donor_kind: kind === 'donor' ? 'commerce' : null,
      network: null,
      siret: null,
      email: null,
      phone: null,
      address_line: withAddress ? '3 place du Marché' : null,
      postal_code: withAddress ? '59650' : null,
      city: withAddress ? "Villeneuve-d'Ascq" : null,
      insee_code: null,
      lat: withAddress ? 50.62 : null,
      lng: withAddress ? 3.14 : null,
      is_demo: 0,
      created_at: AT,
      updated_at: AT
    })
    .execute();
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

/** Inserts a reservation row directly (the reservation service belongs to M2). */
export async function insertTestReservation(
  db: Kysely<DB>,
  offerId: string,
  userId: string,
  quantity: number,
  status: 'confirmed' | 'pooled' | 'waiting' | 'collected' = 'confirmed'
): Promise<string> {
  const id = randomUUID();
  await db
    .updateTable('offer')
    .set((eb) => ({ remaining: eb(eb.ref('remaining'), '-', status === 'waiting' ? 0 : quantity) }))
    .where('id', '=', offerId)
    .execute();
  await db
    .insertInto('reservation')
    .values({
      id,
      offer_id: offerId,
      user_id: userId,
      partner_organisation_id: null,
      acted_by_user_id: null,
      quantity,
      collected_quantity: null,
      status,
      waiting_position: null,
      code_hash: null,
      code_ciphertext: null,
      idempotency_key: null,
      cancel_reason: null,
      cancelled_by: null,
      is_demo: 0,
      created_at: AT,
      confirmed_at: null,
      collected_at: null,
      cancelled_at: null,
      updated_at: AT
    })
    .execute();
  return id;
}
