import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PhotoSize } from '../../../schemas/photos.js';
import type { DB } from '../../db/schema.js';
import { inChunks } from '../../db/in-chunks.js';

/**
 * All SQL of offer photos. Lists and look-ups read the metadata only; the bytes are read one size
 * at a time, by id, when served. Every function takes a `Kysely<DB>` so it runs in a transaction.
 */

export interface OfferPhotoRecord {
  id: string;
  offerId: string;
  /** 1 = shown first (the feed's thumbnail). */
  position: number;
  alt: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  createdAt: string;
}

export interface NewOfferPhoto {
  offerId: string;
  alt: string;
  large: { data: Uint8Array; width: number; height: number };
  thumb: { data: Uint8Array; width: number; height: number };
  createdAt: string;
}

const META = ['id', 'offer_id', 'position', 'alt', 'width', 'height', 'thumb_width', 'thumb_height', 'created_at'] as const;

type MetaRow = {
  id: string;
  offer_id: string;
  position: number | string;
  alt: string;
  width: number | string;
  height: number | string;
  thumb_width: number | string;
  thumb_height: number | string;
  created_at: string;
};

const toRecord = (r: MetaRow): OfferPhotoRecord => ({
  id: r.id,
  offerId: r.offer_id,
  position: Number(r.position),
  alt: r.alt,
  width: Number(r.width),
  height: Number(r.height),
  thumbWidth: Number(r.thumb_width),
  thumbHeight: Number(r.thumb_height),
  createdAt: r.created_at
});

/** The photos of an offer in their order. */
export async function listOfferPhotos(db: Kysely<DB>, offerId: string): Promise<OfferPhotoRecord[]> {
  const rows = await db
    .selectFrom('offer_photo')
    .select(META)
    .where('offer_id', '=', offerId)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The first photo of each of `offerIds` that has one (the feed's thumbnails), in one query. */
export async function firstOfferPhotos(db: Kysely<DB>, offerIds: readonly string[]): Promise<Map<string, OfferPhotoRecord>> {
  const first = new Map<string, OfferPhotoRecord>();
  if (offerIds.length === 0) return first;
  const rows = await db
    .selectFrom('offer_photo')
    .select(META)
    .where('offer_id', 'in', [...offerIds])
    .orderBy('offer_id')
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  for (const row of rows) if (!first.has(row.offer_id)) first.set(row.offer_id, toRecord(row));
  return first;
}

export async function findOfferPhoto(db: Kysely<DB>, photoId: string): Promise<OfferPhotoRecord | undefined> {
  const row = await db.selectFrom('offer_photo').select(META).where('id', '=', photoId).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/**
 * Locks the offer's row until the transaction ends (a no-op update: PostgreSQL takes the row lock,
 * SQLite its one write lock), so photo changes of one offer run one after the other.
 */
export async function lockOfferRow(db: Kysely<DB>, offerId: string): Promise<void> {
  await db
    .updateTable('offer')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', offerId)
    .execute();
}

/** better-sqlite3 binds Buffers (not plain Uint8Arrays); pg and PGlite take either. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Stores a photo last in the offer's order. The caller counts within the same locked transaction. */
export async function insertOfferPhoto(db: Kysely<DB>, p: NewOfferPhoto, position: number): Promise<OfferPhotoRecord> {
  const id = randomUUID();
  await db
    .insertInto('offer_photo')
    .values({
      id,
      offer_id: p.offerId,
      position,
      alt: p.alt,
      width: p.large.width,
      height: p.large.height,
      bytes: asBuffer(p.large.data),
      thumb_bytes: asBuffer(p.thumb.data),
      thumb_width: p.thumb.width,
      thumb_height: p.thumb.height,
      created_at: p.createdAt
    })
    .execute();
  return (await findOfferPhoto(db, id))!;
}

/** The bytes of one size of a photo (always WebP), or undefined when no such photo. */
export async function readOfferPhotoData(db: Kysely<DB>, photoId: string, size: PhotoSize): Promise<Uint8Array | undefined> {
  const column = size === 'large' ? 'bytes' : 'thumb_bytes';
  const row = await db.selectFrom('offer_photo').select(`${column} as data`).where('id', '=', photoId).executeTakeFirst();
  return row?.data;
}

export async function updateOfferPhotoAlt(db: Kysely<DB>, photoId: string, alt: string): Promise<void> {
  await db.updateTable('offer_photo').set({ alt }).where('id', '=', photoId).execute();
}

/** Numbers the photos 1, 2, 3… in the order of `ids` (all photos of one offer). */
export async function setOfferPhotoOrder(db: Kysely<DB>, offerId: string, ids: readonly string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await db.updateTable('offer_photo').set({ position: i + 1 }).where('id', '=', id).where('offer_id', '=', offerId).execute();
  }
}

export async function deleteOfferPhotoRow(db: Kysely<DB>, photoId: string): Promise<boolean> {
  const res = await db.deleteFrom('offer_photo').where('id', '=', photoId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** A photo's offer and what decides who may see it, or undefined when no such photo. */
export async function findOfferPhotoOffer(
  db: Kysely<DB>,
  photoId: string
): Promise<{ offerId: string; status: string; pickupEndsAt: string } | undefined> {
  const row = await db
    .selectFrom('offer_photo as p')
    .innerJoin('offer as o', 'o.id', 'p.offer_id')
    .select(['o.id', 'o.status', 'o.pickup_ends_at'])
    .where('p.id', '=', photoId)
    .executeTakeFirst();
  return row ? { offerId: row.id, status: row.status, pickupEndsAt: row.pickup_ends_at } : undefined;
}

/**
 * Deletes the photos of offers whose pickup window ended, or that were cancelled, before `before`
 * (retention). Returns how many photos and offers lost them.
 */
export async function purgeOfferPhotos(db: Kysely<DB>, before: string): Promise<{ photos: number; offers: number }> {
  const offers = await db
    .selectFrom('offer')
    .select('id')
    .where((eb) => eb.or([eb('pickup_ends_at', '<', before), eb.and([eb('status', '=', 'cancelled'), eb('cancelled_at', '<', before)])]))
    .where((eb) => eb.exists(eb.selectFrom('offer_photo').select('offer_photo.id').whereRef('offer_photo.offer_id', '=', 'offer.id')))
    .execute();
  if (offers.length === 0) return { photos: 0, offers: 0 };
  // In slices: a long-stopped server may find many offers at once.
  const deleted = await inChunks(
    offers.map((o) => o.id),
    async (ids) => Number((await db.deleteFrom('offer_photo').where('offer_id', 'in', ids).executeTakeFirst()).numDeletedRows)
  );
  return { photos: deleted.reduce((a, b) => a + b, 0), offers: offers.length };
}
