import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failFields, failMapped } from '../failure.server';
import { parseSchemeForm, schemeFieldError } from '../scheme-form';
import type { Actions, PageServerLoad } from './$types';

/** `/admin/dispositifs/nouveau`: a new scheme (those who manage schemes; 403 otherwise). */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.schemes.permissions(actor)).canManageSchemes) error(403, 'Forbidden');
  return { communes: await services.schemes.listCommunes() };
};

export const actions: Actions = {
  /** Creates the scheme, then goes to its page to choose who decides it. */
  default: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const { input, errors } = parseSchemeForm(data, { withCode: true });
    if (Object.keys(errors).length > 0) return failFields(data, errors);
    let id: string;
    try {
      id = (await servicesOf(event).schemes.createScheme(actor, input)).id;
    } catch (err) {
      return failMapped(err, data, schemeFieldError);
    }
    redirect(303, `/admin/dispositifs/${id}?cree=1`);
  }
};
