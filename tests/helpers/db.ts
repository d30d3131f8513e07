import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import {
  fromDialect,
  migrateToLatest,
  openPostgres,
  openSqlite,
  type Database,
  type DatabaseKind
} from '../../src/lib/server/db/database.js';
import type { DB } from '../../src/lib/server/db/schema.js';

/**
 * The databases every repository and service test runs on (kysely's DIALECTS loop):
 * SQLite in memory, and PostgreSQL — the server at TEST_DATABASE_URL when set (CI sets it),
 * otherwise PGlite in-process so a machine without PostgreSQL still passes.
 */
export const DIALECTS: DatabaseKind[] = ['sqlite', 'postgres'];

export const postgresLabel = process.env.TEST_DATABASE_URL ? 'postgres (server)' : 'postgres (PGlite)';

export interface TestDatabase extends Database {
  /** Drops everything this test database created. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of the given kind, isolated from every other test file. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const database = openSqlite(':memory:');
    await migrateToLatest(database.db);
    return { ...database, destroy: () => database.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('CREATE EXTENSION IF NOT EXISTS unaccent').catch(() => undefined);
      await admin.query(`CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end();
    }
    const database = openPostgres(url, { schema, max: 4 });
    await migrateToLatest(database.db);
    return {
      ...database,
      destroy: async () => {
        await sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(database.db);
        await database.close();
      }
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const client = new PGlite({ extensions: { unaccent } });
  const database = fromDialect(new PGliteDialect(client), 'postgres');
  await migrateToLatest(database.db);
  return { ...database, destroy: () => database.close() };
}

/**
 * `db` seen through a counter of the queries run through it: to show that a batch costs no query
 * per row (the same count for one row as for five). `reset()` sets the count back to 0.
 */
export function countingQueries(db: Kysely<DB>): { db: Kysely<DB>; count: () => number; reset: () => void } {
  let queries = 0;
  const counted = db.withPlugin({
    transformQuery: (args) => {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result
  });
  return { db: counted, count: () => queries, reset: () => (queries = 0) };
}
