import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { associationInput } from '../organisations/organisations.testing.js';
import { CAMERA_MARKER, phoneJpeg, testImage } from '../../photos/photos.testing.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; message: string }[] } };
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

describe.each(DIALECTS)('place photos HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let owner: Session;
  let member: Session;
  let outsider: Session;
  let placeId: string;
  let slug: string;

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

  /** Posts a multipart form as a browser or an API client would (the boundary is set by FormData). */
  function upload(as: Session | undefined, parts: { file?: Uint8Array; name?: string; type?: string; alt?: string }, target = placeId) {
    const form = new FormData();
    if (parts.file) form.set('file', new Blob([parts.file as Uint8Array<ArrayBuffer>], { type: parts.type ?? 'image/jpeg' }), parts.name ?? 'photo.jpg');
    if (parts.alt !== undefined) form.set('alt', parts.alt);
    return Promise.resolve(app.request(`/api/v1/places/${target}/photos`, { method: 'POST', headers: auth(as), body: form }));
  }

  const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;
  const fieldsOf = async (res: Response) => (await errorOf(res)).details?.fields?.map((f) => f.path);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'http://glane.test',
      DEMO_DATA: 'false',
      PHOTO_UPLOAD_MAX_MB: '1'
    });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date('2026-11-30T10:00:00.000Z') });
    app = buildApp(services);
    owner = await session();
    member = await session();
    outsider = await session();
    let res = await call('POST', '/organisations', owner, associationInput({ name: 'Épicerie du Marais' }));
    const orgId = ((await res.json()) as { id: string }).id;
    const inv = await call('POST', `/organisations/${orgId}/invitations`, owner, { role: 'member' });
    const { token } = (await inv.json()) as { token: string };
    expect((await call('POST', `/invitations/${token}/accept`, member)).status).toBe(200);
    res = await call('POST', '/places', owner, { organisationId: orgId, name: 'Épicerie du Marais', postalCode: '59000', city: 'Lille' });
    expect(res.status).toBe(201);
    ({ id: placeId, slug } = ((await res.json()) as { place: { id: string; slug: string } }).place);
  });
  afterAll(async () => database?.destroy());

  it('uploads a phone photo as multipart, serves it stripped and cached, lists it on the place, edits and removes it', async () => {
    let res = await upload(owner, { file: new Uint8Array(await phoneJpeg(300, 200)), alt: 'Façade, porte bleue' });
    expect(res.status).toBe(201);
    const photo = (await res.json()) as PhotoBody;
    expect(photo).toMatchObject({ position: 1, alt: 'Façade, porte bleue', width: 200, height: 300 });

    // The public image: WebP, long cache with a strong ETag, nosniff, no camera data.
    res = await app.request(photo.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=604800');
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${photo.id}-large"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.includes(CAMERA_MARKER)).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: 300 });
    expect(meta.exif).toBeUndefined();
    res = await app.request(photo.url, { headers: { 'If-None-Match': etag! } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    res = await app.request(photo.thumb.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${photo.id}-thumb"`);

    // On the place, public and signed in.
    let page = (await (await call('GET', `/places/${slug}`)).json()) as { photos: PhotoBody[]; permissions: unknown };
    expect(page.photos).toEqual([photo]);
    page = (await (await call('GET', `/places/${slug}`, owner)).json()) as typeof page;
    expect(page.permissions).toMatchObject({ canManagePhotos: true });

    // A second photo moves first; the alternative text changes.
    const second = (await (await upload(owner, { file: new Uint8Array(await testImage('png')), name: 'b.png', type: 'image/png', alt: 'Rayons' })).json()) as PhotoBody;
    expect(second.position).toBe(2);
    res = await call('PATCH', `/photos/${second.id}`, owner, { position: 1, alt: 'Rayons de produits frais' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ position: 1, alt: 'Rayons de produits frais' });
    page = (await (await call('GET', `/places/${slug}`)).json()) as typeof page;
    expect(page.photos.map((p) => p.id)).toEqual([second.id, photo.id]);

    // The history has the three changes.
    res = await call('GET', `/places/${placeId}/revisions`, owner);
    const history = (await res.json()) as { items: { action: string; section: string | null }[] };
    expect(history.items.filter((r) => r.section === 'photos').map((r) => r.action)).toEqual(['update', 'create', 'create']);

    // Removal: the image is gone (404, even for a cached copy's revalidation).
    expect((await call('DELETE', `/photos/${photo.id}`, owner)).status).toBe(204);
    expect((await app.request(photo.url)).status).toBe(404);
    expect((await app.request(photo.url, { headers: { 'If-None-Match': etag! } })).status).toBe(404);
    expect((await call('DELETE', `/photos/${second.id}`, owner)).status).toBe(204);
  });

  it('reads the type from the bytes: a renamed text file is refused, a PNG called .txt is taken (415 names the file)', async () => {
    let res = await upload(owner, { file: new TextEncoder().encode('not an image at all'), name: 'photo.jpg', type: 'image/jpeg', alt: 'Photo' });
    expect(res.status).toBe(415);
    expect(await fieldsOf(res)).toEqual(['file']);
    res = await upload(owner, { file: new Uint8Array(await testImage('gif')), name: 'photo.png', type: 'image/png', alt: 'Photo' });
    expect(res.status).toBe(415);
    expect(await fieldsOf(res)).toEqual(['file']);
    res = await upload(owner, { file: new Uint8Array(await testImage('png')), name: 'notes.txt', type: 'text/plain', alt: 'Le local' });
    expect(res.status).toBe(201);
    expect((await call('DELETE', `/photos/${((await res.json()) as PhotoBody).id}`, owner)).status).toBe(204);
  });

  it('answers 400 naming alt and file, 413 over the limit, 415 for a JSON body', async () => {
    let res = await upload(owner, { alt: '' });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toEqual(['alt', 'file']);
    res = await upload(owner, { file: new Uint8Array(await testImage('jpeg')), alt: 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toEqual(['alt']);

    const big = new Uint8Array(1024 * 1024 + 100 * 1024);
    big.set([0xff, 0xd8, 0xff]);
    res = await upload(owner, { file: big, alt: 'Trop grande' });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: 'payload_too_large', details: { fields: [{ path: 'file' }] } });

    res = await call('POST', `/places/${placeId}/photos`, owner, { alt: 'JSON', file: 'aGVsbG8=' });
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toMatchObject({ code: 'unsupported_media_type', details: { fields: [{ path: '(body)' }] } });

    // Multipart stays refused everywhere else.
    const body = '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nNouveau nom\r\n--b--\r\n';
    res = await app.request(`/api/v1/places/${placeId}/identity`, {
      method: 'PATCH',
      headers: { ...auth(owner), 'Content-Type': 'multipart/form-data; boundary=b', 'Content-Length': String(body.length) },
      body
    });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('unsupported_media_type');
  });

  it('answers 401 signed out, 403 to members and outsiders and without the CSRF token, 404 for unknown ids', async () => {
    const file = new Uint8Array(await testImage('jpeg'));
    expect((await upload(undefined, { file, alt: 'Le local' })).status).toBe(401);
    expect((await upload(member, { file, alt: 'Le local' })).status).toBe(403);
    expect((await upload(outsider, { file, alt: 'Le local' })).status).toBe(403);
    const noCsrf = new FormData();
    noCsrf.set('file', new Blob([file]), 'a.jpg');
    noCsrf.set('alt', 'Le local');
    const res = await app.request(`/api/v1/places/${placeId}/photos`, { method: 'POST', headers: { Cookie: owner.cookie }, body: noCsrf });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('csrf_failed');

    expect((await upload(owner, { file, alt: 'Le local' }, 'nope')).status).toBe(404);
    const photo = (await (await upload(owner, { file, alt: 'Le local' })).json()) as PhotoBody;
    expect((await call('PATCH', `/photos/${photo.id}`, member, { alt: 'Autre' })).status).toBe(403);
    expect((await call('DELETE', `/photos/${photo.id}`, outsider)).status).toBe(403);
    expect((await call('PATCH', '/photos/nope', owner, { alt: 'Autre' })).status).toBe(404);
    expect((await call('DELETE', '/photos/nope', owner)).status).toBe(404);
    expect((await app.request('/api/v1/photos/nope/large.webp')).status).toBe(404);
    const bad = await app.request(`/api/v1/photos/${photo.id}/huge.webp`);
    expect(bad.status).toBe(400);
    expect(await fieldsOf(bad)).toEqual(['param.file']);
    expect((await call('PATCH', `/photos/${photo.id}`, owner, { position: 0 })).status).toBe(400);
  });

  it('documents the photo routes and every error they may answer', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>>;
    };
    const post = doc.paths['/v1/places/{id}/photos']?.post;
    expect(post?.requestBody?.content).toHaveProperty('multipart/form-data');
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '413', '415', '500']));
    expect(Object.keys(doc.paths['/v1/photos/{photoId}']?.patch?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '404', '500']));
    expect(Object.keys(doc.paths['/v1/photos/{photoId}']?.delete?.responses ?? {})).toEqual(expect.arrayContaining(['204', '401', '403', '404', '500']));
    expect(Object.keys(doc.paths['/v1/photos/{photoId}/{file}']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '304', '404', '500']));
  });
});
