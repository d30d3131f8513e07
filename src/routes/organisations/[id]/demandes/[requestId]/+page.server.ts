import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike, optionalString, stringField } from '$lib/web/forms.server';
import { parseDateInput } from '$lib/web/euros';
import { documentFromForm, oversizedUpload, requestFailure } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const request = await services.eligibility.getRequest(actor, event.params.requestId);
    if (request.person.userId === actor.userId) redirect(303, `/mon-dossier/demandes/${request.id}`);
    if (request.organisation.id !== event.params.id) error(404, 'Not found');
    const communes = await services.schemes.listCommunes();
    return { request, communes, created: event.url.searchParams.has('cree'), maxKb: services.config.DOCUMENT_MAX_KB };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};

export const actions: Actions = {
  /** Decides on the version the agent saw; someone quicker gets a clear 409 message. */
  decide: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const outcome = stringField(data, 'outcome');
    try {
      await servicesOf(event).eligibility.decideRequest(actor, event.params.requestId, {
        outcome,
        schemes: outcome === 'granted' ? data.getAll('schemes').filter((v) => typeof v === 'string') : [],
        validUntil: outcome === 'granted' ? parseDateInput(optionalString(data, 'validUntil')) : undefined,
        reason: optionalString(data, 'reason'),
        missing: outcome === 'incomplete' ? optionalString(data, 'missing') : undefined,
        version: Number(stringField(data, 'version'))
      });
    } catch (err) {
      return requestFailure(err, data, 'decide');
    }
    return { done: outcome };
  },

  /** Adds a document at the desk (the person hands it over). */
  document: async (event) => {
    const actor = actorOf(event);
    const tooLarge = oversizedUpload(event.request, servicesOf(event).config.DOCUMENT_MAX_KB, 1, 'document');
    if (tooLarge) return tooLarge;
    const data = await event.request.formData();
    try {
      await servicesOf(event).eligibility.addDocument(actor, event.params.requestId, await documentFromForm(data));
    } catch (err) {
      return requestFailure(err, data, 'document');
    }
    return { done: 'document' };
  }
};
