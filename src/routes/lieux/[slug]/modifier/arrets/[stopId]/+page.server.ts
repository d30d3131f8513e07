import { error, redirect } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { failForm, loadEditable, warningTexts } from '../../edit.server';
import { changeStops, stopFieldPath, stopInput, stopsVersionOf, storedStops } from '../../form-input';
import { stopDatesText } from '../../../stops';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/modifier/arrets/{id}`: edits or deletes one stop of a mobile place (owners, managers, admins).
 * Each form carries the version of the stop list it was read at; if someone changed the list since,
 * the save is refused (409) and the page shows the stop as it now is beside what was typed.
 */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  const stop = detail.stops.find((s) => s.id === event.params.stopId);
  // Gone: 404, except right after a refused save (the page then offers to add it again, input kept).
  if (!stop && event.request.method !== 'POST') error(404, 'Not found');
  const locale = event.locals.locale;
  return {
    place: { slug: detail.slug, name: detail.name },
    stopsVersion: detail.stopsVersion,
    stop: stop
      ? {
          id: stop.id,
          name: stop.name,
          addressLine: stop.addressLine,
          postalCode: stop.postalCode,
          city: stop.city,
          lat: stop.lat,
          lng: stop.lng,
          openingHours: stop.openingHours,
          validFrom: stop.validFrom,
          validTo: stop.validTo,
          address: [stop.addressLine, [stop.postalCode, stop.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
          dates: stopDatesText(stop, locale)
        }
      : null
  };
};

/** The refusal of a change to a stop someone else removed meanwhile (a 404 only when nothing changed). */
function removedMeanwhile(version: number, current: number): AppError {
  if (version === current) error(404, 'Not found');
  return new AppError('conflict', 'This stop was removed meanwhile', { current: { version: current } });
}

export const actions: Actions = {
  /** Saves the stop's form (the others are unchanged) on the version read; answers its hours' corrections. */
  save: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const version = stopsVersionOf(data);
    const change = changeStops(storedStops(detail.stops), { kind: 'replace', id: event.params.stopId, stop: stopInput(data) });
    if (!change) return failForm(removedMeanwhile(version, detail.stopsVersion), data, 'stop');
    try {
      const result = await services.directory.setStops(actor, detail.id, { version, stops: change.stops });
      const prefix = `stops.${change.index}.`;
      return { done: 'saved' as const, warnings: warningTexts(event.locals.locale, result.warnings.filter((w) => w.field.startsWith(prefix))) };
    } catch (err) {
      return failForm(err, data, 'stop', (path) => stopFieldPath(path, change.index));
    }
  },

  /** Deletes the stop and goes back to the place's editing page. */
  delete: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const version = stopsVersionOf(data);
    const change = changeStops(storedStops(detail.stops), { kind: 'remove', id: event.params.stopId });
    if (!change) redirect(303, `/lieux/${encodeURIComponent(detail.slug)}/modifier?arret-supprime#stops-title`); // already gone
    try {
      await services.directory.setStops(actor, detail.id, { version, stops: change.stops });
    } catch (err) {
      return failForm(err, data, 'delete');
    }
    redirect(303, `/lieux/${encodeURIComponent(detail.slug)}/modifier?arret-supprime#stops-title`);
  }
};
