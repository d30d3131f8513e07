import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Test factories for eligibility requests (used by *.test.ts only). */

const AT = '2026-11-01T09:00:00.000Z';

// The organisation and membership factories are organisations.testing's; re-exported for the files
// outside this change's reach that still import them from here (bench/claims, offer-photos tests).
export { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';

/** A scheme with its deciders. Validity in days (default 183 = about 6 months, at most 365). */
export async function insertTestScheme(
  db: Kysely<DB>,
  code: string,
  deciders: string[],
  options: { defaultDays?: number; maxDays?: number; renewable?: boolean; active?: boolean } = {}
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('scheme')
    .values({
      id,
      code,
      name: `Dispositif ${code}`,
      name_en: `Scheme ${code}`,
      description: null,
      accepted_profiles: '[]',
      communes: '[]',
      max_reste_a_vivre_cents: null,
      max_quotient_familial_cents: null,
      default_validity_days: options.defaultDays ?? 183,
      max_validity_days: options.maxDays ?? 365,
      is_renewable: options.renewable === false ? 0 : 1,
      is_active: options.active === false ? 0 : 1,
      position: 0,
      is_demo: 0,
      created_at: AT,
      updated_at: AT
    })
    .execute();
  for (const organisationId of deciders) {
    await db.insertInto('scheme_decider').values({ scheme_id: id, organisation_id: organisationId }).execute();
  }
  return id;
}

/** A household declaration, as the person's form sends it. */
export function householdInputFor(overrides: Record<string, unknown> = {}) {
  return {
    firstName: 'Léa',
    size: 1,
    adults: 1,
    children: 0,
    isSingleParent: false,
    profile: 'etudiant',
    communeInsee: '59350',
    communeName: 'Lille',
    ...overrides
  };
}

/** The smallest file that starts like a PDF (enough for the type check). */
export function tinyPdf(text = 'justificatif'): Uint8Array {
  return new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);
}

/** A PNG signature followed by a few bytes. */
export function tinyPng(): Uint8Array {
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
}
