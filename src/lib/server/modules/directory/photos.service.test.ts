import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { PHOTOS_PER_PLACE } from '../../../schemas/photos.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { insertMembership } from '../organisations/organisations.repository.js';
import { associationInput, insertTestUser } from '../organisations/organisations.testing.js';
import { listPhotosOfPlace, readPhotoData } from './photos.repository.js';
import { CAMERA_MARKER, phoneJpeg, testImage } from '../../photos/photos.testing.js';

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const paths = (e: AppError) => (e.details?.fields ?? []).map((f) => f.path);

describe.each(DIALECTS)('place photos service on %s', (kind) => {
  let ts: TestServices;
  let owner: Actor;
  let manager: Actor;
  let member: Actor;
  let outsider: Actor;
  let admin: Actor;
  let orgId: string;
  let n = 0;

  beforeAll(async () => {
    // A 1 MB upload limit, so the size test needs no large file.
    ts = await createTestServices(kind, { PHOTO_UPLOAD_MAX_MB: '1' });
    const db = ts.database.db;
    owner = await insertTestUser(db, { displayName: 'Olga Owner' });
    manager = await insertTestUser(db);
    member = await insertTestUser(db);
    outsider = await insertTestUser(db);
    admin = await insertTestUser(db, { isPlatformAdmin: true });
    orgId = (await ts.services.organisations.createOrganisation(owner, associationInput({ name: 'Banque du Pont' }))).id;
    for (const [actor, role] of [
      [manager, 'manager'],
      [member, 'member']
    ] as const) {
      await insertMembership(db, { id: randomUUID(), organisationId: orgId, userId: actor.userId, role, createdAt: '2026-11-01T00:00:00.000Z' });
    }
  });
  afterAll(async () => ts?.destroy());

  async function newPlace(): Promise<string> {
    n += 1;
    const { place } = await ts.services.directory.createPlace(owner, {
      organisationId: orgId,
      name: `Frigo solidaire ${n}`,
      postalCode: '59000',
      city: 'Lille',
      lat: 50.4 + n * 0.01,
      lng: 3.1
    });
    return place.id;
  }

  const photos = () => ts.services.photos;
  const jpeg = async (colour = '#3a7d44') => new Uint8Array(await testImage('jpeg', 64, 48, colour));
  const revisions = (placeId: string) =>
    ts.database.db
      .selectFrom('directory_revision')
      .selectAll()
      .where('place_id', '=', placeId)
      .where('section', '=', 'photos')
      .orderBy('at')
      .orderBy('id')
      .execute();

  it('stores a phone photo resized and without its metadata, with a revision, and shows it on the place', async () => {
    const placeId = await newPlace();
    ts.clock.advance(60_000);
    const photo = await photos().addPhoto(manager, placeId, {
      file: new Uint8Array(await phoneJpeg(300, 200)),
      alt: '  Entrée du frigo solidaire, porte verte  '
    });
    expect(photo).toMatchObject({
      position: 1,
      alt: 'Entrée du frigo solidaire, porte verte',
      width: 200,
      height: 300,
      url: `/api/v1/photos/${photo.id}/large.webp`,
      thumb: { url: `/api/v1/photos/${photo.id}/thumb.webp`, width: 200, height: 300 },
      createdAt: ts.clock.now().toISOString()
    });

    // Both stored images are WebP without the camera's EXIF.
    for (const size of ['large', 'thumb'] as const) {
      const stored = await readPhotoData(ts.database.db, photo.id, size);
      const bytes = Buffer.from(stored!.data);
      expect(stored!.contentType).toBe('image/webp');
      expect((await sharp(bytes).metadata()).exif).toBeUndefined();
      expect(bytes.includes(CAMERA_MARKER)).toBe(false);
    }
    const served = await photos().readPhoto(photo.id, 'large');
    expect(served.data.byteLength).toBeGreaterThan(0);

    // Who uploaded it is kept (not published); the place is updated and verified; the history says it.
    const [row] = await listPhotosOfPlace(ts.database.db, placeId);
    expect(row!.uploadedByUserId).toBe(manager.userId);
    const detail = await ts.services.directory.getPublicPlace(placeId);
    expect(detail.photos).toEqual([photo]);
    expect(detail.photos[0]).not.toHaveProperty('uploadedByUserId');
    expect(detail.updatedAt).toBe(ts.clock.now().toISOString());
    expect(detail.verifiedAt).toBe(ts.clock.now().toISOString());
    const revs = await revisions(placeId);
    expect(revs.map((r) => [r.action, r.actor_user_id])).toEqual([['create', manager.userId]]);
    expect(JSON.parse(revs[0]!.after!)).toEqual({ alt: 'Entrée du frigo solidaire, porte verte', position: 1 });
  });

  it('lets who may edit the identity manage photos; members and outsiders get 403, unknown ids 404', async () => {
    const placeId = await newPlace();
    const upload = async (actor: Actor) => photos().addPhoto(actor, placeId, { file: await jpeg(), alt: 'Le local' });
    await expect(upload(owner)).resolves.toBeTruthy();
    await expect(upload(admin)).resolves.toBeTruthy();
    const mine = await upload(manager);
    expect((await appError(upload(member))).code).toBe('forbidden');
    expect((await appError(upload(outsider))).code).toBe('forbidden');
    expect((await appError(photos().updatePhoto(member, mine.id, { alt: 'Autre' }))).code).toBe('forbidden');
    expect((await appError(photos().deletePhoto(outsider, mine.id))).code).toBe('forbidden');
    expect((await ts.services.directory.getPublicPlace(placeId, member)).permissions?.canManagePhotos).toBe(false);
    expect((await ts.services.directory.getPublicPlace(placeId, manager)).permissions?.canManagePhotos).toBe(true);

    expect((await appError(photos().addPhoto(owner, 'nope', { file: await jpeg(), alt: 'x' }))).code).toBe('not_found');
    expect((await appError(photos().updatePhoto(owner, 'nope', { alt: 'x' }))).code).toBe('not_found');
    expect((await appError(photos().deletePhoto(owner, 'nope'))).code).toBe('not_found');
    expect((await appError(photos().readPhoto('nope', 'thumb'))).code).toBe('not_found');
    expect((await appError(photos().listPhotos('nope'))).code).toBe('not_found');
  });

  it('requires an alternative text of at most 200 characters and a file, naming each field', async () => {
    const placeId = await newPlace();
    let err = await appError(photos().addPhoto(owner, placeId, { file: undefined, alt: '   ' }));
    expect(err.code).toBe('validation_failed');
    expect(paths(err)).toEqual(['alt', 'file']);
    err = await appError(photos().addPhoto(owner, placeId, { file: await jpeg(), alt: 'x'.repeat(201) }));
    expect(paths(err)).toEqual(['alt']);
    err = await appError(photos().addPhoto(owner, placeId, { file: new Uint8Array(), alt: 'Le local' }));
    expect(paths(err)).toEqual(['file']);
    await expect(photos().addPhoto(owner, placeId, { file: await jpeg(), alt: 'é'.repeat(200) })).resolves.toBeTruthy();
  });

  it('refuses a file over the size limit (413) and a type other than JPEG, PNG, WebP (415), naming the file', async () => {
    const placeId = await newPlace();
    const tooBig = new Uint8Array(1024 * 1024 + 1);
    tooBig.set([0xff, 0xd8, 0xff]);
    let err = await appError(photos().addPhoto(owner, placeId, { file: tooBig, alt: 'Grande photo' }));
    expect(err.code).toBe('payload_too_large');
    expect(paths(err)).toEqual(['file']);
    err = await appError(photos().addPhoto(owner, placeId, { file: new Uint8Array(await testImage('gif')), alt: 'Animation' }));
    expect(err.code).toBe('unsupported_media_type');
    expect(paths(err)).toEqual(['file']);
    err = await appError(photos().addPhoto(owner, placeId, { file: new TextEncoder().encode('<html>hello</html>'), alt: 'Page' }));
    expect(err.code).toBe('unsupported_media_type');
    expect(await listPhotosOfPlace(ts.database.db, placeId)).toEqual([]);
    expect(await revisions(placeId)).toEqual([]);
  });

  it(`keeps at most ${PHOTOS_PER_PLACE} photos per place (409)`, async () => {
    const placeId = await newPlace();
    for (let i = 0; i < PHOTOS_PER_PLACE; i++) await photos().addPhoto(owner, placeId, { file: await jpeg(), alt: `Photo ${i + 1}` });
    const err = await appError(photos().addPhoto(owner, placeId, { file: await jpeg(), alt: 'Une de trop' }));
    expect(err.code).toBe('conflict');
    expect(err.details?.maxPhotos).toBe(PHOTOS_PER_PLACE);
    expect((await photos().listPhotos(placeId)).map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets only one of two simultaneous uploads take the last place', async () => {
    const placeId = await newPlace();
    for (let i = 0; i < PHOTOS_PER_PLACE - 1; i++) await photos().addPhoto(owner, placeId, { file: await jpeg(), alt: `Photo ${i + 1}` });
    const results = await Promise.allSettled([
      photos().addPhoto(owner, placeId, { file: await jpeg('#aa0000'), alt: 'Rouge' }),
      photos().addPhoto(manager, placeId, { file: await jpeg('#0000aa'), alt: 'Bleue' })
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict' });
    expect((await photos().listPhotos(placeId)).map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('changes the alternative text and the order, with a revision of what changed only', async () => {
    const placeId = await newPlace();
    const [a, b, c] = [
      await photos().addPhoto(owner, placeId, { file: await jpeg('#111111'), alt: 'A' }),
      await photos().addPhoto(owner, placeId, { file: await jpeg('#222222'), alt: 'B' }),
      await photos().addPhoto(owner, placeId, { file: await jpeg('#333333'), alt: 'C' })
    ];
    const moved = await photos().updatePhoto(manager, c!.id, { position: 1 });
    expect(moved.position).toBe(1);
    expect((await photos().listPhotos(placeId)).map((p) => [p.alt, p.position])).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3]
    ]);
    const renamed = await photos().updatePhoto(manager, a!.id, { alt: 'La salle de distribution' });
    expect(renamed).toMatchObject({ alt: 'La salle de distribution', position: 2 });

    // Nothing changed: nothing written, not even the place's update time.
    const before = (await revisions(placeId)).length;
    const updatedAt = (await ts.services.directory.getPublicPlace(placeId)).updatedAt;
    ts.clock.advance(60_000);
    await photos().updatePhoto(manager, b!.id, { alt: 'B', position: 3 });
    expect((await revisions(placeId)).length).toBe(before);
    expect((await ts.services.directory.getPublicPlace(placeId)).updatedAt).toBe(updatedAt);

    const updates = (await revisions(placeId)).filter((r) => r.action === 'update');
    expect(updates.map((r) => [JSON.parse(r.before!), JSON.parse(r.after!)])).toEqual([
      [{ position: 3 }, { position: 1 }],
      [{ alt: 'A' }, { alt: 'La salle de distribution' }]
    ]);

    let err = await appError(photos().updatePhoto(owner, a!.id, { position: 4 }));
    expect(paths(err)).toEqual(['position']);
    err = await appError(photos().updatePhoto(owner, a!.id, { alt: '' }));
    expect(paths(err)).toEqual(['alt']);
    err = await appError(photos().updatePhoto(owner, a!.id, {}));
    expect(err.code).toBe('validation_failed');
    err = await appError(photos().updatePhoto(owner, a!.id, { alt: 'x', colour: 'red' }));
    expect(paths(err)).toEqual(['colour']);
  });

  it('removes a photo (the next ones move up, a revision keeps its text), and all photos with their place', async () => {
    const placeId = await newPlace();
    const first = await photos().addPhoto(owner, placeId, { file: await jpeg(), alt: 'Premier' });
    const second = await photos().addPhoto(owner, placeId, { file: await jpeg(), alt: 'Second' });
    await photos().deletePhoto(manager, first.id);
    expect(await photos().listPhotos(placeId)).toEqual([{ ...second, position: 1 }]);
    expect((await appError(photos().readPhoto(first.id, 'large'))).code).toBe('not_found');
    const removal = (await revisions(placeId)).find((r) => r.action === 'delete');
    expect(JSON.parse(removal!.before!)).toEqual({ alt: 'Premier', position: 1 });

    await ts.services.directory.deletePlace(owner, placeId);
    expect(await listPhotosOfPlace(ts.database.db, placeId)).toEqual([]);
    expect((await appError(photos().readPhoto(second.id, 'thumb'))).code).toBe('not_found');
  });
});
