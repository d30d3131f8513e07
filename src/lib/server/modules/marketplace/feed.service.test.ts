import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import { insertTestOrganisation } from '../organisations/organisations.testing.js';
import { insertTestScheme } from '../eligibility/requests.testing.js';
import { createFeedService } from './feed.service.js';
import { grantAntiGaspi, insertTestOffer, insertTestPerson } from './marketplace.testing.js';

/** Counts the writes and the feed searches (selects from the offer aliased `g`) sent through a Kysely instance. */
class QuerySpy implements KyselyPlugin {
  writes = 0;
  searches = 0;
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' || node.kind === 'UpdateQueryNode' || node.kind === 'DeleteQueryNode') this.writes += 1;
    if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from ?? null).includes('{"kind":"IdentifierNode","name":"g"}')) this.searches += 1;
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
  reset() {
    this.writes = 0;
    this.searches = 0;
  }
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

// Around Lille's Grand-Place (50.6366, 3.0635); 0.009° of latitude ≈ 1 km.
const CENTER = { lat: 50.6366, lng: 3.0635 };

describe.each(DIALECTS)('feed service on %s', (kind) => {
  let t: TestServices;
  let person: string;
  const as = (userId: string) => ({ userId, isPlatformAdmin: false });
  const q = (extra: Record<string, string> = {}) => ({ lat: String(CENTER.lat), lng: String(CENTER.lng), radiusKm: '5', ...extra });
  const titles = (items: { title: string }[]) => items.map((i) => i.title);

  beforeAll(async () => {
    t = await createTestServices(kind);
    const db = t.services.db;
    const ccas = await insertTestOrganisation(db, 'ccas', 'CCAS');
    const donor = await insertTestOrganisation(db, 'donor', 'Boulangerie');
    const scheme = await insertTestScheme(db, 'anti-gaspi', [ccas]);
    person = await insertTestPerson(db);
    await grantAntiGaspi(db, person, scheme, ccas);
    const at = '2026-11-29T10:00:00.000Z';
    const o = (title: string, extra: Parameters<typeof insertTestOffer>[1]) =>
      insertTestOffer(db, { organisationId: donor, at, title, lat: CENTER.lat, lng: CENTER.lng, ...extra });
    const ids = {
      near: await o('Pain proche', { lat: CENTER.lat + 0.0045, pickup_ends_at: '2026-11-29T15:00:00.000Z' }),
      mid: await o('Légumes à 2 km', {
        lat: CENTER.lat + 0.018,
        category: 'fruits-legumes',
        allergens: '[]',
        allergen_mask: 0,
        diets: '["vegetarien","vegan"]',
        diet_mask: 0b11,
        pickup_ends_at: '2026-11-29T12:00:00.000Z'
      }),
      far: await o('Loin à 8 km', { lat: CENTER.lat + 0.072 }),
      gone: await o('Épuisé', { remaining: 0 }),
      ended: await o('Fini', { pickup_starts_at: '2026-11-29T08:00:00.000Z', pickup_ends_at: '2026-11-29T09:00:00.000Z' }),
      cancelled: await o('Annulé', { status: 'cancelled' }),
      partners: await o('Pour les associations', { audience: 'partners' }),
      partnersFirst: await o('Associations d’abord', { audience: 'partners-first', partners_until: '2026-11-29T11:00:00.000Z' })
    };
    expect(Object.keys(ids)).toHaveLength(8);
  }, 60_000);
  afterAll(async () => t?.destroy());
  beforeEach(() => t.clock.set('2026-11-29T10:00:00.000Z'));

  it('lists only live offers open to people, nearest first, with distances', async () => {
    const page = await t.services.feed.feed(as(person), q());
    expect(titles(page.items)).toEqual(['Pain proche', 'Légumes à 2 km']);
    expect(page.total).toBe(2);
    expect(page.items[0]!.distanceKm).toBeCloseTo(0.5, 1);
    expect(page.items[1]!.distanceKm).toBeCloseTo(2, 1);
    expect(page.items[0]).toMatchObject({ allergens: ['gluten'], diets: ['vegetarien'], organisationName: 'Boulangerie' });
    t.clock.set('2026-11-29T11:00:00.000Z'); // partners-first opens to people
    expect(titles((await t.services.feed.feed(as(person), q())).items)).toContain('Associations d’abord');
    expect(titles((await t.services.feed.feed(as(person), q({ radiusKm: '10' }))).items)).toContain('Loin à 8 km');
  });

  it('filters by category, diets (all of) and excluded allergens, sorts by soonest end, pages', async () => {
    const f = t.services.feed;
    expect(titles((await f.feed(as(person), q({ categories: 'fruits-legumes' }))).items)).toEqual(['Légumes à 2 km']);
    expect(titles((await f.feed(as(person), q({ diets: 'vegetarien,vegan' }))).items)).toEqual(['Légumes à 2 km']);
    expect(titles((await f.feed(as(person), q({ diets: 'vegetarien' }))).items)).toHaveLength(2);
    expect(titles((await f.feed(as(person), q({ excludeAllergens: 'gluten' }))).items)).toEqual(['Légumes à 2 km']);
    expect(titles((await f.feed(as(person), q({ sort: 'ending' }))).items)).toEqual(['Légumes à 2 km', 'Pain proche']);
    const second = await f.feed(as(person), q({ limit: '1', offset: '1' }));
    expect(titles(second.items)).toEqual(['Légumes à 2 km']);
    expect(second.total).toBe(2);
  });

  it('refuses people without access (403) and names bad parameters (400)', async () => {
    const nobody = await insertTestPerson(t.services.db);
    expect((await rejection(t.services.feed.feed(as(nobody), q()))).code).toBe('forbidden');
    const bad = await rejection(t.services.feed.feed(as(person), q({ categories: 'caviar', sort: 'price' })));
    expect(bad.code).toBe('validation_failed');
    expect(bad.details?.fields?.map((f) => f.path)).toEqual(['categories', 'sort']);
    expect((await rejection(t.services.feed.feed(as(person), {}))).details?.fields?.[0]?.path).toBe('lat');
  });

  it('saves the area and preferences, uses the area without a point, keeps notification fields', async () => {
    const f = t.services.feed;
    expect((await f.getPreferences(as(person))).isSaved).toBe(false);
    const saved = await f.savePreferences(as(person), {
      lat: CENTER.lat,
      lng: CENTER.lng,
      radiusKm: 1,
      categories: ['pain-viennoiserie'],
      diets: ['vegetarien'],
      excludeAllergens: ['arachides'],
      notifyNewOffers: true,
      quietStart: '21:00',
      quietEnd: '08:00'
    });
    expect(saved).toMatchObject({ isSaved: true, radiusKm: 1, diets: ['vegetarien'], excludeAllergens: ['arachides'], notifyNewOffers: true });
    const again = await f.savePreferences(as(person), {
      lat: CENTER.lat,
      lng: CENTER.lng,
      radiusKm: 1,
      categories: [],
      diets: [],
      excludeAllergens: []
    });
    expect(again).toMatchObject({ notifyNewOffers: true, quietStart: '21:00', quietEnd: '08:00', categories: [] });
    expect(titles((await f.feed(as(person), {})).items)).toEqual(['Pain proche']);
    const half = await rejection(f.savePreferences(as(person), { lat: 1, lng: null, radiusKm: 1, categories: [], diets: [], excludeAllergens: [] }));
    expect(half.details?.fields?.[0]?.path).toBe('lng');
  });

  it('runs a due pooling lottery when the feed is read', async () => {
    const pooled = await insertTestOffer(t.services.db, {
      title: 'Tirage',
      lat: CENTER.lat,
      lng: CENTER.lng,
      at: '2026-11-29T10:00:00.000Z',
      pooling_ends_at: '2026-11-29T10:10:00.000Z'
    });
    await t.services.reservations.reserve(as(person), pooled, { quantity: 1 }, `pool-${kind}`);
    t.clock.set('2026-11-29T10:11:00.000Z');
    const page = await t.services.feed.feed(as(person), q());
    expect(page.items.find((i) => i.id === pooled)?.poolingEndsAt).toBeNull();
    const row = await t.services.db.selectFrom('reservation').select('status').where('offer_id', '=', pooled).executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
  });

  it('writes nothing when no lottery is due; when one is, runs it before a single search; the job runs those out of reach', async () => {
    const spy = new QuerySpy();
    const allocated: string[] = [];
    const feed = createFeedService({
      db: t.services.db.withPlugin(spy),
      now: () => t.clock.now(),
      reservations: {
        isEligible: (userId, at) => t.services.reservations.isEligible(userId, at),
        allocateOffer: async (id) => {
          allocated.push(id);
          return t.services.reservations.allocateOffer(id);
        }
      }
    });
    const pooledAt = (title: string, lat: number) =>
      insertTestOffer(t.services.db, { title, lat, lng: CENTER.lng, at: '2026-11-29T10:00:00.000Z', pooling_ends_at: '2026-11-29T10:20:00.000Z' });
    const near = await pooledAt('Tirage proche', CENTER.lat + 0.001);
    const far = await pooledAt('Tirage loin', CENTER.lat + 0.09); // 10 km: outside a 5 km read
    await t.services.reservations.reserve(as(person), near, { quantity: 1 }, `near-${kind}`);
    await t.services.reservations.reserve(as(person), far, { quantity: 1 }, `far-${kind}`);

    // Pooling still open: a read (the page or GET /feed) writes nothing and runs no lottery.
    const before = await feed.feed(as(person), q());
    expect(before.items.find((i) => i.id === near)?.poolingEndsAt).toBe('2026-11-29T10:20:00.000Z');
    expect(spy.writes).toBe(0);
    expect(allocated).toEqual([]);
    const oneSearch = spy.searches;
    expect(oneSearch).toBeGreaterThan(0);

    // Pooling ended, the job not run yet: the read runs the lottery in its radius, then searches once.
    t.clock.set('2026-11-29T10:21:00.000Z');
    spy.reset();
    const page = await feed.feed(as(person), q());
    expect(allocated).toEqual([near]);
    expect(page.items.find((i) => i.id === near)).toMatchObject({ poolingEndsAt: null, remaining: 4 });
    expect(spy.searches).toBe(oneSearch);
    const status = (offerId: string) =>
      t.services.db.selectFrom('reservation').select('status').where('offer_id', '=', offerId).executeTakeFirstOrThrow();
    expect((await status(near)).status).toBe('confirmed');
    expect((await status(far)).status).toBe('pooled');

    // Once run, the next read writes nothing again; the job runs the lottery the read did not reach.
    spy.reset();
    await feed.feed(as(person), q());
    expect(spy.writes).toBe(0);
    expect(allocated).toEqual([near]);
    expect(await t.services.reservations.allocateDue()).toBe(1);
    expect((await status(far)).status).toBe('confirmed');
  });
});
