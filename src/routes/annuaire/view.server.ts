import type { PlaceCardView } from '../../lib/components/PlaceCard.svelte';
import type { SearchFilterValues } from '../../lib/components/SearchFilters.svelte';
import { formatCalendarDate } from '../../lib/i18n/dates';
import type { Locale } from '../../lib/i18n/locale';
import { translate } from '../../lib/i18n/all';
import { describeOpening, type OpeningState } from '../../lib/server/modules/directory/hours.rules';
import type { SearchResult } from '../../lib/server/modules/directory/search.service';

/**
 * Shaping of the directory's public pages (server side): the URL's filters, the cards of the
 * results with their opening sentence in the visitor's language. The opening_hours library stays
 * on the server; pages receive sentences and tables. Relative imports: unit-tested without SvelteKit.
 */

/** Longest text kept from a URL value (the search itself refuses longer `q`). */
const MAX_TEXT = 200;

export const one = (params: URLSearchParams, name: string) => (params.get(name) ?? '').trim().slice(0, MAX_TEXT);
const many = (params: URLSearchParams, name: string) =>
  [...new Set(params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))].slice(0, 30);
const flag = (params: URLSearchParams, name: string) => ['1', 'true', 'on'].includes((params.get(name) ?? '').toLowerCase());

/** The search form's values, read from the French query string of `/annuaire`. */
export function readFilters(params: URLSearchParams): SearchFilterValues {
  return {
    q: one(params, 'q'),
    adresse: one(params, 'adresse'),
    lieu: one(params, 'lieu'),
    lat: one(params, 'lat'),
    lng: one(params, 'lng'),
    commune: one(params, 'commune'),
    categories: many(params, 'categories'),
    publics: many(params, 'publics'),
    modalites: many(params, 'modalites'),
    langue: one(params, 'langue'),
    ouvert: flag(params, 'ouvert'),
    accessible: flag(params, 'accessible')
  };
}

/** The page's query string for the same search (the point resolved, no page number): pagination links. */
export function queryOf(f: SearchFilterValues): string {
  const out = new URLSearchParams();
  if (f.q) out.set('q', f.q);
  if (f.lat && f.lng) {
    out.set('lat', f.lat);
    out.set('lng', f.lng);
    if (f.lieu) out.set('lieu', f.lieu);
  } else if (f.adresse) out.set('adresse', f.adresse);
  else if (f.commune) out.set('commune', f.commune);
  for (const v of f.categories) out.append('categories', v);
  for (const v of f.publics) out.append('publics', v);
  for (const v of f.modalites) out.append('modalites', v);
  if (f.langue) out.set('langue', f.langue);
  if (f.ouvert) out.set('ouvert', '1');
  if (f.accessible) out.set('accessible', '1');
  return out.toString();
}

/** `12 mars` (`1er mars`) / `12 March` for a Paris `YYYY-MM-DD`. */
export function dayText(dateKey: string, locale: Locale): string {
  const [y, m, d] = dateKey.split('-').map(Number);
  if (!y || !m || !d) return dateKey;
  const text = formatCalendarDate(locale, dateKey, 'dayMonth');
  return locale === 'fr' && d === 1 ? text.replace(/^1 /, '1er ') : text;
}

/** A search result as the card shows it: opening sentence and notice already in the visitor's language. */
export function toCard(r: SearchResult, locale: Locale, now: Date): PlaceCardView {
  const next = r.nextChange ? new Date(r.nextChange) : null;
  const state: OpeningState = {
    isOpen: r.openNow === true,
    unknown: r.openNow === null,
    nextChange: next,
    closesAt: r.openNow === true ? next : null,
    opensAt: r.openNow === false ? next : null,
    notice: r.notice ? { kind: r.notice.kind, startsOn: r.notice.startsOn, endsOn: r.notice.endsOn, message: r.notice.message ?? undefined } : null
  };
  const known = r.openNow !== null || r.notice?.kind === 'closure';
  let notice: string | null = null;
  if (r.notice) {
    const dates = { from: dayText(r.notice.startsOn, locale), to: dayText(r.notice.endsOn, locale) };
    notice =
      r.notice.message ??
      (r.notice.kind === 'closure'
        ? translate(locale, 'place.notice.closure', dates)
        : translate(locale, 'place.notice.hoursShort', dates));
  }
  return {
    id: r.place.id,
    slug: r.place.slug,
    name: r.place.name,
    organisationName: r.place.organisation.name,
    addressLine: r.place.addressLine,
    postalCode: r.place.postalCode,
    city: r.place.city,
    lat: r.place.lat,
    lng: r.place.lng,
    distanceKm: r.distanceKm,
    openNow: r.openNow,
    openingText: known ? describeOpening(state, locale, now) : null,
    notice,
    categories: [...new Set(r.services.flatMap((s) => s.categories))],
    serviceNames: r.services.map((s) => s.name),
    isAccessible: r.place.isAccessible,
    isStale: r.place.isStale
  };
}

/** A language's name in the visitor's language (`ar` → `Arabe`), French Sign Language from the catalogue. */
export function languageName(code: string, locale: Locale): string {
  if (code === 'lsf') return translate(locale, 'vocab.language.lsf');
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  } catch {
    return code;
  }
}

/** A link target from partner data, only when it is a web address (never `javascript:`). */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** `tel:` target for a French or international number as typed (`03 20 00 00 00` → `tel:+33320000000`). */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d+]/g, '');
  if (!/^\+?\d{4,15}$/.test(digits)) return null;
  return `tel:${/^0\d{9}$/.test(digits) ? `+33${digits.slice(1)}` : digits}`;
}

/** A French number as people read it (`0320000000` → `03 20 00 00 00`); anything else as given. */
export function phoneText(phone: string): string {
  const digits = phone.replace(/[\s.-]/g, '');
  return /^0\d{9}$/.test(digits) ? digits.replace(/(\d{2})(?=\d)/g, '$1 ') : phone.trim();
}
