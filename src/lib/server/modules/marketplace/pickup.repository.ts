import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ReservationStatus } from '../../db/schema.marketplace.js';

/**
 * SQL of the handover: reservations as a donor sees them (first name, quantity, offer — nothing else),
 * the conditional updates of collect / donor-cancel / no-show, and the no-show history behind penalties.
 * Every state change is `… WHERE status = 'confirmed'`: the first writer wins on both databases.
 */

/** A reservation as the donor's handover screen shows it. */
export interface HandoverRow {
  reservationId: string;
  offerId: string;
  offerTitle: string;
  firstName: string;
  quantity: number;
  collectedQuantity: number | null;
  status: ReservationStatus;
  unit: 'unit' | 'portion';
  pickupStartsAt: string;
  pickupEndsAt: string;
}

function handoverQuery(db: Kysely<DB>) {
  return db
    .selectFrom('reservation')
    .innerJoin('offer', 'offer.id', 'reservation.offer_id')
    .leftJoin('user', 'user.id', 'reservation.user_id')
    .leftJoin('household', 'household.user_id', 'reservation.user_id')
    .leftJoin('organisation as partner', 'partner.id', 'reservation.partner_organisation_id')
    .select([
      'reservation.id as reservationId',
      'offer.id as offerId',
      'offer.title as offerTitle',
      'household.first_name as householdFirstName',
      'user.display_name as displayName',
      'partner.name as partnerName',
      'reservation.quantity as quantity',
      'reservation.collected_quantity as collectedQuantity',
      'reservation.status as status',
      'offer.unit as unit',
      'offer.pickup_starts_at as pickupStartsAt',
      'offer.pickup_ends_at as pickupEndsAt'
    ]);
}

type RawHandover = {
  reservationId: string;
  offerId: string;
  offerTitle: string;
  householdFirstName: string | null;
  displayName: string | null;
  partnerName: string | null;
  quantity: number;
  collectedQuantity: number | null;
  status: ReservationStatus;
  unit: 'unit' | 'portion';
  pickupStartsAt: string;
  pickupEndsAt: string;
};

function toHandover(r: RawHandover): HandoverRow {
  return {
    reservationId: r.reservationId,
    offerId: r.offerId,
    offerTitle: r.offerTitle,
    // A person's first name (household) or account name; a partner association's name.
    firstName: r.householdFirstName ?? r.partnerName ?? firstWord(r.displayName ?? ''),
    quantity: Number(r.quantity),
    collectedQuantity: r.collectedQuantity === null ? null : Number(r.collectedQuantity),
    status: r.status,
    unit: r.unit,
    pickupStartsAt: r.pickupStartsAt,
    pickupEndsAt: r.pickupEndsAt
  };
}

