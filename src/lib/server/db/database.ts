import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Dialect,
  type SqliteDatabase as SqliteDialectDatabase
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** Opens a SQLite file (or ':memory:') with WAL, foreign keys and a busy timeout. */
export function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Read-heavy directory searches: a 64 MB page cache and memory-mapped reads (measured in bench/directory).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = MEMORY');
  return fromDialect(new SqliteDialect({ database: withStatementCache(sqlite) }), 'sqlite');
}

/** Prepared statements kept per connection, least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 connection as Kysely sees it, with its prepared statements reused by SQL text:
 * Kysely prepares every query anew, and compiling the statements was 7 % of a directory search's
 * time (bench/directory). The SQL text holds no values (they are bound), so the cache stays small.
 * A statement still being iterated (a stream) is never handed out twice: a fresh one is prepared.
 * SQLite re-prepares a cached statement by itself after a schema change.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const statement = sqlite.prepare(text);
      if (hit) return statement; // the cached one is busy streaming: this one is used once
      cache.set(text, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    }
  };
}

/** Opens a PostgreSQL pool. `options.schema` puts every table in that schema (used by tests). */
export function openPostgres(url: string, options: { schema?: string; max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {})
  });
  return fromDialect(new PostgresDialect({ pool }), 'postgres');
}

/** Wraps any Kysely dialect (the tests use it for PGlite). */
export function fromDialect(dialect: Dialect, kind: DatabaseKind): Database {
  const db = new Kysely<DB>({ dialect });
  return { db, kind, close: () => db.destroy() };
}

/** Chooses the database from the configuration: PostgreSQL when DATABASE_URL is set, else SQLite. */
export function openDatabase(config: { DATABASE_URL?: string; SQLITE_PATH: string }): Database {
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openSqlite(config.SQLITE_PATH);
}

/**
 * The migrator. On PostgreSQL the bookkeeping tables are pinned to the current schema: Kysely's
 * existence check otherwise sees a `kysely_migration` table of any schema (tests use one schema each).
 */
async function migrator(db: Kysely<DB>): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
    migrationTableSchema
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Reverts the last applied migration. */
export async function migrateDown(db: Kysely<DB>): Promise<string | undefined> {
  const { error, results } = await (await migrator(db)).migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results?.[0]?.migrationName;
}

/** Names of migrations not applied yet (empty when the database is up to date). */
export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const list = await (await migrator(db)).getMigrations();
  return list.filter((m) => !m.executedAt).map((m) => m.name);
}
