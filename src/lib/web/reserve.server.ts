import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../server/errors';
import type { ReservationView } from '../server/modules/marketplace/reservations.service';
import type { Services } from '../server/services';
import type { PageActor } from './auth.server';
import { isAppErrorLike, stringField } from './forms.server';

/**
 * The reserve form of the agent pages (/organisations/[id]/dons-partenaires for a partner
 * association, /organisations/[id]/personnes/[userId]/dons for an accompanied person): offerId,
 * quantity and the idempotency key drawn at load, so a double submission is harmless.
 */

/** What a page needs to word a refusal: the code and the details the reservations service gives. */
export interface ReserveRefusal {
  code: ErrorCode;
  remaining: number | null;
  limit: string | null;
  max: number | null;
  reason: string | null;
}

/** A reservation still to pick up (the rule lives with the reservations' rules). */
export { isActiveReservation } from '../server/modules/marketplace/reservations.rules';

/** A reservation as the agent pages list it: title, status, units, code, window and address. */
export function reservationRow(
  r: Pick<ReservationView, 'id' | 'offerTitle' | 'status' | 'quantity' | 'code' | 'pickupStartsAt' | 'pickupEndsAt' | 'addressLine' | 'postalCode' | 'city'>
) {
  return {
    id: r.id,
    title: r.offerTitle,
    status: r.status,
    quantity: r.quantity,
    code: r.code,
    startsAt: r.pickupStartsAt,
    endsAt: r.pickupEndsAt,
    address: [r.addressLine, r.postalCode, r.city].filter(Boolean).join(', ')
  };
}

/** The form's key, kept short enough that `offerId:key` stays within the service's 200 characters. */
const KEY_LENGTH = 150;

/** Reserves from the posted form for `target`; an AppError comes back as a refusal, anything else is thrown. */
export async function reserveFromForm(
  services: Pick<Services, 'reservations'>,
  actor: PageActor,
  data: FormData,
  target: { organisationId: string } | { forUserId: string }
): Promise<{ offerId: string; reservation: ReservationView } | { offerId: string; refusal: ReserveRefusal }> {
  const offerId = stringField(data, 'offerId');
  const quantity = Number(stringField(data, 'quantity'));
  const key = stringField(data, 'idempotencyKey').slice(0, KEY_LENGTH) || randomUUID();
  try {
    const { reservation } = await services.reservations.reserve(actor, offerId, { quantity: Number.isFinite(quantity) ? quantity : 0, ...target }, `${offerId}:${key}`);
    return { offerId, reservation };
  } catch (err) {
    if (!isAppErrorLike(err)) throw err;
    const d = err.details ?? {};
    return {
      offerId,
      refusal: {
        code: err.code,
        remaining: typeof d.remaining === 'number' ? d.remaining : null,
        limit: typeof d.limit === 'string' ? d.limit : null,
        max: typeof d.max === 'number' ? d.max : null,
        reason: typeof d.reason === 'string' ? d.reason : null
      }
    };
  }
}