/** "Marie Dupont" → "Marie": a donor needs a first name only. */
function firstWord(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** Offers of an organisation that have confirmed reservations (the only ones a pickup code can match). */
export async function offerIdsWithConfirmed(db: Kysely<DB>, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('offer')
    .select('offer.id')
    .where('offer.organisation_id', '=', organisationId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reservation')
          .select(sql`1`.as('one'))
          .whereRef('reservation.offer_id', '=', 'offer.id')
          .where('reservation.status', '=', 'confirmed')
      )
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Confirmed reservations of this organisation's offers whose code hash is one of `hashes`. */
export async function findConfirmedByHashes(db: Kysely<DB>, organisationId: string, hashes: readonly string[]): Promise<HandoverRow[]> {
  if (hashes.length === 0) return [];
  const rows = await handoverQuery(db)
    .where('reservation.code_hash', 'in', hashes)
    .where('reservation.status', '=', 'confirmed')
    .where('offer.organisation_id', '=', organisationId)
    .execute();
  return rows.map(toHandover);
}

/** A person's confirmed reservations at this organisation's offers, soonest window first. */
export async function findConfirmedOfUserAt(db: Kysely<DB>, organisationId: string, userId: string): Promise<HandoverRow[]> {
  const rows = await handoverQuery(db)
    .where('reservation.user_id', '=', userId)
    .where('reservation.status', '=', 'confirmed')
    .where('offer.organisation_id', '=', organisationId)
    .orderBy('offer.pickup_starts_at')
    .execute();
  return rows.map(toHandover);
}

/** Reservations of an organisation's offers whose window overlaps [from, to): the day's handovers. */
export async function listHandoversBetween(db: Kysely<DB>, organisationId: string, from: string, to: string): Promise<HandoverRow[]> {
  const rows = await handoverQuery(db)
    .where('offer.organisation_id', '=', organisationId)
    .where('offer.pickup_starts_at', '<', to)
    .where('offer.pickup_ends_at', '>=', from)
    .where('reservation.status', 'in', ['confirmed', 'collected', 'no_show'])
    .orderBy('offer.pickup_starts_at')
    .orderBy('reservation.created_at')
    .limit(500)
    .execute();
  return rows.map(toHandover);
}

/** A reservation with what the donor side needs to decide who may act on it. */
export interface ReservationForDonor {
  id: string;
  offerId: string;
  userId: string | null;
  quantity: number;
  status: ReservationStatus;
  organisationId: string | null;
  donorUserId: string | null;
  offerTitle: string;
  pickupStartsAt: string;
  pickupEndsAt: string;
}

export async function findReservationForDonor(db: Kysely<DB>, id: string): Promise<ReservationForDonor | undefined> {
  const r = await db
    .selectFrom('reservation')
    .innerJoin('offer', 'offer.id', 'reservation.offer_id')
    .select([
      'reservation.id as id',
      'reservation.offer_id as offerId',
      'reservation.user_id as userId',
      'reservation.quantity as quantity',
      'reservation.status as status',
      'offer.organisation_id as organisationId',
      'offer.donor_user_id as donorUserId',
      'offer.title as offerTitle',
      'offer.pickup_starts_at as pickupStartsAt',
      'offer.pickup_ends_at as pickupEndsAt'
    ])
    .where('reservation.id', '=', id)
    .executeTakeFirst();
  return r ? { ...r, quantity: Number(r.quantity) } : undefined;
}

/** confirmed → collected with `collected` units (≤ reserved). False when it was no longer confirmed. */
export async function markCollected(db: Kysely<DB>, id: string, collected: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('reservation')
    .set({ status: 'collected', collected_quantity: collected, collected_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .where('quantity', '>=', collected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** `from` (confirmed, pooled or waiting) → cancelled by the donor with a reason. False when it changed meanwhile. */
export async function markDonorCancelled(
  db: Kysely<DB>,
  id: string,
  from: ReservationStatus,
  reason: string,
  at: string
): Promise<boolean> {
  const r = await db
    .updateTable('reservation')
    .set({ status: 'cancelled', cancelled_by: 'donor', cancel_reason: reason, cancelled_at: at, updated_at: at, waiting_position: null })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Confirmed reservations whose offer's window ended before `cutoff`, oldest first. */
export async function listDueNoShows(
  db: Kysely<DB>,
  cutoff: string,
  limit: number
): Promise<{ id: string; offerId: string; userId: string | null; offerTitle: string; pickupEndsAt: string }[]> {
  return db
    .selectFrom('reservation')
    .innerJoin('offer', 'offer.id', 'reservation.offer_id')
    .select([
      'reservation.id as id',
      'reservation.offer_id as offerId',
      'reservation.user_id as userId',
      'offer.title as offerTitle',
      'offer.pickup_ends_at as pickupEndsAt'
    ])
    .where('reservation.status', '=', 'confirmed')
    .where('offer.pickup_ends_at', '<', cutoff)
    .orderBy('offer.pickup_ends_at')
    .limit(limit)
    .execute();
}

/** confirmed → no_show. False when it was collected or cancelled meanwhile. */
export async function markNoShow(db: Kysely<DB>, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('reservation')
    .set({ status: 'no_show', updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** One reservation as the handover screen shows it, whatever its status. */
export async function findHandoverById(db: Kysely<DB>, id: string): Promise<HandoverRow | undefined> {
  const r = await handoverQuery(db).where('reservation.id', '=', id).executeTakeFirst();
  return r ? toHandover(r) : undefined;
}

/** An organisation's name and kind (the handover page's heading). */
export async function findOrganisationBrief(db: Kysely<DB>, id: string): Promise<{ id: string; name: string; kind: string } | undefined> {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}
