import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTO_THUMB_PX, PHOTOS_PER_PLACE, updatePhotoSchema } from '../../../schemas/photos.js';
import { requireActor } from '../../http/auth.js';
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
 * HTTP of place photos: upload (multipart, the one API write that is not JSON), describe and
 * reorder, remove, and the public images. Thin: validate, call one service function, answer.
 */

const tags = ['directory'];

/** A photo as published (also part of a place, see directory.routes). */
export const Photo = photoSchema('PlacePhoto', {
  position: '1 = shown first',
  alt: 'Alternative text (French), for people who cannot see the photo'
});

/**
 * The one upload route: `api.ts` lets multipart bodies through here (and here only), with the
 * photo size limit instead of the JSON one.
 */
export function isPhotoUpload(method: string, path: string): boolean {
  return method === 'POST' && /\/v1\/places\/[^/]+\/photos\/?$/.test(path);
}

const idParam = z.string().min(1).max(200);
const PlaceParams = z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' }, description: 'Id of the place' }) });

const UploadForm = photoUploadForm(PHOTO_ALT_MAX, 'PhotoUpload');
const uploadErrors = photoUploadErrors();

const uploadRoute = createRoute({
  method: 'post',
  path: '/{id}/photos',
  tags,
  summary: 'Add a photo to a place (who may edit its identity: owners, managers, admins)',
  description:
    `multipart/form-data with \`file\` and \`alt\` (required, at most ${PHOTO_ALT_MAX} characters). The type is read ` +
    `from the file's bytes, never from its name. The photo is turned upright, resized (≤ ${PHOTO_LARGE_PX} px and a ` +
    `≤ ${PHOTO_THUMB_PX} px thumbnail), re-encoded as WebP and stripped of all metadata (EXIF, GPS, XMP, ICC). ` +
    `At most ${PHOTOS_PER_PLACE} photos per place (409). Writes a revision (section \`photos\`).`,
  request: {
    params: PlaceParams,
    body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } }
  },
  responses: { 201: jsonResponse(Photo, 'Stored'), ...uploadErrors }
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{photoId}',
  tags,
  summary: "Change a photo's alternative text or its position (1 = first)",
  description: 'The other photos keep their order. Writes a revision with what changed.',
  request: { params: PhotoParams, ...jsonBody(updatePhotoSchema.openapi('PhotoUpdate')) },
  responses: { 200: jsonResponse(Photo, 'Updated'), ...errorResponses(400, 401, 403, 404, 413, 415) }
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{photoId}',
  tags,
  summary: 'Remove a photo (the next ones move up); writes a revision',
  request: { params: PhotoParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) }
});

const imageRoute = createRoute({
  method: 'get',
  path: '/{photoId}/{file}',
  tags,
  summary: 'A photo (public): `large.webp` or `thumb.webp`',
  description: IMAGE_ROUTE_DESCRIPTION,
  request: { params: PhotoFileParams },
  responses: imageResponses
});

const svc = (c: Context<AppEnv>) => c.get('services').photos;

/** `POST /api/v1/places/{id}/photos` (mounted beside the places routes). */
export function placePhotosRoutes() {
  const router = createRouter();
  router.openapi(uploadRoute, async (c) => {
    const actor = requireActor(c);
    const upload = await readUpload(c.req.valid('form') as { file?: unknown; alt?: unknown });
    const photo = await svc(c).addPhoto(actor, c.req.valid('param').id, upload);
    return c.json(photo, 201);
  });
  return router;
}

/** `/api/v1/photos`: change, remove, and the public images. */
export function photosRoutes() {
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
    return serveImage(c, svc(c), photoId, file);
  });
  return router;
}
