import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike, optionalString, stringField } from '$lib/web/forms.server';
import { householdFromForm, requestFailure, resourcesFromForm } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const [organisation, people, communes, options] = await Promise.all([
      services.organisations.getOrganisation(actor, event.params.id),
      services.people.listAccompanied(actor, event.params.id),
      services.schemes.listCommunes(),
      services.eligibility.requestOptions()
    ]);
    const decided = options.deciders.find((d) => d.organisationId === organisation.id)?.schemes ?? [];
    return {
      organisation: { id: organisation.id, name: organisation.name },
      accompanied: people.items.map((p) => ({ userId: p.userId, firstName: p.firstName })),
      communes,
      schemes: options.schemes.filter((s) => decided.includes(s.code)),
      preselectedPerson: event.url.searchParams.get('personne') ?? ''
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};

export const actions: Actions = {
  /**
   * Starts a request at the desk for an account (email or phone), a person the organisation
   * accompanies, or a new accompanied account created with the request (one transaction: a refused
   * request leaves no account); then the agent decides it.
   */
  default: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    const orgId = event.params.id;
    let id: string;
    try {
      const communes = await services.schemes.listCommunes();
      const household = householdFromForm(data, communes, 'household.');
      const who = stringField(data, 'who');
      let person: Record<string, string | true | undefined>;
      if (who === 'accompanied') {
        person = { userId: optionalString(data, 'person.userId') ?? '' };
      } else if (who === 'new') {
        // The accompanied account is created with the request, in one transaction.
        person = { new: true };
      } else {
        const contact = optionalString(data, 'person.contact') ?? '';
        person = contact.includes('@') ? { email: contact } : { phone: contact };
      }
      const created = await services.eligibility.createDeskRequest(actor, orgId, {
        person,
        household,
        schemes: data.getAll('schemes').filter((v) => typeof v === 'string'),
        ...resourcesFromForm(data),
        message: optionalString(data, 'message')
      });
      id = created.id;
    } catch (err) {
      const failure = requestFailure(err, data);
      // The contact field carries both ways of finding an account.
      for (const path of ['person.email', 'person.phone']) {
        const f = failure.data.fields[path];
        if (f) {
          failure.data.fields['person.contact'] = f;
          delete failure.data.fields[path];
        }
      }
      return failure;
    }
    redirect(303, `/organisations/${orgId}/demandes/${id}?cree=1`);
  }
};
