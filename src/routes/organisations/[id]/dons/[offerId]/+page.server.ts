import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, stringField, throwAsPageError } from '$lib/web/forms.server';
import { failOffer, offerFormInput, offerFormValues } from '$lib/web/offers.server';
import { eurosInput } from '$lib/web/euros';
import type { Actions, PageServerLoad } from './$types';

/** One offer for its donor: the facts, its reservations (first name, quantity, status), edit, cancel with a reason. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const detail = await services.offers.getOffer(actor, event.params.offerId);
    if (detail.reservations === null || detail.offer.organisationId !== event.params.id) error(404, 'Not found');
    const locale = event.locals.locale === 'en' ? 'en' : 'fr';
    return {
      organisationId: event.params.id,
      ...detail,
      reservations: detail.reservations,
      values: offerFormValues(detail.offer),
      valueEuros: eurosInput(detail.offer.valueCents, locale),
      photoCount: (await services.offerPhotos.listPhotos(actor, detail.offer.id)).length,
      posted: event.url.searchParams.has('publie')
    };
  } catch (err) {
    throwAsPageError(err);
  }
};

export const actions: Actions = {
  update: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const version = Number(stringField(data, 'version'));
    try {
      await servicesOf(event).offers.updateOffer(actor, event.params.offerId, {
        ...offerFormInput(data),
        version: Number.isInteger(version) && version > 0 ? version : undefined
      });
    } catch (err) {
      return failOffer(err, data, 'update');
    }
    return { done: 'saved' as const };
  },
  cancel: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).offers.cancelOffer(actor, event.params.offerId, { reason: stringField(data, 'reason') });
    } catch (err) {
      return failWith(err, data, { form: 'cancel' });
    }
    return { done: 'cancelled' as const };
  }
};
