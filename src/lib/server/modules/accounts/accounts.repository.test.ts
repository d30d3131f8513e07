import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../../db/database.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { ACCOUNT_USE_COLUMNS, SIGN_IN_TRACE_COLUMNS, createAccountsRepository } from './accounts.repository.js';

/**
 * Every column of the migrated schema that references a user: a foreign key to `user`, or a column
 * whose name ends in `user_id` (the logs keep ids without a key). As `table.column`, sorted.
 */
async function userReferencingColumns(database: TestDatabase, kind: DatabaseKind): Promise<string[]> {
  const found = new Set<string>();
  if (kind === 'sqlite') {
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db);
    for (const { name } of tables.rows) {
      const keys = await sql<{ table: string; from: string }>`select * from pragma_foreign_key_list(${name})`.execute(database.db);
      for (const key of keys.rows) if (key.table === 'user') found.add(`${name}.${key.from}`);
      const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(database.db);
      for (const column of columns.rows) if (/user_id$/.test(column.name)) found.add(`${name}.${column.name}`);
    }
  } else {
    const keys = await sql<{ table_name: string; column_name: string }>`
      select kcu.table_name, kcu.column_name
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'user' and tc.table_schema = current_schema()`.execute(database.db);
    for (const key of keys.rows) found.add(`${key.table_name}.${key.column_name}`);
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and column_name like '%user_id'`.execute(database.db);
    for (const column of columns.rows) found.add(`${column.table_name}.${column.column_name}`);
  }
  return [...found].sort();
}

describe.each(DIALECTS)('accounts repository on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.destroy());

  it('lists every column that references a user either as a use of the account or as a sign-in trace', async () => {
    const inSchema = await userReferencingColumns(database, kind);
    // The introspection itself works: the keys of sessions and memberships, the log's actor without a key.
    expect(inSchema).toEqual(expect.arrayContaining(['session.user_id', 'membership.user_id', 'audit_log.actor_user_id']));
    const uses = ACCOUNT_USE_COLUMNS.map(([table, column]) => `${table}.${column}`);
    const traces = Object.keys(SIGN_IN_TRACE_COLUMNS);
    const covered = new Set([...uses, ...traces]);
    // A new table pointing at users must be judged: does a row in it make an account "used"?
    const notCovered = inSchema.filter((column) => !covered.has(column));
    expect(notCovered, `columns referencing a user that the purge of unconfirmed accounts does not know`).toEqual([]);
    // And nothing listed is stale (a renamed or dropped column), nor listed twice.
    expect([...covered].filter((column) => !inSchema.includes(column))).toEqual([]);
    expect(uses.length + traces.length).toBe(covered.size);
  });

  it('runs the purge query over every listed column (each table and column exists in this dialect)', async () => {
    const repo = createAccountsRepository(database.db);
    await expect(repo.findUnconfirmedAccounts('2100-01-01T00:00:00.000Z', 10)).resolves.toEqual([]);
    await expect(repo.deleteUnconfirmedAccount('nobody', '2100-01-01T00:00:00.000Z')).resolves.toBe(false);
  });
});
