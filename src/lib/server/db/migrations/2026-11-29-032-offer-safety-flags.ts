import type { Kysely } from 'kysely';

/**
 * The donor's two food-safety declarations, stored on the offer so an edit re-runs the rules with
 * them (they were only checked when posting): `partner_accepts_shorter` (the partner association
 * redistributes in time a DLC closer than the 48 h rule) and `is_raw_animal_product` (raw meat, fish,
 * shellfish…: refused from private people). 0/1 integers, 0 for offers posted before.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('offer').addColumn('partner_accepts_shorter', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('offer').addColumn('is_raw_animal_product', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('offer').dropColumn('is_raw_animal_product').execute();
  await db.schema.alterTable('offer').dropColumn('partner_accepts_shorter').execute();
}
