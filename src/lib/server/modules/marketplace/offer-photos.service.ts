import { parseInput } from '../../http/errors.js';
import type { Kysely } from 'kysely';
import { createPhotoSchema, PHOTOS_PER_OFFER, updatePhotoSchema, type PhotoSize } from '../../../schemas/photos.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { processPhoto } from '../../photos/photos.image.js';
import { IMAGE_CACHE_SECONDS, megabytes, moveTo } from '../../photos/photos.rules.js';
import { recordAudit } from '../audit/audit.repository.js';
import { isOfferLive, offerPhotoCacheControl, offerPhotoPurgeBefore } from './marketplace.rules.js';
import { findOffer, type OfferRecord } from './offers.repository.js';
import { findManagedOffer, mayManageOffer } from './offers.service.js';
import * as repo from './offer-photos.repository.js';
import type { OfferPhotoRecord } from './offer-photos.repository.js';
import { presentOfferPhoto, type OfferPhotoView } from './offer-photos.presenter.js';

/**
 * Photos of offers (dons): who manages an offer (a member of its donor organisation, or the private
 * person who posted it) adds up to PHOTOS_PER_OFFER photos while it is published, each with its
 * alternative text, reorders and removes them. The pixels go through the shared pipeline
 * (server/photos: type from the bytes, upright, sRGB, WebP large + thumbnail, no metadata) before
 * any transaction; bytes live in `offer_photo`. Reading is public while the offer is live (published,
 * window not ended), like the offer in the feed; once it is cancelled or has ended, its photos are its
 * donor's only (404 to anyone else), and OFFER_PHOTO_RETENTION_DAYS later they are deleted.
 */

export interface OfferPhotosDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'PHOTO_UPLOAD_MAX_MB' | 'OFFER_PHOTO_RETENTION_DAYS'>;
  now: () => Date;
}


const offerNotFound = () => new AppError('not_found', 'No such offer');
const photoNotFound = () => new AppError('not_found', 'Photo not found');

