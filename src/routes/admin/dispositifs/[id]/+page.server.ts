import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { failFields, failMapped } from '../failure.server';
import { parseSchemeForm, schemeFieldError } from '../scheme-form';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/admin/dispositifs/[id]`: edit a scheme (conditions, validity, active) and choose the CCAS and
 * associations that decide it. Those who manage schemes only (403 otherwise, 404 for no scheme).
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.schemes.permissions(actor)).canManageSchemes) error(403, 'Forbidden');
  try {
    const [scheme, communes, candidates] = await Promise.all([
      services.schemes.getScheme(actor, event.params.id),
      services.schemes.listCommunes(),
      services.schemes.listDeciderCandidates(actor)
    ]);
    return { scheme, communes, candidates, created: event.url.searchParams.has('cree') };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};

export const actions: Actions = {
  /** Saves the scheme's fields (not its code). */
  save: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const { input, errors } = parseSchemeForm(data, { withCode: false });
    if (Object.keys(errors).length > 0) return failFields(data, errors, 'scheme');
    try {
      await servicesOf(event).schemes.updateScheme(actor, event.params.id, input);
    } catch (err) {
      return failMapped(err, data, schemeFieldError, 'scheme');
    }
    return { done: 'saved' as const };
  },

  /** Sets the organisations that decide the scheme (ticked boxes). */
  deciders: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const organisationIds = data.getAll('organisationIds').filter((v): v is string => typeof v === 'string');
    try {
      await servicesOf(event).schemes.setDeciders(actor, event.params.id, { organisationIds });
    } catch (err) {
      return failMapped(err, data, schemeFieldError, 'deciders');
    }
    return { done: 'decidersSaved' as const };
  }
};
