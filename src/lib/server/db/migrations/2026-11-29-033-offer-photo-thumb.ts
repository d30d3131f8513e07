import type { Kysely } from 'kysely';

/**
 * `offer_photo.thumb_width` / `thumb_height`: the size of the stored thumbnail, so the feed and the
 * offer page give every <img> its width and height (no layout shift on a slow phone) without
 * decoding the image. Defaults only satisfy NOT NULL on earlier rows; the application writes real values.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('offer_photo').addColumn('thumb_width', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('offer_photo').addColumn('thumb_height', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('offer_photo').dropColumn('thumb_height').execute();
  await db.schema.alterTable('offer_photo').dropColumn('thumb_width').execute();
}
