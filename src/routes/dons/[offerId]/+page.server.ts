import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { HTTP_STATUS } from '$lib/server/http/errors';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/dons/[offerId]`: one donation (allergens, diets, storage, DLC/DDM, pickup window and address)
 * and the form that reserves it. The form carries an idempotency key drawn at load, so a double
 * submission (or a retry after a lost answer) never reserves twice.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.feed.isEligible(actor.userId))) return { eligible: false as const };
  let offer;
  try {
    offer = await services.feed.offerForPerson(actor, event.params.offerId);
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
  const limits = await services.reservations.limitsOf(actor.userId);
  const now = services.now().getTime();
  // A cancelled or ended offer's photos are its donor's only.
  const isLive = offer.status === 'published' && Date.parse(offer.pickupEndsAt) > now;
  return {
    eligible: true as const,
    offer,
    photos: (isLive ? await services.offerPhotos.listPhotos(actor, offer.id) : []).map((p) => ({ id: p.id, alt: p.alt, url: p.url, thumb: p.thumb })),
    isAvailable: isLive && offer.remaining > 0,
    isPooling: offer.poolingEndsAt !== null && Date.parse(offer.poolingEndsAt) > now,
    maxUnits: Math.max(1, Math.min(limits.maxUnitsPerOfferPerPerson, offer.remaining || 1)),
    idempotencyKey: randomUUID(),
    tileUrl: services.config.TILE_URL
  };
};

export const actions: Actions = {
  reserve: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    const quantity = Number(data.get('quantity'));
    const key = String(data.get('idempotencyKey') ?? '').slice(0, 200) || randomUUID();
    let reservationId: string;
    try {
      const result = await services.reservations.reserve(
        actor,
        event.params.offerId,
        { quantity: Number.isFinite(quantity) ? quantity : 0, waitingList: data.get('waitingList') === 'on' },
        key
      );
      reservationId = result.reservation.id;
    } catch (err) {
      if (!isAppErrorLike(err)) throw err;
      const d = err.details ?? {};
      return fail(HTTP_STATUS[err.code], {
        code: err.code,
        remaining: typeof d.remaining === 'number' ? d.remaining : null,
        limit: typeof d.limit === 'string' ? d.limit : null,
        max: typeof d.max === 'number' ? d.max : null,
        reason: typeof d.reason === 'string' ? d.reason : null,
        field: d.fields?.[0]?.path ?? null,
        quantity: String(data.get('quantity') ?? '')
      });
    }
    redirect(303, `/mes-reservations?reservee=${encodeURIComponent(reservationId)}`);
  }
};
