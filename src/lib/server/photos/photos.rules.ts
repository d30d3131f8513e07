import type { PhotoSize } from '../../schemas/photos.js';

/**
 * Pure rules of photos (places and offers alike): what a file is (from its first bytes, never from its name or the
 * Content-Type the client claims), how large a photo may be, where it is served, and how the order
 * changes when one photo moves.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const JPEG = [0xff, 0xd8, 0xff] as const;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const RIFF = [0x52, 0x49, 0x46, 0x46] as const; // "RIFF"
const WEBP = [0x57, 0x45, 0x42, 0x50] as const; // "WEBP" at offset 8

/** The image type of a file from its signature, or null when it is none of JPEG, PNG, WebP. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return null;
}

/** Bytes in `megabytes` (the configured upload limit). */
export const megabytes = (megabytes: number) => megabytes * 1024 * 1024;

/**
 * Largest picture decoded, in pixels: a 50-megapixel phone photo passes; a small file that would
 * inflate to gigabytes of pixels (a "decompression bomb") is refused before it is decoded.
 */
export const MAX_INPUT_PIXELS = 60_000_000;

/** Where a photo is served (path on Glane's own origin): place photos under `/api/v1/photos`, offer photos under `/api/v1/offer-photos`. */
export function photoPath(photoId: string, size: PhotoSize, base = '/api/v1/photos'): string {
  return `${base}/${encodeURIComponent(photoId)}/${size}.webp`;
}

/** The strong ETag of a stored image: its bytes never change under one id, so id and size name them. */
export function photoEtag(photoId: string, size: PhotoSize): string {
  return `"${photoId}-${size}"`;
}

/** Whether an If-None-Match header matches `etag` (a list, weak forms, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * The ids in their new order after `id` moves to `position` (1 = first; beyond the end = last).
 * The others keep their relative order.
 */
export function moveTo(ids: readonly string[], id: string, position: number): string[] {
  const rest = ids.filter((x) => x !== id);
  if (rest.length === ids.length) return [...ids];
  const index = Math.min(Math.max(position, 1), ids.length) - 1;
  return [...rest.slice(0, index), id, ...rest.slice(index)];
}

/** How long a public photo may be cached (a week: spares data on old phones; a removed photo leaves shared caches). */
export const IMAGE_CACHE_SECONDS = 604_800;
