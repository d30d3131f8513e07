import type { Locale } from './locale';

/**
 * The one set of date/time formats shown to people, always in the territory's time (Europe/Paris)
 * whatever the server's or the browser's zone. Pure (a locale in, text out) so server code
 * (notification texts, page loads) and pages (through `$lib/i18n`, with the page's locale) share it.
 */

/** The territory's time zone. */
export const PARIS_TIME_ZONE = 'Europe/Paris';

const FORMATS = {
  /** "29 nov. 2026, 19:00" / "29 Nov 2026, 19:00" */
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  /** "dimanche 29 novembre" / "Sunday 29 November" */
  day: { weekday: 'long', day: 'numeric', month: 'long' },
  /** "29 novembre" / "29 November" */
  dayMonth: { day: 'numeric', month: 'long' },
  /** "dimanche 29 novembre à 19:00" / "Sunday 29 November at 19:00" */
  dayTime: { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' },
  /** "29 novembre 2026" / "29 November 2026" */
  longDate: { day: 'numeric', month: 'long', year: 'numeric' },
  /** "29/11/2026" / "29/11/2026" */
  shortDate: { dateStyle: 'short' },
  /** "19:00" */
  time: { hour: '2-digit', minute: '2-digit' },
  /** "dimanche" / "Sunday" */
  weekday: { weekday: 'long' },
  /** "dim. 29 nov., 19:00" / "Sun 29 Nov, 19:00" */
  when: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export type ParisFormat = keyof typeof FORMATS;

/** The BCP 47 tag our locales format with (France's and Britain's conventions: day before month, 24 h). */
export function localeTag(locale: Locale): 'fr-FR' | 'en-GB' {
  return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

// Building an Intl.DateTimeFormat costs far more than using one: one per locale and format.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, format: ParisFormat): Intl.DateTimeFormat {
  const key = `${locale} ${format}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeTag(locale), { ...FORMATS[format], timeZone: PARIS_TIME_ZONE });
    cache.set(key, f);
  }
  return f;
}

/**
 * An instant (ISO date-time or Date) as `format` shows it in `locale`, in Europe/Paris. An empty value
 * gives ''; a text that is not a date is returned as it is (never a RangeError in a page).
 */
export function formatParis(locale: Locale, format: ParisFormat, at: string | Date | null | undefined): string {
  if (at === null || at === undefined || at === '') return '';
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return typeof at === 'string' ? at : '';
  return formatter(locale, format).format(date);
}

/**
 * A calendar date (`YYYY-MM-DD`, or the date part of an ISO date-time) as `format` shows it, by
 * default a long date: "29 mai 2027". Read at noon UTC, which is the same day in Paris all year.
 */
export function formatCalendarDate(
  locale: Locale,
  date: string | null | undefined,
  format: 'longDate' | 'dayMonth' | 'day' | 'shortDate' = 'longDate'
): string {
  if (!date) return '';
  const noon = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(noon.getTime())) return date;
  return formatParis(locale, format, noon);
}
