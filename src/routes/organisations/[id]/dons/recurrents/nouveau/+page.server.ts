import { error, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { throwAsPageError } from '$lib/web/forms.server';
import { blankOfferFields } from '$lib/web/offers.server';
import { failSeries, seriesFormInput } from '$lib/web/series.server';
import type { Actions, PageServerLoad } from './$types';

/** `/organisations/{id}/dons/recurrents/nouveau`: a recurring offer (members); the next 7 days are generated at once. Works without JavaScript. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    if (!(await services.offers.canPost(actor, event.params.id))) error(403, 'Forbidden');
    return {
      organisation: { id: organisation.id, name: organisation.name },
      values: {
        ...blankOfferFields('pain-viennoiserie'),
        dateOffsetDays: '0',
        weekdays: ['1', '2', '3', '4', '5'],
        startTime: '19:00',
        endTime: '20:00',
        endsOn: ''
      }
    };
  } catch (err) {
    throwAsPageError(err);
  }
};

export const actions: Actions = {
  default: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    let id: string;
    try {
      id = (await servicesOf(event).offerSeries.createSeries(actor, { organisationId: event.params.id, ...seriesFormInput(data) })).id;
    } catch (err) {
      return failSeries(err, data);
    }
    redirect(303, `/organisations/${event.params.id}/dons/recurrents/${id}?creee`);
  }
};
