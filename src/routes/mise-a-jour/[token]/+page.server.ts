import { error } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * The emailed update link (no password, no session): the organisation's places with their key data,
 * "Rien n'a changé" and a small hours + saturation form per place. Unknown link → 404, expired → 410,
 * too many guesses → 429 (the page's +error.svelte explains each).
 */

function clientOf(event: Pick<RequestEvent, 'getClientAddress'>): string {
  try {
    return event.getClientAddress();
  } catch {
    return 'unknown';
  }
}

function statusOf(code: string): 404 | 410 | 429 | undefined {
  return code === 'not_found' ? 404 : code === 'gone' ? 410 : code === 'rate_limited' ? 429 : undefined;
}

export const load: PageServerLoad = async (event) => {
  try {
    const preview = await servicesOf(event).freshness.previewLink(event.params.token, clientOf(event));
    return { preview };
  } catch (err) {
    const status = isAppErrorLike(err) ? statusOf(err.code) : undefined;
    if (status) error(status, 'Update link unavailable');
    throw err;
  }
};

/** A text field of the form, or '' when absent. */
function text(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

export const actions: Actions = {
  /** "Rien n'a changé" for one place. */
  verify: async (event) => {
    const data = await event.request.formData();
    const placeId = text(data, 'placeId');
    try {
      const place = await servicesOf(event).freshness.verifyPlaceByLink(event.params.token, placeId, clientOf(event));
      return { done: 'verified' as const, placeId, placeName: place.name };
    } catch (err) {
      return failWith(err, data, { form: placeId });
    }
  },
  /** New hours and saturation for one place (validated by the service: 400 naming openingHours). */
  hours: async (event) => {
    const data = await event.request.formData();
    const placeId = text(data, 'placeId');
    const saturation = text(data, 'saturation');
    try {
      const result = await servicesOf(event).freshness.updateHoursByLink(
        event.params.token,
        placeId,
        { openingHours: text(data, 'openingHours') || null, saturation: saturation === '' ? null : saturation },
        clientOf(event)
      );
      return { done: 'saved' as const, placeId, placeName: result.place.name };
    } catch (err) {
      return failWith(err, data, { form: placeId });
    }
  }
};
