import { formatCalendarDate } from '../i18n/dates';
import { parseEurosToCents } from '../schemas/eligibility-vocabulary';

/**
 * Amounts of money as people type them back into forms, and dates of validity as people read them;
 * amounts are stored and computed in integer cents (formatCents in eligibility-vocabulary writes them).
 * Page-safe (no zod, no server).
 */

/**
 * Cents from what was typed ("1 234,56", "650", "650.5 €"); null when empty; undefined when it is
 * not an amount (the form then reports the field).
 */
export function parseEuros(text: string | null | undefined): number | null | undefined {
  const typed = (text ?? '').trim();
  if (typed === '' || typed === '€') return null;
  return parseEurosToCents(typed) ?? undefined;
}

/** Cents as a form value to edit again ("650,00" in French, "650.00" in English); '' for null. */
export function eurosInput(cents: number | null | undefined, locale: string): string {
  if (cents === null || cents === undefined) return '';
  const text = (cents / 100).toFixed(2);
  return locale === 'en' ? text : text.replace('.', ',');
}

/** A date (YYYY-MM-DD) in the page's language, without time ("29 nov. 2026"). */
export function formatDate(date: string | null | undefined, locale: string): string {
  return formatCalendarDate(locale === 'en' ? 'en' : 'fr', date);
}

/**
 * A date typed in a form as the browser's date picker sends it (YYYY-MM-DD) or, where there is no
 * picker, as people write it in France (jj/mm/aaaa, also with - or .); anything else is returned
 * as typed so the service names the field.
 */
export function parseDateInput(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const typed = text.trim();
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(typed);
  if (!fr) return typed;
  const [, d, m, y] = fr;
  return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
}
