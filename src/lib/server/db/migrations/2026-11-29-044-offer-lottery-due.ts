import { sql, type Kysely } from 'kysely';

/**
 * `offer_lottery_due_idx`: offers whose pooling lottery has not run, by the end of their pooling
 * window (partial: `allocated_at IS NULL`, so it holds only the few offers still pooling). Read each
 * minute by the lottery job and by every feed read (which runs a due lottery before searching)
 * instead of scanning the offers.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('offer_lottery_due_idx')
    .on('offer')
    .column('pooling_ends_at')
    .where(sql.ref('allocated_at'), 'is', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('offer_lottery_due_idx').execute();
}
