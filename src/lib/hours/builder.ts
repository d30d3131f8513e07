/**
 * A weekly-hours model simple enough for a form, and its translation to and from OSM
 * opening_hours syntax (`Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off`).
 *
 * Pure and browser-safe: no server import and no `opening_hours` import, so the editor stays light.
 * The server still validates and normalises every value with `opening_hours` (hours.rules.ts);
 * this module only covers the common cases a partner builds without knowing the syntax. Anything
 * richer (months, comments, `SH`, overnight ranges…) parses to `null` and is edited as raw text.
 */

/** The days of the week, in OSM spelling and Monday-first order. */
export const WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening range of a day, `HH:MM` wall-clock times in Europe/Paris (`to` may be `24:00`). */
export interface TimeRange {
  from: string;
  to: string;
}

/** Regular weekly hours: up to `MAX_RANGES_PER_DAY` ranges per day, and whether public holidays are closed. */
export interface WeeklyHours {
  days: Record<Weekday, TimeRange[]>;
  publicHolidaysClosed: boolean;
}

/** The form offers at most this many ranges a day (morning, afternoon, evening). */
export const MAX_RANGES_PER_DAY = 3;

/** Why a range of the form is refused; the form translates `hours.builder.errors.<code>`. */
export type WeeklyHoursErrorCode = 'invalidTime' | 'endBeforeStart' | 'overlap' | 'tooManyRanges';

/** A refused field: `path` is `days.Mo.0.from`, `days.Mo.1.to`, or `days.Mo` for the whole day. */
export interface WeeklyHoursError {
  path: string;
  code: WeeklyHoursErrorCode;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** A week with every day closed and public holidays closed: the form's starting point. */
export function emptyWeeklyHours(): WeeklyHours {
  return { days: { Mo: [], Tu: [], We: [], Th: [], Fr: [], Sa: [], Su: [] }, publicHolidaysClosed: true };
}

/** Minutes since midnight of a valid `HH:MM` (24:00 → 1440). */
function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The problems of a week typed in the form, one per offending field: a time that is not `HH:MM`,
 * a range that ends before it starts (overnight ranges need the raw syntax), two ranges of a day
 * that overlap, more than three ranges a day. Empty array = the week can be built.
 */
export function validateWeeklyHours(week: WeeklyHours): WeeklyHoursError[] {
  const errors: WeeklyHoursError[] = [];
  for (const day of WEEKDAYS) {
    const ranges = week.days[day] ?? [];
    if (ranges.length > MAX_RANGES_PER_DAY) errors.push({ path: `days.${day}`, code: 'tooManyRanges' });
    const valid: { index: number; from: number; to: number }[] = [];
    ranges.forEach((range, index) => {
      const fromOk = TIME.test(range.from) && range.from !== '24:00';
      const toOk = TIME.test(range.to) && range.to !== '00:00';
      if (!fromOk) errors.push({ path: `days.${day}.${index}.from`, code: 'invalidTime' });
      if (!toOk) errors.push({ path: `days.${day}.${index}.to`, code: 'invalidTime' });
      if (!fromOk || !toOk) return;
      if (minutes(range.to) <= minutes(range.from)) {
        errors.push({ path: `days.${day}.${index}.to`, code: 'endBeforeStart' });
        return;
      }
      valid.push({ index, from: minutes(range.from), to: minutes(range.to) });
    });
    const sorted = [...valid].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      const current = sorted[i]!;
      if (current.from < previous.to) errors.push({ path: `days.${day}.${current.index}.from`, code: 'overlap' });
    }
  }
  return errors;
}

/** A day's ranges in OSM spelling, sorted by start: `08:30-12:30,13:30-17:00`. */
function rangesText(ranges: TimeRange[]): string {
  return [...ranges]
    .sort((a, b) => minutes(a.from) - minutes(b.from))
    .map((range) => `${range.from}-${range.to}`)
    .join(',');
}

/** `[0,1,2,4]` → `Mo-We,Fr`: runs of three or more days become ranges, pairs stay listed. */
function daysText(indexes: number[]): string {
  const parts: string[] = [];
  let start = 0;
  while (start < indexes.length) {
    let end = start;
    while (end + 1 < indexes.length && indexes[end + 1] === indexes[end]! + 1) end++;
    const first = WEEKDAYS[indexes[start]!]!;
    const last = WEEKDAYS[indexes[end]!]!;
    if (end === start) parts.push(first);
    else if (end === start + 1) parts.push(first, last);
    else parts.push(`${first}-${last}`);
    start = end + 1;
  }
  return parts.join(',');
}

