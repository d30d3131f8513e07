import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { HTTP_STATUS } from '$lib/server/http/errors';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { throwAsPageError } from '$lib/web/forms.server';
import { AGENT_RADII_KM, ORGANISATION_RESERVATIONS_MAX_LIMIT } from '$lib/schemas/reservations';
import { chosenRadius } from '$lib/server/modules/marketplace/feed.rules';
import { reservationRow, reserveFromForm } from '$lib/web/reserve.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/dons-partenaires`: for members of a partner association (association or
 * CCAS; 403 otherwise), the offers addressed to partners (audience `partners`, or `partners-first`
 * before they open to people) near the organisation, nearest first within `?rayon=` km (20 by default); reserve for the association and get the pickup
 * code. Its current reservations, made by any of its members, are listed with their codes and the
 * first name of the member who reserved. Works without JavaScript.
 */

/** The default distance around the organisation; `?rayon=` widens or narrows it (AGENT_RADII_KM). */
const DEFAULT_RADIUS_KM = 20;

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const id = event.params.id;
  let organisation;
  let feed;
  let current;
  const radiusKm = chosenRadius(event.url.searchParams.get('rayon'), DEFAULT_RADIUS_KM);
  try {
    organisation = await services.organisations.getOrganisation(actor, id);
    const a = organisation.address;
    const centre = a?.lat != null && a.lng != null ? { lat: a.lat, lng: a.lng } : await services.feed.defaultCentre();
    // No centre means no live offer anywhere: the call still checks who may see this page.
    const at = centre ?? { lat: 0, lng: 0 };
    feed = await services.feed.partnerFeed(actor, id, { lat: String(at.lat), lng: String(at.lng), radiusKm: String(radiusKm), limit: '30' });
    // Every member's reservations still to pick up, not only the signed-in member's: the same call
    // and rule as GET /api/v1/organisations/{orgId}/reservations?status=active.
    current = await services.reservations.listForOrganisation(actor, id, { status: 'active', limit: ORGANISATION_RESERVATIONS_MAX_LIMIT });
  } catch (err) {
    throwAsPageError(err);
  }
  return {
    organisation: { id, name: organisation.name },
    radius: { km: radiusKm, choices: AGENT_RADII_KM, isDefault: radiusKm === DEFAULT_RADIUS_KM },
    offers: feed.items.map((o) => ({
      id: o.id,
      title: o.title,
      organisationName: o.organisationName,
      remaining: o.remaining,
      distanceKm: o.distanceKm,
      startsAt: o.pickupStartsAt,
      endsAt: o.pickupEndsAt,
      address: [o.addressLine, o.postalCode, o.city].filter(Boolean).join(', '),
      audience: o.audience,
      dateKind: o.dateKind,
      dateOn: o.dateOn,
      photo: o.photo
    })),
    reservations: current.items.map((r) => ({ ...reservationRow(r), reservedBy: r.reservedBy.firstName, isMine: r.reservedBy.isMe })),
    /** More current reservations than the page lists (it shows the newest ORGANISATION_RESERVATIONS_MAX_LIMIT). */
    reservationsTotal: current.total,
    idempotencyKey: randomUUID()
  };
};

export const actions: Actions = {
  reserve: async (event) => {
    const result = await reserveFromForm(servicesOf(event), actorOf(event), await event.request.formData(), { organisationId: event.params.id });
    if ('refusal' in result) {
      const { code, remaining } = result.refusal;
      return fail(HTTP_STATUS[code], { form: 'reserve', code, remaining });
    }
    return { done: 'reserved' as const, code: result.reservation.code, title: result.reservation.offerTitle };
  }
};
