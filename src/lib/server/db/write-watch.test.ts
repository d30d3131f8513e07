import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/helpers/db.js';
import { watchWrites } from './write-watch.js';

describe('write watcher', () => {
  let database: TestDatabase;
  let calls = 0;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('tells of writes to the tables the directory search reads, not of reads or other tables', async () => {
    const db = database.db.withPlugin(watchWrites(() => calls++));
    const org = {
      id: 'o1',
      slug: 'o1',
      name: 'Org',
      kind: 'association' as const,
      donor_kind: null,
      network: null,
      siret: null,
      email: null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: null,
      insee_code: null,
      lat: null,
      lng: null,
      is_demo: 0,
      created_at: '2026-11-29T10:00:00.000Z',
      updated_at: '2026-11-29T10:00:00.000Z'
    };
    await db.insertInto('organisation').values(org).execute();
    expect(calls).toBe(1);
    await db.updateTable('organisation as o').set({ name: 'Renamed' }).where('o.id', '=', 'o1').execute();
    expect(calls).toBe(2);
    await db.selectFrom('organisation').selectAll().execute();
    await db.deleteFrom('session').where('id', '=', 'none').execute();
    await sql`SELECT name FROM organisation`.execute(db);
    expect(calls).toBe(2);
    await db.transaction().execute(async (trx) => {
      await sql`UPDATE organisation SET name = 'Again' WHERE id = 'o1'`.execute(trx);
    });
    expect(calls).toBe(3);
    await db.deleteFrom('organisation').where('id', '=', 'o1').execute();
    expect(calls).toBe(4);
  });
});
