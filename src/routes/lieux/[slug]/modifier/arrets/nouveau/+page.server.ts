import { error } from '@sveltejs/kit';
import { failForm, loadEditable, warningTexts } from '../../edit.server';
import { changeStops, stopFieldPath, stopInput, stopsVersionOf, storedStops } from '../../form-input';
import { stopDatesText } from '../../../stops';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/modifier/arrets/nouveau`: adds a stop at the end of a mobile place's round (owners, managers, admins).
 * The form carries the version of the stop list it was read at: if someone changed the list since,
 * the stop is not added (409) and the page shows the list as it now is, with what was typed kept.
 */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  const locale = event.locals.locale;
  return {
    place: { slug: detail.slug, name: detail.name },
    stopsVersion: detail.stopsVersion,
    stop: { name: '', addressLine: null, postalCode: null, city: null, lat: null, lng: null, openingHours: null, validFrom: null, validTo: null },
    /** The current stops (shown after a refused save). */
    stops: detail.stops.map((s) => ({ id: s.id, name: s.name, dates: stopDatesText(s, locale) }))
  };
};

export const actions: Actions = {
  /** Adds the stop (the whole list is saved with it, other stops unchanged); answers it and its hours' corrections. */
  create: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const change = changeStops(storedStops(detail.stops), { kind: 'add', stop: stopInput(data) })!;
    try {
      const result = await services.directory.setStops(actor, detail.id, { version: stopsVersionOf(data), stops: change.stops });
      const saved = result.stops[change.index]!;
      const prefix = `stops.${change.index}.`;
      return {
        done: 'created' as const,
        stopId: saved.id,
        name: saved.name,
        warnings: warningTexts(event.locals.locale, result.warnings.filter((w) => w.field.startsWith(prefix)))
      };
    } catch (err) {
      return failForm(err, data, 'stop', (path) => stopFieldPath(path, change.index));
    }
  }
};
