import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inChunks } from '../../db/in-chunks.js';
import type { ReservationStatus } from '../../db/schema.marketplace.js';
import type { Audience } from '../../../schemas/marketplace-vocabulary.js';
import { getSetting } from '../eligibility/schemes.repository.js';
import { MARKETPLACE_SETTINGS_KEY, readMarketplaceSettings, type MarketplaceSettings } from './marketplace.rules.js';
import { LIVE_RESERVATION_STATUSES } from './reservations.rules.js';

/**
 * All SQL of reservations. State changes are conditional updates, atomic on SQLite and PostgreSQL:
 * `remaining` moves only through `takeUnits` (… AND remaining >= ? …) and `giveBackUnits`, and a
 * reservation changes status only `WHERE status = <the status it was read in>`.
 */

/** The territory's marketplace settings (defaults where unset). */
export async function readSettings(db: Kysely<DB>): Promise<MarketplaceSettings> {
  const row = await getSetting(db, MARKETPLACE_SETTINGS_KEY);
  return readMarketplaceSettings(row?.value);
}

/** What reserving needs to know of an offer. */
export interface ReservableOffer {
  id: string;
  title: string;
  organisationId: string | null;
  status: string;
  quantity: number;
  remaining: number;
  pickupStartsAt: string;
  pickupEndsAt: string;
  audience: Audience;
  partnersUntil: string | null;
  poolingEndsAt: string | null;
  allocatedAt: string | null;
}

