import { actorOf, servicesOf } from '$lib/web/auth.server';
import { householdFromForm, requestFailure } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const [mine, communes] = await Promise.all([services.eligibility.myEligibility(actor), services.schemes.listCommunes()]);
  return {
    mine,
    communes,
    /** Came from the request form without a household declared. */
    householdFirst: event.url.searchParams.has('foyer'),
    withdrawn: event.url.searchParams.has('retiree')
  };
};

export const actions: Actions = {
  /** Declares or replaces the household (foyer). */
  household: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const communes = await services.schemes.listCommunes();
      await services.eligibility.saveMyHousehold(actor, householdFromForm(data, communes));
    } catch (err) {
      return requestFailure(err, data, 'household');
    }
    return { done: 'household' as const };
  }
};
