import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { translate } from '$lib/i18n/all';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, stringField, throwAsPageError } from '$lib/web/forms.server';
import { failSeries, seriesFormInput, seriesFormValues } from '$lib/web/series.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/dons/recurrents/{seriesId}`: one recurring offer for the donor's members — its
 * coming occurrences (skip one: it is cancelled and never generated again), edit the rule and the
 * template (occurrences nobody reserved are rewritten), stop it. Works without JavaScript.
 */

async function seriesOf(event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>) {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const { id, seriesId } = event.params as { id: string; seriesId: string };
  try {
    const series = await services.offerSeries.getSeries(actor, seriesId);
    if (series.organisationId !== id) error(404, 'Not found');
    return { actor, services, series };
  } catch (err) {
    throwAsPageError(err);
  }
}

export const load: PageServerLoad = async (event) => {
  const { series } = await seriesOf(event);
  return {
    organisationId: event.params.id,
    series: {
      id: series.id,
      title: series.template.title,
      weekdays: series.weekdays,
      startTime: series.startTime,
      endTime: series.endTime,
      endsOn: series.endsOn,
      stoppedAt: series.stoppedAt
    },
    occurrences: series.occurrences.map((o) => ({
      id: o.id,
      startsAt: o.pickupStartsAt,
      endsAt: o.pickupEndsAt,
      status: o.status,
      reserved: o.reserved,
      quantity: o.quantity
    })),
    values: seriesFormValues(series),
    created: event.url.searchParams.has('creee')
  };
};

export const actions: Actions = {
  update: async (event) => {
    const { actor, services, series } = await seriesOf(event);
    const data = await event.request.formData();
    try {
      await services.offerSeries.updateSeries(actor, series.id, seriesFormInput(data));
    } catch (err) {
      return failSeries(err, data, 'update');
    }
    return { done: 'saved' as const };
  },

  /** Skips one coming occurrence: the offer is cancelled (people who reserved it are told why) and never generated again. */
  skip: async (event) => {
    const { actor, services, series } = await seriesOf(event);
    const data = await event.request.formData();
    const occurrence = series.occurrences.find((o) => o.id === stringField(data, 'offerId'));
    if (!occurrence) return fail(404, { form: 'skip', code: 'not_found', fields: {}, values: {} });
    const reason = stringField(data, 'reason') || translate(event.locals.locale, 'seriesDetail.skipDefaultReason');
    try {
      await services.offers.cancelOffer(actor, occurrence.id, { reason });
    } catch (err) {
      return failWith(err, data, { form: 'skip' });
    }
    return { done: 'skipped' as const };
  },

  stop: async (event) => {
    const { actor, services, series } = await seriesOf(event);
    try {
      await services.offerSeries.stopSeries(actor, series.id);
    } catch (err) {
      return failWith(err, new FormData(), { form: 'stop' });
    }
    redirect(303, `/organisations/${event.params.id}/dons/recurrents?arretee`);
  }
};
