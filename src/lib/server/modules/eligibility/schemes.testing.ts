import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CreateSchemeInput } from '../../../schemas/eligibility.js';
import type { DB } from '../../db/schema.js';

/** Test factories for schemes (used by *.test.ts only). */

let counter = 0;

/** Inserts an organisation row of a kind, in a commune (INSEE code and city). */
export async function insertTestOrganisation(
  db: Kysely<DB>,
  kind: 'ccas' | 'association' | 'donor' | 'platform',
  overrides: { name?: string; inseeCode?: string | null; city?: string | null } = {}
): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const at = '2026-11-29T09:00:00.000Z';
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `org-${counter}-${id.slice(0, 6)}`,
      name: overrides.name ?? `Organisation ${counter}`,
      kind,
      donor_kind: kind === 'donor' ? 'commerce' : null,
      network: null,
      siret: null,
      email: null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: overrides.city === undefined ? 'Glaneville' : overrides.city,
      insee_code: overrides.inseeCode === undefined ? '59999' : overrides.inseeCode,
      lat: null,
      lng: null,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return id;
}

/** Makes `userId` a member of `organisationId` with `role`. */
export async function addTestMembership(
  db: Kysely<DB>,
  organisationId: string,
  userId: string,
  role: 'owner' | 'manager' | 'member'
): Promise<void> {
  await db
    .insertInto('membership')
    .values({ id: randomUUID(), organisation_id: organisationId, user_id: userId, role, created_at: '2026-11-29T09:00:00.000Z' })
    .execute();
}

/** A valid scheme input: anti-gaspi-like (reste à vivre ≤ 7 €, 6 months, a year at most). */
export function schemeInput(overrides: Partial<CreateSchemeInput> = {}): CreateSchemeInput {
  counter += 1;
  return {
    code: `dispositif-${counter}`,
    name: `Dispositif ${counter}`,
    maxResteAVivreCents: 700,
    defaultValidityDays: 182,
    maxValidityDays: 365,
    ...overrides
  };
}
