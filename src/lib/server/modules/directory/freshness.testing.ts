import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertPlace } from './directory.repository.js';

/** Test factories of the campaign tests (not shipped to pages). */

let n = 0;

/** Inserts an organisation row (kind, optional email) and returns its id. */
export async function insertTestOrganisation(
  db: Kysely<DB>,
  o: { name: string; kind?: 'ccas' | 'association'; email?: string | null }
): Promise<string> {
  n += 1;
  const id = randomUUID();
  const at = '2026-01-01T00:00:00.000Z';
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `org-${n}-${id.slice(0, 6)}`,
      name: o.name,
      kind: o.kind ?? 'association',
      donor_kind: null,
      network: null,
      siret: null,
      email: o.email ?? null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: null,
      insee_code: null,
      lat: null,
      lng: null,
      is_demo: 0,
      created_at: at,
      updated_at: at
    })
    .execute();
  return id;
}

/** Adds a membership. */
export async function addTestMember(db: Kysely<DB>, organisationId: string, userId: string, role: 'owner' | 'manager' | 'member') {
  await db
    .insertInto('membership')
    .values({ id: randomUUID(), organisation_id: organisationId, user_id: userId, role, created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
}

/** Inserts a place of an organisation, verified long ago (stale). */
export async function insertTestPlace(db: Kysely<DB>, organisationId: string, name: string): Promise<string> {
  n += 1;
  const p = await insertPlace(db, {
    organisationId,
    slug: `lieu-${n}-${randomUUID().slice(0, 6)}`,
    name,
    city: 'Lille',
    postalCode: '59000',
    addressLine: '1 rue Nationale',
    openingHours: 'Mo-Fr 09:00-12:00',
    verifiedAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:00.000Z'
  });
  return p.id;
}
