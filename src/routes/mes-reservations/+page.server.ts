import { fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { isActiveReservation } from '$lib/web/reserve.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/mes-reservations`: the person's reservations; each confirmed one shows its pickup code in large
 * letters and as a QR code (a PNG data URL made here: no script, works offline once loaded), with a
 * cancel button while the window has not started; each no-show says why (nobody came before the end of
 * the window and its grace) and what it costs (lowered limits now, or after how many more).
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const { items, limits } = await services.reservations.listMine(actor);
  const now = services.now().getTime();
  const withQr = await Promise.all(
    items.map(async (r) => ({
      ...r,
      qr: r.code ? await QRCode.toDataURL(r.code, { margin: 2, width: 240, errorCorrectionLevel: 'M' }) : null
    }))
  );
  const noShowRules = await services.reservations.noShowRules();
  return {
    current: withQr.filter((r) => isActiveReservation(r, now)),
    past: withQr.filter((r) => !isActiveReservation(r, now)),
    limits,
    noShowRules,
    // Within the window the territory counts no-shows over (its setting), as the penalty does.
    hasRecentNoShow: items.some((r) => r.status === 'no_show' && now - Date.parse(r.pickupEndsAt) < noShowRules.windowDays * 86_400_000),
    justReserved: event.url.searchParams.get('reservee')
  };
};

export const actions: Actions = {
  cancel: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      await services.reservations.cancel(actor, String(data.get('reservationId') ?? ''));
    } catch (err) {
      if (isAppErrorLike(err)) return fail(409, { cancelFailed: true });
      throw err;
    }
    return { cancelled: true };
  }
};