export function createOfferPhotosService(deps: OfferPhotosDeps) {
  const { db, config, now } = deps;
  const maxBytes = () => megabytes(config.PHOTO_UPLOAD_MAX_MB);

  const mayManage = (actor: Actor, offer: OfferRecord) => mayManageOffer(db, actor, offer);
  /** The offer whose photos `actor` manages: 404 unknown (or unpublished and not theirs), 403 visible but not theirs. */
  const managedOffer = (actor: Actor, offerId: string) =>
    findManagedOffer(db, actor, offerId, 'Only the donor may change the photos of this offer');

  const notPublished = (offer: OfferRecord) =>
    new AppError('conflict', `The offer is ${offer.status}: its photos can no longer change`, { status: offer.status });

  async function managedPhoto(actor: Actor, photoId: string): Promise<{ photo: OfferPhotoRecord; offer: OfferRecord }> {
    const photo = await repo.findOfferPhoto(db, photoId);
    if (!photo) throw photoNotFound();
    const offer = await managedOffer(actor, photo.offerId);
    return { photo, offer };
  }

  const tooMany = () =>
    new AppError('conflict', `An offer has at most ${PHOTOS_PER_OFFER} photos: remove one first`, {
      fields: [{ path: 'file', message: `at most ${PHOTOS_PER_OFFER} photos per offer`, code: 'too_many_photos' }],
      maxPhotos: PHOTOS_PER_OFFER
    });

  /**
   * Adds a photo. Checks, in order: the offer and the right to manage it (404, 403), that it is
   * published (409), the alternative text (400 `alt`), a file (400 `file`), its size (413 `file`),
   * its type from its bytes (415 `file`), that it decodes (400 `file`), the per-offer limit (409 `file`).
   */
  async function addPhoto(actor: Actor, offerId: string, upload: { file: Uint8Array | undefined; alt: unknown }): Promise<OfferPhotoView> {
    const offer = await managedOffer(actor, offerId);
    if (offer.status !== 'published') throw notPublished(offer);
    const file = upload.file;
    const missingFile = !file || file.byteLength === 0;
    let alt: string;
    try {
      alt = parseInput(createPhotoSchema, { alt: upload.alt }).alt;
    } catch (err) {
      if (missingFile && err instanceof AppError) err.details?.fields?.push({ path: 'file', message: 'Choose a photo to send', code: 'required' });
      throw err;
    }
    if (missingFile) throw fieldError('file', 'Choose a photo to send', 'required');
    if (file.byteLength > maxBytes()) {
      throw new AppError('payload_too_large', `The photo is larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, {
        fields: [{ path: 'file', message: `larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, code: 'too_big' }]
      });
    }
    if ((await repo.listOfferPhotos(db, offerId)).length >= PHOTOS_PER_OFFER) throw tooMany();
    const images = await processPhoto(file, 'file');
    const at = now().toISOString();
    const saved = await db.transaction().execute(async (trx) => {
      // Locked first: two uploads to one offer are counted one after the other.
      await repo.lockOfferRow(trx, offerId);
      const current = await repo.listOfferPhotos(trx, offerId);
      if (current.length >= PHOTOS_PER_OFFER) throw tooMany();
      return repo.insertOfferPhoto(trx, { offerId, alt, large: images.large, thumb: images.thumb, createdAt: at }, current.length + 1);
    });
    return presentOfferPhoto(saved);
  }

  /** Changes a photo's alternative text and/or moves it to `position` (1 = first, the feed's thumbnail). */
  async function updatePhoto(actor: Actor, photoId: string, input: unknown): Promise<OfferPhotoView> {
    const { offer } = await managedPhoto(actor, photoId);
    if (offer.status !== 'published') throw notPublished(offer);
    const data = parseInput(updatePhotoSchema, input);
    const updated = await db.transaction().execute(async (trx) => {
      await repo.lockOfferRow(trx, offer.id);
      const current = await repo.listOfferPhotos(trx, offer.id);
      const before = current.find((p) => p.id === photoId);
      if (!before) throw photoNotFound(); // removed meanwhile
      if (data.position !== undefined && data.position > current.length) {
        throw fieldError('position', `Position must be between 1 and ${current.length}`, 'too_big');
      }
      if (data.alt !== undefined && data.alt !== before.alt) await repo.updateOfferPhotoAlt(trx, photoId, data.alt);
      if (data.position !== undefined && data.position !== before.position) {
        await repo.setOfferPhotoOrder(trx, offer.id, moveTo(current.map((p) => p.id), photoId, data.position));
      }
      return (await repo.findOfferPhoto(trx, photoId))!;
    });
    return presentOfferPhoto(updated);
  }

  /** Removes a photo (whatever the offer's status: a donor may always take a photo down); the next ones move up. */
  async function deletePhoto(actor: Actor, photoId: string): Promise<void> {
    const { offer } = await managedPhoto(actor, photoId);
    await db.transaction().execute(async (trx) => {
      await repo.lockOfferRow(trx, offer.id);
      if (!(await repo.deleteOfferPhotoRow(trx, photoId))) throw photoNotFound();
      const rest = await repo.listOfferPhotos(trx, offer.id);
      await repo.setOfferPhotoOrder(trx, offer.id, rest.map((p) => p.id));
    });
  }

  /** Whether `actor` may see the photos of `offer` now: anyone while it is live; its donor side always. */
  async function maySee(actor: Actor | null, offer: { offerId: string; status: string; pickupEndsAt: string }): Promise<boolean> {
    if (isOfferLive(offer, now())) return true;
    if (!actor) return false;
    const full = await findOffer(db, offer.offerId);
    return full !== undefined && (await mayManage(actor, full));
  }

  /** The photos of an offer, in order: anyone while it is live; its donor side whatever its status (404 otherwise). */
  async function listPhotos(actor: Actor | null, offerId: string): Promise<OfferPhotoView[]> {
    const offer = await findOffer(db, offerId);
    if (!offer) throw offerNotFound();
    if (!isOfferLive(offer, now()) && !(actor && (await mayManage(actor, offer)))) throw offerNotFound();
    return (await repo.listOfferPhotos(db, offerId)).map(presentOfferPhoto);
  }

  /**
   * Who may see a photo, and how long it may be cached: 404 when unknown, or when its offer is
   * cancelled or ended and `actor` is not on its donor side.
   */
  async function visiblePhoto(actor: Actor | null, photoId: string): Promise<{ cacheControl: string }> {
    const offer = await repo.findOfferPhotoOffer(db, photoId);
    if (!offer || !(await maySee(actor, offer))) throw photoNotFound();
    return { cacheControl: offerPhotoCacheControl(offer, now(), IMAGE_CACHE_SECONDS) };
  }

  /** The bytes of one size of a photo (WebP), with its Cache-Control: public while the offer is live. */
  async function readPhoto(
    actor: Actor | null,
    photoId: string,
    size: PhotoSize
  ): Promise<{ data: Uint8Array; contentType: string; cacheControl: string }> {
    const { cacheControl } = await visiblePhoto(actor, photoId);
    const data = await repo.readOfferPhotoData(db, photoId, size);
    if (!data) throw photoNotFound();
    return { data, contentType: 'image/webp', cacheControl };
  }

  /** For a conditional GET: 404 unless the photo exists and `actor` may see it; its Cache-Control. */
  function checkPhoto(actor: Actor | null, photoId: string): Promise<{ cacheControl: string }> {
    return visiblePhoto(actor, photoId);
  }

  /**
   * Data minimisation: deletes the photos of offers that ended or were cancelled more than
   * OFFER_PHOTO_RETENTION_DAYS ago (daily job), audited when any went.
   */
  async function purgeOldPhotos(): Promise<{ photos: number; offers: number }> {
    const at = now();
    const result = await repo.purgeOfferPhotos(db, offerPhotoPurgeBefore(at, config.OFFER_PHOTO_RETENTION_DAYS));
    if (result.photos > 0) {
      await recordAudit(db, {
        at,
        actorUserId: null,
        action: 'marketplace.offer_photos_purge',
        subjectType: 'system',
        details: { ...result, days: config.OFFER_PHOTO_RETENTION_DAYS }
      });
    }
    return result;
  }

  return { addPhoto, updatePhoto, deletePhoto, listPhotos, readPhoto, checkPhoto, purgeOldPhotos, maxBytes };
}

export type OfferPhotosService = ReturnType<typeof createOfferPhotosService>;
