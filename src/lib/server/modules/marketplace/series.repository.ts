import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { OfferSeriesTable } from '../../db/schema.marketplace.js';

/**
 * All SQL of recurring offers (offer_series). Occurrences are offers, inserted by offers.repository's
 * insertOffer (a day already generated is left alone by the unique (series_id, occurrence_on)).
 */

export type SeriesRow = OfferSeriesTable;

export async function insertSeries(db: Kysely<DB>, row: SeriesRow): Promise<void> {
  await db.insertInto('offer_series').values(row).execute();
}

export async function findSeries(db: Kysely<DB>, id: string): Promise<SeriesRow | undefined> {
  return db.selectFrom('offer_series').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An organisation's series, newest first. */
export async function listSeriesOf(db: Kysely<DB>, organisationId: string): Promise<SeriesRow[]> {
  return db
    .selectFrom('offer_series')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Series still running on `today` (not stopped, not ended). */
export async function listRunningSeries(db: Kysely<DB>, today: string): Promise<SeriesRow[]> {
  return db
    .selectFrom('offer_series')
    .selectAll()
    .where('stopped_at', 'is', null)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .execute();
}

/** Remembers the last day occurrences were generated for. */
export async function markGenerated(db: Kysely<DB>, id: string, until: string, at: string): Promise<void> {
  await db.updateTable('offer_series').set({ generated_until: until, updated_at: at }).where('id', '=', id).execute();
}

/** Rewrites the rule and the template. */
export async function updateSeriesRule(
  db: Kysely<DB>,
  id: string,
  fields: Pick<SeriesRow, 'weekdays' | 'start_time' | 'end_time' | 'ends_on' | 'template'>,
  at: string
): Promise<void> {
  await db
    .updateTable('offer_series')
    .set({ ...fields, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function markSeriesStopped(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('offer_series').set({ stopped_at: at, updated_at: at }).where('id', '=', id).execute();
}

/** Future occurrences nobody reserved yet (they may be rewritten or withdrawn with the series). */
function untouchedFuture(db: Kysely<DB>, seriesId: string, at: string) {
  return db
    .selectFrom('offer')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('status', '=', 'published')
    .where('pickup_starts_at', '>', at)
    .whereRef('remaining', '=', 'quantity')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('reservation').select('reservation.id').whereRef('reservation.offer_id', '=', 'offer.id'))));
}

/** Deletes the untouched future occurrences (the rule changed: they are generated again). */
export async function deleteUntouchedFuture(db: Kysely<DB>, seriesId: string, at: string): Promise<void> {
  await db.deleteFrom('offer').where('id', 'in', untouchedFuture(db, seriesId, at)).execute();
}

/** Cancels the untouched future occurrences (the series stopped). */
export async function cancelUntouchedFuture(db: Kysely<DB>, seriesId: string, at: string): Promise<void> {
  await db
    .updateTable('offer')
    .set((eb) => ({ status: 'cancelled', cancel_reason: 'series stopped', cancelled_at: at, remaining: 0, version: eb(eb.ref('version'), '+', 1), updated_at: at }))
    .where('id', 'in', untouchedFuture(db, seriesId, at))
    .execute();
}
