import { error } from '@sveltejs/kit';
import { actorOf, optionalActor, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike } from '$lib/web/forms.server';
import { organisationInput } from '$lib/web/organisations.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const organisation = await servicesOf(event).organisations.getOrganisation(optionalActor(event), event.params.id);
    return { organisation, created: event.url.searchParams.has('cree'), joined: event.url.searchParams.has('rejoint') };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};

export const actions: Actions = {
  /** Saves the edited details (owners, managers, admins: the service checks). */
  update: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).organisations.updateOrganisation(actor, event.params.id, organisationInput(data, 'update'));
    } catch (err) {
      return failWith(err, data, { form: 'update' });
    }
    return { done: 'saved' as const };
  }
};
