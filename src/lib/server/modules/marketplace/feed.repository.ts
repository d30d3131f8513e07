import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { boundingBox, distanceFromTerm, haversineTerm, inBoundingBox, maxTermWithin } from '../../db/geosearch.js';
import type { FeedQuery } from './feed.rules.js';

/**
 * SQL of the feed and of saved feed preferences. The feed reads live offers (published, units
 * left, window not ended, open to people now) inside the bounding box of the radius — the
 * (lat, lng) B-tree index on both databases — then keeps and orders them by the haversine term
 * (db/geosearch.ts formulas), so only the page leaves the database.
 */

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export interface FeedRow {
  id: string;
  title: string;
  description: string | null;
  category: string;
  unit: string;
  quantity: number;
  remaining: number;
  weightGrams: number | null;
  dateKind: string;
  dateOn: string | null;
  allergens: string[];
  diets: string[];
  storage: string;
  origins: string[];
  organisationName: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number;
  lng: number;
  distanceKm: number;
  pickupStartsAt: string;
  pickupEndsAt: string;
  poolingEndsAt: string | null;
  allocatedAt: string | null;
  audience: string;
}

/**
 * The count of matches stops here: past it the feed says "more than 1,000" (`totalCapped`). Counting
 * every match of a dense city (50,000 live offers around Lille: ~3,800 per query, 37,000 within 10 km
 * of the centre) cost more than finding the page itself.
 */
export const FEED_TOTAL_CAP = 1000;
/** Smallest radius the nearest-first page is first looked for in (km), doubled until the page is full. */
const FEED_WIDEN_START_KM = 0.25;

/**
 * Live offers near the query's point, filtered, sorted and paged; with the count of matches (exact up
 * to FEED_TOTAL_CAP). Nearest first, the page is looked for in a small circle widened (doubling) until it
 * holds the page or reaches the radius asked: the offers of a fuller page within a smaller circle are the
 * nearest of the whole radius. Soonest end first, in a dense area (count capped), the offers are read in
 * end order (the (status, pickup_ends_at) index) until the page is full, instead of sorting the whole area.
 */
export async function findFeed(
  db: Kysely<DB>,
  q: FeedQuery,
  at: string,
  options: {
    /** Offers open to people now (default), or those addressed to partner associations (`partners`, and `partners-first` whatever the time). */
    as?: 'person' | 'partner';
    /** Where counting stops (tests lower it to exercise the dense-area paths on a few offers). */
    totalCap?: number;
  } = {}
): Promise<{ items: FeedRow[]; total: number; totalCapped: boolean }> {
  const { as = 'person', totalCap = FEED_TOTAL_CAP } = options;
  const center = { lat: q.lat, lng: q.lng };
  // haversineTerm reads columns of the alias `g`: the offer is `g` here.
  const term = haversineTerm(center);
  /** Live matches within `radiusKm`; `byEnd` keeps the (lat, lng) index out of the plan (SQLite's unary +). */
  const matches = (radiusKm: number, byEnd = false) => {
    const box = boundingBox(center, radiusKm);
    const lat = byEnd ? sql<number>`+g.lat` : sql<number>`g.lat`;
    let base = db
      .selectFrom('offer as g')
      .where('g.status', '=', 'published')
      .where('g.remaining', '>', 0)
      .where('g.pickup_ends_at', '>', at)
      .where(inBoundingBox(box, lat, 'g.lng'))
      .where(sql<boolean>`${term} <= ${maxTermWithin(radiusKm)}`)
      .where((eb) =>
        as === 'partner'
          ? eb('g.audience', 'in', ['partners', 'partners-first'])
          : eb.or([eb('g.audience', '=', 'people'), eb.and([eb('g.audience', '=', 'partners-first'), eb('g.partners_until', '<=', at)])])
      );
    if (q.categories.length > 0) base = base.where('g.category', 'in', q.categories);
    if (q.dietMask !== 0) base = base.where(sql<boolean>`(g.diet_mask & ${q.dietMask}) = ${q.dietMask}`);
    if (q.excludeAllergenMask !== 0) base = base.where(sql<boolean>`(g.allergen_mask & ${q.excludeAllergenMask}) = 0`);
    return base;
  };
  const pageAt = (radiusKm: number, byEnd = false) => {
    const page = matches(radiusKm, byEnd)
      .leftJoin('organisation as org', 'org.id', 'g.organisation_id')
      .select([
        'g.id',
        'g.title',
        'g.description',
        'g.category',
        'g.unit',
        'g.quantity',
        'g.remaining',
        'g.weight_grams',
        'g.date_kind',
        'g.date_on',
        'g.allergens',
        'g.diets',
        'g.storage',
        'g.origins',
        'org.name as organisation_name',
        'g.address_line',
        'g.postal_code',
        'g.city',
        'g.lat',
        'g.lng',
        'g.pickup_starts_at',
        'g.pickup_ends_at',
        'g.pooling_ends_at',
        'g.allocated_at',
        'g.audience'
      ])
      .select(term.as('term'));
    const ordered =
      q.sort === 'ending' ? page.orderBy('g.pickup_ends_at').orderBy('term') : page.orderBy('term').orderBy('g.pickup_ends_at');
    return ordered.orderBy('g.id').limit(q.limit).offset(q.offset).execute();
  };

  const counted = await db
    .selectFrom(
      matches(q.radiusKm)
        .select(sql<number>`1`.as('one'))
        .limit(totalCap + 1)
        .as('m')
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  const totalCapped = n > totalCap;
  const total = Math.min(n, totalCap);

  let rows: Awaited<ReturnType<typeof pageAt>>;
  if (!totalCapped && q.offset >= n) rows = [];
  else if (!totalCapped) rows = await pageAt(q.radiusKm);
  else if (q.sort === 'ending') rows = await pageAt(q.radiusKm, true);
  else {
    // More than the cap within the radius: a circle holding twice the page, by the area's mean density.
    const wanted = q.offset + q.limit;
    let radiusKm = Math.min(q.radiusKm, Math.max(FEED_WIDEN_START_KM, q.radiusKm * Math.sqrt((2 * wanted) / totalCap)));
    for (;;) {
      rows = await pageAt(radiusKm);
      if (rows.length >= q.limit || radiusKm >= q.radiusKm) break;
      radiusKm = Math.min(radiusKm * 2, q.radiusKm);
    }
  }
  return {
    total,
    totalCapped,
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      category: r.category,
      unit: r.unit,
      quantity: Number(r.quantity),
      remaining: Number(r.remaining),
      weightGrams: r.weight_grams === null ? null : Number(r.weight_grams),
      dateKind: r.date_kind,
      dateOn: r.date_on,
      allergens: parseList(r.allergens),
      diets: parseList(r.diets),
      storage: r.storage,
      origins: parseList(r.origins),
      organisationName: r.organisation_name,
      addressLine: r.address_line,
      postalCode: r.postal_code,
      city: r.city,
      lat: Number(r.lat),
      lng: Number(r.lng),
      distanceKm: Math.round(distanceFromTerm(Number(r.term)) * 1000) / 1000,
      pickupStartsAt: r.pickup_starts_at,
      pickupEndsAt: r.pickup_ends_at,
      poolingEndsAt: r.pooling_ends_at,
      allocatedAt: r.allocated_at,
      audience: r.audience
    }))
  };
}

