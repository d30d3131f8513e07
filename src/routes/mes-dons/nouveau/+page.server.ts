import { error, redirect } from '@sveltejs/kit';
import { fieldError } from '$lib/server/errors';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { blankOfferValues, defaultWindow, failOffer, offerFormInput } from '$lib/web/offers.server';
import { stringField } from '$lib/web/forms.server';
import { relayAddressSearch } from '../../annuaire/adresse/address';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/mes-dons/nouveau`: a private person posts an offer (territory permitting, 403 otherwise). The
 * pickup address is typed and located on the server through the national address API (the first
 * match); the offers service applies the rules for private people (no raw animal products…).
 */
export const load: PageServerLoad = async (event) => {
  actorOf(event);
  const services = servicesOf(event);
  if (!(await services.myOffers.individualsMayPost())) error(403, 'Forbidden');
  return { values: blankOfferValues('fruits-legumes', defaultWindow(services.now())) };
};

export const actions: Actions = {
  default: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    const typed = stringField(data, 'pickupAddress');
    const found = typed ? await relayAddressSearch(services, () => event.getClientAddress(), typed) : { suggestions: [] };
    const place = found.suggestions[0];
    if (!place) {
      const failure = failOffer(fieldError('pickupAddress', 'No address found', typed ? 'address_not_found' : 'required'), data);
      failure.data.fields.pickupAddress = { key: typed ? 'myOffers.addressNotFound' : 'myOffers.addressRequired' };
      return failure;
    }
    try {
      await services.offers.postOffer(actor, {
        ...offerFormInput(data),
        organisationId: null,
        valueCents: null,
        pickup: { addressLine: place.label, postalCode: place.postcode, city: place.city, lat: place.lat, lng: place.lng }
      });
    } catch (err) {
      return failOffer(err, data);
    }
    redirect(303, '/mes-dons?publie');
  }
};
