import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { addressKey, distinctPickups, knownPickup } from './my-offers.rules.js';
import { insertTestOffer, insertTestPerson } from './marketplace.testing.js';

describe('a private person’s known pickup addresses (rules)', () => {
  const place = (addressLine: string | null, lat = 50.63) => ({ addressLine, postalCode: '59000', city: 'Lille', lat, lng: 3.06 });

  it('compares addresses without case, accents, punctuation or extra spaces', () => {
    expect(addressKey('  12, Rue de l’Église  59000 LILLE ')).toBe(addressKey('12 rue de l eglise 59000 lille'));
    expect(addressKey('Cœur')).toBe('coeur');
    expect(addressKey('12 rue A')).not.toBe(addressKey('14 rue A'));
  });

  it('keeps the newest of each address, skips offers without one, and stops at five', () => {
    const known = distinctPickups([
      place('1 Rue A', 1),
      place('1 rue a', 2),
      place(null),
      ...['2 Rue B', '3 Rue C', '4 Rue D', '5 Rue E', '6 Rue F'].map((a) => place(a))
    ]);
    expect(known.map((k) => k.addressLine)).toEqual(['1 Rue A', '2 Rue B', '3 Rue C', '4 Rue D', '5 Rue E']);
    expect(known[0]!.lat).toBe(1);
    expect(knownPickup('1 RUE A.', known)?.lat).toBe(1);
    expect(knownPickup('7 Rue G', known)).toBeUndefined();
    expect(knownPickup('  ', known)).toBeUndefined();
  });
});

describe.each(DIALECTS)('myOffers.knownPickups on %s', (kind) => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => t?.destroy());

  it('answers the located addresses of the person’s own offers only, newest first', async () => {
    const db = t.services.db;
    const alice = await insertTestPerson(db);
    const bob = await insertTestPerson(db);
    const offer = (donor: string, address: string, day: string, lat: number) =>
      insertTestOffer(db, { donor_user_id: donor, address_line: address, postal_code: '59000', city: 'Lille', lat, lng: 3.06, pickup_starts_at: `2026-11-${day}T10:00:00.000Z`, pickup_ends_at: `2026-11-${day}T12:00:00.000Z` });
    await offer(alice, '1 Place du Théâtre 59000 Lille', '20', 50.1);
    await offer(alice, '3 Rue Nationale 59000 Lille', '25', 50.2);
    await offer(alice, '1 place du theatre 59000 lille', '27', 50.3);
    await offer(bob, '9 Rue de Bob 59000 Lille', '28', 50.4);
    const known = await t.services.myOffers.knownPickups({ userId: alice, isPlatformAdmin: false, requestId: 'test' });
    expect(known).toEqual([
      { addressLine: '1 place du theatre 59000 lille', postalCode: '59000', city: 'Lille', lat: 50.3, lng: 3.06 },
      { addressLine: '3 Rue Nationale 59000 Lille', postalCode: '59000', city: 'Lille', lat: 50.2, lng: 3.06 }
    ]);
  });
});
