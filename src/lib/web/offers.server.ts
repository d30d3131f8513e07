import type { ActionFailure } from '@sveltejs/kit';
import type { MessageKey } from '../i18n';
import { OFFER_RULE_CODES } from '../server/modules/marketplace/marketplace.rules';
import { parisDayTime, parisInstant } from '../server/modules/marketplace/offers.time';
import type { OfferView } from '../server/modules/marketplace/offers.presenter';
import { parseEuros } from './euros';
import { failWith, type FormFailure } from './forms.server';

export { parisDayTime, parisInstant };

/**
 * The donor's offer form (pages /organisations/[id]/dons/…): form fields ↔ the offers service's input.
 * Times are typed as a Paris date and two HH:MM; the weight in kg, the value in euros.
 */

/** API field → form field, so a refusal shows next to what the donor typed. */
const FORM_FIELD: Record<string, string> = {
  pickupStartsAt: 'pickupStart',
  pickupEndsAt: 'pickupEnd',
  weightGrams: 'weightKg',
  valueCents: 'valueEuros'
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** A whole number typed, or the text (so the rules name the field). */
function count(typed: string): number {
  return /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
}

/** The offer's fields from the donor's form (create and edit share them). */
export function offerFormInput(data: FormData): Record<string, unknown> {
  const day = text(data, 'pickupDate');
  let endDay = day;
  // A window ending after midnight (20:00–00:30) ends the next day.
  if (DAY.test(day) && HHMM.test(text(data, 'pickupEnd')) && text(data, 'pickupEnd') < text(data, 'pickupStart')) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    endDay = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  }
  const kg = text(data, 'weightKg').replace(',', '.');
  const weight = kg === '' ? null : /^\d{1,5}(\.\d{1,3})?$/.test(kg) ? Math.round(Number(kg) * 1000) : -1;
  const euros = parseEuros(text(data, 'valueEuros'));
  const dateKind = text(data, 'dateKind') || 'none';
  return {
    title: text(data, 'title'),
    description: text(data, 'description') || null,
    category: text(data, 'category'),
    unit: text(data, 'unit') || 'unit',
    quantity: count(text(data, 'quantity')),
    weightGrams: weight === null ? null : weight > 0 ? weight : 0,
    dateKind,
    dateOn: dateKind === 'none' ? null : text(data, 'dateOn') || null,
    allergens: data.getAll('allergens').filter((v): v is string => typeof v === 'string'),
    diets: data.getAll('diets').filter((v): v is string => typeof v === 'string'),
    origins: data.getAll('origins').filter((v): v is string => typeof v === 'string'),
    storage: text(data, 'storage') || 'ambient',
    pickupStartsAt: parisInstant(day, text(data, 'pickupStart')),
    pickupEndsAt: parisInstant(endDay, text(data, 'pickupEnd')),
    audience: text(data, 'audience') || 'people',
    partnerAcceptsShorter: data.get('partnerAcceptsShorter') === 'on',
    isRawAnimalProduct: data.get('isRawAnimalProduct') === 'on',
    valueCents: euros === undefined ? -1 : euros
  };
}

const RULES = new Set<string>(OFFER_RULE_CODES);

/**
 * The form failure of a refused offer: each field under its form name, and a food-safety refusal
 * worded by its rule (`market.rule.<code>`) rather than a generic "invalid".
 */
export function failOffer(error: unknown, data: FormData, form?: string): ActionFailure<FormFailure> {
  const details = (error as { details?: { fields?: { path: string; code?: string }[] } } | null)?.details;
  const result = failWith(error, data, { form });
  const fields: FormFailure['fields'] = {};
  for (const [path, message] of Object.entries(result.data.fields)) fields[FORM_FIELD[path] ?? path] = message;
  for (const issue of details?.fields ?? []) {
    const name = FORM_FIELD[issue.path] ?? issue.path;
    if (issue.code && RULE_KEYS.has(issue.code)) fields[name] = { key: `market.rule.${issue.code}` as MessageKey };
  }
  result.data.fields = fields;
  // Checkbox groups come back whole (keptValues keeps one value per name).
  for (const name of ['allergens', 'diets', 'origins']) {
    result.data.values[name] = data.getAll(name).filter((v): v is string => typeof v === 'string').join(',');
  }
  return result;
}

const RULE_KEYS = new Set<string>([...RULES, 'pickup_required', 'quantity_below_reserved']);

/** The form's values for an existing offer (edit, or "start from a previous offer" with today's window). */
export function offerFormValues(o: OfferView, window?: { startsAt: Date; endsAt: Date }): Record<string, string | string[]> {
  const start = parisDayTime(window?.startsAt ?? o.pickupStartsAt);
  const end = parisDayTime(window?.endsAt ?? o.pickupEndsAt);
  return {
    title: o.title,
    description: o.description ?? '',
    category: o.category,
    unit: o.unit,
    quantity: String(o.quantity),
    weightKg: o.weightGrams === null ? '' : String(o.weightGrams / 1000),
    dateKind: window ? (o.dateKind === 'none' ? 'none' : o.dateKind) : o.dateKind,
    dateOn: window ? '' : (o.dateOn ?? ''),
    allergens: o.allergens,
    diets: o.diets,
    origins: o.origins,
    storage: o.storage,
    pickupDate: start.day,
    pickupStart: start.time,
    pickupEnd: end.time,
    audience: o.audience,
    // The stored declarations (kept by an edit, carried into an offer started from this one).
    partnerAcceptsShorter: o.partnerAcceptsShorter ? 'on' : '',
    isRawAnimalProduct: o.isRawAnimalProduct ? 'on' : '',
    valueCents: o.valueCents === null ? '' : String(o.valueCents)
  };
}

/** The blank offer form's choices (the category aside): counted in units, no date, ambient, nothing ticked, for people. */
export function blankOfferFields(category: string): Record<string, string | string[]> {
  return { category, unit: 'unit', quantity: '', dateKind: 'none', storage: 'ambient', allergens: [], diets: [], origins: [], audience: 'people' };
}

/** A blank one-day offer form: those choices and the pickup window (`defaultWindow`) as typed in Paris. */
export function blankOfferValues(category: string, window: { startsAt: Date; endsAt: Date }): Record<string, string | string[]> {
  const start = parisDayTime(window.startsAt);
  return { ...blankOfferFields(category), pickupDate: start.day, pickupStart: start.time, pickupEnd: parisDayTime(window.endsAt).time };
}

/** Today's default window: from now + 15 min (rounded up to 5 min) for one hour. */
export function defaultWindow(now: Date): { startsAt: Date; endsAt: Date } {
  const five = 5 * 60_000;
  const startsAt = new Date(Math.ceil((now.getTime() + 15 * 60_000) / five) * five);
  return { startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) };
}
