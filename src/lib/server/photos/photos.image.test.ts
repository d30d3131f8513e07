import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PHOTO_LARGE_PX, PHOTO_THUMB_PX } from '../../schemas/photos.js';
import { AppError } from '../errors.js';
import { processPhoto } from './photos.image.js';
import { CAMERA_MARKER, exifHasGps, phoneJpeg, pngClaiming, testImage, webpChunks } from './photos.testing.js';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

/** The only chunks a WebP without metadata may have: image data, alpha, and the extended header. */
const PIXEL_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH']);

describe('photo processing (sharp)', () => {
  it('strips GPS and every other metadata from a phone JPEG, and turns it upright', async () => {
    const input = await phoneJpeg(300, 200);
    // The fixture really carries what a phone writes.
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(exifHasGps(before.exif)).toBe(true);
    expect(input.includes(CAMERA_MARKER)).toBe(true);

    const out = await processPhoto(input);
    expect(out.contentType).toBe('image/webp');
    for (const image of [out.large, out.thumb]) {
      const bytes = Buffer.from(image.data);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(webpChunks(bytes).every((c) => PIXEL_CHUNKS.has(c)), webpChunks(bytes).join(',')).toBe(true);
      expect(bytes.includes(CAMERA_MARKER)).toBe(false);
      expect(bytes.includes('Exif')).toBe(false);
      // Orientation 6 applied: stored 300 × 200, shown portrait.
      expect(meta.height).toBeGreaterThan(meta.width!);
      expect({ width: meta.width, height: meta.height }).toEqual({ width: image.width, height: image.height });
    }
    expect(out.large).toMatchObject({ width: 200, height: 300 });
  });

  it('converts to sRGB and drops the ICC profile', async () => {
    const p3 = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ff0000' } })
      .jpeg()
      .withIccProfile('p3')
      .toBuffer();
    expect((await sharp(p3).metadata()).icc).toBeDefined();
    const out = await processPhoto(p3);
    const meta = await sharp(Buffer.from(out.large.data)).metadata();
    expect(meta.icc).toBeUndefined();
    expect(meta.space).toBe('srgb');
  });

  it('resizes the large image and the thumbnail by their long side, never enlarging', async () => {
    const big = await processPhoto(await testImage('jpeg', 4000, 1000));
    expect(big.large).toMatchObject({ width: PHOTO_LARGE_PX, height: 400 });
    expect(big.thumb).toMatchObject({ width: PHOTO_THUMB_PX, height: 120 });
    const small = await processPhoto(await testImage('png', 300, 500));
    expect(small.large).toMatchObject({ width: 300, height: 500 });
    expect(small.thumb).toMatchObject({ width: 288, height: 480 });
  });

  it('accepts PNG (with transparency) and WebP, and keeps the alpha channel', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const fromPng = await processPhoto(png);
    expect((await sharp(Buffer.from(fromPng.large.data)).metadata()).hasAlpha).toBe(true);
    const fromWebp = await processPhoto(await testImage('webp', 90, 60));
    expect(fromWebp.large).toMatchObject({ width: 90, height: 60 });
  });

  it('refuses other types by their bytes with 415 naming the field, whatever the file is called', async () => {
    for (const bytes of [await testImage('gif'), await testImage('tiff'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')]) {
      const err = await rejection(processPhoto(bytes, 'file'));
      expect(err.code).toBe('unsupported_media_type');
      expect(err.details?.fields?.map((f) => f.path)).toEqual(['file']);
    }
  });

  it('refuses a damaged file and a decompression bomb with 400 naming the field', async () => {
    const truncated = (await testImage('jpeg', 200, 200)).subarray(0, 300);
    const damaged = await rejection(processPhoto(truncated, 'file'));
    expect(damaged).toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'file', code: 'unreadable_image' }] } });

    const bomb = await rejection(processPhoto(await pngClaiming(20_000, 20_000), 'file'));
    expect(bomb).toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'file', code: 'image_too_large' }] } });
  });
});
