import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PHOTO_LARGE_PX, PHOTO_THUMB_PX, type PhotoSize } from '../../schemas/photos.js';
import type { AppEnv } from '../http/env.js';
import { errorResponses } from '../http/openapi.js';
import { etagMatches, IMAGE_CACHE_SECONDS, photoEtag } from './photos.rules.js';

/**
 * HTTP pieces shared by every photo API (places, offers): the multipart upload form and its error
 * responses, reading the file out of a parsed form, and serving the stored WebP with a strong ETag
 * and a week of cache. Routes stay thin: they call these and one service function.
 */

/** A week: long enough to spare data on old phones; short enough that a removed photo leaves shared caches. */
export const IMAGE_CACHE = `public, max-age=${IMAGE_CACHE_SECONDS}`;
/** An image opened on its own still displays (Firefox applies CSP to image documents). */
const IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/** The two files of a stored photo, as named in its URL. */
export const PHOTO_FILES = ['large.webp', 'thumb.webp'] as const;

/** A stored photo as the API shows it (places and offers alike), named `name` in OpenAPI. */
export function photoSchema(name: string, descriptions: { position: string; alt: string }) {
  return z
    .object({
      id: z.string(),
      position: z.number().int().openapi({ description: descriptions.position }),
      alt: z.string().openapi({ description: descriptions.alt }),
      width: z.number().int(),
      height: z.number().int(),
      url: z.string().openapi({ description: `Large image (long side ≤ ${PHOTO_LARGE_PX} px, WebP), a path on this site` }),
      thumb: z.object({
        url: z.string().openapi({ description: `Thumbnail (long side ≤ ${PHOTO_THUMB_PX} px, WebP)` }),
        width: z.number().int(),
        height: z.number().int()
      }),
      createdAt: z.string()
    })
    .openapi(name);
}

/** Path parameters of the routes on one photo (`/{photoId}`) and on one of its files (`/{photoId}/{file}`). */
export const PhotoParams = z.object({ photoId: z.string().min(1).max(200).openapi({ param: { name: 'photoId', in: 'path' } }) });
export const PhotoFileParams = PhotoParams.extend({
  file: z.enum(PHOTO_FILES).openapi({ param: { name: 'file', in: 'path' }, description: '`large.webp` or `thumb.webp`' })
});

/** The multipart body of an upload: `file` and `alt` (both checked by the service, so a missing one is reported like the other fields). */
export function photoUploadForm(altMax: number, name: string) {
  return z
    .object({
      file: z
        .unknown()
        .optional()
        .openapi({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP (detected from the bytes)' }),
      alt: z.unknown().optional().openapi({ type: 'string', maxLength: altMax, description: 'Alternative text, required' })
    })
    .openapi(name, { required: ['file', 'alt'] });
}

/** Error responses of an upload, with what 413 and 415 mean here. */
export function photoUploadErrors() {
  const errors = errorResponses(400, 401, 403, 404, 409, 413, 415);
  errors[413] = { ...errors[413]!, description: 'The file is larger than PHOTO_UPLOAD_MAX_MB (`details.fields[0].path` = `file`)' };
  errors[415] = {
    ...errors[415]!,
    description: 'Content-Type is not multipart/form-data, or the file is not a JPEG, PNG or WebP image (`file`)'
  };
  return errors;
}

/** The OpenAPI answers of an image route. */
export const imageResponses = {
  200: { description: 'The image', content: { 'image/webp': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
  304: { description: 'Not modified (ETag matched)' },
  ...errorResponses(400, 404)
};

/** The description of an image route. */
export const IMAGE_ROUTE_DESCRIPTION =
  'Answers `image/webp` with `Cache-Control: ' + IMAGE_CACHE + '` and a strong ETag (the bytes under one id never ' +
  'change); `If-None-Match` answers 304.';

/** The file and text of a parsed multipart upload (first value of each; the file as bytes, undefined when absent). */
export async function readUpload(form: { file?: unknown; alt?: unknown }): Promise<{ file: Uint8Array | undefined; alt: string | undefined }> {
  const file = Array.isArray(form.file) ? form.file[0] : form.file;
  const alt = Array.isArray(form.alt) ? form.alt[0] : form.alt;
  return {
    file: file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : undefined,
    alt: typeof alt === 'string' ? alt : undefined
  };
}

/**
 * What serving needs from a photo service. `cacheControl`, when given, replaces IMAGE_CACHE (a photo
 * that is public only for a while, or private to its owner).
 */
export interface ImageSource {
  /** Throws not_found unless the photo exists and may be seen (a conditional GET checks this before answering 304). */
  checkPhoto(photoId: string): Promise<void | { cacheControl?: string }>;
  readPhoto(photoId: string, size: PhotoSize): Promise<{ data: Uint8Array; contentType: string; cacheControl?: string }>;
}

/** Answers `GET …/{photoId}/{large|thumb}.webp`: 304 on a matching If-None-Match, else the bytes. */
export async function serveImage(c: Context<AppEnv>, source: ImageSource, photoId: string, file: (typeof PHOTO_FILES)[number]) {
  const size: PhotoSize = file === 'large.webp' ? 'large' : 'thumb';
  const etag = photoEtag(photoId, size);
  const common = (cache: string | undefined) => ({ ETag: etag, 'Cache-Control': cache ?? IMAGE_CACHE, 'Content-Security-Policy': IMAGE_CSP });
  if (etagMatches(c.req.header('if-none-match'), etag)) {
    const seen = await source.checkPhoto(photoId); // a removed (or no longer visible) photo answers 404, not 304
    return c.body(null, 304, common(seen ? seen.cacheControl : undefined));
  }
  const image = await source.readPhoto(photoId, size);
  return c.body(image.data as Uint8Array<ArrayBuffer>, 200, {
    ...common(image.cacheControl),
    'Content-Type': image.contentType,
    'Content-Length': String(image.data.byteLength),
    'X-Content-Type-Options': 'nosniff'
  });
}
