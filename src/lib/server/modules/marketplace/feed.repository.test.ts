import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { haversineKm } from '../../db/geosearch.js';
import { mulberry32 } from '../../random.js';
import { dueLotteriesNear, dueLotteriesQuery, findFeed, type FeedRow } from './feed.repository.js';
import { parseFeedQuery, type RawFeedQuery } from './feed.rules.js';
import { insertTestOffer } from './marketplace.testing.js';
import { insertTestOrganisation } from '../organisations/organisations.testing.js';

/**
 * The dense-area paths of the feed (count stopped at a cap, nearest-first page found in a widening
 * circle, soonest-end page read in end order) must give the very page the plain path gives: checked
 * here on 150 offers with the cap lowered to 40 (pages of 5), against the uncapped query and a JavaScript oracle.
 */

const CENTER = { lat: 50.6366, lng: 3.0635 };
const VILLAGE = { lat: CENTER.lat + 0.5, lng: CENTER.lng };
const AT = '2026-11-29T10:00:00.000Z';
/** The count cap of these tests: small enough for the dense paths, large beside a page of 5. */
const CAP = 40;
const CATEGORIES = ['pain-viennoiserie', 'fruits-legumes', 'produits-laitiers'] as const;

interface Fixture {
  id: string;
  lat: number;
  lng: number;
  category: string;
  endsAt: string;
  live: boolean;
}

const ids = (items: FeedRow[]) => items.map((i) => i.id);

