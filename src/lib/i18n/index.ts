import { page } from '$app/state';
import type { MessageKey } from './fr';
import { formatCalendarDate, formatParis } from './dates';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locale';
import { hasMessage, translate, type Params } from './translate';

export type { MessageKey } from './fr';
export * from './locale';
export { formatCalendarDate, formatParis, localeTag, PARIS_TIME_ZONE, type ParisFormat } from './dates';
export { hasMessage, translate, type Params } from './translate';

/** The locale of the page being rendered (set by the root layout from hooks.server.ts). */
export function currentLocale(): Locale {
  const locale: unknown = page.data?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/**
 * Translates `key` into the current page's language. Call it while a component renders (template
 * or script): on the server it reads the request's page state, so no locale leaks between users.
 */
export function t(key: MessageKey, params?: Params): string {
  return translate(currentLocale(), key, params);
}

/** Translates a key built at run time (an error code from a service), or `fallback` if unknown. */
export function tDynamic(key: string, fallback: MessageKey, params?: Params): string {
  return t(hasMessage(key) ? key : fallback, params);
}

/** Formats an ISO date-time in the page's language, in Europe/Paris (the territory's time): "29 nov. 2026, 19:00". */
export function formatDateTime(iso: string | null | undefined): string {
  return formatParis(currentLocale(), 'dateTime', iso);
}

/** "dimanche 29 novembre" in the page's language, in Europe/Paris. */
export function formatDay(iso: string): string {
  return formatParis(currentLocale(), 'day', iso);
}

/** "29 novembre" in the page's language, in Europe/Paris. */
export function formatDayMonth(iso: string): string {
  return formatParis(currentLocale(), 'dayMonth', iso);
}

/** "dimanche 29 novembre à 19:00" in the page's language, in Europe/Paris. */
export function formatDayTime(iso: string): string {
  return formatParis(currentLocale(), 'dayTime', iso);
}

/** "29/11/2026" in the page's language, in Europe/Paris. */
export function formatShortDate(iso: string): string {
  return formatParis(currentLocale(), 'shortDate', iso);
}

/** "19:00" in Europe/Paris. */
export function formatTime(iso: string): string {
  return formatParis(currentLocale(), 'time', iso);
}

/** A calendar date (`YYYY-MM-DD`) in the page's language: "29 novembre 2026". */
export function formatCalendarDay(date: string | null | undefined): string {
  return formatCalendarDate(currentLocale(), date);
}
