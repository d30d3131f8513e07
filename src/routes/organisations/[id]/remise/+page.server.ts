import { error } from '@sveltejs/kit';
import { actorOf, requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * The donor's handover screen (remise): type or scan a pickup code (or an accompanied person's card code),
 * see the first name, quantity and offer, confirm a full or partial pickup; today's reservations below.
 * Works without JavaScript (form actions); the camera scanner is a progressive enhancement.
 */

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  try {
    return await services.pickup.handoverBoard(actor, event.params.id);
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};

function text(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
}

export const actions: Actions = {
  /** Finds the reservations a typed or scanned code opens. */
  lookup: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const found = await services.pickup.lookup(actorOf(event), event.params.id, { code: text(data, 'code') }, {
        ip: requestContext(event).ip
      });
      return { form: 'lookup', found };
    } catch (err) {
      return failWith(err, data, { form: 'lookup' });
    }
  },

  /** Confirms a pickup: `mode=full` hands over everything reserved, `mode=part` the quantity typed. */
  collect: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    const reservationId = text(data, 'reservationId');
    const full = text(data, 'mode') === 'full';
    const typed = full ? text(data, 'reserved') : text(data, 'quantity');
    const quantity = /^\d{1,5}$/.test(typed.trim()) ? Number(typed.trim()) : typed;
    try {
      const collected = await services.pickup.collect(actorOf(event), reservationId, { quantity });
      return { form: 'collect', collected };
    } catch (err) {
      return failWith(err, data, { form: 'collect' });
    }
  }
};
