import type { Kysely } from 'kysely';

/**
 * `reservation.reminded_at`: when the "pickup ends soon" reminder was written (once per reservation;
 * set by a conditional UPDATE … WHERE reminded_at IS NULL, so overlapping job runs remind once).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('reservation').addColumn('reminded_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('reservation').dropColumn('reminded_at').execute();
}
