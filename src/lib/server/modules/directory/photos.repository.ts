import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PhotoSize } from '../../../schemas/photos.js';
import type { DB } from '../../db/schema.js';

/**
 * All SQL of place photos. Lists and look-ups read the metadata only; the image bytes are read one
 * size at a time, by id, when served. Every function takes a `Kysely<DB>` so it runs in a transaction.
 */

/** A photo without its bytes. */
export interface PhotoRecord {
  id: string;
  placeId: string;
  /** 1 = shown first. */
  position: number;
  alt: string;
  contentType: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  uploadedByUserId: string | null;
  createdAt: string;
}

export interface NewPhoto {
  placeId: string;
  alt: string;
  contentType: string;
  large: { data: Uint8Array; width: number; height: number };
  thumb: { data: Uint8Array; width: number; height: number };
  uploadedByUserId: string | null;
  createdAt: string;
}

const META = [
  'id',
  'place_id',
  'position',
  'alt',
  'content_type',
  'width',
  'height',
  'thumb_width',
  'thumb_height',
  'uploaded_by_user_id',
  'created_at'
] as const;

type MetaRow = {
  id: string;
  place_id: string;
  position: number | string;
  alt: string;
  content_type: string;
  width: number | string;
  height: number | string;
  thumb_width: number | string;
  thumb_height: number | string;
  uploaded_by_user_id: string | null;
  created_at: string;
};

function toPhoto(r: MetaRow): PhotoRecord {
  return {
    id: r.id,
    placeId: r.place_id,
    position: Number(r.position),
    alt: r.alt,
    contentType: r.content_type,
    width: Number(r.width),
    height: Number(r.height),
    thumbWidth: Number(r.thumb_width),
    thumbHeight: Number(r.thumb_height),
    uploadedByUserId: r.uploaded_by_user_id,
    createdAt: r.created_at
  };
}

/** The photos of a place in their order (position, then upload time). */
export async function listPhotosOfPlace(db: Kysely<DB>, placeId: string): Promise<PhotoRecord[]> {
  const rows = await db
    .selectFrom('place_photo')
    .select(META)
    .where('place_id', '=', placeId)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toPhoto);
}

export async function findPhoto(db: Kysely<DB>, photoId: string): Promise<PhotoRecord | undefined> {
  const row = await db.selectFrom('place_photo').select(META).where('id', '=', photoId).executeTakeFirst();
  return row ? toPhoto(row) : undefined;
}

export async function countPhotosOfPlace(db: Kysely<DB>, placeId: string): Promise<number> {
  const row = await db
    .selectFrom('place_photo')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('place_id', '=', placeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next free position at a place (1 when it has no photo). */
export async function nextPhotoPosition(db: Kysely<DB>, placeId: string): Promise<number> {
  const row = await db
    .selectFrom('place_photo')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

/**
 * Locks the place's row until the transaction ends (a no-op update: PostgreSQL takes the row lock,
 * SQLite its one write lock), so photo changes of one place run one after the other.
 */
export async function lockPlaceRow(db: Kysely<DB>, placeId: string): Promise<void> {
  await db
    .updateTable('place')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', placeId)
    .execute();
}

/** better-sqlite3 binds Buffers (not plain Uint8Arrays); pg and PGlite take either. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Stores a photo at `position`. The caller checks the per-place limit in the same transaction,
 * after locking the place row (see photos.service), so two uploads cannot both take the last slot.
 */
export async function insertPhoto(db: Kysely<DB>, p: NewPhoto, position: number): Promise<PhotoRecord> {
  const id = randomUUID();
  await db
    .insertInto('place_photo')
    .values({
      id,
      place_id: p.placeId,
      position,
      alt: p.alt,
      content_type: p.contentType,
      width: p.large.width,
      height: p.large.height,
      data: asBuffer(p.large.data),
      created_at: p.createdAt,
      thumb_data: asBuffer(p.thumb.data),
      thumb_width: p.thumb.width,
      thumb_height: p.thumb.height,
      uploaded_by_user_id: p.uploadedByUserId
    })
    .execute();
  const photo = await findPhoto(db, id);
  if (!photo) throw new Error('insertPhoto: the photo just written is missing');
  return photo;
}

/** The bytes of one size of a photo, or undefined when no such photo. */
export async function readPhotoData(
  db: Kysely<DB>,
  photoId: string,
  size: PhotoSize
): Promise<{ data: Uint8Array; contentType: string } | undefined> {
  const column = size === 'large' ? 'data' : 'thumb_data';
  const row = await db
    .selectFrom('place_photo')
    .select([`${column} as data`, 'content_type'])
    .where('id', '=', photoId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { data: row.data, contentType: row.content_type };
}

/** Sets a photo's alternative text. */
export async function updatePhotoAlt(db: Kysely<DB>, photoId: string, alt: string): Promise<void> {
  await db.updateTable('place_photo').set({ alt }).where('id', '=', photoId).execute();
}

/** Numbers the photos 1, 2, 3… in the order of `ids` (all photos of one place). */
export async function setPhotoOrder(db: Kysely<DB>, placeId: string, ids: readonly string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await db.updateTable('place_photo').set({ position: i + 1 }).where('id', '=', id).where('place_id', '=', placeId).execute();
  }
}

export async function deletePhotoRow(db: Kysely<DB>, photoId: string): Promise<boolean> {
  const res = await db.deleteFrom('place_photo').where('id', '=', photoId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
