import { isLocale, type Locale } from '../../../i18n/locale.js';
import { translate } from '../../../i18n/translate.js';

/**
 * The marketplace's notification texts, in the person's language (catalogue keys `notify.*`, fr/en),
 * for `enqueueNotification(trx, at, { userId, kind, ...messageFor(kind, user.locale, params), link })`.
 * Times are shown in Europe/Paris. No one else's personal data: the place is the donor's public name.
 */

export type MarketplaceMessageKind =
  | 'reservation.confirmed'
  | 'reservation.promoted'
  | 'reservation.reminder'
  | 'offer.cancelled'
  | 'offer.new';

export interface MessageParams {
  /** The offer's title. */
  offerTitle: string;
  /** The donor's public name (organisation) or the pickup city. */
  placeName: string;
  /** The pickup window, ISO date-times. */
  pickupStartsAt: string;
  pickupEndsAt: string;
  /** Units or portions reserved (confirmed, promoted). */
  quantity?: number;
  /** The donor's reason (offer cancelled), shown after the body when given. */
  reason?: string | null;
  /** Distance from the saved area's centre (new offer). */
  distanceKm?: number;
}

export interface MessageText {
  title: string;
  body: string;
}

function localeOf(locale: string | null | undefined): Locale {
  return isLocale(locale) ? locale : 'fr';
}

/** "sam. 29 nov., 19:00" / "Sat 29 Nov, 19:00" in Europe/Paris. */
export function formatWhen(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Paris'
  }).format(new Date(iso));
}

/** "19:30" in Europe/Paris. */
export function formatTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Paris'
  }).format(new Date(iso));
}

/** The title and body of a marketplace notification in `locale` (fr when unknown). */
export function messageFor(kind: MarketplaceMessageKind, locale: string | null | undefined, params: MessageParams): MessageText {
  const l = localeOf(locale);
  const common = {
    offer: params.offerTitle,
    place: params.placeName,
    start: formatWhen(l, params.pickupStartsAt),
    end: formatTime(l, params.pickupEndsAt),
    quantity: translate(l, 'notify.quantity', { count: params.quantity ?? 1 }),
    distance: new Intl.NumberFormat(l === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(params.distanceKm ?? 0)
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
    case 'reservation.reminder':
      return {
        title: translate(l, 'notify.reservationReminder.title', common),
        body: translate(l, 'notify.reservationReminder.body', common)
      };
    case 'offer.cancelled': {
      const body = translate(l, 'notify.offerCancelled.body', common);
      const reason = params.reason?.trim();
      return {
        title: translate(l, 'notify.offerCancelled.title', common),
        body: reason ? `${body} ${translate(l, 'notify.offerCancelled.reason', { reason })}` : body
      };
    }
    case 'offer.new':
      return { title: translate(l, 'notify.offerNew.title', common), body: translate(l, 'notify.offerNew.body', common) };
  }
}
