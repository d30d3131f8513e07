import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inChunks } from '../../db/in-chunks.js';
import type { OfferTable, ReservationStatus } from '../../db/schema.marketplace.js';
import { LIVE_RESERVATION_STATUSES } from './reservations.rules.js';
import type { Audience, DateKind, OfferStatus, OfferUnit, Storage } from '../../../schemas/marketplace-vocabulary.js';

/** All SQL of offers (dons). Rows leave as camelCase records; the presenter shapes them for callers. */

export interface OfferRecord {
  id: string;
  organisationId: string | null;
  organisationName: string | null;
  donorUserId: string | null;
  postedByUserId: string | null;
  seriesId: string | null;
  occurrenceOn: string | null;
  title: string;
  description: string | null;
  category: string;
  unit: OfferUnit;
  quantity: number;
  remaining: number;
  weightGrams: number | null;
  dateKind: DateKind;
  dateOn: string | null;
  allergens: string[];
  allergenMask: number;
  diets: string[];
  dietMask: number;
  storage: Storage;
  origins: string[];
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number;
  lng: number;
  pickupStartsAt: string;
  pickupEndsAt: string;
  audience: Audience;
  partnersUntil: string | null;
  poolingEndsAt: string | null;
  valueCents: number | null;
  partnerAcceptsShorter: boolean;
  isRawAnimalProduct: boolean;
  status: OfferStatus;
  cancelReason: string | null;
  cancelledAt: string | null;
  version: number;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

function list(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

type OfferRow = Selectable<OfferTable> & { organisation_name: string | null };

function toRecord(r: OfferRow): OfferRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    donorUserId: r.donor_user_id,
    postedByUserId: r.posted_by_user_id,
    seriesId: r.series_id,
    occurrenceOn: r.occurrence_on,
    title: r.title,
    description: r.description,
    category: r.category,
    unit: r.unit,
    quantity: Number(r.quantity),
    remaining: Number(r.remaining),
    weightGrams: r.weight_grams === null ? null : Number(r.weight_grams),
    dateKind: r.date_kind,
    dateOn: r.date_on,
    allergens: list(r.allergens),
    allergenMask: Number(r.allergen_mask),
    diets: list(r.diets),
    dietMask: Number(r.diet_mask),
    storage: r.storage,
    origins: list(r.origins),
    addressLine: r.address_line,
    postalCode: r.postal_code,
    city: r.city,
    lat: Number(r.lat),
    lng: Number(r.lng),
    pickupStartsAt: r.pickup_starts_at,
    pickupEndsAt: r.pickup_ends_at,
    audience: r.audience,
    partnersUntil: r.partners_until,
    poolingEndsAt: r.pooling_ends_at,
    valueCents: r.value_cents === null ? null : Number(r.value_cents),
    partnerAcceptsShorter: Number(r.partner_accepts_shorter) === 1,
    isRawAnimalProduct: Number(r.is_raw_animal_product) === 1,
    status: r.status,
    cancelReason: r.cancel_reason,
    cancelledAt: r.cancelled_at,
    version: Number(r.version),
    isDemo: Number(r.is_demo) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

function selectOffers(db: Kysely<DB>) {
  return db
    .selectFrom('offer')
    .leftJoin('organisation', 'organisation.id', 'offer.organisation_id')
    .selectAll('offer')
    .select('organisation.name as organisation_name');
}

/** One offer with its organisation's name, or undefined. Exported for the feed, reservations and pickup. */
export async function findOffer(db: Kysely<DB>, id: string): Promise<OfferRecord | undefined> {
  const row = await selectOffers(db).where('offer.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/**
 * What a notification about an offer quotes (notifications/messages.ts): its title, the donor's public
 * name (organisation) or else the pickup city, and the window.
 */
export async function findOfferForMessage(
  db: Kysely<DB>,
  offerId: string
): Promise<{ offerTitle: string; placeName: string | null; pickupStartsAt: string; pickupEndsAt: string } | undefined> {
  const r = await db
    .selectFrom('offer')
    .leftJoin('organisation', 'organisation.id', 'offer.organisation_id')
    .select(['offer.title', 'organisation.name as organisationName', 'offer.city', 'offer.pickup_starts_at', 'offer.pickup_ends_at'])
    .where('offer.id', '=', offerId)
    .executeTakeFirst();
  if (!r) return undefined;
  return { offerTitle: r.title, placeName: r.organisationName ?? r.city, pickupStartsAt: r.pickup_starts_at, pickupEndsAt: r.pickup_ends_at };
}

/** The columns an offer is written with (insert and full update). */
export type OfferValues = Omit<
  OfferTable,
  | 'id' | 'version' | 'created_at' | 'updated_at' | 'status' | 'cancel_reason' | 'cancelled_at' | 'allocated_at' | 'remaining' | 'is_demo'
  | 'partner_accepts_shorter' | 'is_raw_animal_product'
> & { partner_accepts_shorter: number; is_raw_animal_product: number };

/**
 * Inserts a published offer with all its units remaining. A series occurrence whose day is already
 * there (unique series_id + occurrence_on) is left as it is: false, so generating is idempotent.
 */
export async function insertOffer(
  db: Kysely<DB>,
  o: OfferValues & { id: string; at: string; isDemo?: boolean }
): Promise<boolean> {
  const { id, at, isDemo, ...values } = o;
  const result = await db
    .insertInto('offer')
    .values({
      ...values,
      id,
      remaining: values.quantity,
      status: 'published',
      cancel_reason: null,
      cancelled_at: null,
      allocated_at: null,
      version: 1,
      is_demo: isDemo ? 1 : 0,
      created_at: at,
      updated_at: at
    })
    .onConflict((oc) => oc.columns(['series_id', 'occurrence_on']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Rewrites an offer's fields if it is still published, at `version`, and the new quantity is not
 * below what is already reserved (quantity − remaining). `remaining` moves by the change of quantity,
 * in the same conditional UPDATE (a reservation in between cannot be lost). False when a condition fails.
 */
export async function updateOfferRow(
  db: Kysely<DB>,
  id: string,
  version: number,
  values: Omit<OfferValues, 'organisation_id' | 'donor_user_id' | 'posted_by_user_id' | 'series_id' | 'occurrence_on' | 'pooling_ends_at'>,
  at: string
): Promise<boolean> {
  const result = await db
    .updateTable('offer')
    .set((eb) => ({
      ...values,
      remaining: eb(eb.ref('remaining'), '+', eb(eb.val(values.quantity), '-', eb.ref('quantity'))),
      version: eb(eb.ref('version'), '+', 1),
      updated_at: at
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'published')
    .where((eb) => eb(eb(eb.ref('quantity'), '-', eb.ref('remaining')), '<=', values.quantity))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Cancels a published offer (nothing left to reserve); false when it was not published any more. */
export async function markOfferCancelled(db: Kysely<DB>, id: string, reason: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('offer')
    .set((eb) => ({
      status: 'cancelled',
      cancel_reason: reason,
      cancelled_at: at,
      remaining: 0,
      version: eb(eb.ref('version'), '+', 1),
      updated_at: at
    }))
    .where('id', '=', id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Reservations still holding food or a place in line when an offer is cancelled. */

/** Cancels the live reservations of an offer by the donor; returns the people to tell. */
export async function cancelLiveReservations(
  db: Kysely<DB>,
  offerId: string,
  reason: string,
  at: string
): Promise<{ id: string; userId: string | null; partnerOrganisationId: string | null }[]> {
  const rows = await db
    .selectFrom('reservation')
    .select(['id', 'user_id', 'partner_organisation_id'])
    .where('offer_id', '=', offerId)
    .where('status', 'in', LIVE_RESERVATION_STATUSES)
    .execute();
  // An offer's live reservations (waiting list, pooled requests) are not capped: updated in slices, all in the caller's transaction.
  await inChunks(
    rows.map((r) => r.id),
    (ids) =>
      db
        .updateTable('reservation')
        .set({ status: 'cancelled', cancel_reason: reason, cancelled_by: 'donor', cancelled_at: at, updated_at: at })
        .where('id', 'in', ids)
        .where('status', 'in', LIVE_RESERVATION_STATUSES)
        .execute()
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, partnerOrganisationId: r.partner_organisation_id }));
}

/** An organisation's offers whose window overlaps [from, to), soonest first. */
export async function listOrganisationOffers(
  db: Kysely<DB>,
  organisationId: string,
  range: { from?: string; to?: string; limit?: number } = {}
): Promise<OfferRecord[]> {
  let q = selectOffers(db).where('offer.organisation_id', '=', organisationId);
  if (range.from) q = q.where('offer.pickup_ends_at', '>', range.from);
  if (range.to) q = q.where('offer.pickup_starts_at', '<', range.to);
  const rows = await q
    .orderBy('offer.pickup_starts_at', 'asc')
    .orderBy('offer.id', 'asc')
    .limit(range.limit ?? 500)
    .execute();
  return rows.map(toRecord);
}

/** The organisation's most recent offers (newest first): templates for "start from a previous offer". */
export async function listRecentOffers(db: Kysely<DB>, organisationId: string, limit = 10): Promise<OfferRecord[]> {
  const rows = await selectOffers(db)
    .where('offer.organisation_id', '=', organisationId)
    .orderBy('offer.created_at', 'desc')
    .orderBy('offer.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** A private person's own offers (donor_user_id), newest pickup first, `limit` at most. */
export async function listDonorUserOffers(db: Kysely<DB>, userId: string, limit = 50): Promise<OfferRecord[]> {
  const rows = await selectOffers(db)
    .where('offer.donor_user_id', '=', userId)
    .orderBy('offer.pickup_starts_at', 'desc')
    .orderBy('offer.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export interface OfferReservationRecord {
  id: string;
  firstName: string;
  quantity: number;
  collectedQuantity: number | null;
  status: ReservationStatus;
  createdAt: string;
}

/** The reservations of an offer as its donor sees them: a first name, a quantity, a status; nothing else. */
export async function listOfferReservations(db: Kysely<DB>, offerId: string): Promise<OfferReservationRecord[]> {
  const rows = await db
    .selectFrom('reservation')
    .leftJoin('user', 'user.id', 'reservation.user_id')
    .leftJoin('organisation', 'organisation.id', 'reservation.partner_organisation_id')
    .select([
      'reservation.id',
      'reservation.quantity',
      'reservation.collected_quantity',
      'reservation.status',
      'reservation.created_at',
      'user.display_name',
      'organisation.name as partner_name'
    ])
    .where('reservation.offer_id', '=', offerId)
    .orderBy('reservation.created_at', 'asc')
    .orderBy('reservation.id', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    firstName: r.partner_name ?? firstNameOf(r.display_name ?? ''),
    quantity: Number(r.quantity),
    collectedQuantity: r.collected_quantity === null ? null : Number(r.collected_quantity),
    status: r.status,
    createdAt: r.created_at
  }));
}

/** The first word of a display name: all a donor needs to hand over. */
export function firstNameOf(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? '';
}

/** Units handed over per offer (collected reservations), for the offers given. */
export async function collectedUnitsByOffer(db: Kysely<DB>, offerIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const slices = await inChunks(offerIds, (ids) =>
    db
      .selectFrom('reservation')
      .select((eb) => ['offer_id', eb.fn.sum<number | string>(eb.fn.coalesce('collected_quantity', 'quantity')).as('units')])
      .where('offer_id', 'in', ids)
      .where('status', '=', 'collected')
      .groupBy('offer_id')
      .execute()
  );
  for (const r of slices.flat()) out.set(r.offer_id, Number(r.units ?? 0));
  return out;
}
