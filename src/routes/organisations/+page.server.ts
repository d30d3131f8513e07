import { redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith } from '$lib/web/forms.server';
import { organisationInput } from '$lib/web/organisations.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const organisations = await servicesOf(event).organisations.listMyOrganisations(actor);
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, kind: o.kind, city: o.address?.city ?? null, myRole: o.myRole, isDemo: o.isDemo }))
  };
};

export const actions: Actions = {
  /** Creates an organisation (the creator becomes its owner) and opens it. */
  create: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    let id: string;
    try {
      const created = await services.organisations.createOrganisation(actor, organisationInput(data, 'create'));
      id = created.id;
    } catch (err) {
      return failWith(err, data, { form: 'create' });
    }
    redirect(303, `/organisations/${id}?cree=1`);
  }
};
