import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../http/auth.js';
import type { MembershipRole, OrganisationKind } from '../../../schemas/vocabulary.js';

/** Test factories for organisations (not shipped to pages; used by *.test.ts only). */

let counter = 0;

/** Inserts a user row directly (no accounts service needed) and returns it as an Actor. */
export async function insertTestUser(
  db: Kysely<DB>,
  overrides: { email?: string; displayName?: string; isPlatformAdmin?: boolean; locale?: string; emailVerifiedAt?: string | null } = {}
): Promise<Actor & { email: string }> {
  counter += 1;
  const id = randomUUID();
  const email = overrides.email ?? `user${counter}-${id.slice(0, 6)}@example.test`;
  const at = '2026-11-29T09:00:00.000Z';
  await db
    .insertInto('user')
    .values({
      id,
      email,
      phone: null,
      password_hash: null,
      display_name: overrides.displayName ?? `Personne ${counter}`,
      locale: overrides.locale ?? 'fr',
      email_verified_at: overrides.emailVerifiedAt ?? null,
      phone_verified_at: null,
      is_platform_admin: overrides.isPlatformAdmin ? 1 : 0,
      failed_sign_in_count: 0,
      locked_until: null,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return { userId: id, isPlatformAdmin: overrides.isPlatformAdmin ?? false, requestId: `req-${counter}`, email };
}

/** A valid association input, with coordinates in Villeneuve-d'Ascq. */
export function associationInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Épicerie solidaire du Pont',
    kind: 'association',
    network: 'restos-du-coeur',
    siret: '732 829 320 00074',
    email: 'contact@epicerie.example',
    address: { line: '12 rue du Pont', postalCode: '59650', city: "Villeneuve-d'Ascq", lat: 50.62, lng: 3.14 },
    ...overrides
  };
}

export interface TestOrganisationOptions {
  /** Default: `Organisation N`. */
  name?: string;
  email?: string | null;
  /** Where the organisation is: street address with coordinates (default: none). */
  address?: { line: string; postalCode: string; city: string; lat: number; lng: number } | null;
  /** City and INSEE code without a street (what the eligibility territory reads); default none. */
  city?: string | null;
  inseeCode?: string | null;
}

/**
 * Inserts an organisation row directly and returns its id: the one organisation factory of the tests.
 * `options` may be just the name. A donor is a `commerce`.
 */
export async function insertTestOrganisation(
  db: Kysely<DB>,
  kind: OrganisationKind = 'association',
  options: string | TestOrganisationOptions = {}
): Promise<string> {
  const o = typeof options === 'string' ? { name: options } : options;
  counter += 1;
  const id = randomUUID();
  const at = '2026-11-29T09:00:00.000Z';
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `org-${counter}-${id.slice(0, 6)}`,
      name: o.name ?? `Organisation ${counter}`,
      kind,
      donor_kind: kind === 'donor' ? 'commerce' : null,
      network: null,
      siret: null,
      email: o.email ?? null,
      phone: null,
      address_line: o.address?.line ?? null,
      postal_code: o.address?.postalCode ?? null,
      city: o.address?.city ?? o.city ?? null,
      insee_code: o.inseeCode ?? null,
      lat: o.address?.lat ?? null,
      lng: o.address?.lng ?? null,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return id;
}

/** Makes `userId` a member of `organisationId` (default role: member). */
export async function insertTestMembership(db: Kysely<DB>, organisationId: string, userId: string, role: MembershipRole = 'member'): Promise<void> {
  await db
    .insertInto('membership')
    .values({ id: randomUUID(), organisation_id: organisationId, user_id: userId, role, created_at: '2026-11-29T09:00:00.000Z' })
    .execute();
}
