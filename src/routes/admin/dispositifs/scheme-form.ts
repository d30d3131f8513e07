import type { FieldMessage } from '../../../lib/i18n/fields';
import {
  parseEurosToCents,
  PART_VALUE_MAX,
  QF_FIRST_CHILDREN_MAX,
  QF_PART_KEYS,
  VALIDITY_DAYS_MAX
} from '../../../lib/schemas/eligibility-vocabulary';

/**
 * The forms of `/admin/dispositifs` ↔ the schemes service's inputs: euros typed the French way
 * become cents (empty: no threshold), days and parts become numbers (a decimal comma is fine), the
 * communes come from ticked boxes plus typed INSEE codes; a service's field errors come back on
 * the form's own field names with this page's wording.
 */

export interface ParsedForm {
  input: Record<string, unknown>;
  errors: Record<string, FieldMessage>;
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
const all = (data: FormData, name: string) => data.getAll(name).filter((v): v is string => typeof v === 'string' && v.trim() !== '');

/** Reads the scheme form; `withCode` on creation (the code never changes afterwards). */
export function parseSchemeForm(data: FormData, options: { withCode: boolean }): ParsedForm {
  const errors: Record<string, FieldMessage> = {};
  const input: Record<string, unknown> = {};
  if (options.withCode) input.code = text(data, 'code').toLowerCase();
  input.name = text(data, 'name');
  input.nameEn = text(data, 'nameEn') || null;
  input.description = text(data, 'description') || null;
  input.acceptedProfiles = all(data, 'acceptedProfiles');
  const typed = text(data, 'otherCommunes')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((c) => c.toUpperCase());
  input.communes = [...new Set([...all(data, 'communes'), ...typed])];
  for (const [field, key] of [
    ['maxResteAVivre', 'maxResteAVivreCents'],
    ['maxQuotientFamilial', 'maxQuotientFamilialCents']
  ] as const) {
    const v = text(data, field);
    const cents = v === '' ? null : parseEurosToCents(v);
    if (v !== '' && cents === null) errors[field] = { key: 'schemesAdmin.error.amount' };
    input[key] = cents;
  }
  for (const field of ['defaultValidityDays', 'maxValidityDays'] as const) {
    const v = text(data, field);
    const n = /^\d{1,4}$/.test(v) ? Number(v) : NaN;
    if (!(n >= 1 && n <= VALIDITY_DAYS_MAX)) errors[field] = { key: 'schemesAdmin.error.days', params: { max: VALIDITY_DAYS_MAX } };
    input[field] = Number.isNaN(n) ? 0 : n;
  }
  input.isRenewable = data.get('isRenewable') !== null;
  input.isActive = data.get('isActive') !== null;
  const position = text(data, 'position');
  if (position !== '' && !/^\d{1,4}$/.test(position)) errors.position = { key: 'fieldErrors.invalid' };
  input.position = /^\d{1,4}$/.test(position) ? Number(position) : 0;
  return { input, errors };
}

/** A service's field problem on a scheme → the form field and this page's message. */
export function schemeFieldError(issue: { path: string; code?: string; message: string }, conflict = false): [string, FieldMessage] {
  const [head] = issue.path.split('.');
  switch (head) {
    case 'code':
      return ['code', { key: conflict ? 'schemesAdmin.error.codeTaken' : 'schemesAdmin.error.code' }];
    case 'maxResteAVivreCents':
      return ['maxResteAVivre', { key: 'schemesAdmin.error.amount' }];
    case 'maxQuotientFamilialCents':
      return ['maxQuotientFamilial', { key: 'schemesAdmin.error.amount' }];
    case 'communes':
      return ['otherCommunes', { key: 'schemesAdmin.error.communes' }];
    case 'defaultValidityDays':
    case 'maxValidityDays':
      return /exceed/.test(issue.message)
        ? [head, { key: 'schemesAdmin.error.defaultOverMax' }]
        : [head, { key: 'schemesAdmin.error.days', params: { max: VALIDITY_DAYS_MAX } }];
    case 'organisationIds':
      return ['organisationIds', { key: issue.code === 'decider_kind' ? 'schemesAdmin.error.deciderKind' : 'fieldErrors.invalid' }];
    case 'name':
      return ['name', { key: issue.code === 'too_big' ? 'fieldErrors.tooLong' : 'fieldErrors.required' }];
    default:
      return [head ?? 'name', { key: issue.code === 'too_big' ? 'fieldErrors.tooLong' : 'fieldErrors.invalid' }];
  }
}

/** Reads the table of parts (a decimal comma is fine). */
export function parsePartsForm(data: FormData): ParsedForm {
  const errors: Record<string, FieldMessage> = {};
  const qfParts: Record<string, number> = {};
  for (const key of QF_PART_KEYS) {
    const v = text(data, key).replace(',', '.');
    const n = /^\d{1,2}(\.\d{1,2})?$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n)) errors[key] = { key: 'schemesAdmin.error.part', params: { max: PART_VALUE_MAX } };
    qfParts[key] = Number.isNaN(n) ? -1 : n;
  }
  const first = text(data, 'firstChildren');
  if (!/^\d{1,2}$/.test(first)) errors.firstChildren = { key: 'schemesAdmin.error.firstChildren', params: { max: QF_FIRST_CHILDREN_MAX } };
  qfParts.firstChildren = /^\d{1,2}$/.test(first) ? Number(first) : -1;
  return { input: { qfParts }, errors };
}

/** A service's field problem on the table of parts (`qfParts.<key>`) → the form field and message. */
export function partsFieldError(issue: { path: string; message: string }): [string, FieldMessage] {
  const key = issue.path.split('.')[1] ?? 'firstAdult';
  if (key === 'firstChildren') return [key, { key: 'schemesAdmin.error.firstChildren', params: { max: QF_FIRST_CHILDREN_MAX } }];
  if (key === 'firstAdult' && /more than 0/.test(issue.message)) return [key, { key: 'schemesAdmin.error.firstAdult' }];
  return [key, { key: 'schemesAdmin.error.part', params: { max: PART_VALUE_MAX } }];
}

/** Cents → what the form shows ("7,50" in French, "7.50" in English; empty for no threshold). */
export function centsToText(cents: number | null, locale: 'fr' | 'en'): string {
  if (cents === null) return '';
  const text = (cents / 100).toFixed(cents % 100 === 0 ? 0 : 2);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

/** A number of parts as the form shows it ("0,5" in French). */
export function partsToText(parts: number, locale: 'fr' | 'en'): string {
  const text = String(parts);
  return locale === 'fr' ? text.replace('.', ',') : text;
}
