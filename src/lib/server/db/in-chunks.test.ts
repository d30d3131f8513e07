import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingQueries, createTestDatabase, DIALECTS, postgresLabel, type TestDatabase } from '../../../../tests/helpers/db.js';
import { IN_CHUNK_SIZE, inChunks } from './in-chunks.js';
import type { DB } from './schema.js';

describe('inChunks', () => {
  it('runs one call per slice of the distinct values, in their first order, and nothing for an empty list', async () => {
    const seen: string[][] = [];
    const results = await inChunks(['a', 'b', 'a', 'c', 'd', 'b', 'e'], async (chunk) => (seen.push(chunk), chunk.length), 2);
    expect(seen).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(results).toEqual([2, 2, 1]);
    let calls = 0;
    expect(await inChunks([], async () => (calls += 1))).toEqual([]);
    expect(calls).toBe(0);
  });

  it('refuses a slice size that is not a positive integer', async () => {
    await expect(inChunks(['a'], async () => 0, 0)).rejects.toThrow(RangeError);
    await expect(inChunks(['a'], async () => 0, 1.5)).rejects.toThrow(RangeError);
  });
});

describe.each(DIALECTS)('inChunks on %s', (kind) => {
  // More ids than SQLite (32,766) or PGlite (32,767) bind in one statement.
  const ROWS = 34_000;
  const ASKED = 33_000;
  const id = (i: number) => `chunk-${String(i).padStart(5, '0')}`;
  let t: TestDatabase;
  const db = () => t.db;

  const count = async (on: Kysely<DB> = db()) =>
    Number((await on.selectFrom('geo_point').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Ids 0..ASKED-1 in a scrambled order, with an unknown id and a few repeated ones. */
  function askedIds(): string[] {
    const ids = Array.from({ length: ASKED }, (_, i) => id((i * 7_919) % ASKED));
    return [...ids, 'chunk-unknown', id(0), id(ASKED - 1), id(12_345)];
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    for (let start = 0; start < ROWS; start += 1_000) {
      const ids = Array.from({ length: Math.min(1_000, ROWS - start) }, (_, i) => id(start + i));
      await db()
        .insertInto('geo_point')
        .values(ids.map((entityId, i) => ({ entity_type: 'place', entity_id: entityId, lat: 45 + (start + i) / 100_000, lng: 3 })))
        .execute();
    }
  }, 60_000);
  afterAll(async () => t?.destroy());

  it(`answers a select over ${ASKED.toLocaleString('en')} ids completely and exactly (${kind === 'postgres' ? postgresLabel : 'sqlite'})`, async () => {
    const counting = countingQueries(db());
    const rows = (await inChunks(askedIds(), (chunk) => counting.db.selectFrom('geo_point').select(['entity_id', 'lat']).where('entity_id', 'in', chunk).execute())).flat();
    expect(counting.count()).toBe(Math.ceil((ASKED + 1) / IN_CHUNK_SIZE));
    expect(rows).toHaveLength(ASKED);
    expect(rows.map((r) => r.entity_id).sort()).toEqual(Array.from({ length: ASKED }, (_, i) => id(i)));
    expect(rows.every((r) => Math.abs(Number(r.lat) - (45 + Number(r.entity_id.slice(6)) / 100_000)) < 1e-9)).toBe(true);
    // The connection is sound afterwards (an over-long statement left PGlite answering wrong).
    expect(await count()).toBe(ROWS);
  });

  it('deletes in slices inside the caller’s transaction: rolled back whole, or committed exactly', async () => {
    const deleteAsked = (trx: Kysely<DB>) =>
      inChunks(askedIds(), async (chunk) => Number((await trx.deleteFrom('geo_point').where('entity_id', 'in', chunk).executeTakeFirst()).numDeletedRows));

    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          const deleted = (await deleteAsked(trx)).reduce((a, b) => a + b, 0);
          expect(deleted).toBe(ASKED);
          expect(await count(trx)).toBe(ROWS - ASKED);
          throw new Error('roll back');
        })
    ).rejects.toThrow('roll back');
    expect(await count()).toBe(ROWS);

    const deleted = await db()
      .transaction()
      .execute(async (trx) => (await deleteAsked(trx)).reduce((a, b) => a + b, 0));
    expect(deleted).toBe(ASKED);
    const left = await db().selectFrom('geo_point').select('entity_id').orderBy('entity_id').execute();
    expect(left.map((r) => r.entity_id)).toEqual(Array.from({ length: ROWS - ASKED }, (_, i) => id(ASKED + i)));
  });
});