export async function findReservableOffer(db: Kysely<DB>, id: string): Promise<ReservableOffer | undefined> {
  const r = await db
    .selectFrom('offer')
    .select([
      'id',
      'title',
      'organisation_id',
      'status',
      'quantity',
      'remaining',
      'pickup_starts_at',
      'pickup_ends_at',
      'audience',
      'partners_until',
      'pooling_ends_at',
      'allocated_at'
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    title: r.title,
    organisationId: r.organisation_id,
    status: r.status,
    quantity: Number(r.quantity),
    remaining: Number(r.remaining),
    pickupStartsAt: r.pickup_starts_at,
    pickupEndsAt: r.pickup_ends_at,
    audience: r.audience,
    partnersUntil: r.partners_until,
    poolingEndsAt: r.pooling_ends_at,
    allocatedAt: r.allocated_at
  };
}

/**
 * Takes `quantity` units of a live offer: one conditional UPDATE, so under any concurrency the
 * units taken never exceed the offer's quantity. False when the offer is not published, its window
 * has ended, or fewer units remain.
 */
export async function takeUnits(db: Kysely<DB>, offerId: string, quantity: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('offer')
    .set((eb) => ({ remaining: eb('remaining', '-', quantity), updated_at: at }))
    .where('id', '=', offerId)
    .where('status', '=', 'published')
    .where('remaining', '>=', quantity)
    .where('pickup_ends_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Gives units back to an offer (a confirmed reservation cancelled, or collected in part), never above
 * its quantity; false when that bound would be crossed (nothing written).
 */
export async function giveBackUnits(db: Kysely<DB>, offerId: string, quantity: number, at: string): Promise<boolean> {
  if (quantity <= 0) return true;
  const result = await db
    .updateTable('offer')
    .set((eb) => ({ remaining: eb('remaining', '+', quantity), updated_at: at }))
    .where('id', '=', offerId)
    .where(sql<boolean>`remaining + ${quantity} <= quantity`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Serialises one person's reservations: a no-op write on their user row takes its row lock on
 * PostgreSQL (SQLite locks the whole database for a write transaction anyway), so two concurrent
 * reservations of the same person count their limits one after the other.
 */
export async function lockPerson(db: Kysely<DB>, userId: string): Promise<void> {
  await db
    .updateTable('user')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', userId)
    .execute();
}

const HOLDING: ReservationStatus[] = ['pooled', 'waiting', 'confirmed'];

/** What a person holds, for the limits (see LimitUsage in reservations.rules). */
export async function usageOf(
  db: Kysely<DB>,
  userId: string,
  offerId: string,
  week: { start: string; end: string },
  at: string
): Promise<{ active: number; unitsOnOffer: number; pickupsThisWeek: number; holdsOffer: boolean }> {
  const active = await db
    .selectFrom('reservation')
    .innerJoin('offer', 'offer.id', 'reservation.offer_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reservation.user_id', '=', userId)
    .where('reservation.partner_organisation_id', 'is', null)
    .where('reservation.status', 'in', HOLDING)
    .where('offer.pickup_ends_at', '>', at)
    .executeTakeFirstOrThrow();
  const onOffer = await db
    .selectFrom('reservation')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('quantity').as('units')])
    .where('user_id', '=', userId)
    .where('partner_organisation_id', 'is', null)
    .where('offer_id', '=', offerId)
    .where('status', 'in', [...HOLDING, 'collected'])
    .executeTakeFirstOrThrow();
  const week_ = await db
    .selectFrom('reservation')
    .innerJoin('offer', 'offer.id', 'reservation.offer_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reservation.user_id', '=', userId)
    .where('reservation.partner_organisation_id', 'is', null)
    .where('reservation.status', 'in', [...HOLDING, 'collected', 'no_show'])
    .where('offer.pickup_starts_at', '>=', week.start)
    .where('offer.pickup_starts_at', '<', week.end)
    .executeTakeFirstOrThrow();
  return {
    active: Number(active.n),
    unitsOnOffer: Number(onOffer.units ?? 0),
    pickupsThisWeek: Number(week_.n),
    holdsOffer: Number(onOffer.n) > 0
  };
}

/** When a person's no-shows were recorded (M3 sets status `no_show`; its `updated_at` is the moment). */
export async function noShowTimes(db: Kysely<DB>, userId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reservation')
    .select('updated_at')
    .where('user_id', '=', userId)
    .where('status', '=', 'no_show')
    .where('updated_at', '>=', since)
    .execute();
  return rows.map((r) => r.updated_at);
}

export interface NewReservation {
  id: string;
  offerId: string;
  userId: string;
  partnerOrganisationId: string | null;
  actedByUserId: string | null;
  quantity: number;
  status: ReservationStatus;
  waitingPosition: number | null;
  codeHash: string | null;
  codeCiphertext: string | null;
  idempotencyKey: string;
  at: string;
}

export async function insertReservation(db: Kysely<DB>, r: NewReservation): Promise<void> {
  await db
    .insertInto('reservation')
    .values({
      id: r.id,
      offer_id: r.offerId,
      user_id: r.userId,
      partner_organisation_id: r.partnerOrganisationId,
      acted_by_user_id: r.actedByUserId,
      quantity: r.quantity,
      collected_quantity: null,
      status: r.status,
      waiting_position: r.waitingPosition,
      code_hash: r.codeHash,
      code_ciphertext: r.codeCiphertext,
      idempotency_key: r.idempotencyKey,
      cancel_reason: null,
      cancelled_by: null,
      is_demo: 0,
      created_at: r.at,
      confirmed_at: r.status === 'confirmed' ? r.at : null,
      collected_at: null,
      cancelled_at: null,
      updated_at: r.at
    })
    .execute();
}

/** Whether a live reservation of the offer already has this code hash (codes are unique per offer). */
export async function codeTaken(db: Kysely<DB>, offerId: string, codeHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('reservation')
    .select('id')
    .where('offer_id', '=', offerId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return row !== undefined;
}

/** The next position at the end of an offer's waiting list. */
export async function nextWaitingPosition(db: Kysely<DB>, offerId: string): Promise<number> {
  const row = await db
    .selectFrom('reservation')
    .select((eb) => eb.fn.max<number>('waiting_position').as('p'))
    .where('offer_id', '=', offerId)
    .where('status', '=', 'waiting')
    .executeTakeFirstOrThrow();
  return Number(row.p ?? 0) + 1;
}

/** A reservation with what its owner sees of the offer. */
export interface ReservationRecord {
  id: string;
  offerId: string;
  userId: string | null;
  partnerOrganisationId: string | null;
  actedByUserId: string | null;
  quantity: number;
  collectedQuantity: number | null;
  status: ReservationStatus;
  waitingPosition: number | null;
  codeCiphertext: string | null;
  idempotencyKey: string | null;
  cancelReason: string | null;
  cancelledBy: string | null;
  createdAt: string;
  confirmedAt: string | null;
  collectedAt: string | null;
  cancelledAt: string | null;
  updatedAt: string;
  offer: {
    title: string;
    status: string;
    unit: string;
    organisationId: string | null;
    organisationName: string | null;
    addressLine: string | null;
    postalCode: string | null;
    city: string | null;
    lat: number;
    lng: number;
    pickupStartsAt: string;
    pickupEndsAt: string;
    storage: string;
  };
}

function reservationQuery(db: Kysely<DB>) {
  return db
    .selectFrom('reservation as r')
    .innerJoin('offer as o', 'o.id', 'r.offer_id')
    .leftJoin('organisation as org', 'org.id', 'o.organisation_id')
    .select([
      'r.id',
      'r.offer_id',
      'r.user_id',
      'r.partner_organisation_id',
      'r.acted_by_user_id',
      'r.quantity',
      'r.collected_quantity',
      'r.status',
      'r.waiting_position',
      'r.code_ciphertext',
      'r.idempotency_key',
      'r.cancel_reason',
      'r.cancelled_by',
      'r.created_at',
      'r.confirmed_at',
      'r.collected_at',
      'r.cancelled_at',
      'r.updated_at',
      'o.title',
      'o.status as offer_status',
      'o.unit',
      'o.organisation_id',
      'org.name as organisation_name',
      'o.address_line',
      'o.postal_code',
      'o.city',
      'o.lat',
      'o.lng',
      'o.pickup_starts_at',
      'o.pickup_ends_at',
      'o.storage'
    ]);
}

type ReservationRow = Awaited<ReturnType<ReturnType<typeof reservationQuery>['executeTakeFirstOrThrow']>>;

function toRecord(r: ReservationRow): ReservationRecord {
  return {
    id: r.id,
    offerId: r.offer_id,
    userId: r.user_id,
    partnerOrganisationId: r.partner_organisation_id,
    actedByUserId: r.acted_by_user_id,
    quantity: Number(r.quantity),
    collectedQuantity: r.collected_quantity === null ? null : Number(r.collected_quantity),
    status: r.status,
    waitingPosition: r.waiting_position === null ? null : Number(r.waiting_position),
    codeCiphertext: r.code_ciphertext,
    idempotencyKey: r.idempotency_key,
    cancelReason: r.cancel_reason,
    cancelledBy: r.cancelled_by,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    collectedAt: r.collected_at,
    cancelledAt: r.cancelled_at,
    updatedAt: r.updated_at,
    offer: {
      title: r.title,
      status: r.offer_status,
      unit: r.unit,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      addressLine: r.address_line,
      postalCode: r.postal_code,
      city: r.city,
      lat: Number(r.lat),
      lng: Number(r.lng),
      pickupStartsAt: r.pickup_starts_at,
      pickupEndsAt: r.pickup_ends_at,
      storage: r.storage
    }
  };
}

export async function findReservation(db: Kysely<DB>, id: string): Promise<ReservationRecord | undefined> {
  const r = await reservationQuery(db).where('r.id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

/** The reservation a person made with an idempotency key, if any. */
export async function findByIdempotencyKey(db: Kysely<DB>, userId: string, key: string): Promise<ReservationRecord | undefined> {
  const r = await reservationQuery(db).where('r.user_id', '=', userId).where('r.idempotency_key', '=', key).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

/** A person's reservations: live ones first (by window), then the rest, newest first; at most `limit`. */
export async function listReservationsOf(db: Kysely<DB>, userId: string, limit = 100): Promise<ReservationRecord[]> {
  const rows = await reservationQuery(db)
    .where('r.user_id', '=', userId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Which of a partner association's reservations to read: all, or with `activeAt` those still to pick up then. */
export interface OrganisationReservationsFilter {
  activeAt?: string | null;
  limit?: number;
  offset?: number;
}

/** The condition of `isActiveReservation` on a reservation `r` of an offer `o`. */
const liveAt = (at: string) => (eb: ExpressionBuilder<DB & { r: DB['reservation']; o: DB['offer'] }, 'r' | 'o'>) =>
  eb.and([eb('r.status', 'in', LIVE_RESERVATION_STATUSES), eb('o.pickup_ends_at', '>', at)]);

/**
 * The query of one page of a partner association's reservations (by any of its members), newest
 * first, each with the display name of the member who made it; read through reservation_partner_idx.
 * With `activeAt`, only those still to pick up at that instant: a live status (LIVE_RESERVATION_STATUSES)
 * and a window not ended — `isActiveReservation` of reservations.rules, in SQL.
 */
export function organisationReservationsPageQuery(db: Kysely<DB>, organisationId: string, filter: OrganisationReservationsFilter = {}) {
  const { activeAt = null, limit = 100, offset = 0 } = filter;
  return reservationQuery(db)
    .leftJoin('user as u', 'u.id', 'r.user_id')
    .select('u.display_name as reserved_by_name')
    .where('r.partner_organisation_id', '=', organisationId)
    .$if(activeAt !== null, (q) => q.where(liveAt(activeAt!)))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .offset(offset);
}

/** One page of a partner association's reservations (organisationReservationsPageQuery), and how many match. */
export async function listReservationsForOrganisation(
  db: Kysely<DB>,
  organisationId: string,
  filter: OrganisationReservationsFilter = {}
): Promise<{ items: (ReservationRecord & { reservedByName: string | null })[]; total: number }> {
  const activeAt = filter.activeAt ?? null;
  const rows = await organisationReservationsPageQuery(db, organisationId, filter).execute();
  const counted = await db
    .selectFrom('reservation as r')
    .innerJoin('offer as o', 'o.id', 'r.offer_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.partner_organisation_id', '=', organisationId)
    .$if(activeAt !== null, (q) => q.where(liveAt(activeAt!)))
    .executeTakeFirstOrThrow();
  return { items: rows.map((r) => ({ ...toRecord(r), reservedByName: r.reserved_by_name })), total: Number(counted.n) };
}

/** Moves a reservation from `from` to cancelled; false when it is no longer in `from`. */
export async function cancelReservationRow(
  db: Kysely<DB>,
  id: string,
  from: ReservationStatus,
  by: 'person' | 'donor' | 'system',
  reason: string | null,
  at: string
): Promise<boolean> {
  const result = await db
    .updateTable('reservation')
    .set({ status: 'cancelled', cancelled_by: by, cancel_reason: reason, cancelled_at: at, updated_at: at, waiting_position: null })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface QueuedReservation {
  id: string;
  userId: string | null;
  quantity: number;
  createdAt: string;
}

/** An offer's reservations in a status (waiting: by position, then arrival). */
export async function listQueued(db: Kysely<DB>, offerId: string, status: 'waiting' | 'pooled'): Promise<QueuedReservation[]> {
  const rows = await db
    .selectFrom('reservation')
    .select(['id', 'user_id', 'quantity', 'created_at'])
    .where('offer_id', '=', offerId)
    .where('status', '=', status)
    .orderBy('waiting_position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, quantity: Number(r.quantity), createdAt: r.created_at }));
}

/** Confirms a waiting or pooled reservation with its code; false when it is no longer in `from`. */
export async function confirmQueued(
  db: Kysely<DB>,
  id: string,
  from: 'waiting' | 'pooled',
  code: { hash: string; ciphertext: string },
  at: string
): Promise<boolean> {
  const result = await db
    .updateTable('reservation')
    .set({ status: 'confirmed', code_hash: code.hash, code_ciphertext: code.ciphertext, confirmed_at: at, updated_at: at, waiting_position: null })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a pooled reservation on the waiting list at `position`; false when no longer pooled. */
export async function poolToWaiting(db: Kysely<DB>, id: string, position: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('reservation')
    .set({ status: 'waiting', waiting_position: position, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pooled')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the pooling lottery of an offer as run; false when another process ran it first. */
export async function markAllocated(db: Kysely<DB>, offerId: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('offer')
    .set({ allocated_at: at, updated_at: at })
    .where('id', '=', offerId)
    .where('allocated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Offers whose pooling window has ended and whose lottery has not run yet. */
export async function offersToAllocate(db: Kysely<DB>, at: string, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('offer')
    .select('id')
    .where('pooling_ends_at', 'is not', null)
    .where('pooling_ends_at', '<=', at)
    .where('allocated_at', 'is', null)
    .orderBy('pooling_ends_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Units each person collected since `since` (for the lottery's weights). The people are an offer's
 * pooled requests, not capped in number: read in slices (inChunks).
 */
export async function recentUnits(db: Kysely<DB>, userIds: readonly string[], since: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const slices = await inChunks(userIds, (chunk) =>
    db
      .selectFrom('reservation')
      .select((eb) => ['user_id', eb.fn.sum<number>(eb.fn.coalesce('collected_quantity', 'quantity')).as('units')])
      .where('user_id', 'in', chunk)
      .where('status', '=', 'collected')
      .where('collected_at', '>=', since)
      .groupBy('user_id')
      .execute()
  );
  for (const r of slices.flat()) if (r.user_id) out.set(r.user_id, Number(r.units ?? 0));
  return out;
}

/** Whether someone holds or held a reservation on an offer, for themselves or acting for a partner (any status). */
export async function hasReservationOn(db: Kysely<DB>, offerId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('reservation')
    .select('id')
    .where('offer_id', '=', offerId)
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('acted_by_user_id', '=', userId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The territory's daily cap of new-offer alerts for someone who chose none (1 to 20). */
export async function defaultAlertDailyCap(db: Kysely<DB>): Promise<number> {
  return Math.min(Math.max((await readSettings(db)).newOfferDailyCapDefault, 1), 20);
}
