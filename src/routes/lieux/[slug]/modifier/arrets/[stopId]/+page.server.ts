import { error, redirect } from '@sveltejs/kit';
import { failForm, loadEditable, warningTexts } from '../../edit.server';
import { changeStops, stopFieldPath, stopInput, storedStops } from '../../form-input';
import type { Actions, PageServerLoad } from './$types';

/** `/lieux/{slug}/modifier/arrets/{id}`: edits or deletes one stop of a mobile place (owners, managers, admins). */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  const stop = detail.stops.find((s) => s.id === event.params.stopId);
  if (!stop) error(404, 'Not found');
  return {
    place: { slug: detail.slug, name: detail.name },
    stop: {
      id: stop.id,
      name: stop.name,
      addressLine: stop.addressLine,
      postalCode: stop.postalCode,
      city: stop.city,
      lat: stop.lat,
      lng: stop.lng,
      openingHours: stop.openingHours
    }
  };
};

export const actions: Actions = {
  /** Saves the stop's form (the others are unchanged); answers its hours' corrections. */
  save: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const change = changeStops(storedStops(detail.stops), { kind: 'replace', id: event.params.stopId, stop: stopInput(data) });
    if (!change) error(404, 'Not found'); // removed meanwhile by someone else
    try {
      const result = await services.directory.setStops(actor, detail.id, { stops: change.stops });
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
    const change = changeStops(storedStops(detail.stops), { kind: 'remove', id: event.params.stopId });
    if (!change) error(404, 'Not found');
    try {
      await services.directory.setStops(actor, detail.id, { stops: change.stops });
    } catch (err) {
      return failForm(err, data, 'delete');
    }
    redirect(303, `/lieux/${encodeURIComponent(detail.slug)}/modifier?arret-supprime#stops-title`);
  }
};
