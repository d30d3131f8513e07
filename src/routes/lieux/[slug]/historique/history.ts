import type { MessageKey } from '../../../../lib/i18n/fr';
import type { Locale } from '../../../../lib/i18n/locale';
import { hasMessage, translate } from '../../../../lib/i18n/all';
import { stopDatesText } from '../stops';

/** Reading a revision of the directory: which fields changed, from what to what (pure, tested). */

/** One changed field of a revision, ready to read: label, value before, value after. */
export interface ChangeLine {
  field: string;
  label: string;
  before: string;
  after: string;
}

const EMPTY = '—';

/** A stored value as short text: lists joined, booleans as yes/no, objects as their filled entries. */
export function readableValue(value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'boolean') return translate(locale, value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.length === 0 ? EMPTY : value.map((v) => readableValue(v, locale)).join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)
    );
    return entries.length === 0 ? EMPTY : entries.map(([k, v]) => `${k}: ${readableValue(v, locale)}`).join(' ; ');
  }
  return String(value);
}

export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const dayOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The stops of a mobile place (a revision of section `stops` holds their list) as
 * "name (hours, from … to …)" in order.
 */
function stopsText(stops: unknown[], locale: Locale): string[] {
  return stops.map((stop) => {
    const s = asRecord(stop);
    const name = typeof s.name === 'string' ? s.name : '?';
    const dates = stopDatesText({ validFrom: dayOrNull(s.validFrom), validTo: dayOrNull(s.validTo) }, locale);
    const details = [typeof s.openingHours === 'string' && s.openingHours ? s.openingHours : null, dates?.toLocaleLowerCase(locale)].filter(Boolean);
    return details.length > 0 ? `${name} (${details.join(', ')})` : name;
  });
}

/**
 * The changed fields between a revision's before and after (both may be null: creation,
 * deletion), each labelled in the reader's language when the catalogue knows the field.
 */
export function changeLines(before: unknown, after: unknown, locale: Locale): ChangeLine[] {
  const b = Array.isArray(before) ? { stops: stopsText(before, locale) } : asRecord(before);
  const a = Array.isArray(after) ? { stops: stopsText(after, locale) } : asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => !['id', 'placeId', 'organisationId', 'createdAt', 'updatedAt', 'source', 'sourceId', 'isDemo'].includes(k)
  );
  return keys
    .map((field) => {
      const key = `history.field.${field}`;
      return {
        field,
        label: hasMessage(key) ? translate(locale, key as MessageKey) : field,
        before: readableValue(b[field], locale),
        after: readableValue(a[field], locale)
      };
    })
    .filter((line) => line.before !== line.after);
}
