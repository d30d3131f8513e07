import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertPlace } from './directory.repository.js';

/** Test factories of the campaign tests (not shipped to pages). */

let n = 0;

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
