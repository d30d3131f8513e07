import { redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { throwAsPageError } from '$lib/web/forms.server';
import { blankOfferValues, defaultWindow, failOffer, offerFormInput, offerFormValues } from '$lib/web/offers.server';
import { eurosInput } from '$lib/web/euros';
import type { Actions, PageServerLoad } from './$types';

/**
 * Post an offer in under a minute from a phone: the form comes filled from the organisation's last
 * offer (or the one chosen under "start from a previous offer", `?depuis=<id>`), with today's window
 * from now + 15 min for one hour. Works without JavaScript.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    const recent = await services.offers.recentOffers(actor, event.params.id, 8);
    const chosenId = event.url.searchParams.get('depuis');
    const blank = chosenId === 'vide';
    const template = blank ? undefined : (recent.find((o) => o.id === chosenId) ?? recent[0]);
    const window = defaultWindow(services.now());
    const values = template ? offerFormValues(template, window) : blankOfferValues('pain-viennoiserie', window);
    const locale = event.locals.locale === 'en' ? 'en' : 'fr';
    return {
      organisation: { id: organisation.id, name: organisation.name },
      values,
      valueEuros: template ? eurosInput(template.valueCents, locale) : '',
      templateId: template?.id ?? null,
      recent: recent.map((o) => ({ id: o.id, title: o.title, quantity: o.quantity, category: o.category }))
    };
  } catch (err) {
    throwAsPageError(err);
  }
};

export const actions: Actions = {
  default: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    let id: string;
    try {
      const offer = await services.offers.postOffer(actor, { organisationId: event.params.id, ...offerFormInput(data) });
      id = offer.id;
    } catch (err) {
      return failOffer(err, data);
    }
    redirect(303, `/organisations/${event.params.id}/dons/${id}?publie`);
  }
};
