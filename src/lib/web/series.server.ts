import type { ActionFailure } from '@sveltejs/kit';
import type { SeriesView } from '../server/modules/marketplace/series.service';
import { failOffer, offerFormInput } from './offers.server';
import type { FormFailure } from './forms';

/**
 * The donor's recurring-offer form (pages /organisations/[id]/dons/recurrents/…): the offer form's
 * fields become the template; weekdays (ISO, 1 = Monday), an HH:MM window in Paris, an optional last
 * day, and the DLC/DDM as a number of days after each occurrence.
 */

function text(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** The series service's input from the form (create and edit share it). */
export function seriesFormInput(data: FormData): { weekdays: number[]; startTime: string; endTime: string; endsOn: string | null; template: Record<string, unknown> } {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { pickupStartsAt, pickupEndsAt, dateOn, ...template } = offerFormInput(data);
  const offset = text(data, 'dateOffsetDays');
  return {
    weekdays: data
      .getAll('weekdays')
      .filter((v): v is string => typeof v === 'string')
      .map(Number),
    startTime: text(data, 'startTime'),
    endTime: text(data, 'endTime'),
    endsOn: text(data, 'endsOn') || null,
    template: { ...template, dateOffsetDays: offset === '' ? 0 : /^\d{1,2}$/.test(offset) ? Number(offset) : -1 }
  };
}

/** Where a template refusal shows in this form: the window is the series' times, the DLC its offset. */
const TEMPLATE_FIELD: Record<string, string> = { pickupStartsAt: 'startTime', pickupEndsAt: 'endTime', dateOn: 'dateOffsetDays' };

/** A refused series as a form failure: `template.x` shown at the offer field x, weekdays kept as ticked. */
export function failSeries(error: unknown, data: FormData, form?: string): ActionFailure<FormFailure> {
  const e = error as { details?: { fields?: { path: string }[] } } | null;
  for (const issue of e?.details?.fields ?? []) {
    if (typeof issue.path !== 'string') continue;
    const path = issue.path.startsWith('template.') ? issue.path.slice('template.'.length) : issue.path;
    issue.path = TEMPLATE_FIELD[path] ?? path;
  }
  const result = failOffer(error, data, form);
  result.data.values.weekdays = data.getAll('weekdays').filter((v): v is string => typeof v === 'string').join(',');
  return result;
}

/** The form's values for an existing series. */
export function seriesFormValues(s: SeriesView): Record<string, string | string[]> {
  const t = s.template;
  return {
    title: t.title,
    description: t.description ?? '',
    category: t.category,
    unit: t.unit,
    quantity: String(t.quantity),
    weightKg: t.weightGrams == null ? '' : String(t.weightGrams / 1000),
    dateKind: t.dateKind,
    dateOffsetDays: String(t.dateOffsetDays),
    allergens: t.allergens,
    diets: t.diets,
    origins: t.origins,
    storage: t.storage,
    audience: t.audience,
    weekdays: s.weekdays.map(String),
    startTime: s.startTime,
    endTime: s.endTime,
    endsOn: s.endsOn ?? ''
  };
}
