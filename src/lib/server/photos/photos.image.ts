import sharp, { type SharpOptions } from 'sharp';
import { PHOTO_LARGE_PX, PHOTO_THUMB_PX } from '../../schemas/photos.js';
import { AppError, fieldError } from '../errors.js';
import { detectImageType, MAX_INPUT_PIXELS } from './photos.rules.js';

/**
 * Image processing of photos (places, offers) with sharp (libvips): the only file that touches pixels.
 * An upload becomes two WebP images — large (long side ≤ 1600 px) and thumbnail (≤ 480 px) —
 * turned upright by the EXIF orientation, converted to sRGB with the embedded ICC profile if
 * any, and re-encoded WITHOUT any metadata: no EXIF (GPS position, camera, date), no XMP, no IPTC,
 * no ICC profile. What a phone records about where and when a photo was taken never leaves here.
 */

export interface EncodedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  contentType: 'image/webp';
  large: EncodedImage;
  thumb: EncodedImage;
}

const WEBP_QUALITY = 80;

/** The file a client sent is not an image we take: 415 naming the field. */
const unsupported = (path: string) =>
  new AppError('unsupported_media_type', 'The photo must be a JPEG, PNG or WebP image', {
    fields: [{ path, message: 'must be a JPEG, PNG or WebP image', code: 'unsupported_image_type' }]
  });

/**
 * Checks and converts an uploaded photo. Throws `unsupported_media_type` (415) when the bytes are
 * not JPEG, PNG or WebP, whatever the file is called; `validation_failed` (400) when they cannot
 * be decoded or hold more than MAX_INPUT_PIXELS pixels. `field` names the form field in errors.
 */
export async function processPhoto(bytes: Uint8Array, field = 'file'): Promise<ProcessedPhoto> {
  if (detectImageType(bytes) === null) throw unsupported(field);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options: SharpOptions = {
    autoOrient: true,
    failOn: 'error',
    limitInputPixels: MAX_INPUT_PIXELS,
    pages: 1
  };
  try {
    const meta = await sharp(input, options).metadata();
    if (meta.format !== 'jpeg' && meta.format !== 'png' && meta.format !== 'webp') throw unsupported(field);
    const pipeline = sharp(input, options);
    const encode = async (max: number): Promise<EncodedImage> => {
      const { data, info } = await pipeline
        .clone()
        .resize({ width: max, height: max, fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .webp({ quality: WEBP_QUALITY })
        .toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    };
    const [large, thumb] = await Promise.all([encode(PHOTO_LARGE_PX), encode(PHOTO_THUMB_PX)]);
    return { contentType: 'image/webp', large, thumb };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) {
      throw fieldError(field, `The image is too large: at most ${MAX_INPUT_PIXELS / 1_000_000} million pixels`, 'image_too_large');
    }
    throw fieldError(field, 'The file could not be read as an image (damaged or incomplete?)', 'unreadable_image');
  }
}
