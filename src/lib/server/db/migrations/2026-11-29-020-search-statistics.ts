import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL only: planner statistics on `service_tag (kind, value)` taken together. A value belongs
 * to one kind, but the planner multiplies their frequencies as if independent and so expected about
 * a tenth of the rows of a directory search's tag filter (bench/directory: 430 for 4,453); it then
 * hashed the whole tag list instead of probing the index per place. Refreshed by (auto)ANALYZE.
 * SQLite has no such statistics and needs none: the search's SQL fixes its plan there.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb) => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: AnyDb): Promise<void> {
  if (isSqlite(db)) return;
  await sql`CREATE STATISTICS IF NOT EXISTS service_tag_kind_value_stats (dependencies, mcv) ON kind, value FROM service_tag`.execute(db);
  await sql`ANALYZE service_tag`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (isSqlite(db)) return;
  await sql`DROP STATISTICS IF EXISTS service_tag_kind_value_stats`.execute(db);
}
