import { error, type RequestEvent } from '@sveltejs/kit';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTOS_PER_OFFER } from '../schemas/photos';
import { actorOf, servicesOf } from './auth.server';
import { throwAsPageError } from './forms.server';
import { photoActions, type PhotoPageContext } from './photo-actions.server';

/**
 * The photos page of one offer for its donor (/organisations/[id]/dons/[offerId]/photos for a
 * donor organisation's member, /mes-dons/[offerId]/photos for a private person): load and the
 * photo actions. `donorOf` gives the organisation the URL names (null: a private person's offer);
 * an offer of another donor is a 404. The offer photos service checks the policy.
 */

type PageEvent = Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>;

export function offerPhotosPage(donorOf: (params: PageEvent['params']) => string | null) {
  async function editable(event: PageEvent) {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const offerId = event.params.offerId ?? '';
    try {
      const detail = await services.offers.getOffer(actor, offerId);
      if (detail.reservations === null || detail.offer.organisationId !== donorOf(event.params)) error(404, 'Not found');
      const photos = await services.offerPhotos.listPhotos(actor, offerId);
      return { actor, services, offer: detail.offer, photos };
    } catch (err) {
      throwAsPageError(err);
    }
  }

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

  return {
    load: async (event: PageEvent) => {
      const { offer, photos, services } = await editable(event);
      return {
        offer: { id: offer.id, title: offer.title, status: offer.status },
        photos: photos.map((p) => ({ id: p.id, position: p.position, alt: p.alt, url: p.url, thumb: p.thumb })),
        limits: { max: PHOTOS_PER_OFFER, altMax: PHOTO_ALT_MAX, mb: services.config.PHOTO_UPLOAD_MAX_MB, px: PHOTO_LARGE_PX }
      };
    },
    actions: photoActions(context)
  };
}
