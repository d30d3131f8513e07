import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { householdFromForm, requestFailure } from '$lib/web/requests.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const [list, communes] = await Promise.all([
      services.people.listAccompanied(actor, event.params.id),
      services.schemes.listCommunes()
    ]);
    return {
      organisation: list.organisation,
      people: list.items,
      reminderDays: list.reminderDays,
      communes,
      erased: event.url.searchParams.has('efface')
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};

export const actions: Actions = {
  /** Creates an accompanied account and issues its card at once (the desk's usual need), then opens it. */
  create: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    let userId: string;
    try {
      const communes = await services.schemes.listCommunes();
      const created = await services.people.createAccompanied(actor, event.params.id, householdFromForm(data, communes));
      userId = created.userId;
      await services.people.issueCard(actor, userId);
    } catch (err) {
      return requestFailure(err, data, 'create');
    }
    redirect(303, `/organisations/${event.params.id}/personnes/${userId}?cree=1`);
  }
};
