import { error, type RequestEvent } from '@sveltejs/kit';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTOS_PER_OFFER } from '$lib/schemas/photos';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { photoActions, type PhotoPageContext } from '$lib/web/photo-actions.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/dons/{offerId}/photos`: the photos of one offer for its donor (any member of
 * the donor organisation): add (multipart, works without JavaScript), describe, reorder, remove.
 * The first photo is the feed's thumbnail. The offer photos service checks the policy.
 */

async function editable(event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>) {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const { id, offerId } = event.params as { id: string; offerId: string };
  try {
    const detail = await services.offers.getOffer(actor, offerId);
    if (detail.reservations === null || detail.offer.organisationId !== id) error(404, 'Not found');
    const photos = await services.offerPhotos.listPhotos(actor, offerId);
    return { actor, services, offer: detail.offer, photos };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
}

export const load: PageServerLoad = async (event) => {
  const { offer, photos, services } = await editable(event);
  return {
    organisationId: event.params.id,
    offer: { id: offer.id, title: offer.title, status: offer.status },
    photos: photos.map((p) => ({ id: p.id, position: p.position, alt: p.alt, url: p.url, thumb: p.thumb })),
    limits: { max: PHOTOS_PER_OFFER, altMax: PHOTO_ALT_MAX, mb: services.config.PHOTO_UPLOAD_MAX_MB, px: PHOTO_LARGE_PX }
  };
};

async function context(event: RequestEvent): Promise<PhotoPageContext> {
  const { actor, services, offer, photos } = await editable(event);
  return {
    actor,
    targetId: offer.id,
    photos,
    service: services.offerPhotos,
    maxMb: services.config.PHOTO_UPLOAD_MAX_MB,
    full: { key: 'offerPhotos.full', params: { max: PHOTOS_PER_OFFER } }
  };
}

export const actions: Actions = photoActions(context);
