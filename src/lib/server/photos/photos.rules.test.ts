import { describe, expect, it } from 'vitest';
import { detectImageType, etagMatches, megabytes, moveTo, photoEtag, photoPath } from './photos.rules.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('photo rules', () => {
  it('detects JPEG, PNG and WebP from their first bytes, and nothing else', () => {
    expect(detectImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(detectImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(detectImageType(bytes(...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WEBPVP8 ')))).toBe('image/webp');
    // Other RIFF files (a WAV sound), GIF, SVG, PDF, HTML, short or empty input: none.
    expect(detectImageType(bytes(...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WAVEfmt ')))).toBeNull();
    expect(detectImageType(bytes(...ascii('GIF89a')))).toBeNull();
    expect(detectImageType(bytes(...ascii('<svg xmlns="http://www.w3.org/2000/svg">')))).toBeNull();
    expect(detectImageType(bytes(...ascii('%PDF-1.7')))).toBeNull();
    expect(detectImageType(bytes(...ascii('<html><script>')))).toBeNull();
    expect(detectImageType(bytes(0xff, 0xd8))).toBeNull();
    expect(detectImageType(bytes())).toBeNull();
  });

  it('moves one photo to a position (1 = first), the others keeping their order', () => {
    const ids = ['a', 'b', 'c', 'd'];
    expect(moveTo(ids, 'c', 1)).toEqual(['c', 'a', 'b', 'd']);
    expect(moveTo(ids, 'a', 4)).toEqual(['b', 'c', 'd', 'a']);
    expect(moveTo(ids, 'b', 3)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveTo(ids, 'b', 2)).toEqual(ids);
    expect(moveTo(ids, 'a', 99)).toEqual(['b', 'c', 'd', 'a']);
    expect(moveTo(ids, 'd', 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveTo(ids, 'zz', 1)).toEqual(ids);
  });

  it('names where a photo is served and its ETag', () => {
    expect(photoPath('abc', 'large')).toBe('/api/v1/photos/abc/large.webp');
    expect(photoPath('a/b', 'thumb')).toBe('/api/v1/photos/a%2Fb/thumb.webp');
    expect(photoPath('abc', 'thumb', '/api/v1/offer-photos')).toBe('/api/v1/offer-photos/abc/thumb.webp');
    expect(photoEtag('abc', 'thumb')).toBe('"abc-thumb"');
    expect(megabytes(8)).toBe(8_388_608);
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    const etag = photoEtag('abc', 'large');
    expect(etagMatches(etag, etag)).toBe(true);
    expect(etagMatches(`"x", ${etag}`, etag)).toBe(true);
    expect(etagMatches(`W/${etag}`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"abc-thumb"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
    expect(etagMatches('', etag)).toBe(false);
  });
});
