import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, occurrenceDays, occurrenceWindow, seriesProblems } from './series.rules.js';

const weekdays = { weekdays: [1, 2, 3, 4, 5], startTime: '19:00', endTime: '20:00', startsOn: '2026-11-01', endsOn: null };

describe('series rules', () => {
  it('knows ISO weekdays and adds days across months', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // a Monday
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
  it('lists the weekdays of the next seven days', () => {
    expect(occurrenceDays(weekdays, '2026-11-28')).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
  });
  it('respects the first and last day of the series', () => {
    expect(occurrenceDays({ ...weekdays, startsOn: '2026-12-02', endsOn: '2026-12-03' }, '2026-11-28')).toEqual(['2026-12-02', '2026-12-03']);
  });
  it('keeps 19:00–20:00 Paris time across the DST changes', () => {
    expect(occurrenceWindow('2026-03-27', '19:00', '20:00')).toEqual({ startsAt: '2026-03-27T18:00:00.000Z', endsAt: '2026-03-27T19:00:00.000Z' });
    expect(occurrenceWindow('2026-03-30', '19:00', '20:00')).toEqual({ startsAt: '2026-03-30T17:00:00.000Z', endsAt: '2026-03-30T18:00:00.000Z' });
    expect(occurrenceWindow('2026-10-26', '19:00', '20:00').startsAt).toBe('2026-10-26T18:00:00.000Z');
  });
  it('runs a window past midnight into the next day', () => {
    expect(occurrenceWindow('2026-11-30', '23:30', '00:30')).toEqual({ startsAt: '2026-11-30T22:30:00.000Z', endsAt: '2026-11-30T23:30:00.000Z' });
  });
  it('names what is wrong with a rule', () => {
    expect(seriesProblems(weekdays)).toEqual([]);
    expect(seriesProblems({ ...weekdays, weekdays: [0, 8], startTime: '7h', endsOn: '2026-10-01' }).map((p) => `${p.path}:${p.code}`)).toEqual([
      'weekdays:weekdays_invalid',
      'startTime:time_invalid',
      'endsOn:ends_before_start'
    ]);
    expect(seriesProblems({ ...weekdays, weekdays: [] })[0]?.path).toBe('weekdays');
    expect(seriesProblems({ ...weekdays, endTime: '19:00' })[0]?.code).toBe('window_ends_before_start');
  });
});
