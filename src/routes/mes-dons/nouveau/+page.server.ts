import { error, fail, redirect } from '@sveltejs/kit';
import { fieldError } from '$lib/server/errors';
import type { MessageKey } from '$lib/i18n';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { blankOfferValues, defaultWindow, failOffer, offerFormInput } from '$lib/web/offers.server';
import { stringField } from '$lib/web/forms.server';
import { relayAddressSearch } from '../../annuaire/adresse/address';
import { locatePickup } from './pickup';
import type { Actions, PageServerLoad } from './$types';

/** What the page says for each way the pickup address could not be located. */
const PROBLEMS = {
  required: { key: 'myOffers.addressRequired', status: 400 },
  not_found: { key: 'myOffers.addressNotFound', status: 400 },
  unavailable: { key: 'myOffers.addressUnavailable', status: 503 },
  rate_limited: { key: 'myOffers.addressRateLimited', status: 429 }
} as const satisfies Record<string, { key: MessageKey; status: number }>;

/**
 * `/mes-dons/nouveau`: a private person posts an offer (territory permitting, 403 otherwise). The
 * pickup address is typed; one the person already used is taken as located then (proposed in a
 * list), any other is located on the server through the national address API (the first match).
 * When that API does not answer, the page says so and keeps what was typed. The offers service
 * applies the rules for private people (no raw animal products…).
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.myOffers.individualsMayPost())) error(403, 'Forbidden');
  return {
    values: blankOfferValues('fruits-legumes', defaultWindow(services.now())),
    knownAddresses: (await services.myOffers.knownPickups(actor)).map((p) => p.addressLine)
  };
};

export const actions: Actions = {
  default: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    const typed = stringField(data, 'pickupAddress');
    const known = await services.myOffers.knownPickups(actor);
    const located = await locatePickup(typed, known, (q) => relayAddressSearch(services, () => event.getClientAddress(), q));
    if ('problem' in located) {
      const problem = PROBLEMS[located.problem];
      const failure = failOffer(fieldError('pickupAddress', `Pickup address: ${located.problem}`, `address_${located.problem}`), data);
      const knownToo = located.problem === 'unavailable' && known.length > 0;
      failure.data.fields.pickupAddress = { key: knownToo ? 'myOffers.addressUnavailableKnown' : problem.key };
      return fail(problem.status, failure.data);
    }
    try {
      await services.offers.postOffer(actor, { ...offerFormInput(data), organisationId: null, valueCents: null, pickup: located.pickup });
    } catch (err) {
      return failOffer(err, data);
    }
    redirect(303, '/mes-dons?publie');
  }
};
