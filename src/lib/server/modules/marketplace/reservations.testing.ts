import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { OfferTable } from '../../db/schema.marketplace.js';
import { insertTestGrant } from '../eligibility/people.testing.js';

/**
 * Test factories of the marketplace's reservation tests: offers written directly (so these tests do
 * not depend on the offers module), eligible people. Tests and benches only.
 */

/** Inserts a published offer (defaults: 5 units, window from +1 h to +3 h of `at`, in Glaneville). */
export async function insertTestOffer(
  db: Kysely<DB>,
  o: Partial<OfferTable> & { organisationId?: string | null; at?: string } = {}
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
      donor_user_id: o.donor_user_id ?? null,
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
      pickup_starts_at: o.pickup_starts_at ?? plus(1),
      pickup_ends_at: o.pickup_ends_at ?? plus(3),
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

/** Inserts a bare account (no password) for tests that need many people quickly. */
export async function insertTestPerson(db: Kysely<DB>, name = 'Léa', locale = 'fr'): Promise<string> {
  const id = randomUUID();
  const at = '2026-11-01T09:00:00.000Z';
  await db
    .insertInto('user')
    .values({
      id,
      email: `${id.slice(0, 8)}@example.org`,
      phone: null,
      password_hash: null,
      display_name: name,
      locale,
      email_verified_at: at,
      phone_verified_at: null,
      is_platform_admin: 0,
      failed_sign_in_count: 0,
      locked_until: null,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return id;
}
