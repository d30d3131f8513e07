import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test images for place photos, made by sharp in memory (no binary fixture in the repository):
 * plain pictures of each accepted type, a phone-like JPEG carrying GPS EXIF, an orientation tag
 * and a camera name, and a PNG whose header claims more pixels than the limit.
 */

/** Marker written in the EXIF of `phoneJpeg`: found in its bytes, never in what Glane stores. */
export const CAMERA_MARKER = 'GlanePhone-X1';

/** A plain picture of `width` × `height` in `format` (a gradient-free colour: small and fast). */
export async function testImage(
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff',
  width = 64,
  height = 48,
  colour = '#3a7d44'
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/**
 * A JPEG as a phone writes it: GPS position (Lille), camera make, and orientation 6 (stored
 * landscape, to be shown rotated 90° clockwise, i.e. portrait).
 */
export async function phoneJpeg(width = 300, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0392b' } })
    .jpeg()
    .withExif({
      IFD0: { Make: CAMERA_MARKER, Model: 'Glane test camera', Copyright: 'Jeanne Exemple' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '50/1 37/1 3/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '3/1 3/1 46/1'
      }
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** True when an EXIF block holds a GPS IFD pointer (tag 0x8825), in either byte order. */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

/** The chunk names of a WebP file (RIFF): `VP8 `, `VP8L`, `VP8X`, `ALPH`, `ICCP`, `EXIF`, `XMP `… */
export function webpChunks(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WEBP') throw new Error('not a WebP file');
  const names: string[] = [];
  for (let at = 12; at + 8 <= b.length; ) {
    const size = b.readUInt32LE(at + 4);
    names.push(b.toString('ascii', at, at + 4));
    at += 8 + size + (size % 2);
  }
  return names;
}

/** A 1 × 1 PNG whose header says `width` × `height`: a "decompression bomb" as far as any decoder can tell. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await testImage('png', 1, 1));
  // IHDR starts at byte 8: length (4), "IHDR" (4), width (4), height (4), … then its CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