describe.each(DIALECTS)('feed repository on %s', (kind) => {
  let t: TestServices;
  const offers: Fixture[] = [];

  beforeAll(async () => {
    t = await createTestServices(kind);
    const db = t.services.db;
    const donor = await insertTestOrganisation(db, 'donor', 'Boulangerie');
    const rand = mulberry32(20261129);
    // Dense in the middle, thinning out over ~6 km; some offers gone or ended (never in the feed).
    for (let i = 0; i < 150; i++) {
      const r = Math.abs(rand() + rand() - 1) * 0.06;
      const angle = rand() * 2 * Math.PI;
      const lat = Math.round((CENTER.lat + r * Math.cos(angle)) * 1e6) / 1e6;
      const lng = Math.round((CENTER.lng + r * 1.5 * Math.sin(angle)) * 1e6) / 1e6;
      const category = CATEGORIES[i % CATEGORIES.length]!;
      const endsAt = new Date(Date.parse(AT) + (30 + Math.floor(rand() * 600)) * 60_000).toISOString();
      const state = rand();
      const live = state > 0.1;
      const id = await insertTestOffer(db, {
        organisationId: donor,
        at: AT,
        title: `Offre ${i}`,
        lat,
        lng,
        category,
        pickup_starts_at: '2026-11-29T09:00:00.000Z',
        pickup_ends_at: state < 0.05 ? '2026-11-29T09:30:00.000Z' : endsAt,
        ...(state >= 0.05 && state < 0.1 ? { remaining: 0 } : {})
      });
      offers.push({ id, lat, lng, category, endsAt, live });
    }
    // A village 55 km north with 50 offers in one street: from 8 km south of it, the first circle of
    // the nearest-first search is empty and the page is found by widening.
    for (let i = 0; i < 50; i++) {
      const lat = Math.round((VILLAGE.lat + (rand() - 0.5) * 0.004) * 1e6) / 1e6;
      const lng = Math.round((VILLAGE.lng + (rand() - 0.5) * 0.006) * 1e6) / 1e6;
      const endsAt = new Date(Date.parse(AT) + (30 + Math.floor(rand() * 600)) * 60_000).toISOString();
      const id = await insertTestOffer(db, {
        organisationId: donor,
        at: AT,
        title: `Village ${i}`,
        lat,
        lng,
        category: 'pain-viennoiserie',
        pickup_starts_at: '2026-11-29T09:00:00.000Z',
        pickup_ends_at: endsAt
      });
      offers.push({ id, lat, lng, category: 'pain-viennoiserie', endsAt, live: true });
    }
  }, 120_000);
  afterAll(async () => t?.destroy());

  const parse = (raw: RawFeedQuery) => {
    const parsed = parseFeedQuery(raw);
    if (!parsed.query) throw new Error(JSON.stringify(parsed.issues));
    return parsed.query;
  };

  const queries: RawFeedQuery[] = [];
  for (const radiusKm of ['0.5', '1', '3', '10']) {
    for (const sort of ['distance', 'ending'] as const) {
      for (const offset of ['0', '5', '15']) {
        const limit = '5';
        queries.push({ lat: String(CENTER.lat), lng: String(CENTER.lng), radiusKm, sort, offset, limit });
        queries.push({ lat: String(CENTER.lat + 0.02), lng: String(CENTER.lng - 0.02), radiusKm, sort, offset, limit });
        queries.push({ lat: String(VILLAGE.lat - 0.072), lng: String(VILLAGE.lng), radiusKm, sort, offset, limit });
        queries.push({ lat: String(CENTER.lat + 0.01), lng: String(CENTER.lng - 0.01), radiusKm, sort, offset, limit, categories: 'fruits-legumes' });
      }
    }
  }

  it('gives the same pages with the count capped as with every match counted', async () => {
    let capped = 0;
    for (const raw of queries) {
      const q = parse(raw);
      const exact = await findFeed(t.services.db, q, AT, { totalCap: 100_000 });
      const fast = await findFeed(t.services.db, q, AT, { totalCap: CAP });
      expect(exact.totalCapped).toBe(false);
      expect(ids(fast.items), JSON.stringify(raw)).toEqual(ids(exact.items));
      expect(fast.totalCapped).toBe(exact.total > CAP);
      expect(fast.total).toBe(Math.min(exact.total, CAP));
      if (fast.totalCapped && exact.items.length > 0) capped++;
    }
    // The dense paths were really taken, with pages to compare.
    expect(capped).toBeGreaterThan(15);
  });

  it('answers what a plain JavaScript filter and sort of the live offers answers', async () => {
    for (const raw of queries) {
      const q = parse(raw);
      const within = offers
        .filter((o) => o.live && (q.categories.length === 0 || (q.categories as string[]).includes(o.category)))
        .map((o) => ({ ...o, km: haversineKm({ lat: q.lat, lng: q.lng }, o) }))
        .filter((o) => o.km <= q.radiusKm);
      within.sort((a, b) =>
        q.sort === 'ending' ? a.endsAt.localeCompare(b.endsAt) || a.km - b.km || a.id.localeCompare(b.id) : a.km - b.km || a.endsAt.localeCompare(b.endsAt)
      );
      const page = await findFeed(t.services.db, q, AT, { totalCap: CAP });
      expect(ids(page.items), JSON.stringify(raw)).toEqual(within.slice(q.offset, q.offset + q.limit).map((o) => o.id));
      expect(page.total).toBe(Math.min(within.length, CAP));
    }
  });

  it('finds the due lotteries near a point in SQL: live, not run, in the radius, soonest ended first, at most the limit, through the partial index', async () => {
    const db = t.services.db;
    // Far from the other fixtures (Paris), so the feed's pages above never see them.
    const PARIS = { lat: 48.8566, lng: 2.3522 };
    const pooled = (title: string, poolingEndsAt: string, more: Parameters<typeof insertTestOffer>[1] = {}) =>
      insertTestOffer(db, { at: AT, title, lat: PARIS.lat, lng: PARIS.lng, pooling_ends_at: poolingEndsAt, ...more });
    const second = await pooled('Deuxième', '2026-11-29T09:50:00.000Z');
    const first = await pooled('Première', '2026-11-29T09:40:00.000Z');
    const third = await pooled('Troisième', '2026-11-29T09:59:00.000Z');
    await pooled('Encore ouvert', '2026-11-29T10:30:00.000Z');
    await pooled('Déjà tiré', '2026-11-29T09:30:00.000Z', { allocated_at: '2026-11-29T09:31:00.000Z' });
    await pooled('Annulé', '2026-11-29T09:30:00.000Z', { status: 'cancelled' });
    await pooled('Épuisé', '2026-11-29T09:30:00.000Z', { remaining: 0 });
    await pooled('Fini', '2026-11-29T09:30:00.000Z', { pickup_starts_at: '2026-11-29T08:00:00.000Z', pickup_ends_at: '2026-11-29T09:45:00.000Z' });
    await pooled('Loin', '2026-11-29T09:30:00.000Z', { lat: PARIS.lat + 0.2 });
    const near = { lat: PARIS.lat, lng: PARIS.lng, radiusKm: 5 };

    expect(await dueLotteriesNear(db, near, AT)).toEqual([first, second, third]);
    expect(await dueLotteriesNear(db, near, AT, 2)).toEqual([first, second]);
    expect(await dueLotteriesNear(db, { ...near, radiusKm: 50 }, AT, 1)).toHaveLength(1);

    if (kind === 'sqlite') {
      const query = dueLotteriesQuery(db, near, AT, 2).compile();
      const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
      const details = plan.rows.map((r) => r.detail).join('\n');
      // The partial index of migration 044, walked in pooling order: no sort, so the LIMIT stops the walk.
      expect(details).toMatch(/^SEARCH offer USING INDEX offer_lottery_due_idx \(pooling_ends_at>\? AND pooling_ends_at<\?\)$/);
      expect(query.sql).toMatch(/limit \?$/);
    }
  });
});
