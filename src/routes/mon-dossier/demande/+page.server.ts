import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { optionalString, stringField } from '$lib/web/forms.server';
import { DOCUMENT_SLOTS, documentsFromForm, oversizedUpload, requestFailure, resourcesFromForm } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const [mine, options] = await Promise.all([services.eligibility.myEligibility(actor), services.eligibility.requestOptions()]);
  if (!mine.household) redirect(303, '/mon-dossier?foyer=1#foyer');
  const renewId = event.url.searchParams.get('renouveler');
  const renewal = renewId ? mine.grants.find((g) => g.id === renewId && g.canRenew) : undefined;
  if (renewId && !renewal) error(404, 'Not found');
  const wanted = event.url.searchParams.getAll('dispositif');
  return {
    options,
    renewal: renewal ? { id: renewal.id, scheme: renewal.scheme, validUntil: renewal.validUntil, organisationId: renewal.organisation.id } : null,
    /** Pre-ticked: the renewed scheme, or schemes named in the link (from the simulator). */
    preselected: renewal ? [renewal.scheme.code] : wanted.filter((c) => options.schemes.some((s) => s.code === c)),
    preselectedOrganisation: renewal?.organisation.id ?? event.url.searchParams.get('structure') ?? '',
    maxKb: services.config.DOCUMENT_MAX_KB,
    slots: DOCUMENT_SLOTS
  };
};

export const actions: Actions = {
  /** Sends the request with its documents (all checked before anything is written). */
  default: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const tooLarge = oversizedUpload(event.request, services.config.DOCUMENT_MAX_KB, DOCUMENT_SLOTS);
    if (tooLarge) return tooLarge;
    const data = await event.request.formData();
    let id: string;
    try {
      const created = await services.eligibility.createRequest(
        actor,
        {
          organisationId: stringField(data, 'organisationId'),
          schemes: data.getAll('schemes').filter((v) => typeof v === 'string'),
          ...resourcesFromForm(data),
          message: optionalString(data, 'message'),
          renewsGrantId: optionalString(data, 'renewsGrantId')
        },
        await documentsFromForm(data)
      );
      id = created.id;
    } catch (err) {
      return requestFailure(err, data);
    }
    redirect(303, `/mon-dossier/demandes/${id}?envoyee=1`);
  }
};
