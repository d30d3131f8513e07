import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, pendingMigrations } from './database.js';
import { createTestDatabase, DIALECTS, postgresLabel, type TestDatabase } from '../../../../tests/helpers/db.js';

describe.each(DIALECTS)('migrations on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.destroy());

  it(`leaves nothing pending after migrateToLatest (${kind === 'postgres' ? postgresLabel : kind})`, async () => {
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it('reverts every migration down and applies them again', async () => {
    const applied = Object.keys((await import('./migrations/index.js')).migrations);
    for (let i = 0; i < applied.length; i++) await migrateDown(database.db);
    expect(await pendingMigrations(database.db)).toEqual(applied);
    await migrateToLatest(database.db);
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it('enforces foreign keys', async () => {
    const now = new Date().toISOString();
    await expect(
      database.db
        .insertInto('membership')
        .values({ id: 'm1', organisation_id: 'nope', user_id: 'nope', role: 'member', created_at: now })
        .execute()
    ).rejects.toThrow();
  });
});
