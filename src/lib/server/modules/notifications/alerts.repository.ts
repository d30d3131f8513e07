import type { Kysely } from 'kysely';
import { inBoundingBox, type BoundingBox } from '../../db/geosearch.js';
import type { DB } from '../../db/schema.js';

/** All SQL of the marketplace alerts: pickup reminders and new offers in saved areas. */

export interface ReminderCandidate {
  reservationId: string;
  userId: string;
  locale: string;
  quantity: number;
  offerTitle: string;
  placeName: string;
  pickupStartsAt: string;
  pickupEndsAt: string;
}

/** Confirmed reservations of people whose offer's window ends in (now, until], not yet reminded. */
export async function remindersDue(db: Kysely<DB>, nowIso: string, untilIso: string): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('reservation as r')
    .innerJoin('offer as o', 'o.id', 'r.offer_id')
    .innerJoin('user as u', 'u.id', 'r.user_id')
    .leftJoin('organisation as org', 'org.id', 'o.organisation_id')
    .select([
      'r.id',
      'r.user_id',
      'r.quantity',
      'u.locale',
      'o.title',
      'o.city',
      'o.pickup_starts_at',
      'o.pickup_ends_at',
      'org.name as organisation_name'
    ])
    .where('r.status', '=', 'confirmed')
    .where('r.reminded_at', 'is', null)
    .where('o.status', '=', 'published')
    .where('o.pickup_ends_at', '>', nowIso)
    .where('o.pickup_ends_at', '<=', untilIso)
    .orderBy('o.pickup_ends_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    reservationId: r.id,
    userId: r.user_id as string,
    locale: r.locale,
    quantity: r.quantity,
    offerTitle: r.title,
    placeName: r.organisation_name ?? r.city ?? '',
    pickupStartsAt: r.pickup_starts_at,
    pickupEndsAt: r.pickup_ends_at
  }));
}

/** Sets `reminded_at` once; true when this caller did it (so the reminder is written once). */
export async function markReminded(db: Kysely<DB>, reservationId: string, atIso: string): Promise<boolean> {
  const result = await db
    .updateTable('reservation')
    .set({ reminded_at: atIso })
    .where('id', '=', reservationId)
    .where('reminded_at', 'is', null)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface NewOfferRow {
  id: string;
  title: string;
  category: string;
  dietMask: number;
  allergenMask: number;
  lat: number;
  lng: number;
  pickupStartsAt: string;
  pickupEndsAt: string;
  placeName: string;
  donorUserId: string | null;
  organisationId: string | null;
}

/**
 * Offers people can reserve now that were published since `sinceIso` and are still live: status
 * published, units left, window not over, audience open to people (partners-first once its
 * partners-only period is over).
 */
export async function recentLiveOffers(db: Kysely<DB>, sinceIso: string, nowIso: string): Promise<NewOfferRow[]> {
  const rows = await db
    .selectFrom('offer as o')
    .leftJoin('organisation as org', 'org.id', 'o.organisation_id')
    .select([
      'o.id',
      'o.title',
      'o.category',
      'o.diet_mask',
      'o.allergen_mask',
      'o.lat',
      'o.lng',
      'o.pickup_starts_at',
      'o.pickup_ends_at',
      'o.city',
      'o.donor_user_id',
      'o.organisation_id',
      'org.name as organisation_name'
    ])
    .where('o.status', '=', 'published')
    .where('o.remaining', '>', 0)
    .where('o.created_at', '>=', sinceIso)
    .where('o.pickup_ends_at', '>', nowIso)
    .where((eb) =>
      eb.or([
        eb('o.audience', '=', 'people'),
        eb.and([eb('o.audience', '=', 'partners-first'), eb('o.partners_until', '<=', nowIso)])
      ])
    )
    .orderBy('o.created_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    category: r.category,
    dietMask: Number(r.diet_mask),
    allergenMask: Number(r.allergen_mask),
    lat: Number(r.lat),
    lng: Number(r.lng),
    pickupStartsAt: r.pickup_starts_at,
    pickupEndsAt: r.pickup_ends_at,
    placeName: r.organisation_name ?? r.city ?? '',
    donorUserId: r.donor_user_id,
    organisationId: r.organisation_id
  }));
}

export interface AlertSubscriber {
  userId: string;
  locale: string;
  lat: number;
  lng: number;
  radiusKm: number;
  categories: string[];
  dietMask: number;
  excludedAllergenMask: number;
  quietStart: string | null;
  quietEnd: string | null;
  dailyCap: number;
}

function parseList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** People who asked for new-offer alerts with a saved point inside a box (around the offers), by user id. */
export async function subscribersNear(
  db: Kysely<DB>,
  box: BoundingBox
): Promise<AlertSubscriber[]> {
  const rows = await db
    .selectFrom('feed_preference as fp')
    .innerJoin('user as u', 'u.id', 'fp.user_id')
    .select([
      'fp.user_id',
      'u.locale',
      'fp.lat',
      'fp.lng',
      'fp.radius_km',
      'fp.categories',
      'fp.diet_mask',
      'fp.excluded_allergen_mask',
      'fp.quiet_start',
      'fp.quiet_end',
      'fp.daily_cap'
    ])
    .where('fp.notify_new_offers', '=', 1)
    .where('fp.lat', 'is not', null)
    .where('fp.lng', 'is not', null)
    .where(inBoundingBox(box, 'fp.lat', 'fp.lng'))
    .orderBy('fp.user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    locale: r.locale,
    lat: Number(r.lat),
    lng: Number(r.lng),
    radiusKm: Number(r.radius_km),
    categories: parseList(r.categories),
    dietMask: Number(r.diet_mask),
    excludedAllergenMask: Number(r.excluded_allergen_mask),
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    dailyCap: Number(r.daily_cap)
  }));
}

/** Which people were already told about which offers (the alert links to it), as `userId link` keys. */
export async function alreadyAlerted(db: Kysely<DB>, userIds: readonly string[], links: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0 || links.length === 0) return new Set();
  const rows = await db
    .selectFrom('inbox_item')
    .select(['user_id', 'link'])
    .where('user_id', 'in', [...userIds])
    .where('kind', '=', 'offer.new')
    .where('link', 'in', [...links])
    .execute();
  return new Set(rows.map((r) => `${r.user_id} ${r.link}`));
}

/** New-offer alerts each person got since `sinceIso` (the daily cap); people with none are left out. */
export async function alertsSince(db: Kysely<DB>, userIds: readonly string[], sinceIso: string): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('inbox_item')
    .select((eb) => ['user_id', eb.fn.countAll<string | number>().as('n')])
    .where('user_id', 'in', [...userIds])
    .where('kind', '=', 'offer.new')
    .where('created_at', '>=', sinceIso)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

/** The alert settings of a person's saved area (feed_preference), or undefined. */
export async function alertSettings(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('feed_preference')
    .select(['lat', 'lng', 'radius_km', 'notify_new_offers', 'quiet_start', 'quiet_end', 'daily_cap'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Writes only the alert columns of a person's preferences (the feed's own columns stay). */
export async function saveAlertSettings(
  db: Kysely<DB>,
  userId: string,
  values: { notify_new_offers: number; quiet_start: string | null; quiet_end: string | null; daily_cap: number },
  atIso: string
): Promise<void> {
  await db
    .insertInto('feed_preference')
    // A first row gets the feed's defaults (no point yet: the feed page saves the area).
    .values({ user_id: userId, radius_km: 3, categories: '[]', diet_mask: 0, excluded_allergen_mask: 0, ...values, updated_at: atIso })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: atIso }))
    .execute();
}
