import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../server/errors';
import { offerPhotosPage } from './offer-photos.server';

// auth.server reads `$lib` paths that only SvelteKit resolves; here the actor and services come from the event.
vi.mock('./auth.server', () => ({
  actorOf: (event: { locals: { user: { id: string } } }) => ({ userId: event.locals.user.id, isPlatformAdmin: false, requestId: 'r1' }),
  servicesOf: (event: { platform: { services: unknown } }) => event.platform.services
}));

const photo = { id: 'p1', position: 0, alt: 'Pain', url: '/u/p1', thumb: { url: '/u/p1/t', width: 320, height: 240 }, extra: 'not shown' };

function eventFor(params: Record<string, string>, offer: { organisationId: string | null } | Error, reservations: unknown[] | null = []) {
  const services = {
    offers: {
      getOffer: async () => {
        if (offer instanceof Error) throw offer;
        return { offer: { id: 'o1', title: 'Pain', status: 'published', ...offer }, reservations };
      }
    },
    offerPhotos: { listPhotos: async () => [photo] },
    config: { PHOTO_UPLOAD_MAX_MB: 8 }
  };
  return {
    params: { offerId: 'o1', ...params },
    locals: { user: { id: 'u1', isPlatformAdmin: false }, requestId: 'r1' },
    url: new URL('http://test/x'),
    platform: { services }
  } as unknown as Parameters<ReturnType<typeof offerPhotosPage>['load']>[0];
}

async function statusOf(p: Promise<unknown>): Promise<number | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
}

describe('offerPhotosPage', () => {
  const ofOrg = offerPhotosPage((params) => params.id ?? '');
  const own = offerPhotosPage(() => null);

  it("loads the donor's offer and its photos with the limits", async () => {
    const data = await ofOrg.load(eventFor({ id: 'org1' }, { organisationId: 'org1' }));
    expect(data.offer).toEqual({ id: 'o1', title: 'Pain', status: 'published' });
    expect(data.photos).toEqual([{ id: 'p1', position: 0, alt: 'Pain', url: '/u/p1', thumb: photo.thumb }]);
    expect(data.limits.mb).toBe(8);
    expect((await own.load(eventFor({}, { organisationId: null }))).offer.id).toBe('o1');
  });

  it("answers 404 for another donor's offer or one the actor may not manage, 403 when forbidden", async () => {
    expect(await statusOf(ofOrg.load(eventFor({ id: 'org2' }, { organisationId: 'org1' })))).toBe(404);
    expect(await statusOf(own.load(eventFor({}, { organisationId: 'org1' })))).toBe(404);
    expect(await statusOf(own.load(eventFor({}, { organisationId: null }, null)))).toBe(404);
    expect(await statusOf(own.load(eventFor({}, new AppError('not_found', 'gone'))))).toBe(404);
    expect(await statusOf(own.load(eventFor({}, new AppError('forbidden', 'no'))))).toBe(403);
  });
});
