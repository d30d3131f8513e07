import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../tests/helpers/db.js';
import { checkOfferSafety, DEFAULT_MARKETPLACE_SETTINGS } from '../modules/marketplace/marketplace.rules.js';
import { findOffer } from '../modules/marketplace/offers.repository.js';
import { deleteDemo, loadDemo } from './demo.js';
import { buildDemoOffers } from './offers-territory.js';
import { buildDemoTerritory, demoId } from './territory.js';

const NOW = new Date('2026-11-29T17:30:00.000Z');

describe('demo offers', () => {
  const territory = buildDemoTerritory();
  const offers = buildDemoOffers(territory, NOW);

  it('gives the demo bakery and other donors live offers that pass the food-safety rules', () => {
    expect(offers.length).toBeGreaterThanOrEqual(5);
    expect(offers.filter((o) => o.organisation_id === territory.organisationIds['donor:commerce'])).toHaveLength(2);
    expect(new Set(offers.map((o) => o.organisation_id)).size).toBeGreaterThanOrEqual(3);
    for (const o of offers) {
      expect(o.is_demo).toBe(1);
      expect(Date.parse(o.pickup_ends_at)).toBeGreaterThan(NOW.getTime());
      const issues = checkOfferSafety(
        {
          category: o.category,
          quantity: o.quantity,
          dateKind: o.date_kind,
          dateOn: o.date_on ?? null,
          storage: o.storage,
          audience: o.audience,
          allergens: JSON.parse(o.allergens) as string[],
          diets: JSON.parse(o.diets) as string[],
          origins: JSON.parse(o.origins) as string[],
          pickupStartsAt: o.pickup_starts_at,
          pickupEndsAt: o.pickup_ends_at,
          partnerAcceptsShorter: false,
          isRawAnimalProduct: false,
          postedBy: 'organisation'
        },
        DEFAULT_MARKETPLACE_SETTINGS,
        NOW
      );
      expect(issues, o.title).toEqual([]);
    }
  });

  it('keeps the same ids whatever the load time, with windows moving with it', () => {
    const later = buildDemoOffers(territory, new Date(NOW.getTime() + 86_400_000));
    expect(later.map((o) => o.id)).toEqual(offers.map((o) => o.id));
    expect(offers[0]!.id).toBe(demoId('offer', 1));
    expect(Date.parse(later[0]!.pickup_starts_at) - Date.parse(offers[0]!.pickup_starts_at)).toBe(86_400_000);
  });
});

describe.each(DIALECTS)('demo offers on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.destroy());

  it('are loaded with the demo and removed with it', async () => {
    await loadDemo(database, { nodeEnv: 'test', now: NOW });
    const bread = await findOffer(database.db, demoId('offer', 1));
    expect(bread).toMatchObject({ status: 'published', remaining: 12, isDemo: true, allergens: ['gluten'] });
    expect(bread?.organisationName).toBeTruthy();
    await deleteDemo(database);
    expect(await database.db.selectFrom('offer').select('id').execute()).toEqual([]);
  });
});
