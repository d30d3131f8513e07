import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { CAMERA_MARKER, phoneJpeg, testImage } from '../../photos/photos.testing.js';
import { createServices, type Services } from '../../services.js';
// After the app: @hono/zod-openapi must extend zod before any schema module loads.
import { PHOTOS_PER_OFFER } from '../../../schemas/photos.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { insertTestMembership } from '../eligibility/requests.testing.js';
import { searchFeed } from './feed.service.js';
import { parseFeedQuery } from './feed.rules.js';
import { breadOffer, insertDonorOrganisation } from './marketplace.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}
interface PhotoBody {
  id: string;
  position: number;
  alt: string;
  width: number;
  height: number;
  url: string;
  thumb: { url: string; width: number; height: number };
}
interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; code?: string }[] } };
}

const NOW = new Date('2026-11-29T16:00:00.000Z');

describe.each(DIALECTS)('offer photos HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let baker: Session;
  let outsider: Session;
  let bakery: string;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }
  const auth = (as?: Session): Record<string, string> => (as ? { Cookie: as.cookie, 'X-CSRF-Token': as.csrfToken } : {});

  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = as ? { Cookie: as.cookie, ...(method === 'GET' ? {} : { 'X-CSRF-Token': as.csrfToken }) } : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  function upload(as: Session | undefined, offerId: string, parts: { file?: Uint8Array; type?: string; alt?: string }) {
    const form = new FormData();
    if (parts.file) form.set('file', new Blob([parts.file as Uint8Array<ArrayBuffer>], { type: parts.type ?? 'image/jpeg' }), 'photo.jpg');
    if (parts.alt !== undefined) form.set('alt', parts.alt);
    return Promise.resolve(app.request(`/api/v1/offers/${offerId}/photos`, { method: 'POST', headers: auth(as), body: form }));
  }
  const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

  async function postOffer(): Promise<string> {
    const res = await call('POST', '/offers', baker, breadOffer(bakery, NOW));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false', PHOTO_UPLOAD_MAX_MB: '1' });
    services = createServices(config, database, createLogger('silent'), { now: () => NOW });
    app = buildApp(services);
    bakery = await insertDonorOrganisation(services.db);
    baker = await session();
    outsider = await session();
    await insertTestMembership(services.db, bakery, baker.userId);
  });
  afterAll(async () => database?.destroy());

  it('stores a phone photo stripped and upright, serves it cached with an ETag, shows it first in the feed', async () => {
    const offerId = await postOffer();
    let res = await upload(baker, offerId, { file: new Uint8Array(await phoneJpeg(300, 200)), alt: 'Six baguettes dans un panier' });
    expect(res.status).toBe(201);
    const photo = (await res.json()) as PhotoBody;
    expect(photo).toMatchObject({ position: 1, alt: 'Six baguettes dans un panier', width: 200, height: 300 });
    expect(photo.thumb.url).toBe(`/api/v1/offer-photos/${photo.id}/thumb.webp`);

    res = await app.request(photo.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    // Public, cached until the pickup window ends (17:15, 1 h 15 min after NOW), not a week.
    expect(res.headers.get('cache-control')).toBe(`public, max-age=${75 * 60}`);
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${photo.id}-large"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(CAMERA_MARKER)).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: 300 });
    expect(meta.exif).toBeUndefined();
    expect((await app.request(photo.url, { headers: { 'If-None-Match': etag! } })).status).toBe(304);
    const thumb = await app.request(photo.thumb.url);
    expect(thumb.status).toBe(200);
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect({ width: thumbMeta.width, height: thumbMeta.height }).toEqual({ width: photo.thumb.width, height: photo.thumb.height });

    // Public list, and the feed's thumbnail with its size and text.
    res = await call('GET', `/offers/${offerId}/photos`);
    expect(((await res.json()) as { items: PhotoBody[] }).items.map((p) => p.id)).toEqual([photo.id]);
    const parsed = parseFeedQuery({ lat: '50.62', lng: '3.14', radiusKm: '5' });
    const feed = await searchFeed(services.db, parsed.query!, NOW);
    expect(feed.items.find((i) => i.id === offerId)?.photo).toEqual({
      url: photo.thumb.url,
      width: photo.thumb.width,
      height: photo.thumb.height,
      alt: 'Six baguettes dans un panier'
    });
  });

  it('refuses, naming the field: no text (400 alt), no image (415 file), too large (413 file), over the limit (409 file), not multipart (415)', async () => {
    const offerId = await postOffer();
    const jpeg = new Uint8Array(await testImage('jpeg'));
    let res = await upload(baker, offerId, { file: jpeg, alt: '  ' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details?.fields?.map((f) => f.path)).toEqual(['alt']);
    res = await upload(baker, offerId, { file: new TextEncoder().encode('%PDF-1.7 not a photo'), type: 'image/jpeg', alt: 'Pain' });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).details?.fields?.[0]?.path).toBe('file');
    res = await upload(baker, offerId, { file: new Uint8Array(1024 * 1024 + 10).fill(0xff), alt: 'Pain' });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).details?.fields?.[0]?.path).toBe('file');
    res = await call('POST', `/offers/${offerId}/photos`, baker, { alt: 'Pain' });
    expect(res.status).toBe(415);
    for (let i = 0; i < PHOTOS_PER_OFFER; i += 1) expect((await upload(baker, offerId, { file: jpeg, alt: `Pain ${i}` })).status).toBe(201);
    res = await upload(baker, offerId, { file: jpeg, alt: 'Un de trop' });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).details?.fields?.[0]).toMatchObject({ path: 'file', code: 'too_many_photos' });
  });

  it('lets only the donor change photos: 401 signed out, 403 another person, 404 unknown offer, 409 once cancelled', async () => {
    const offerId = await postOffer();
    const jpeg = new Uint8Array(await testImage('jpeg'));
    expect((await upload(undefined, offerId, { file: jpeg, alt: 'Pain' })).status).toBe(401);
    expect((await upload(outsider, offerId, { file: jpeg, alt: 'Pain' })).status).toBe(403);
    expect((await upload(baker, 'no-such-offer', { file: jpeg, alt: 'Pain' })).status).toBe(404);
    const res = await upload(baker, offerId, { file: jpeg, alt: 'Pain' });
    const photo = (await res.json()) as PhotoBody;
    expect((await app.request(photo.thumb.url)).status).toBe(200);
    expect((await call('PATCH', `/offer-photos/${photo.id}`, outsider, { alt: 'Autre' })).status).toBe(403);
    expect((await call('DELETE', `/offer-photos/${photo.id}`, outsider)).status).toBe(403);
    expect((await call('POST', `/offers/${offerId}/cancel`, baker, { reason: 'Four en panne' })).status).toBe(200);
    expect((await upload(baker, offerId, { file: jpeg, alt: 'Pain' })).status).toBe(409);
    // A cancelled offer's photos are the donor's only.
    expect((await call('GET', `/offers/${offerId}/photos`)).status).toBe(404);
    expect((await call('GET', `/offers/${offerId}/photos`, baker)).status).toBe(200);
    // Its images too: 404 signed out or to another person (even with a cached ETag), private to the donor.
    expect((await app.request(photo.thumb.url)).status).toBe(404);
    expect((await app.request(photo.url, { headers: { Cookie: outsider.cookie } })).status).toBe(404);
    expect((await app.request(photo.url, { headers: { 'If-None-Match': `"${photo.id}-large"` } })).status).toBe(404);
    const mine = await app.request(photo.url, { headers: { Cookie: baker.cookie } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('private, no-cache');
    const revalidated = await app.request(photo.url, { headers: { Cookie: baker.cookie, 'If-None-Match': `"${photo.id}-large"` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('reorders and removes: the moved photo becomes the first, the next ones move up, a removed image is gone', async () => {
    const offerId = await postOffer();
    const ids: string[] = [];
    for (const colour of ['#111111', '#222222', '#333333']) {
      const res = await upload(baker, offerId, { file: new Uint8Array(await testImage('png', 40, 30, colour)), type: 'image/png', alt: colour });
      ids.push(((await res.json()) as PhotoBody).id);
    }
    let res = await call('PATCH', `/offer-photos/${ids[2]}`, baker, { position: 1, alt: 'Le panier entier' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ position: 1, alt: 'Le panier entier' });
    res = await call('PATCH', `/offer-photos/${ids[0]}`, baker, { position: 9 });
    expect(res.status).toBe(400);
    let list = ((await (await call('GET', `/offers/${offerId}/photos`)).json()) as { items: PhotoBody[] }).items;
    expect(list.map((p) => p.id)).toEqual([ids[2], ids[0], ids[1]]);
    expect((await call('DELETE', `/offer-photos/${ids[2]}`, baker)).status).toBe(204);
    list = ((await (await call('GET', `/offers/${offerId}/photos`)).json()) as { items: PhotoBody[] }).items;
    expect(list.map((p) => [p.id, p.position])).toEqual([[ids[0], 1], [ids[1], 2]]);
    expect((await app.request(`/api/v1/offer-photos/${ids[2]}/thumb.webp`)).status).toBe(404);
    expect((await app.request(`/api/v1/offer-photos/${ids[2]}/thumb.webp`, { headers: { 'If-None-Match': `"${ids[2]}-thumb"` } })).status).toBe(404);
  });

  it('documents every route and its errors in OpenAPI (413 and 415 on the upload)', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const upload = doc.paths['/v1/offers/{id}/photos']?.post?.responses ?? {};
    for (const status of ['201', '400', '401', '403', '404', '409', '413', '415', '500']) expect(upload).toHaveProperty(status);
    expect(doc.paths['/v1/offers/{id}/photos']?.get?.responses).toHaveProperty('404');
    expect(doc.paths['/v1/offer-photos/{photoId}']?.patch?.responses).toHaveProperty('409');
    expect(doc.paths['/v1/offer-photos/{photoId}']?.delete?.responses).toHaveProperty('403');
    expect(doc.paths['/v1/offer-photos/{photoId}/{file}']?.get?.responses).toHaveProperty('304');
    expect(doc.paths['/v1/offer-photos/{photoId}/{file}']?.get?.responses?.['404']).toMatchObject({
      description: expect.stringContaining('cancelled or has ended')
    });
  });
});
