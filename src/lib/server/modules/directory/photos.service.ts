import type { Kysely } from 'kysely';
import { createPhotoSchema, PHOTOS_PER_PLACE, updatePhotoSchema, type PhotoSize } from '../../../schemas/photos.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { findMembership } from '../organisations/organisations.repository.js';
import { canManagePhotos, type Standing } from './directory.policy.js';
import { presentPhoto, type PhotoView } from './directory.presenter.js';
import * as places from './directory.repository.js';
import { parseInput } from '../../http/errors.js';
import { processPhoto } from '../../photos/photos.image.js';
import * as repo from './photos.repository.js';
import type { PhotoRecord } from './photos.repository.js';
import { megabytes, moveTo } from '../../photos/photos.rules.js';

/**
 * Photos of places: an editor of the place's identity uploads a JPEG, PNG or WebP with its
 * alternative text; it is stored re-encoded (large + thumbnail, WebP, no metadata) in the database.
 * At most PHOTOS_PER_PLACE per place, in an order editors choose. Every change writes a revision
 * (section `photos`) in the same transaction and marks the place updated. Reading is public.
 * The pixel work (sharp) runs before the transaction, so no lock is held while it runs.
 */

export interface PhotosDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'PHOTO_UPLOAD_MAX_MB'>;
  now: () => Date;
}

/** An upload as received: the file's bytes and the words beside it. */
export interface PhotoUpload {
  /** The file's bytes; undefined or empty when no file was chosen. */
  file: Uint8Array | undefined;
  alt: unknown;
}

/** What a revision keeps of a photo (its bytes stay out of the history). */
const revisionValues = (p: Pick<PhotoRecord, 'alt' | 'position'>) => ({ alt: p.alt, position: p.position });

const placeNotFound = () => new AppError('not_found', 'Place not found');
const photoNotFound = () => new AppError('not_found', 'Photo not found');
const forbidden = () => new AppError('forbidden', 'You may not manage the photos of this place');

