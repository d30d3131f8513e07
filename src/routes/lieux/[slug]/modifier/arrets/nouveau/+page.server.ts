import { error } from '@sveltejs/kit';
import { failForm, loadEditable, warningTexts } from '../../edit.server';
import { changeStops, stopFieldPath, stopInput, storedStops } from '../../form-input';
import type { Actions, PageServerLoad } from './$types';

/** `/lieux/{slug}/modifier/arrets/nouveau`: adds a stop at the end of a mobile place's round (owners, managers, admins). */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  return {
    place: { slug: detail.slug, name: detail.name },
    stop: { name: '', addressLine: null, postalCode: null, city: null, lat: null, lng: null, openingHours: null }
  };
};

export const actions: Actions = {
  /** Adds the stop (the whole list is saved with it, other stops unchanged); answers it and its hours' corrections. */
  create: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const change = changeStops(storedStops(detail.stops), { kind: 'add', stop: stopInput(data) })!;
    try {
      const result = await services.directory.setStops(actor, detail.id, { stops: change.stops });
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
