/**
 * Opening hours of places and services: validation of OSM opening_hours strings and their
 * evaluation ("open now", next change, weekly table), always in Europe/Paris.
 *
 * Why the "wall-clock" dance: the `opening_hours` package reads dates through local getters
 * (`getHours`, `getDay`…), i.e. in the *process* time zone. Glane's places are in France and the
 * server may run in UTC or anywhere else, so every instant is first turned into a "wall-clock Date"
 * whose local fields equal the Paris wall time, evaluated there, and the results turned back into
 * real instants (`fromWall`), choosing the first occurrence in the October overlap and moving
 * forward across the March gap, as a clock does.
 * Known limit: a Paris wall time that does not exist in the process zone itself (its own DST gap,
 * one hour a year, usually at night) is shifted by that zone's gap. Servers run in UTC.
 *
 * Speed: `isOpenAt`/`openingState` read each day as minute segments cached per value and Paris
 * date (warm: under 1 µs / about 7 µs a call; a cold value-day costs one package evaluation, ~0.3 ms).
 *
 * Pure: no I/O, no clock (callers pass `at`/`now`); module-level caches only memoise pure results.
 * Relative imports only, so scripts run with tsx.
 */
import opening_hours, { type optional_conf } from 'opening_hours';
import { WEEKDAYS, type Weekday } from '../../../hours/builder';
import { formatCalendarDate, formatParis, PARIS_TIME_ZONE } from '../../../i18n/dates';
import type { Locale } from '../../../i18n/locale';
import { translate } from '../../../i18n/all';

export { PARIS_TIME_ZONE } from '../../../i18n/dates';

/** Longest opening_hours value accepted (data·inclusion values are far shorter; this bounds parsing work). */
export const OPENING_HOURS_MAX_LENGTH = 1000;

/** Where Glane's hours apply: `PH` means French public holidays (metropolitan France). */
const FRANCE = { lat: 50.63, lon: 3.06, address: { country_code: 'fr', state: 'Hauts-de-France' } };

/** How far ahead the next change is searched. */
const HORIZON_DAYS = 366;

/** An upcoming temporary override is shown as a notice this many days ahead. */
export const NOTICE_LOOKAHEAD_DAYS = 14;

/**
 * A temporary change of a place's hours, for whole Paris days `startsOn`..`endsOn` inclusive:
 * a closure (closed all day) or temporary hours that replace the regular ones on those days.
 */
export interface TemporaryOverride {
  kind: 'closure' | 'hours';
  /** First day, `YYYY-MM-DD` in Europe/Paris. */
  startsOn: string;
  /** Last day (included), `YYYY-MM-DD` in Europe/Paris. */
  endsOn: string;
  /** For `kind: 'hours'`: the OSM opening_hours that apply on those days. */
  openingHours?: string;
  message?: string;
}

export type OpeningHoursValidation = { ok: true; normalised: string; warnings: string[] } | { ok: false; error: string };

/** The state of a place at an instant, with what comes next (real instants). */
export interface OpeningState {
  isOpen: boolean;
  /** The hours say "maybe" (`unknown`, or a range with a comment only), or no valid hours are known. */
  unknown: boolean;
  nextChange: Date | null;
  /** When it stops being open (set only while open). */
  closesAt: Date | null;
  /** When it opens next (set only while not open, and only if that change is to "open"). */
  opensAt: Date | null;
  /** The override in force at that instant, else the next one starting within NOTICE_LOOKAHEAD_DAYS. */
  notice: TemporaryOverride | null;
  /** The comment of the matching rule (`Mo-Fr 09:00-12:00 "sur rendez-vous"`). */
  comment?: string;
}

/** An open (or maybe-open) interval in real instants. */
export interface OpenInterval {
  from: Date;
  to: Date;
  unknown: boolean;
  comment?: string;
}

