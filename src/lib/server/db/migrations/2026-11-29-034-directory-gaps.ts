import type { Kysely } from 'kysely';

/**
 * Directory gaps of issue 3:
 * - `service.languages`: languages spoken at one service (JSON array of ISO 639-1 codes, or lsf), as
 *   the place's; the search's `language` tags of a service are the union of both lists.
 * - `place_stop.valid_from` / `valid_to`: optional validity of a mobile stop (YYYY-MM-DD, Paris,
 *   inclusive; a summer tour), besides its hours.
 * - `place.stops_version`: optimistic concurrency of the stop list (PUT …/stops with the version seen;
 *   the second writer gets 409). Bumped by a conditional UPDATE in the replacing transaction.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('service').addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('place_stop').addColumn('valid_from', 'text').execute();
  await db.schema.alterTable('place_stop').addColumn('valid_to', 'text').execute();
  await db.schema.alterTable('place').addColumn('stops_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('place').dropColumn('stops_version').execute();
  await db.schema.alterTable('place_stop').dropColumn('valid_to').execute();
  await db.schema.alterTable('place_stop').dropColumn('valid_from').execute();
  await db.schema.alterTable('service').dropColumn('languages').execute();
}