/**
 * The compact OSM opening_hours string of a week: days with identical ranges share one rule
 * (`Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off`), rules ordered by their first day,
 * closed days left out, `24/7` when every day is 00:00-24:00. An all-closed week gives `''`
 * (no hours known). Throws if `validateWeeklyHours` finds a problem: call it first.
 */
export function buildOpeningHours(week: WeeklyHours): string {
  const errors = validateWeeklyHours(week);
  if (errors.length > 0) throw new Error(`invalid weekly hours: ${errors.map((e) => `${e.path} ${e.code}`).join(', ')}`);
  const byText = new Map<string, number[]>();
  WEEKDAYS.forEach((day, index) => {
    const ranges = week.days[day] ?? [];
    if (ranges.length === 0) return;
    const text = rangesText(ranges);
    byText.set(text, [...(byText.get(text) ?? []), index]);
  });
  if (byText.size === 0) return '';
  if (byText.size === 1 && byText.get('00:00-24:00')?.length === 7 && !week.publicHolidaysClosed) return '24/7';
  const rules = [...byText.entries()]
    .sort((a, b) => a[1][0]! - b[1][0]!)
    .map(([text, indexes]) => `${daysText(indexes)} ${text}`);
  if (week.publicHolidaysClosed) rules.push('PH off');
  return rules.join('; ');
}

const DAY_INDEX = new Map<string, number>(WEEKDAYS.map((day, index) => [day, index]));

/** `Mo-We,Fr` → `[0,1,2,4]`; null for anything but weekdays (PH, SH, wrap-around `Sa-Mo`…). */
function parseDays(text: string): number[] | null {
  const indexes: number[] = [];
  for (const part of text.split(',')) {
    const match = /^([A-Z][a-z])(?:-([A-Z][a-z]))?$/.exec(part.trim());
    if (!match) return null;
    const first = DAY_INDEX.get(match[1]!);
    const last = match[2] === undefined ? first : DAY_INDEX.get(match[2]);
    if (first === undefined || last === undefined || last < first) return null;
    for (let i = first; i <= last; i++) indexes.push(i);
  }
  return indexes;
}

/** `08:30-12:30,13:30-17:00` → ranges (hours zero-padded); null for anything else. */
function parseRanges(text: string): TimeRange[] | null {
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part.trim());
    if (!match) return null;
    ranges.push({ from: `${match[1]!.padStart(2, '0')}:${match[2]}`, to: `${match[3]!.padStart(2, '0')}:${match[4]}` });
  }
  return ranges;
}

/**
 * The week a simple OSM string describes, or null when the form cannot represent it (then the
 * editor shows the raw text field). Understands `24/7`, rules `<days> <ranges>` and `<days> off`
 * with OSM's meaning (a later rule replaces the earlier ranges of its days), and `PH off` as the
 * last rule. Comments, months, dates, `PH` opening hours, overnight ranges and more than three
 * ranges a day give null.
 */
export function parseSimpleOpeningHours(value: string): WeeklyHours | null {
  const text = value.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const week = emptyWeeklyHours();
  week.publicHolidaysClosed = false;
  if (text === '24/7') {
    for (const day of WEEKDAYS) week.days[day] = [{ from: '00:00', to: '24:00' }];
    return week;
  }
  const rules = text.split(';').map((rule) => rule.trim());
  for (const [index, rule] of rules.entries()) {
    if (rule === 'PH off') {
      if (index !== rules.length - 1 || week.publicHolidaysClosed) return null;
      week.publicHolidaysClosed = true;
      continue;
    }
    const space = rule.indexOf(' ');
    if (space < 0) return null;
    const days = parseDays(rule.slice(0, space));
    const body = rule.slice(space + 1).trim();
    const ranges = body === 'off' || body === 'closed' ? [] : parseRanges(body);
    if (!days || !ranges) return null;
    for (const day of days) week.days[WEEKDAYS[day]!] = ranges.map((range) => ({ ...range }));
  }
  return validateWeeklyHours(week).length === 0 ? week : null;
}
