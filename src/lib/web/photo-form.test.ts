import { describe, expect, it } from 'vitest';
import { photoFieldMessage, readLimitedForm } from './photo-form';

const tooLarge = () => new Error('too large');

function multipart(parts: Record<string, string>, declaredLength?: number): Request {
  const body =
    Object.entries(parts)
      .map(([name, value]) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + '--b--\r\n';
  return new Request('http://glane.test/lieux/x/photos?/add', {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(declaredLength ?? body.length) },
    body
  });
}

describe('photo form', () => {
  it('words each file and text problem for people', () => {
    expect(photoFieldMessage({ path: 'file', code: 'required' }, 8)).toEqual({ key: 'placePhotos.error.fileRequired' });
    expect(photoFieldMessage({ path: 'file', code: 'unsupported_image_type' }, 8)).toEqual({ key: 'placePhotos.error.type' });
    expect(photoFieldMessage({ path: 'file', code: 'too_big' }, 8)).toEqual({ key: 'placePhotos.error.size', params: { mb: 8 } });
    expect(photoFieldMessage({ path: 'file', code: 'image_too_large' }, 8)).toEqual({ key: 'placePhotos.error.pixels' });
    expect(photoFieldMessage({ path: 'file', code: 'too_many_photos' }, 8)).toEqual({ key: 'placePhotos.full', params: { max: 6 } });
    expect(photoFieldMessage({ path: 'file', code: 'too_many_photos' }, 8, { key: 'offerPhotos.full', params: { max: 3 } })).toEqual({
      key: 'offerPhotos.full',
      params: { max: 3 }
    });
    expect(photoFieldMessage({ path: 'file', code: 'unreadable_image' }, 8)).toEqual({ key: 'placePhotos.error.unreadable' });
    expect(photoFieldMessage({ path: 'alt', code: 'too_small' }, 8)).toEqual({ key: 'placePhotos.error.altRequired' });
    expect(photoFieldMessage({ path: 'alt-123', code: 'too_big' }, 8)).toEqual({ key: 'placePhotos.error.altTooLong', params: { max: 200 } });
    expect(photoFieldMessage({ path: 'position', code: 'too_big' }, 8)).toBeNull();
  });

  it('reads a form within the limit', async () => {
    const data = await readLimitedForm(multipart({ alt: 'Entrée du local' }), 1000, tooLarge);
    expect(data.get('alt')).toBe('Entrée du local');
  });

  it('refuses a body over the limit, whether declared or only counted', async () => {
    const big = { alt: 'x'.repeat(5000) };
    await expect(readLimitedForm(multipart(big), 1000, tooLarge)).rejects.toThrow('too large');
    // A Content-Length that lies (smaller than the body) does not let the body through.
    await expect(readLimitedForm(multipart(big, 10), 1000, tooLarge)).rejects.toThrow('too large');
  });
});
