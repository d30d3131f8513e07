import { actorOf, servicesOf } from '$lib/web/auth.server';
import { throwAsPageError } from '$lib/web/forms.server';
import type { PageServerLoad } from './$types';

/** `/organisations/{id}/dons/recurrents`: the donor organisation's recurring offers (members), running first. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    const series = await services.offerSeries.listSeries(actor, event.params.id);
    return {
      organisation: { id: organisation.id, name: organisation.name },
      series: series.map((s) => ({
        id: s.id,
        title: s.template.title,
        quantity: s.template.quantity,
        unit: s.template.unit,
        weekdays: s.weekdays,
        startTime: s.startTime,
        endTime: s.endTime,
        endsOn: s.endsOn,
        stoppedAt: s.stoppedAt,
        next: s.occurrences.find((o) => o.status === 'published')?.pickupStartsAt ?? null
      })),
      stopped: event.url.searchParams.has('arretee')
    };
  } catch (err) {
    throwAsPageError(err);
  }
};