export interface FeedPreferenceRecord {
  lat: number | null;
  lng: number | null;
  radiusKm: number;
  categories: string[];
  dietMask: number;
  excludedAllergenMask: number;
  notifyNewOffers: boolean;
  quietStart: string | null;
  quietEnd: string | null;
  dailyCap: number;
  updatedAt: string;
}

export async function findFeedPreference(db: Kysely<DB>, userId: string): Promise<FeedPreferenceRecord | undefined> {
  const r = await db.selectFrom('feed_preference').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!r) return undefined;
  return {
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
    radiusKm: Number(r.radius_km),
    categories: parseList(r.categories),
    dietMask: Number(r.diet_mask),
    excludedAllergenMask: Number(r.excluded_allergen_mask),
    notifyNewOffers: Number(r.notify_new_offers) === 1,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    dailyCap: Number(r.daily_cap),
    updatedAt: r.updated_at
  };
}

/** Writes a person's preferences (insert or replace), atomically on both databases. */
export async function saveFeedPreference(db: Kysely<DB>, userId: string, p: FeedPreferenceRecord): Promise<void> {
  const values = {
    lat: p.lat,
    lng: p.lng,
    radius_km: p.radiusKm,
    categories: JSON.stringify(p.categories),
    diet_mask: p.dietMask,
    excluded_allergen_mask: p.excludedAllergenMask,
    notify_new_offers: p.notifyNewOffers ? 1 : 0,
    quiet_start: p.quietStart,
    quiet_end: p.quietEnd,
    daily_cap: p.dailyCap,
    updated_at: p.updatedAt
  };
  await db
    .insertInto('feed_preference')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** The middle of the live offers (for a first feed before the person chose or saved a point), or null. */
export async function liveOffersCentre(db: Kysely<DB>, at: string): Promise<{ lat: number; lng: number } | null> {
  const r = await db
    .selectFrom('offer')
    .select((eb) => [eb.fn.avg<number>('lat').as('lat'), eb.fn.avg<number>('lng').as('lng')])
    .where('status', '=', 'published')
    .where('remaining', '>', 0)
    .where('pickup_ends_at', '>', at)
    .executeTakeFirst();
  return r && r.lat !== null && r.lng !== null ? { lat: Number(r.lat), lng: Number(r.lng) } : null;
}

/**
 * Live offers within the query's radius whose pooling window has ended and whose lottery has not run
 * (at most `limit`, soonest ended first): what a feed read must allocate before it searches. The
 * partial index `offer_lottery_due_idx` (pooling_ends_at WHERE allocated_at IS NULL) makes the usual
 * answer, none, cost next to nothing, and its walk in pooling order stops at `limit`.
 */
export function dueLotteriesQuery(db: Kysely<DB>, q: Pick<FeedQuery, 'lat' | 'lng' | 'radiusKm'>, at: string, limit = 100) {
  const box = boundingBox({ lat: q.lat, lng: q.lng }, q.radiusKm);
  return (
    db
      .selectFrom('offer')
      .select('id')
      .where('allocated_at', 'is', null)
      .where('pooling_ends_at', 'is not', null)
      .where('pooling_ends_at', '<=', at)
      .where(inBoundingBox(box, 'lat', 'lng'))
      // Live only. `status` is compared as an expression (`|| ''`), not as the bare column: an equality
      // on the column makes SQLite choose offer_live_idx (status, pickup_ends_at: every live offer) and
      // sort them, instead of walking the partial index (EXPLAIN QUERY PLAN, checked by the test).
      .where(sql<string>`status || ''`, '=', 'published')
      .where('remaining', '>', 0)
      .where('pickup_ends_at', '>', at)
      .orderBy('pooling_ends_at')
      .limit(limit)
  );
}

/** The ids of dueLotteriesQuery. */
export async function dueLotteriesNear(db: Kysely<DB>, q: Pick<FeedQuery, 'lat' | 'lng' | 'radiusKm'>, at: string, limit = 100): Promise<string[]> {
  return (await dueLotteriesQuery(db, q, at, limit).execute()).map((r) => r.id);
}
