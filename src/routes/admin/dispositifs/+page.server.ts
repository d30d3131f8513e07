import { error } from '@sveltejs/kit';
import { DEFAULT_QF_PARTS } from '$lib/server/modules/eligibility/eligibility.rules';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import type { Actions, PageServerLoad } from './$types';
import { failFields, failMapped } from './failure.server';
import { parsePartsForm, partsFieldError } from './scheme-form';

/**
 * `/admin/dispositifs`: the territory's schemes (active or not) with their conditions and deciders,
 * and the table of parts of the quotient familial. For those who manage schemes (platform admins,
 * CCAS owners and managers): 403 for anyone else, sign-in first when signed out.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.schemes.permissions(actor)).canManageSchemes) error(403, 'Forbidden');
  const [schemes, settings, communes] = await Promise.all([
    services.schemes.listSchemes(actor, { includeInactive: true }),
    services.schemes.getSettings(actor),
    services.schemes.listCommunes()
  ]);
  return { schemes, settings, communes, created: event.url.searchParams.get('cree') };
};

export const actions: Actions = {
  /** Saves the table of parts (every entry checked; the simulator uses it at once). */
  parts: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const { input, errors } = parsePartsForm(data);
    if (Object.keys(errors).length > 0) return failFields(data, errors, 'parts');
    try {
      await servicesOf(event).schemes.updateSettings(actor, input);
    } catch (err) {
      return failMapped(err, data, partsFieldError, 'parts');
    }
    return { done: 'partsSaved' as const };
  },

  /** Puts the default table of parts back. */
  resetParts: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).schemes.updateSettings(actor, { qfParts: DEFAULT_QF_PARTS });
    } catch (err) {
      return failMapped(err, data, partsFieldError, 'parts');
    }
    return { done: 'partsSaved' as const };
  }
};
