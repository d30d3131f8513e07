import type { FieldMessage } from '../i18n/fields';
import { PHOTO_ALT_MAX, PHOTOS_PER_PLACE } from '../schemas/photos';

/**
 * The photo forms' own wording (places and offers) of field problems (pure, tested): the generic field messages
 * ("too long") say nothing useful about a file, so each problem code the photos service reports
 * gets its sentence. `maxMb` is the configured upload limit; `full` the sentence when the limit of photos is reached.
 */
export function photoFieldMessage(
  issue: { path: string; code?: string },
  maxMb: number,
  full: FieldMessage = { key: 'placePhotos.full', params: { max: PHOTOS_PER_PLACE } }
): FieldMessage | null {
  const leaf = issue.path.split('.').pop() ?? issue.path;
  if (leaf === 'file') {
    switch (issue.code) {
      case 'required':
        return { key: 'placePhotos.error.fileRequired' };
      case 'unsupported_image_type':
        return { key: 'placePhotos.error.type' };
      case 'too_big':
        return { key: 'placePhotos.error.size', params: { mb: maxMb } };
      case 'image_too_large':
        return { key: 'placePhotos.error.pixels' };
      case 'too_many_photos':
        return full;
      default:
        return { key: 'placePhotos.error.unreadable' };
    }
  }
  if (leaf === 'alt' || leaf.startsWith('alt-')) {
    if (issue.code === 'too_big') return { key: 'placePhotos.error.altTooLong', params: { max: PHOTO_ALT_MAX } };
    return { key: 'placePhotos.error.altRequired' };
  }
  return null;
}

/**
 * Reads a form posted to a page within `maxBytes`, counting what arrives (a Content-Length can be
 * absent or wrong). Over the limit it throws `tooLarge()` after draining a bounded amount more, so
 * the browser receives the answer instead of a reset connection; nothing beyond the limit is kept.
 */
export async function readLimitedForm(request: Request, maxBytes: number, tooLarge: () => Error): Promise<FormData> {
  const declared = Number(request.headers.get('content-length'));
  const body = request.body;
  if (!body) return request.formData();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = Number.isFinite(declared) && declared > maxBytes;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (!over && total > maxBytes) over = true;
    if (over) {
      chunks.length = 0;
      if (total > maxBytes * 4) {
        await reader.cancel();
        break;
      }
      continue;
    }
    chunks.push(value);
  }
  if (over) throw tooLarge();
  const type = request.headers.get('content-type') ?? '';
  return new Response(new Blob(chunks as Uint8Array<ArrayBuffer>[]), { headers: { 'content-type': type } }).formData();
}
