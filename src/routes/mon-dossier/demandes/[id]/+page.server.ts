import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { documentFromForm, oversizedUpload, requestFailure } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

/** The request when it is the caller's own (checked on their list first: an agent's read belongs on the organisation's page). */
async function ownRequest(event: RequestEvent<{ id: string }>) {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const mine = await services.eligibility.myEligibility(actor);
  if (!mine.requests.some((r) => r.id === event.params.id)) error(404, 'Not found');
  return { actor, services, request: await services.eligibility.getRequest(actor, event.params.id) };
}

export const load: PageServerLoad = async (event) => {
  const { request, services } = await ownRequest(event);
  return { request, sent: event.url.searchParams.has('envoyee'), maxKb: services.config.DOCUMENT_MAX_KB };
};

export const actions: Actions = {
  /** Adds a document (an incomplete request goes back to the organisation). */
  document: async (event) => {
    const { actor, services, request } = await ownRequest(event);
    const tooLarge = oversizedUpload(event.request, services.config.DOCUMENT_MAX_KB, 1, 'document');
    if (tooLarge) return tooLarge;
    const data = await event.request.formData();
    try {
      await services.eligibility.addDocument(actor, request.id, await documentFromForm(data));
    } catch (err) {
      return requestFailure(err, data, 'document');
    }
    return { done: 'document' as const };
  },

  /** Withdraws the request; its documents are deleted. */
  withdraw: async (event) => {
    const { actor, services, request } = await ownRequest(event);
    const data = await event.request.formData();
    try {
      await services.eligibility.withdrawRequest(actor, request.id);
    } catch (err) {
      return requestFailure(err, data, 'withdraw');
    }
    redirect(303, '/mon-dossier?retiree=1');
  }
};
