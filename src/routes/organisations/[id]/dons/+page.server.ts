import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { parisDayTime, parisInstant } from '$lib/web/offers.server';
import type { PageServerLoad } from './$types';

/** The donor's offers: today's with their reserved and remaining counts, then the next seven days. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    const today = parisDayTime(services.now()).day;
    const from = parisInstant(today, '00:00');
    const to = new Date(Date.parse(from) + 8 * 86_400_000).toISOString();
    const offers = await services.offers.listOrganisationOffers(actor, event.params.id, { from, to });
    const isToday = (iso: string) => parisDayTime(iso).day <= today;
    return {
      organisation: { id: organisation.id, name: organisation.name },
      today: offers.filter((o) => isToday(o.pickupStartsAt)),
      upcoming: offers.filter((o) => !isToday(o.pickupStartsAt) && o.status === 'published')
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};
