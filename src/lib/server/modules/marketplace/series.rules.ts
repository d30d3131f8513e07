import { addDays } from '../eligibility/eligibility.rules.js';
import { parisInstant } from './offers.time.js';

export { addDays };

/**
 * Recurring offers (offer_series): which days get an occurrence and its window, in Europe/Paris
 * wall-clock time (19:00–20:00 stays 19:00–20:00 across the DST changes). Pure: `now` is passed in.
 */

/** How many days ahead the job keeps occurrences generated. */
export const SERIES_HORIZON_DAYS = 7;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

export interface SeriesShape {
  weekdays: number[];
  startTime: string;
  endTime: string;
  startsOn: string;
  endsOn: string | null;
}

/** What is wrong with a series' rule, field by field (empty when it is usable). */
export function seriesProblems(s: SeriesShape): { path: string; code: string; message: string }[] {
  const out: { path: string; code: string; message: string }[] = [];
  if (s.weekdays.length === 0 || s.weekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7) || new Set(s.weekdays).size !== s.weekdays.length)
    out.push({ path: 'weekdays', code: 'weekdays_invalid', message: 'Give distinct ISO weekdays between 1 (Monday) and 7 (Sunday).' });
  if (!HHMM.test(s.startTime)) out.push({ path: 'startTime', code: 'time_invalid', message: 'HH:MM expected.' });
  if (!HHMM.test(s.endTime)) out.push({ path: 'endTime', code: 'time_invalid', message: 'HH:MM expected.' });
  if (HHMM.test(s.startTime) && s.startTime === s.endTime)
    out.push({ path: 'endTime', code: 'window_ends_before_start', message: 'The window must not be empty.' });
  if (s.endsOn !== null && s.endsOn < s.startsOn) out.push({ path: 'endsOn', code: 'ends_before_start', message: 'The series ends before it starts.' });
  return out;
}

/** The occurrence days from `today` over `days` days (Paris dates) that the series covers. */
export function occurrenceDays(s: SeriesShape, today: string, days = SERIES_HORIZON_DAYS): string[] {
  const out: string[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(today, i);
    if (day < s.startsOn || (s.endsOn !== null && day > s.endsOn)) continue;
    if (s.weekdays.includes(isoWeekday(day))) out.push(day);
  }
  return out;
}

/** The window of one occurrence: start and end as instants; an end before the start runs past midnight. */
export function occurrenceWindow(day: string, startTime: string, endTime: string): { startsAt: string; endsAt: string } {
  const endDay = endTime <= startTime ? addDays(day, 1) : day;
  return { startsAt: parisInstant(day, startTime), endsAt: parisInstant(endDay, endTime) };
}