export function createPhotosService(deps: PhotosDeps) {
  const { db, config, now } = deps;

  /** The largest file accepted, in bytes. */
  const maxBytes = () => megabytes(config.PHOTO_UPLOAD_MAX_MB);

  async function standingIn(actor: Actor, organisationId: string): Promise<Standing> {
    const m = await findMembership(db, organisationId, actor.userId);
    return { isPlatformAdmin: actor.isPlatformAdmin, role: m?.role ?? null };
  }

  /** The place, after checking that `actor` may manage its photos (404 unknown, 403 not allowed). */
  async function editablePlace(actor: Actor, placeId: string) {
    const place = await places.findPlace(db, placeId);
    if (!place) throw placeNotFound();
    if (!canManagePhotos(await standingIn(actor, place.organisationId))) throw forbidden();
    return place;
  }

  async function editablePhoto(actor: Actor, photoId: string): Promise<PhotoRecord> {
    const photo = await repo.findPhoto(db, photoId);
    if (!photo) throw photoNotFound();
    await editablePlace(actor, photo.placeId);
    return photo;
  }

  const tooMany = () =>
    new AppError('conflict', `A place has at most ${PHOTOS_PER_PLACE} photos: remove one first`, {
      fields: [{ path: 'file', message: `at most ${PHOTOS_PER_PLACE} photos per place`, code: 'too_many_photos' }],
      maxPhotos: PHOTOS_PER_PLACE
    });

  /**
   * Adds a photo to a place. Checks, in order: the place and the right to manage it (404, 403),
   * the alternative text (400 `alt`), a file present (400 `file`), its size (413 `file`), its type
   * from its bytes (415 `file`), that it decodes (400 `file`), and the per-place limit (409).
   */
  async function addPhoto(actor: Actor, placeId: string, upload: PhotoUpload): Promise<PhotoView> {
    await editablePlace(actor, placeId);
    const file = upload.file;
    const missingFile = !file || file.byteLength === 0;
    let alt: string;
    try {
      alt = parseInput(createPhotoSchema, { alt: upload.alt }).alt;
    } catch (err) {
      // Both mistakes of a form at once: the text and the missing file.
      if (missingFile && err instanceof AppError) err.details?.fields?.push({ path: 'file', message: 'Choose a photo to send', code: 'required' });
      throw err;
    }
    if (missingFile) throw fieldError('file', 'Choose a photo to send', 'required');
    if (file.byteLength > maxBytes()) {
      throw new AppError('payload_too_large', `The photo is larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, {
        fields: [{ path: 'file', message: `larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, code: 'too_big' }]
      });
    }
    if ((await repo.countPhotosOfPlace(db, placeId)) >= PHOTOS_PER_PLACE) throw tooMany();
    const images = await processPhoto(file, 'file');
    const at = now().toISOString();
    const photo = await db.transaction().execute(async (trx) => {
      // Locked first: two uploads to one place are counted one after the other.
      await repo.lockPlaceRow(trx, placeId);
      if ((await repo.countPhotosOfPlace(trx, placeId)) >= PHOTOS_PER_PLACE) throw tooMany();
      await places.updatePlaceRow(trx, placeId, { updatedAt: at, verifiedAt: at });
      const saved = await repo.insertPhoto(
        trx,
        {
          placeId,
          alt,
          contentType: images.contentType,
          large: images.large,
          thumb: images.thumb,
          uploadedByUserId: actor.userId,
          createdAt: at
        },
        await repo.nextPhotoPosition(trx, placeId)
      );
      await places.insertRevision(trx, {
        placeId,
        actorUserId: actor.userId,
        at,
        action: 'create',
        section: 'photos',
        before: null,
        after: revisionValues(saved)
      });
      return saved;
    });
    return presentPhoto(photo);
  }

  /**
   * Changes a photo's alternative text and/or moves it to `position` (1 = first; the others keep
   * their order). Nothing changed: nothing written. Otherwise one revision with what changed.
   */
  async function updatePhoto(actor: Actor, photoId: string, input: unknown): Promise<PhotoView> {
    const photo = await editablePhoto(actor, photoId);
    const data = parseInput(updatePhotoSchema, input);
    const at = now().toISOString();
    const updated = await db.transaction().execute(async (trx) => {
      await repo.lockPlaceRow(trx, photo.placeId);
      const current = await repo.listPhotosOfPlace(trx, photo.placeId);
      const before = current.find((p) => p.id === photoId);
      if (!before) throw photoNotFound(); // removed meanwhile
      if (data.position !== undefined && data.position > current.length) {
        throw fieldError('position', `Position must be between 1 and ${current.length}`, 'too_big');
      }
      const altChanged = data.alt !== undefined && data.alt !== before.alt;
      const positionChanged = data.position !== undefined && data.position !== before.position;
      if (!altChanged && !positionChanged) return before;
      if (altChanged) await repo.updatePhotoAlt(trx, photoId, data.alt!);
      if (positionChanged || current.some((p, i) => p.position !== i + 1)) {
        const order = current.map((p) => p.id);
        await repo.setPhotoOrder(trx, photo.placeId, positionChanged ? moveTo(order, photoId, data.position!) : order);
      }
      const after = (await repo.findPhoto(trx, photoId))!;
      await places.updatePlaceRow(trx, photo.placeId, { updatedAt: at });
      await places.insertRevision(trx, {
        placeId: photo.placeId,
        actorUserId: actor.userId,
        at,
        action: 'update',
        section: 'photos',
        before: { ...(altChanged ? { alt: before.alt } : {}), ...(positionChanged ? { position: before.position } : {}) },
        after: { ...(altChanged ? { alt: after.alt } : {}), ...(positionChanged ? { position: after.position } : {}) }
      });
      return after;
    });
    return presentPhoto(updated);
  }

  /** Removes a photo; the following ones move up. */
  async function deletePhoto(actor: Actor, photoId: string): Promise<void> {
    const photo = await editablePhoto(actor, photoId);
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.lockPlaceRow(trx, photo.placeId);
      if (!(await repo.deletePhotoRow(trx, photoId))) throw photoNotFound();
      await places.updatePlaceRow(trx, photo.placeId, { updatedAt: at });
      const rest = await repo.listPhotosOfPlace(trx, photo.placeId);
      await repo.setPhotoOrder(
        trx,
        photo.placeId,
        rest.map((p) => p.id)
      );
      await places.insertRevision(trx, {
        placeId: photo.placeId,
        actorUserId: actor.userId,
        at,
        action: 'delete',
        section: 'photos',
        before: revisionValues(photo),
        after: null
      });
    });
  }

  /** The photos of a place, in order (public). */
  async function listPhotos(placeId: string): Promise<PhotoView[]> {
    const place = await places.findPlace(db, placeId);
    if (!place) throw placeNotFound();
    return (await repo.listPhotosOfPlace(db, placeId)).map(presentPhoto);
  }

  /** The bytes of one size of a photo (public), with what an HTTP answer needs. */
  async function readPhoto(photoId: string, size: PhotoSize): Promise<{ data: Uint8Array; contentType: string }> {
    const found = await repo.readPhotoData(db, photoId, size);
    if (!found) throw photoNotFound();
    return found;
  }

  /** Throws 404 unless the photo exists (a conditional GET checks this before answering 304). */
  async function checkPhoto(photoId: string): Promise<void> {
    if (!(await repo.findPhoto(db, photoId))) throw photoNotFound();
  }

  return { addPhoto, updatePhoto, deletePhoto, listPhotos, readPhoto, checkPhoto, maxBytes };
}

export type PhotosService = ReturnType<typeof createPhotosService>;
