import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../http/auth.js';

/** Test factories for organisations (not shipped to pages; used by *.test.ts only). */

let counter = 0;

/** Inserts a user row directly (no accounts service needed) and returns it as an Actor. */
export async function insertTestUser(
  db: Kysely<DB>,
  overrides: { email?: string; displayName?: string; isPlatformAdmin?: boolean; locale?: 'fr' | 'en' } = {}
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
      email_verified_at: null,
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
