import { error, fail } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/mes-dons`: a private person's own offers (dons entre particuliers) — only when the territory lets
 * private people post (`individualsMayPost`), 403 otherwise. Post at /mes-dons/nouveau, add photos,
 * cancel with a reason (people who reserved are told). Works without JavaScript.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  try {
    const offers = await servicesOf(event).myOffers.listMyOffers(actor);
    return {
      offers: offers.map((o) => ({
        id: o.id,
        title: o.title,
        status: o.status,
        startsAt: o.pickupStartsAt,
        endsAt: o.pickupEndsAt,
        reserved: o.reserved,
        remaining: o.remaining,
        quantity: o.quantity,
        address: [o.pickup.addressLine, o.pickup.postalCode, o.pickup.city].filter(Boolean).join(', '),
        cancelReason: o.cancelReason
      })),
      posted: event.url.searchParams.has('publie')
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};

export const actions: Actions = {
  cancel: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const offerId = stringField(data, 'offerId');
    if (!offerId) return fail(404, { form: 'cancel', code: 'not_found', fields: {}, values: {} });
    try {
      await servicesOf(event).offers.cancelOffer(actor, offerId, { reason: stringField(data, 'reason') });
    } catch (err) {
      return failWith(err, data, { form: `cancel-${offerId}` });
    }
    return { done: 'cancelled' as const };
  }
};
