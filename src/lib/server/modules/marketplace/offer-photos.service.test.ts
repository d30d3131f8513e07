import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { testImage } from '../../photos/photos.testing.js';
import { JOBS } from '../../jobs/jobs.js';
import { insertTestMembership } from '../eligibility/requests.testing.js';
import { insertTestUser } from '../organisations/organisations.testing.js';
import { breadOffer, insertDonorOrganisation } from './marketplace.testing.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}


describe.each(DIALECTS)('offer photos service on %s', (kind) => {
  let t: TestServices;
  let baker: Actor;
  let colleague: Actor;
  let stranger: Actor;
  let bakery: string;
  let jpeg: Uint8Array;
  const label = kind === 'postgres' ? postgresLabel : kind;

  beforeAll(async () => {
    t = await createTestServices(kind, { OFFER_PHOTO_RETENTION_DAYS: '30' });
    baker = await insertTestUser(t.services.db);
    colleague = await insertTestUser(t.services.db);
    stranger = await insertTestUser(t.services.db);
    bakery = await insertDonorOrganisation(t.services.db);
    await insertTestMembership(t.services.db, bakery, baker.userId, 'owner');
    await insertTestMembership(t.services.db, bakery, colleague.userId, 'member');
    jpeg = new Uint8Array(await testImage('jpeg'));
  });
  afterAll(async () => t?.destroy());

  async function offerWithPhoto(): Promise<{ offerId: string; photoId: string }> {
    const offer = await t.services.offers.postOffer(baker, breadOffer(bakery, t.clock.now()));
    const photo = await t.services.offerPhotos.addPhoto(baker, offer.id, { file: jpeg, alt: 'Des baguettes' });
    return { offerId: offer.id, photoId: photo.id };
  }

  const photoCount = async (offerId: string) =>
    Number(
      (await t.services.db.selectFrom('offer_photo').select((eb) => eb.fn.countAll().as('n')).where('offer_id', '=', offerId).executeTakeFirstOrThrow()).n
    );

  it(`serves a live offer's photo to anyone, cached until the window ends; once cancelled, only to the donor's members (${label})`, async () => {
    t.clock.set('2026-11-29T10:00:00.000Z');
    const { offerId, photoId } = await offerWithPhoto();
    const publicRead = await t.services.offerPhotos.readPhoto(null, photoId, 'thumb');
    expect(publicRead.data.byteLength).toBeGreaterThan(0);
    // The window ends 1 h 15 min after posting (breadOffer).
    expect(publicRead.cacheControl).toBe(`public, max-age=${75 * 60}`);
    expect((await t.services.offerPhotos.listPhotos(null, offerId)).map((p) => p.id)).toEqual([photoId]);

    await t.services.offers.cancelOffer(baker, offerId, { reason: 'Four en panne' });
    expect((await refusal(t.services.offerPhotos.readPhoto(null, photoId, 'large'))).code).toBe('not_found');
    expect((await refusal(t.services.offerPhotos.readPhoto(stranger, photoId, 'large'))).code).toBe('not_found');
    expect((await refusal(t.services.offerPhotos.checkPhoto(stranger, photoId))).code).toBe('not_found');
    expect((await refusal(t.services.offerPhotos.listPhotos(stranger, offerId))).code).toBe('not_found');
    const donorRead = await t.services.offerPhotos.readPhoto(colleague, photoId, 'large');
    expect(donorRead.cacheControl).toBe('private, no-cache');
    expect((await t.services.offerPhotos.checkPhoto(baker, photoId)).cacheControl).toBe('private, no-cache');
  });

  it(`hides the photo of an offer whose pickup window has ended from everyone but its donor (${label})`, async () => {
    t.clock.set('2026-11-29T10:00:00.000Z');
    const { photoId } = await offerWithPhoto();
    t.clock.advance(75 * 60_000 - 1000);
    expect((await t.services.offerPhotos.readPhoto(stranger, photoId, 'thumb')).cacheControl).toBe('public, max-age=1');
    t.clock.advance(1000);
    expect((await refusal(t.services.offerPhotos.readPhoto(null, photoId, 'thumb'))).code).toBe('not_found');
    expect((await refusal(t.services.offerPhotos.readPhoto(stranger, photoId, 'thumb'))).code).toBe('not_found');
    expect((await t.services.offerPhotos.readPhoto(baker, photoId, 'thumb')).data.byteLength).toBeGreaterThan(0);
  });

  it(`deletes, through the daily retention job, photos of offers ended or cancelled more than OFFER_PHOTO_RETENTION_DAYS ago (${label})`, async () => {
    await t.services.db.deleteFrom('offer_photo').execute();
    t.clock.set('2026-12-01T10:00:00.000Z');
    const ended = await offerWithPhoto(); // window ends 2026-12-01T11:15Z
    const cancelled = await offerWithPhoto();
    t.clock.set('2026-12-01T10:05:00.000Z');
    await t.services.offers.cancelOffer(baker, cancelled.offerId, { reason: 'Vendu' }); // cancelled 10:05
    t.clock.set('2026-12-20T10:00:00.000Z');
    const later = await offerWithPhoto(); // ends 2026-12-20T11:15Z
    const job = JOBS.find((j) => j.name === 'eligibility-retention-purge')!;

    // 29 days after the cancellation: nothing is old enough yet.
    t.clock.set('2026-12-30T10:05:00.000Z');
    expect(((await job.run(t.services)) as { offerPhotos: unknown }).offerPhotos).toEqual({ photos: 0, offers: 0 });

    // 30 days and a minute after the cancellation: its photo goes; the ended one (30 days at 11:15) stays.
    t.clock.set('2026-12-31T10:06:00.000Z');
    expect(((await job.run(t.services)) as { offerPhotos: unknown }).offerPhotos).toEqual({ photos: 1, offers: 1 });
    expect(await photoCount(cancelled.offerId)).toBe(0);
    expect(await photoCount(ended.offerId)).toBe(1);

    t.clock.set('2026-12-31T11:16:00.000Z');
    expect(await t.services.offerPhotos.purgeOldPhotos()).toEqual({ photos: 1, offers: 1 });
    expect(await photoCount(ended.offerId)).toBe(0);
    expect(await photoCount(later.offerId)).toBe(1);
    expect((await refusal(t.services.offerPhotos.readPhoto(baker, ended.photoId, 'large'))).code).toBe('not_found');

    const audit = await t.services.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'marketplace.offer_photos_purge')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.parse(String(audit[0]!.details))).toMatchObject({ photos: 1, offers: 1, days: 30 });
  });
});
