import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTO_THUMB_PX, PHOTOS_PER_OFFER, updatePhotoSchema } from '../../../schemas/photos.js';
import { requireActor, type Actor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import {
  IMAGE_ROUTE_DESCRIPTION,
  imageResponses,
  PhotoFileParams,
  PhotoParams,
  photoSchema,
  photoUploadErrors,
  photoUploadForm,
  readUpload,
  serveImage
} from '../../photos/photos.http.js';

/**
 * HTTP of offer photos: `/offers/{id}/photos` (list, upload) and `/offer-photos/{photoId}`
 * (describe, reorder, remove, the public images). Thin: the shared photo HTTP pieces, one service call.
 */

const tags = ['offers'];

export const OfferPhoto = photoSchema('OfferPhoto', {
  position: '1 = shown first (the thumbnail of the feed)',
  alt: 'Alternative text, for people who cannot see the photo'
});

/** The one multipart route of offers: `api.ts` lets its body through with the photo size limit. */
export function isOfferPhotoUpload(method: string, path: string): boolean {
  return method === 'POST' && /\/v1\/offers\/[^/]+\/photos\/?$/.test(path);
}

const idParam = z.string().min(1).max(200);
const OfferParams = z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' }, description: 'Id of the offer' }) });

const listRoute = createRoute({
  method: 'get',
  path: '/{id}/photos',
  tags,
  summary: "An offer's photos, in order (public while the offer is live; its donor side whatever its status)",
  request: { params: OfferParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(OfferPhoto) }), 'In order'), ...errorResponses(400, 404) }
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/{id}/photos',
  tags,
  summary: 'Add a photo to an offer (its donor: a member of the donor organisation, or the private person who posted it)',
  description:
    `multipart/form-data with \`file\` and \`alt\` (required, at most ${PHOTO_ALT_MAX} characters). The type is read ` +
    `from the file's bytes, never from its name. Turned upright, resized (≤ ${PHOTO_LARGE_PX} px and a ≤ ${PHOTO_THUMB_PX} px ` +
    `thumbnail), re-encoded as WebP without any metadata (EXIF, GPS, XMP, ICC). At most ${PHOTOS_PER_OFFER} photos per ` +
    'offer (409, `file`); only while the offer is published (409).',
  request: {
    params: OfferParams,
    body: { required: true, content: { 'multipart/form-data': { schema: photoUploadForm(PHOTO_ALT_MAX, 'OfferPhotoUpload') } } }
  },
  responses: { 201: jsonResponse(OfferPhoto, 'Stored'), ...photoUploadErrors() }
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{photoId}',
  tags,
  summary: "Change an offer photo's alternative text or its position (1 = first)",
  description: 'The other photos keep their order. Only while the offer is published (409).',
  request: { params: PhotoParams, ...jsonBody(updatePhotoSchema.openapi('OfferPhotoUpdate')) },
  responses: { 200: jsonResponse(OfferPhoto, 'Updated'), ...errorResponses(400, 401, 403, 404, 409, 413, 415) }
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{photoId}',
  tags,
  summary: 'Remove an offer photo (the next ones move up)',
  request: { params: PhotoParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) }
});

const imageRoute = createRoute({
  method: 'get',
  path: '/{photoId}/{file}',
  tags,
  summary: 'An offer photo (public while the offer is live): `large.webp` or `thumb.webp`',
  description:
    IMAGE_ROUTE_DESCRIPTION +
    ' Public while the offer is published and its pickup window has not ended (cached at most until then); once it is ' +
    "cancelled or has ended, only its donor side (signed in) sees it (`Cache-Control: private, no-cache`); 404 to anyone else.",
  request: { params: PhotoFileParams },
  responses: {
    ...imageResponses,
    404: {
      ...errorResponses(404)[404]!,
      description: "No such photo, or its offer is cancelled or has ended and the caller is not on the donor's side"
    }
  }
});

const svc = (c: Context<AppEnv>) => c.get('services').offerPhotos;
const optionalActor = (c: Context<AppEnv>): Actor | null => (c.get('auth') ? requireActor(c) : null);

/** `/api/v1/offers/{id}/photos`: list and upload. */
export function offerPhotosRoutes() {
  const router = createRouter();
  router.openapi(listRoute, async (c) => {
    return c.json({ items: await svc(c).listPhotos(optionalActor(c), c.req.valid('param').id) }, 200);
  });
  router.openapi(uploadRoute, async (c) => {
    const upload = await readUpload(c.req.valid('form') as { file?: unknown; alt?: unknown });
    return c.json(await svc(c).addPhoto(requireActor(c), c.req.valid('param').id, upload), 201);
  });
  return router;
}

/** `/api/v1/offer-photos`: change, remove, and the public images. */
export function offerPhotoFilesRoutes() {
  const router = createRouter();
  router.openapi(updateRoute, async (c) => {
    return c.json(await svc(c).updatePhoto(requireActor(c), c.req.valid('param').photoId, c.req.valid('json')), 200);
  });
  router.openapi(deleteRoute, async (c) => {
    await svc(c).deletePhoto(requireActor(c), c.req.valid('param').photoId);
    return c.body(null, 204);
  });
  router.openapi(imageRoute, async (c) => {
    const { photoId, file } = c.req.valid('param');
    const actor = optionalActor(c);
    const photos = svc(c);
    return serveImage(
      c,
      { checkPhoto: (id) => photos.checkPhoto(actor, id), readPhoto: (id, size) => photos.readPhoto(actor, id, size) },
      photoId,
      file
    );
  });
  return router;
}
