import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** The invitation link: what it is for (no email, no inviter), then accept once signed in. */
export const load: PageServerLoad = async (event) => {
  try {
    const preview = await servicesOf(event).organisations.previewInvitation(event.params.token);
    return { preview, here: event.url.pathname };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};

export const actions: Actions = {
  /** Joins the organisation with the invitation's role, then opens it. */
  default: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    let organisationId: string;
    try {
      const organisation = await servicesOf(event).organisations.acceptInvitation(actor, event.params.token);
      organisationId = organisation.id;
    } catch (err) {
      return failWith(err, data);
    }
    redirect(303, `/organisations/${organisationId}?rejoint=1`);
  }
};
