import { formatParis, localeTag } from '../../../i18n/dates.js';
import { isLocale, type Locale } from '../../../i18n/locale.js';
import { translate } from '../../../i18n/all.js';

/**
 * The one place for the marketplace's notification texts, in the person's language (catalogue keys
 * `notify.*`, fr/en), for `enqueueNotification(trx, at, { userId, kind, ...messageFor(kind, user.locale, params), link })`.
 * Used by offers, reservations, pickup (handover, no-shows) and alerts. Times are shown in Europe/Paris.
 * No one else's personal data: the place is the donor's public name (or the pickup city).
 */

export type MarketplaceMessageKind =
  | 'reservation.confirmed'
  | 'reservation.promoted'
  | 'reservation.allocated'
  | 'reservation.not_allocated'
  | 'reservation.reminder'
  | 'reservation.cancelled'
  | 'reservation.no_show'
  | 'offer.cancelled'
  | 'offer.new';

export interface MessageParams {
  /** The offer's title. */
  offerTitle: string;
  /** The donor's public name (organisation) or the pickup city; "the donor" when neither is known. */
  placeName: string | null;
  /** The pickup window, ISO date-times. */
  pickupStartsAt: string;
  pickupEndsAt: string;
  /** Units or portions reserved (confirmed, promoted, allocated). */
  quantity?: number;
  /** The donor's reason (offer or reservation cancelled), shown after the body when given. */
  reason?: string | null;
  /** Distance from the saved area's centre (new offer). */
  distanceKm?: number;
  /** No-show: the lowered limits now running, or null (then the person is advised to cancel next time). */
  penalty?: { until: string; maxActiveReservations: number } | null;
  /** No-show: the territory's rule quoted with the penalty. */
  noShowRule?: { threshold: number; windowDays: number };
}

export interface MessageText {
  title: string;
  body: string;
}

function localeOf(locale: string | null | undefined): Locale {
  return isLocale(locale) ? locale : 'fr';
}

/** The title and body of a marketplace notification in `locale` (fr when unknown). */
export function messageFor(kind: MarketplaceMessageKind, locale: string | null | undefined, params: MessageParams): MessageText {
  const l = localeOf(locale);
  const common = {
    offer: params.offerTitle,
    place: params.placeName?.trim() || translate(l, 'notify.someDonor'),
    start: formatParis(l, 'when', params.pickupStartsAt),
    end: formatParis(l, 'time', params.pickupEndsAt),
    quantity: translate(l, 'notify.quantity', { count: params.quantity ?? 1 }),
    distance: new Intl.NumberFormat(localeTag(l), { maximumFractionDigits: 1 }).format(params.distanceKm ?? 0)
  };
  const withReason = (body: string) => {
    const reason = params.reason?.trim();
    return reason ? `${body} ${translate(l, 'notify.reason', { reason })}` : body;
  };
  switch (kind) {
    case 'reservation.confirmed':
      return {
        title: translate(l, 'notify.reservationConfirmed.title', common),
        body: translate(l, 'notify.reservationConfirmed.body', common)
      };
    case 'reservation.promoted':
      return {
        title: translate(l, 'notify.reservationPromoted.title', common),
        body: translate(l, 'notify.reservationPromoted.body', common)
      };
    case 'reservation.allocated':
      return {
        title: translate(l, 'notify.reservationAllocated.title', common),
        body: translate(l, 'notify.reservationAllocated.body', common)
      };
    case 'reservation.not_allocated':
      return {
        title: translate(l, 'notify.reservationNotAllocated.title', common),
        body: translate(l, 'notify.reservationNotAllocated.body', common)
      };
    case 'reservation.reminder':
      return {
        title: translate(l, 'notify.reservationReminder.title', common),
        body: translate(l, 'notify.reservationReminder.body', common)
      };
    case 'reservation.cancelled':
      return {
        title: translate(l, 'notify.reservationCancelled.title', common),
        body: withReason(translate(l, 'notify.reservationCancelled.body', common))
      };
    case 'reservation.no_show': {
      const base = translate(l, 'notify.noShow.body', common);
      const { penalty, noShowRule } = params;
      const after =
        penalty && noShowRule
          ? translate(l, 'notify.noShow.penalty', {
              count: penalty.maxActiveReservations,
              threshold: noShowRule.threshold,
              days: noShowRule.windowDays,
              until: formatParis(l, 'longDate', penalty.until)
            })
          : translate(l, 'notify.noShow.advice');
      return { title: translate(l, 'notify.noShow.title', common), body: `${base} ${after}` };
    }
    case 'offer.cancelled':
      return {
        title: translate(l, 'notify.offerCancelled.title', common),
        body: withReason(translate(l, 'notify.offerCancelled.body', common))
      };
    case 'offer.new':
      return { title: translate(l, 'notify.offerNew.title', common), body: translate(l, 'notify.offerNew.body', common) };
  }
}
