import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
import { HTTP_STATUS } from '$lib/server/http/errors';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike, stringField } from '$lib/web/forms.server';
import { AGENT_RADII_KM } from '$lib/schemas/reservations';
import { chosenRadius } from '$lib/server/modules/marketplace/feed.rules';
import { isActiveReservation, reservationRow, reserveFromForm } from '$lib/web/reserve.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/personnes/{userId}/dons`: an agent reserves a donation for an accompanied
 * person (people without phone or email): the offers near the organisation (nearest first within
 * `?rayon=` km, 10 by default), reserve, then show or
 * print the code for the person. The person's reservations (with codes) are listed; reading them,
 * reserving and cancelling are acts for the person, each audited by the services. 404 for anyone
 * who may not act for the person (no existence leak). Works without JavaScript.
 */

/** The default distance around the organisation; `?rayon=` widens or narrows it (AGENT_RADII_KM). */
const DEFAULT_RADIUS_KM = 10;

function notFoundOn(err: unknown): never {
  if (isAppErrorLike(err) && (err.code === 'not_found' || err.code === 'forbidden')) error(404, 'Not found');
  throw err;
}

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const { id, userId } = event.params;
  let person;
  try {
    person = await services.people.getPerson(actor, userId);
  } catch (err) {
    notFoundOn(err);
  }
  if (person.accompaniment.organisationId !== id) error(404, 'Not found');
  const organisation = await services.organisations.getOrganisation(actor, id);
  const centre = organisation.address?.lat != null && organisation.address.lng != null ? organisation.address : null;
  const radiusKm = chosenRadius(event.url.searchParams.get('rayon'), DEFAULT_RADIUS_KM);
  const feed = centre
    ? await services.feed.feedForPerson(actor, userId, { lat: String(centre.lat), lng: String(centre.lng), radiusKm: String(radiusKm), limit: '30' })
    : null;
  const reservations = await services.reservations.listForPerson(actor, userId, { organisationId: id });
  const now = services.now().getTime();
  return {
    organisation: { id, name: organisation.name },
    person: { userId: person.userId, firstName: person.firstName },
    hasCentre: centre !== null,
    radius: { km: radiusKm, choices: AGENT_RADII_KM, isDefault: radiusKm === DEFAULT_RADIUS_KM },
    eligible: feed?.eligible ?? false,
    offers: (feed?.items ?? []).map((o) => ({
      id: o.id,
      title: o.title,
      organisationName: o.organisationName,
      remaining: o.remaining,
      unit: o.unit,
      distanceKm: o.distanceKm,
      startsAt: o.pickupStartsAt,
      endsAt: o.pickupEndsAt,
      address: [o.addressLine, o.postalCode, o.city].filter(Boolean).join(', '),
      allergens: o.allergens,
      photo: o.photo
    })),
    reservations: reservations.filter((r) => isActiveReservation(r, now)).map((r) => ({ ...reservationRow(r), canCancel: r.canCancel })),
    idempotencyKey: randomUUID()
  };
};

export const actions: Actions = {
  /** Reserves one offer for the person (the key drawn at load makes a double submission harmless). */
  reserve: async (event) => {
    const result = await reserveFromForm(servicesOf(event), actorOf(event), await event.request.formData(), { forUserId: event.params.userId });
    if ('refusal' in result) return fail(HTTP_STATUS[result.refusal.code], { form: 'reserve', offerId: result.offerId, ...result.refusal });
    const { reservation } = result;
    return { done: 'reserved' as const, reservationId: reservation.id, code: reservation.code, title: reservation.offerTitle, status: reservation.status };
  },

  cancel: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).reservations.cancel(actor, stringField(data, 'reservationId') ?? '');
    } catch (err) {
      if (!isAppErrorLike(err)) throw err;
      return fail(HTTP_STATUS[err.code], { form: 'cancel', code: err.code });
    }
    return { done: 'cancelled' as const };
  }
};
