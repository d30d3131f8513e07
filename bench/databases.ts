import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openPostgres, openSqlite, type Database } from '../src/lib/server/db/database.js';

/**
 * Runs a benchmark on a fresh SQLite file in the temp folder, then — when BENCH_DATABASE_URL is set —
 * on PostgreSQL in a schema of its own; both are removed afterwards, whatever happens.
 */
export async function runOnEachDatabase(
  name: string,
  bench: (label: string, database: Database) => Promise<void>,
  options: { postgresPoolMax?: number } = {}
): Promise<void> {
  const file = join(tmpdir(), `glane-${name}-${process.pid}.db`);
  const removeFile = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  };
  removeFile();
  const sqlite = openSqlite(file);
  try {
    await migrateToLatest(sqlite.db);
    await bench(`SQLite (${file})`, sqlite);
  } finally {
    await sqlite.close();
    removeFile();
  }

  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS unaccent').catch(() => undefined);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const postgres = openPostgres(url, { schema, max: options.postgresPoolMax ?? 2 });
  try {
    await migrateToLatest(postgres.db);
    await bench('PostgreSQL', postgres);
  } finally {
    await postgres.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
