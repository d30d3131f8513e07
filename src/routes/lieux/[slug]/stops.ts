import type { Locale } from '../../../lib/i18n/locale';
import { translate } from '../../../lib/i18n/all';
import { formatDate } from '../../../lib/web/euros';

/**
 * The validity of a mobile stop as a sentence ("Du 1 juillet 2027 au 31 août 2027", "À partir du …",
 * "Jusqu’au …"), or null when it runs all year. Shared by the public page and the editing pages.
 */
export function stopDatesText(stop: { validFrom: string | null; validTo: string | null }, locale: Locale): string | null {
  const from = stop.validFrom ? formatDate(stop.validFrom, locale) : null;
  const to = stop.validTo ? formatDate(stop.validTo, locale) : null;
  if (from && to) return translate(locale, 'place.stopFromTo', { from, to });
  if (from) return translate(locale, 'place.stopFrom', { from });
  if (to) return translate(locale, 'place.stopTo', { to });
  return null;
}
