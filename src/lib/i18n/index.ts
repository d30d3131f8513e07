import { page } from '$app/state';
import type { MessageKey } from './fr';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locale';
import { hasMessage, translate, type Params } from './translate';

export type { MessageKey } from './fr';
export * from './locale';
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

/** Formats an ISO date-time in the page's language, in Europe/Paris (the territory's time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLocale() === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Paris'
  }).format(date);
}