/** One day of the week table, times in Paris wall-clock. */
export interface WeekTableDay {
  day: Weekday;
  /** `YYYY-MM-DD` in Europe/Paris. */
  date: string;
  /** `HH:MM–HH:MM` (en dash); a range running past midnight shows `24:00` then `00:00` the next day. */
  ranges: string[];
  /** Some range of the day is only "maybe" open. */
  unknown: boolean;
  comments: string[];
}

// ---------------------------------------------------------------------------------------------
// Europe/Paris wall-clock conversions
// ---------------------------------------------------------------------------------------------

interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const parisParts = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
});

/** Paris's offset from UTC at an instant, in milliseconds, read from Intl (slow: ~30 µs). */
function intlParisOffset(instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of parisParts.formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

const offsetByHour = new Map<number, number>();

/**
 * Paris's offset from UTC at an instant (+1 h in winter, +2 h in summer). France changes time
 * at 01:00 UTC, on a UTC hour, so the offset is cached per UTC hour: searches evaluate thousands
 * of places at one instant and Intl is slow.
 */
function parisOffset(instant: number): number {
  const hour = Math.floor(instant / 3600_000);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = intlParisOffset(hour * 3600_000);
    if (offsetByHour.size >= 20_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The Paris wall-clock fields of an instant. */
export function parisFields(at: Date): WallFields {
  const wall = new Date(at.getTime() + parisOffset(at.getTime()));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds()
  };
}

/**
 * The real instant of a Paris wall-clock time. In the October overlap (02:00-03:00 happens twice)
 * the first occurrence is chosen; in the March gap (02:00-03:00 does not exist) the time is moved
 * forward by the gap, as a clock would show it (02:30 → 03:30 CEST).
 */
export function parisWallToInstant(f: WallFields): Date {
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
  const before = parisOffset(asUtc - 12 * 3600_000);
  const after = parisOffset(asUtc + 12 * 3600_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => asUtc - parisOffset(instant) === instant)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? asUtc - before);
}

/** A Date whose local (process zone) fields are the Paris wall-clock fields of `at`. */
export function toWall(at: Date): Date {
  const f = parisFields(at);
  return new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
}

/** The real instant a wall-clock Date stands for. */
export function fromWall(wall: Date): Date {
  return parisWallToInstant({
    year: wall.getFullYear(),
    month: wall.getMonth() + 1,
    day: wall.getDate(),
    hour: wall.getHours(),
    minute: wall.getMinutes(),
    second: wall.getSeconds(),
    millisecond: wall.getMilliseconds()
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a wall-clock Date. */
function wallDateKey(wall: Date): string {
  return `${wall.getFullYear()}-${pad(wall.getMonth() + 1)}-${pad(wall.getDate())}`;
}

/** The Paris calendar date of an instant, `YYYY-MM-DD`. */
export function parisDateKey(at: Date): string {
  const f = parisFields(at);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
}

/** Wall-clock midnight starting the day `YYYY-MM-DD`, shifted by `plusDays`. */
function wallMidnight(dateKey: string, plusDays = 0): Date {
  const [year, month, day] = dateKey.split('-').map(Number);
  return new Date(year!, month! - 1, day! + plusDays);
}

/** Wall-clock midnight of the day of `wall`, shifted by `plusDays`. */
function wallDayStart(wall: Date, plusDays = 0): Date {
  return new Date(wall.getFullYear(), wall.getMonth(), wall.getDate() + plusDays);
}

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

const followingDays = new Map<string, string[]>();

/** `YYYY-MM-DD` plus `days` (calendar arithmetic, no time zone; the next weeks are memoised). */
function addDays(dateKey: string, days: number): string {
  if (days >= 0 && days < 32) {
    let list = followingDays.get(dateKey);
    if (!list) {
      list = Array.from({ length: 32 }, (_, n) => computeAddDays(dateKey, n));
      if (followingDays.size >= 5000) followingDays.clear();
      followingDays.set(dateKey, list);
    }
    return list[days]!;
  }
  return computeAddDays(dateKey, days);
}

function computeAddDays(dateKey: string, days: number): string {
  const [year, month, day] = dateKey.split('-').map(Number);
  const date = new Date(Date.UTC(year!, month! - 1, day! + days));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

type OH = InstanceType<typeof opening_hours>;

function construct(value: string, locale: Locale): OH {
  // The package's type lists every option as required; it reads only those given.
  const conf = { tag_key: 'opening_hours', locale } as optional_conf;
  return new opening_hours(value, FRANCE, conf);
}

/** The package throws strings (sometimes Errors): a one-line, client-safe message. */
function parseError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

const cache = new Map<string, OH | null>();
const CACHE_SIZE = 2000;

/**
 * A parsed value for evaluation, null if invalid. Parsing costs about a millisecond and a search
 * evaluates the same few hundred strings over and over, so each is parsed once and kept, the least
 * recently used dropped first (a Map iterates in insertion order: a hit moves to the end). Keyed by
 * the stored string as is: stored values are already normalised (validateOpeningHours).
 */
function parsed(value: string): OH | null {
  const hit = cache.get(value);
  if (hit !== undefined) {
    cache.delete(value);
    cache.set(value, hit);
    return hit;
  }
  let result: OH | null = null;
  if (value.trim() !== '' && value.length <= OPENING_HOURS_MAX_LENGTH) {
    try {
      result = construct(value, 'fr');
    } catch {
      result = null;
    }
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(value, result);
  return result;
}

/**
 * Checks an opening_hours value as a partner typed it, for a place in France (`PH` = French public
 * holidays). Valid → the package's normalised spelling (what to store) and its warnings in the
 * editor's language (the package speaks French and English); when the normalised value differs
 * from the input, one more warning says so, so sloppy input is never corrected silently.
 * Invalid, empty or over 1000 characters → a message to show beside the field.
 */
export function validateOpeningHours(value: string, locale: Locale = 'fr'): OpeningHoursValidation {
  if (value.length > OPENING_HOURS_MAX_LENGTH) {
    return { ok: false, error: translate(locale, 'hours.errors.tooLong', { max: OPENING_HOURS_MAX_LENGTH }) };
  }
  const input = value.trim();
  if (input === '') return { ok: false, error: translate(locale, 'hours.errors.empty') };
  let oh: OH;
  let normalised: string;
  let warnings: string[];
  try {
    oh = construct(input, locale);
    normalised = oh.prettifyValue();
    warnings = oh.getWarnings().map((warning) => warning.replace(/\s+/g, ' ').trim());
  } catch (error) {
    return { ok: false, error: translate(locale, 'hours.errors.invalid', { detail: parseError(error) }) };
  }
  if (normalised !== input) warnings.push(translate(locale, 'hours.warnings.normalised', { value: normalised }));
  return { ok: true, normalised, warnings };
}

// ---------------------------------------------------------------------------------------------
// Evaluation with temporary overrides, in wall-clock space
// ---------------------------------------------------------------------------------------------

/** What governs a day: closed all day, an opening_hours value, or nothing valid known. */
type Source = { kind: 'closed' } | { kind: 'hours'; oh: OH; value: string } | { kind: 'unknown' };

type Visible = 'open' | 'unknown' | 'closed';

interface Evaluation {
  regular: Source;
  overrides: TemporaryOverride[];
}

function sourceOf(value: string | undefined): Source {
  const oh = value === undefined ? null : parsed(value);
  return oh && value !== undefined ? { kind: 'hours', oh, value } : { kind: 'unknown' };
}

function validOverrides(overrides: TemporaryOverride[] | undefined): TemporaryOverride[] {
  return (overrides ?? []).filter(
    (o) => DATE_KEY.test(o.startsOn) && DATE_KEY.test(o.endsOn) && o.startsOn <= o.endsOn && (o.kind === 'closure' || o.kind === 'hours')
  );
}

function evaluation(hours: string, overrides: TemporaryOverride[] | undefined): Evaluation {
  return { regular: sourceOf(hours), overrides: validOverrides(overrides) };
}

/** The override in force on a Paris day: a closure wins over temporary hours. */
function overrideOn(ev: Evaluation, dateKey: string): TemporaryOverride | null {
  const covering = ev.overrides.filter((o) => o.startsOn <= dateKey && dateKey <= o.endsOn);
  return covering.find((o) => o.kind === 'closure') ?? covering[0] ?? null;
}

function sourceOn(ev: Evaluation, dateKey: string): Source {
  const override = overrideOn(ev, dateKey);
  if (!override) return ev.regular;
  if (override.kind === 'closure') return { kind: 'closed' };
  return sourceOf(override.openingHours);
}

/** The wall instant where the day's source may change next (an override starts or ends), or null. */
function nextBoundary(ev: Evaluation, wall: Date): Date | null {
  let best: Date | null = null;
  for (const o of ev.overrides) {
    for (const boundary of [wallMidnight(o.startsOn), wallMidnight(o.endsOn, 1)]) {
      if (boundary > wall && (!best || boundary < best)) best = boundary;
    }
  }
  return best;
}

interface WallState {
  visible: Visible;
  comment?: string;
}

function stateIn(source: Source, wall: Date): WallState {
  if (source.kind === 'closed') return { visible: 'closed' };
  if (source.kind === 'unknown') return { visible: 'unknown' };
  const [open, , unknown, comment] = source.oh.getStatePair(wall);
  return { visible: unknown ? 'unknown' : open ? 'open' : 'closed', ...(comment ? { comment } : {}) };
}

function wallStateAt(ev: Evaluation, wall: Date): WallState {
  return stateIn(sourceOn(ev, wallDateKey(wall)), wall);
}

/** First wall instant after `wall` (within the horizon) where the visible state differs from the one at `wall`. */
function wallNextChange(ev: Evaluation, wall: Date): Date | null {
  const initial = wallStateAt(ev, wall).visible;
  const horizon = wallDayStart(wall, HORIZON_DAYS);
  let cursor = wall;
  while (cursor < horizon) {
    const source = sourceOn(ev, wallDateKey(cursor));
    const boundary = nextBoundary(ev, cursor);
    const end = boundary && boundary < horizon ? boundary : horizon;
    if (stateIn(source, cursor).visible !== initial) return cursor;
    if (source.kind === 'hours') {
      let t = cursor;
      for (;;) {
        const change = source.oh.getNextChange(t, end);
        if (!change || change >= end || change <= t) break;
        if (stateIn(source, change).visible !== initial) return change;
        t = change;
      }
    }
    cursor = end;
  }
  return null;
}

function wallIntervals(ev: Evaluation, wallFrom: Date, wallTo: Date): { from: Date; to: Date; unknown: boolean; comment?: string }[] {
  const result: { from: Date; to: Date; unknown: boolean; comment?: string }[] = [];
  let cursor = wallFrom;
  while (cursor < wallTo) {
    const boundary = nextBoundary(ev, cursor);
    const end = boundary && boundary < wallTo ? boundary : wallTo;
    const source = sourceOn(ev, wallDateKey(cursor));
    if (source.kind === 'hours') {
      for (const [from, to, unknown, comment] of source.oh.getOpenIntervals(cursor, end)) {
        const last = result[result.length - 1];
        if (last && last.to.getTime() === from.getTime() && last.unknown === unknown && last.comment === comment) last.to = to;
        else result.push({ from, to, unknown, ...(comment ? { comment } : {}) });
      }
    }
    cursor = end;
  }
  return result;
}

// Fast path: a day's states in minutes, cached per value and Paris date. The package takes
// ~70 µs per question; a search asks the same few days of thousands of values.

/** A part of a Paris day, in minutes since midnight [from, to), with its visible state. */
interface DaySegment {
  from: number;
  to: number;
  visible: Visible;
  comment?: string;
}

const daySegmentsCache = new Map<string, Map<string, DaySegment[]>>();
const DAY_CACHE_VALUES = 50_000;
const DAY_CACHE_DATES = 16;
/** How many days the fast path looks ahead for the next change before asking the package. */
const FAST_DAYS = 15;

const minuteOfWall = (wall: Date) => wall.getHours() * 60 + wall.getMinutes() + wall.getSeconds() / 60 + wall.getMilliseconds() / 60_000;

function segmentsOfValue(source: { oh: OH; value: string }, dateKey: string): DaySegment[] {
  let byDate = daySegmentsCache.get(source.value);
  const hit = byDate?.get(dateKey);
  if (hit) return hit;
  const start = wallMidnight(dateKey);
  const end = wallMidnight(dateKey, 1);
  const segments: DaySegment[] = [];
  let cursor = 0;
  for (const [from, to, unknown, comment] of source.oh.getOpenIntervals(start, end)) {
    const a = from <= start ? 0 : minuteOfWall(from);
    const b = to >= end ? 1440 : minuteOfWall(to);
    if (a > cursor) segments.push({ from: cursor, to: a, visible: 'closed' });
    segments.push({ from: a, to: b, visible: unknown ? 'unknown' : 'open', ...(comment ? { comment } : {}) });
    cursor = b;
  }
  if (cursor < 1440) segments.push({ from: cursor, to: 1440, visible: 'closed' });
  if (!byDate) {
    if (daySegmentsCache.size >= DAY_CACHE_VALUES) daySegmentsCache.delete(daySegmentsCache.keys().next().value!);
    byDate = new Map();
    daySegmentsCache.set(source.value, byDate);
  }
  if (byDate.size >= DAY_CACHE_DATES) byDate.delete(byDate.keys().next().value!);
  byDate.set(dateKey, segments);
  return segments;
}

const WHOLE_DAY_CLOSED: DaySegment[] = [{ from: 0, to: 1440, visible: 'closed' }];
const WHOLE_DAY_UNKNOWN: DaySegment[] = [{ from: 0, to: 1440, visible: 'unknown' }];

function daySegments(ev: Evaluation, dateKey: string): DaySegment[] {
  const source = sourceOn(ev, dateKey);
  if (source.kind === 'closed') return WHOLE_DAY_CLOSED;
  if (source.kind === 'unknown') return WHOLE_DAY_UNKNOWN;
  return segmentsOfValue(source, dateKey);
}

function segmentAt(segments: DaySegment[], minute: number): DaySegment {
  return segments.find((segment) => minute >= segment.from && minute < segment.to) ?? segments[segments.length - 1]!;
}

/** The Paris date and minute of the day of an instant. */
let lastMinute: { time: number; value: { dateKey: string; minute: number } } | null = null;

function parisMinute(at: Date): { dateKey: string; minute: number } {
  // A search evaluates thousands of places at the same instant: remember the last answer.
  if (lastMinute?.time === at.getTime()) return lastMinute.value;
  const f = parisFields(at);
  const value = { dateKey: `${f.year}-${pad(f.month)}-${pad(f.day)}`, minute: f.hour * 60 + f.minute + f.second / 60 + f.millisecond / 60_000 };
  lastMinute = { time: at.getTime(), value };
  return value;
}

/** The real instant of minute `minute` of Paris day `dateKey`. */
function instantOf(dateKey: string, minute: number): Date {
  const [year, month, day] = dateKey.split('-').map(Number);
  const ms = Math.round(minute * 60_000);
  return parisWallToInstant({
    year: year!,
    month: month!,
    day: day!,
    hour: Math.floor(ms / 3600_000),
    minute: Math.floor(ms / 60_000) % 60,
    second: Math.floor(ms / 1000) % 60,
    millisecond: ms % 1000
  });
}

/** The next change within FAST_DAYS days as (day, minute), or undefined if none that close. */
function fastNextChange(ev: Evaluation, dateKey: string, minute: number, initial: Visible): { dateKey: string; minute: number } | undefined {
  for (let offset = 0; offset < FAST_DAYS; offset++) {
    const key = offset === 0 ? dateKey : addDays(dateKey, offset);
    for (const segment of daySegments(ev, key)) {
      if (offset === 0 && segment.to <= minute) continue;
      if (segment.visible !== initial) return { dateKey: key, minute: offset === 0 && segment.from < minute ? minute : segment.from };
    }
  }
  return undefined;
}

/** The override to show at `at`: the one in force, else the next one starting within NOTICE_LOOKAHEAD_DAYS. */
function noticeAt(ev: Evaluation, at: Date): TemporaryOverride | null {
  if (ev.overrides.length === 0) return null;
  const today = parisMinute(at).dateKey;
  const current = overrideOn(ev, today);
  if (current) return current;
  const limit = addDays(today, NOTICE_LOOKAHEAD_DAYS);
  return (
    ev.overrides
      .filter((o) => o.startsOn > today && o.startsOn <= limit)
      .sort((a, b) => a.startsOn.localeCompare(b.startsOn) || (a.kind === 'closure' ? -1 : 1))[0] ?? null
  );
}

/**
 * Whether a place is open at `at` (Europe/Paris, whatever the process zone), with the next change
 * as a real instant. Temporary overrides apply by Paris date: a closure forces closed (the next
 * change is then the first opening after it), temporary hours replace the regular ones. Invalid or
 * empty hours give `unknown` rather than an exception: a stored bad value must not break a search.
 */
export function openingState(hours: string, at: Date, overrides?: TemporaryOverride[]): OpeningState {
  const ev = evaluation(hours, overrides);
  const { dateKey, minute } = parisMinute(at);
  const segment = segmentAt(daySegments(ev, dateKey), minute);
  const visible = segment.visible;
  let comment = segment.comment;
  if (comment === undefined && visible === 'closed') {
    // A closed rule's comment (`Mo off "travaux"`) is not in the open intervals: ask the package.
    const source = sourceOn(ev, dateKey);
    if (source.kind === 'hours' && source.value.includes('"')) comment = stateIn(source, toWall(at)).comment;
  }
  let nextChange: Date | null;
  let after: Visible | null;
  const fast = fastNextChange(ev, dateKey, minute, visible);
  if (fast) {
    nextChange = instantOf(fast.dateKey, fast.minute);
    after = segmentAt(daySegments(ev, fast.dateKey), fast.minute).visible;
  } else {
    const change = wallNextChange(ev, toWall(at));
    nextChange = change ? fromWall(change) : null;
    after = change ? wallStateAt(ev, change).visible : null;
  }
  const isOpen = visible === 'open';
  return {
    isOpen,
    unknown: visible === 'unknown',
    nextChange,
    closesAt: isOpen ? nextChange : null,
    opensAt: !isOpen && after === 'open' ? nextChange : null,
    notice: noticeAt(ev, at),
    ...(comment ? { comment } : {})
  };
}

/** Whether the place is surely open at `at` (maybe-open counts as not open). Fast: cached per value and day. */
export function isOpenAt(hours: string, at: Date, overrides?: TemporaryOverride[]): boolean {
  const ev = evaluation(hours, overrides);
  const { dateKey, minute } = parisMinute(at);
  return segmentAt(daySegments(ev, dateKey), minute).visible === 'open';
}

/**
 * The open and maybe-open intervals between two instants, as real instants, cropped to [from, to)
 * (for HSDS schedules and the week table). Overrides apply as in `openingState`.
 */
export function openIntervals(hours: string, from: Date, to: Date, overrides?: TemporaryOverride[]): OpenInterval[] {
  if (to <= from) return [];
  const ev = evaluation(hours, overrides);
  return wallIntervals(ev, toWall(from), toWall(to)).map((interval) => ({
    from: fromWall(interval.from),
    to: fromWall(interval.to),
    unknown: interval.unknown,
    ...(interval.comment ? { comment: interval.comment } : {})
  }));
}

const hhmm = (wall: Date) => `${pad(wall.getHours())}:${pad(wall.getMinutes())}`;

/**
 * The week (Monday to Sunday, Paris) containing `weekStart`, each day with its ranges in Paris
 * wall-clock time (`08:30–12:30`), for display on place pages. Overrides apply as in `openingState`.
 */
export function toWeekTable(hours: string, weekStart: Date, overrides?: TemporaryOverride[]): WeekTableDay[] {
  const ev = evaluation(hours, overrides);
  const wall = toWall(weekStart);
  const monday = wallDayStart(wall, -((wall.getDay() + 6) % 7));
  return WEEKDAYS.map((day, index) => {
    const start = wallDayStart(monday, index);
    const end = wallDayStart(monday, index + 1);
    const intervals = wallIntervals(ev, start, end);
    const comments = [...new Set(intervals.map((i) => i.comment).filter((c): c is string => !!c))];
    return {
      day,
      date: wallDateKey(start),
      ranges: intervals.map((i) => `${hhmm(i.from)}–${i.to.getTime() === end.getTime() ? '24:00' : hhmm(i.to)}`),
      unknown: intervals.some((i) => i.unknown),
      comments
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Human text
// ---------------------------------------------------------------------------------------------

function timeText(at: Date): string {
  const f = parisFields(at);
  return `${pad(f.hour)}:${pad(f.minute)}`;
}

/** `12 mars` / `12 March` (`1er mars` in French), with the year when it differs from `now`'s. */
function dayMonthText(dateKey: string, locale: Locale, now: Date): string {
  const [year, , day] = dateKey.split('-').map(Number);
  const text = formatCalendarDate(locale, dateKey, year !== parisFields(now).year ? 'longDate' : 'dayMonth');
  return locale === 'fr' && day === 1 ? text.replace(/^1 /, '1er ') : text;
}

/** "à 17:00", "demain à 08:30", "lundi à 09:00", "le 12 mars à 09:00" (and English), relative to `now`, in Paris. */
function whenText(at: Date, locale: Locale, now: Date): string {
  const time = timeText(at);
  const today = parisDateKey(now);
  const target = parisDateKey(at);
  if (target === today) return translate(locale, 'hours.when.today', { time });
  if (target === addDays(today, 1)) return translate(locale, 'hours.when.tomorrow', { time });
  if (target < addDays(today, 7)) {
    const weekday = formatParis(locale, 'weekday', at);
    return translate(locale, 'hours.when.weekday', { weekday, time });
  }
  return translate(locale, 'hours.when.date', { date: dayMonthText(target, locale, now), time });
}

/**
 * A short sentence for a state, in Paris time: "Ouvert · ferme à 17:00", "Fermé · ouvre lundi à
 * 09:00", "Fermé temporairement jusqu'au 12 mars" (and English). `now` is the instant the state was
 * computed for: "today"/"tomorrow" are relative to it.
 */
export function describeOpening(state: OpeningState, locale: Locale, now: Date): string {
  const today = parisDateKey(now);
  const notice = state.notice;
  if (notice?.kind === 'closure' && notice.startsOn <= today && today <= notice.endsOn) {
    return translate(locale, 'hours.state.closedUntil', { date: dayMonthText(notice.endsOn, locale, now) });
  }
  if (state.unknown) {
    return state.comment ? translate(locale, 'hours.state.unknownComment', { comment: state.comment }) : translate(locale, 'hours.state.unknown');
  }
  if (state.isOpen) {
    return state.closesAt
      ? translate(locale, 'hours.state.openClosesAt', { when: whenText(state.closesAt, locale, now) })
      : translate(locale, 'hours.state.open');
  }
  return state.opensAt
    ? translate(locale, 'hours.state.closedOpensAt', { when: whenText(state.opensAt, locale, now) })
    : translate(locale, 'hours.state.closed');
}
