import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import type { PageServerLoad } from './$types';

/** The donor's history: every offer with what was handed over, the impact, and the CSV export. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    const { impact, offers } = await services.offers.history(actor, event.params.id);
    return { organisation: { id: organisation.id, name: organisation.name }, impact, offers: offers.slice(0, 200) };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};
