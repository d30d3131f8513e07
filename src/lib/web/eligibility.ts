import type { MessageKey } from '../i18n/fr';
import { hasMessage, type Params } from '../i18n/translate';
import type { Locale } from '../i18n/locale';
import { COMMUNE_ELSEWHERE, formatCents, PROFILES } from '../schemas/eligibility-vocabulary';

/**
 * Page-side wording of eligibility: a reason of no (machine code + figures, from the rules) as a
 * sentence, a scheme's name and description in the page's language. Pure: the caller passes its
 * translate function (`t` in a component, `translate(locale, …)` in a test).
 */

type Translate = (key: MessageKey, params?: Params) => string;

/** A reason as the API and the service give it (see `Reason` in eligibility.rules.ts). */
export interface ReasonLike {
  code: string;
  value?: number;
  max?: number;
  missing?: string[];
  profile?: string;
  accepted?: string[];
  commune?: string;
  communes?: string[];
  field?: string;
}

/** A scheme as pages get it. */
export interface SchemeLike {
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
}

const isProfile = (v: string): v is (typeof PROFILES)[number] => (PROFILES as readonly string[]).includes(v);

function fieldName(field: string, tr: Translate): string {
  const key = `eligibility.field.${field}`;
  return hasMessage(key) ? tr(key) : field;
}

function list(items: string[], tr: Translate): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${tr('eligibility.and')}${items[items.length - 1]}`;
}

/**
 * The sentence for one reason, with its figures in euros. `communeName` names an INSEE code (the
 * territory's list); unknown codes show as typed.
 */
export function describeReason(
  reason: ReasonLike,
  tr: Translate,
  locale: Locale,
  communeName: (insee: string) => string | undefined = () => undefined
): string {
  const money = (cents: number | undefined) => formatCents(cents ?? 0, locale);
  const profiles = (codes: string[] = []) => list(codes.map((p) => (isProfile(p) ? tr(`eligibility.profile.${p}`) : p)), tr);
  const communes = (codes: string[] = []) => list(codes.map((c) => communeName(c) ?? c), tr);
  switch (reason.code) {
    case 'profile_not_accepted':
    case 'profile_unknown':
      return tr(`eligibility.reason.${reason.code}`, { accepted: profiles(reason.accepted) });
    case 'commune_not_covered':
    case 'commune_unknown':
      return tr(`eligibility.reason.${reason.code}`, { communes: communes(reason.communes) });
    case 'reste_a_vivre_over':
    case 'quotient_familial_over':
      return tr(`eligibility.reason.${reason.code}`, { value: money(reason.value), max: money(reason.max) });
    case 'reste_a_vivre_unknown':
    case 'quotient_familial_unknown':
      return tr(`eligibility.reason.${reason.code}`, {
        max: money(reason.max),
        missing: list((reason.missing ?? []).map((f) => fieldName(f, tr)), tr)
      });
    default:
      return tr('eligibility.reason.data_invalid', { field: fieldName(reason.field ?? '', tr) });
  }
}

/** A commune's name for a code, `other` included. */
export function communeNamer(communes: { insee: string; name: string }[], tr: Translate) {
  const names = new Map(communes.map((c) => [c.insee, c.name]));
  return (insee: string) => (insee === COMMUNE_ELSEWHERE ? tr('eligibility.communeElsewhere') : names.get(insee));
}

/** A scheme's name in the page's language (the English name when there is one). */
export function schemeName(scheme: SchemeLike, locale: Locale): string {
  return locale === 'en' && scheme.nameEn ? scheme.nameEn : scheme.name;
}

/**
 * A scheme's description in the page's language: the territory's own text in French; in English,
 * the catalogue's text of a built-in scheme when there is one, else the territory's text.
 */
export function schemeDescription(scheme: SchemeLike, locale: Locale, tr: Translate): string | null {
  const key = `eligibility.scheme.${scheme.code}.description`;
  if (locale === 'en' && hasMessage(key)) return tr(key);
  return scheme.description ?? (hasMessage(key) ? tr(key) : null);
}
