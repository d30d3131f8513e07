import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  describeOpening,
  fromWall,
  isOpenAt,
  openIntervals,
  openingState,
  parisWallToInstant,
  toWall,
  toWeekTable,
  validateOpeningHours,
  type TemporaryOverride
} from './hours.rules';

const z = (iso: string) => new Date(iso);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const WEEKDAYS_AM = 'Mo-Fr 08:30-12:30';
const FULL = 'Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off';

describe('validateOpeningHours', () => {
  const clean = [
    'Mo-Fr 08:30-12:30; PH off',
    'Tu,Th 14:00-17:00',
    'Mo-Sa 09:00-12:00,14:00-18:00',
    '24/7',
    'Mo-Fr 09:00-17:00; Dec 25 off',
    FULL,
    'Mo,We,Fr 09:00-12:00; Tu 14:00-18:00 "sur rendez-vous"',
    'Mo-Fr 22:00-02:00',
    'We 14:00-17:00; Sa 09:00-12:00; PH off'
  ];

  it.each(clean)('accepts %s as it is, without warning', (value) => {
    expect(validateOpeningHours(value)).toEqual({ ok: true, normalised: value, warnings: [] });
  });

  it('normalises a missing leading zero and says so', () => {
    const result = validateOpeningHours('Mo-Fr 8:30-12:30');
    expect(result).toEqual({
      ok: true,
      normalised: 'Mo-Fr 08:30-12:30',
      warnings: ['Les horaires seront enregistrés sous la forme : Mo-Fr 08:30-12:30']
    });
  });

  it('corrects sloppy French input with the package warnings, in French or English', () => {
    const fr = validateOpeningHours('lundi-vendredi 9h-12h');
    expect(fr.ok && fr.normalised).toBe('Mo-Fr 09:00-12:00');
    expect(fr.ok && fr.warnings.some((w) => w.includes('abréviation anglaise "Mo"'))).toBe(true);
    expect(fr.ok && fr.warnings.some((w) => w.includes('sans minutes'))).toBe(true);
    const en = validateOpeningHours('lundi-vendredi 9h-12h', 'en');
    expect(en.ok && en.warnings.some((w) => w.includes('English abbreviation "Mo"'))).toBe(true);
    expect(en.ok && en.warnings.at(-1)).toBe('The opening hours will be saved as: Mo-Fr 09:00-12:00');
    // The package's language is per value, not a global switched by the previous call.
    const again = validateOpeningHours('Lu-Ve 09:00-12:00');
    expect(again.ok && again.normalised).toBe('Mo-Fr 09:00-12:00');
    expect(again.ok && again.warnings[0]).toContain('Veuillez utiliser');
  });

  it('normalises spacing and trims', () => {
    const result = validateOpeningHours('  Mo-Fr 08:30-12:30 ; PH off ');
    expect(result.ok && result.normalised).toBe('Mo-Fr 08:30-12:30; PH off');
  });

  it('a normalised value validates to itself (storing it is stable)', () => {
    for (const value of ['Mo-Fr 8:30-12:30', 'lundi-vendredi 9h-12h', 'Mo 10:00-20:00 ; tu 12:00-18:00']) {
      const first = validateOpeningHours(value);
      if (!first.ok) throw new Error(first.error);
      const second = validateOpeningHours(first.normalised);
      expect(second.ok && second.normalised).toBe(first.normalised);
      expect(second.ok && second.warnings.filter((w) => w.includes('enregistrés sous la forme'))).toEqual([]);
    }
  });

  it('refuses empty, too long and malformed values with a message', () => {
    expect(validateOpeningHours('')).toEqual({ ok: false, error: 'Indiquez des horaires.' });
    expect(validateOpeningHours('   ')).toEqual({ ok: false, error: 'Indiquez des horaires.' });
    expect(validateOpeningHours('', 'en')).toEqual({ ok: false, error: 'Enter opening hours.' });
    const long = validateOpeningHours(`${'Mo 09:00-10:00; '.repeat(70)}Tu 09:00-10:00`);
    expect(long).toEqual({ ok: false, error: 'Les horaires ne doivent pas dépasser 1000 caractères.' });
    for (const bad of ['garbage', 'Mo-Fr 09:00-', 'Mo-Fr 25:00-26:00', 'Xx 09:00-12:00', 'Mo-Fr 09:00-12:00 "unclosed']) {
      const result = validateOpeningHours(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.error, bad).toMatch(/^Horaires non reconnus : ./);
    }
    const en = validateOpeningHours('garbage', 'en');
    expect(!en.ok && en.error).toMatch(/^Opening hours not understood: /);
  });
});

describe('Europe/Paris wall clock (the machine runs in UTC)', () => {
  it('a Paris 08:30 opening is 07:30Z in winter and 06:30Z in summer', () => {
    expect(openingState(WEEKDAYS_AM, z('2026-11-30T07:29:00Z')).isOpen).toBe(false);
    expect(openingState(WEEKDAYS_AM, z('2026-11-30T07:30:00Z')).isOpen).toBe(true);
    expect(iso(openingState(WEEKDAYS_AM, z('2026-11-30T07:00:00Z')).opensAt)).toBe('2026-11-30T07:30:00.000Z');
    expect(openingState(WEEKDAYS_AM, z('2026-06-15T06:29:00Z')).isOpen).toBe(false);
    expect(openingState(WEEKDAYS_AM, z('2026-06-15T06:30:00Z')).isOpen).toBe(true);
    expect(iso(openingState(WEEKDAYS_AM, z('2026-06-15T06:30:00Z')).closesAt)).toBe('2026-06-15T10:30:00.000Z');
  });

  it('the day is the Paris day: 23:30Z on Sunday is already Monday in Paris', () => {
    expect(isOpenAt('Mo 00:00-02:00', z('2026-11-29T23:30:00Z'))).toBe(true);
    expect(isOpenAt('Su 23:00-24:00', z('2026-11-29T23:30:00Z'))).toBe(false);
  });

  it('converts wall times around the March gap and the October overlap', () => {
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00Z).
    expect(iso(parisWallToInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 30, second: 0, millisecond: 0 }))).toBe('2026-03-29T00:30:00.000Z');
    expect(iso(parisWallToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millisecond: 0 }))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(parisWallToInstant({ year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0, millisecond: 0 }))).toBe('2026-03-29T01:00:00.000Z');
    // 25 October 2026: 03:00 CEST goes back to 02:00 CET (01:00Z); 02:30 happens twice, the first is chosen.
    expect(iso(parisWallToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, millisecond: 0 }))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(parisWallToInstant({ year: 2026, month: 10, day: 25, hour: 3, minute: 0, second: 0, millisecond: 0 }))).toBe('2026-10-25T02:00:00.000Z');
    // Both occurrences of 02:30 map to the same wall time.
    expect(toWall(z('2026-10-25T00:30:00Z')).getTime()).toBe(toWall(z('2026-10-25T01:30:00Z')).getTime());
    expect(iso(fromWall(toWall(z('2026-07-01T10:15:30.250Z'))))).toBe('2026-07-01T10:15:30.250Z');
  });

  it('next opening across the spring change (29 March 2026)', () => {
    const state = openingState(WEEKDAYS_AM, z('2026-03-28T20:00:00Z'));
    expect(iso(state.opensAt)).toBe('2026-03-30T06:30:00.000Z');
    expect(iso(openingState(WEEKDAYS_AM, z('2026-03-27T07:00:00Z')).opensAt)).toBe('2026-03-27T07:30:00.000Z');
  });

  it('next opening across the autumn change (25 October 2026)', () => {
    const state = openingState(WEEKDAYS_AM, z('2026-10-24T12:00:00Z'));
    expect(iso(state.opensAt)).toBe('2026-10-26T07:30:00.000Z');
    expect(iso(openingState(WEEKDAYS_AM, z('2026-10-23T06:00:00Z')).opensAt)).toBe('2026-10-23T06:30:00.000Z');
  });

  it('night ranges on the days of change last their real length', () => {
    const spring = openIntervals('Su 01:00-04:00', z('2026-03-28T12:00:00Z'), z('2026-03-29T12:00:00Z'));
    expect(spring.map((i) => [iso(i.from), iso(i.to)])).toEqual([['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
    const autumn = openIntervals('Su 01:00-04:00', z('2026-10-24T12:00:00Z'), z('2026-10-25T12:00:00Z'));
    expect(autumn.map((i) => [iso(i.from), iso(i.to)])).toEqual([['2026-10-24T23:00:00.000Z', '2026-10-25T03:00:00.000Z']]);
    // Open at 02:30 on the night that has two 02:30s, on both of them.
    expect(isOpenAt('Su 01:00-04:00', z('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isOpenAt('Su 01:00-04:00', z('2026-10-25T01:30:00Z'))).toBe(true);
    expect(iso(openingState('Su 01:00-04:00', z('2026-10-25T00:30:00Z')).closesAt)).toBe('2026-10-25T03:00:00.000Z');
  });

  const SCENARIOS: { hours: string; at: string; overrides?: TemporaryOverride[] }[] = [
    { hours: WEEKDAYS_AM, at: '2026-11-30T07:30:00Z' },
    { hours: WEEKDAYS_AM, at: '2026-03-28T20:00:00Z' },
    { hours: WEEKDAYS_AM, at: '2026-10-24T12:00:00Z' },
    { hours: 'Su 01:00-04:00', at: '2026-10-25T00:30:00Z' },
    { hours: 'Su 01:00-04:00', at: '2026-03-28T23:30:00Z' },
    { hours: FULL, at: '2027-07-14T07:00:00Z' },
    { hours: FULL, at: '2026-11-30T10:00:00Z', overrides: [{ kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-03' }] },
    { hours: 'Mo 00:00-02:00', at: '2026-11-29T23:30:00Z' }
  ];
  const compute = `
    const [file, json] = process.argv.slice(1);
    const m = await import(file);
    const out = JSON.parse(json).map((s) => {
      const at = new Date(s.at);
      const week = new Date(at.getTime() + 7 * 86400000);
      return { state: m.openingState(s.hours, at, s.overrides), intervals: m.openIntervals(s.hours, at, week, s.overrides), table: m.toWeekTable(s.hours, at, s.overrides) };
    });
    process.stdout.write(JSON.stringify(out));`;
  const rulesFile = fileURLToPath(new URL('./hours.rules.ts', import.meta.url));
  const inProcess = () =>
    JSON.parse(
      JSON.stringify(
        SCENARIOS.map((s) => {
          const at = z(s.at);
          const week = new Date(at.getTime() + 7 * 86400000);
          return { state: openingState(s.hours, at, s.overrides), intervals: openIntervals(s.hours, at, week, s.overrides), table: toWeekTable(s.hours, at, s.overrides) };
        })
      )
    );

  it.each(['America/New_York', 'Asia/Tokyo', 'Europe/Paris'])('gives the same results when the process runs in %s', (tz) => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', compute, rulesFile, JSON.stringify(SCENARIOS)], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8'
    });
    expect(JSON.parse(output)).toEqual(inProcess());
  });
});

describe('openingState', () => {
  it('French public holidays close with PH off: 14 July 2027, 1 May and Easter Monday 2026', () => {
    const bastille = openingState(FULL, z('2027-07-14T08:00:00Z'));
    expect(bastille.isOpen).toBe(false);
    expect(iso(bastille.opensAt)).toBe('2027-07-15T06:30:00.000Z');
    expect(isOpenAt(WEEKDAYS_AM, z('2027-07-14T08:00:00Z'))).toBe(true);
    expect(isOpenAt(FULL, z('2026-05-01T08:00:00Z'))).toBe(false);
    expect(isOpenAt(FULL, z('2026-04-06T08:00:00Z'))).toBe(false);
    expect(isOpenAt(FULL, z('2026-04-07T08:00:00Z'))).toBe(true);
  });

  it('a dated closure in the hours (Dec 25 off)', () => {
    expect(isOpenAt('Mo-Fr 09:00-17:00; Dec 25 off', z('2026-12-25T10:00:00Z'))).toBe(false);
    expect(isOpenAt('Mo-Fr 09:00-17:00; Dec 25 off', z('2026-12-24T10:00:00Z'))).toBe(true);
  });

  it('24/7 is open with no next change', () => {
    expect(openingState('24/7', z('2026-11-30T03:00:00Z'))).toEqual({
      isOpen: true,
      unknown: false,
      nextChange: null,
      closesAt: null,
      opensAt: null,
      notice: null
    });
  });

  it('a range with only a comment is "maybe": unknown, not open, with the comment', () => {
    const state = openingState('Mo-Fr 09:00-12:00 "sur rendez-vous"', z('2026-11-30T09:00:00Z'));
    expect(state).toMatchObject({ isOpen: false, unknown: true, comment: 'sur rendez-vous' });
    expect(iso(state.nextChange)).toBe('2026-11-30T11:00:00.000Z');
    expect(state.closesAt).toBeNull();
    expect(state.opensAt).toBeNull();
  });

  it('overnight ranges stay open past midnight', () => {
    const state = openingState('Fr 22:00-02:00', z('2026-12-05T00:00:00Z'));
    expect(state.isOpen).toBe(true);
    expect(iso(state.closesAt)).toBe('2026-12-05T01:00:00.000Z');
  });

  it('invalid or empty stored hours give "unknown" instead of throwing', () => {
    for (const bad of ['garbage', '']) {
      expect(openingState(bad, z('2026-11-30T09:00:00Z'))).toEqual({
        isOpen: false,
        unknown: true,
        nextChange: null,
        closesAt: null,
        opensAt: null,
        notice: null
      });
    }
  });

  it('closed for good ("off") has no next change', () => {
    expect(openingState('off', z('2026-11-30T09:00:00Z'))).toMatchObject({ isOpen: false, unknown: false, nextChange: null });
  });
});

describe('fast path (cached day segments) agrees with the package', () => {
  const values = [FULL, 'Tu,Th 14:00-17:00', 'Mo-Sa 09:00-12:00,14:00-18:00', 'Fr-Sa 20:00-02:00; PH off', 'We 10:15-10:45', 'Su 01:00-04:00'];
  const start = z('2026-10-19T00:00:00Z'); // spans the autumn change, 1 November and 11 November

  it.each(values)('%s: state and next change every 97 minutes for two weeks', (value) => {
    const intervals = openIntervals(value, start, new Date(start.getTime() + 40 * 86400_000));
    for (let t = start.getTime(); t < start.getTime() + 14 * 86400_000; t += 97 * 60_000) {
      const at = new Date(t);
      const current = intervals.find((i) => i.from.getTime() <= t && t < i.to.getTime());
      const state = openingState(value, at);
      expect(state.isOpen, `${value} at ${at.toISOString()}`).toBe(!!current);
      const expected = current ? current.to : (intervals.find((i) => i.from.getTime() > t)?.from ?? null);
      expect(iso(state.nextChange), `${value} at ${at.toISOString()}`).toBe(iso(expected));
    }
  });

  it('keeps the comment of a closed rule', () => {
    expect(openingState('Mo-Fr 09:00-12:00; We off "inventaire"', z('2026-12-02T10:00:00Z')).comment).toBe('inventaire');
  });
});

describe('temporary overrides', () => {
  const closure: TemporaryOverride = { kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-03', message: 'Inventaire' };

  it('a closure forces closed; the next change is the first opening after it', () => {
    const state = openingState(FULL, z('2026-12-01T09:00:00Z'), [closure]);
    expect(state).toMatchObject({ isOpen: false, unknown: false, notice: closure, closesAt: null });
    expect(iso(state.opensAt)).toBe('2026-12-04T07:30:00.000Z');
    expect(isOpenAt(FULL, z('2026-12-01T09:00:00Z'), [closure])).toBe(false);
    expect(isOpenAt(FULL, z('2026-12-04T09:00:00Z'), [closure])).toBe(true);
  });

  it('before a closure the place is open as usual, the closure is announced, and the next opening skips it', () => {
    const morning = openingState(FULL, z('2026-11-30T09:00:00Z'), [closure]);
    expect(morning).toMatchObject({ isOpen: true, notice: closure });
    expect(iso(morning.closesAt)).toBe('2026-11-30T11:30:00.000Z');
    const evening = openingState(FULL, z('2026-11-30T17:00:00Z'), [closure]);
    expect(iso(evening.opensAt)).toBe('2026-12-04T07:30:00.000Z');
    // Beyond the 14-day look-ahead, no notice yet.
    expect(openingState(FULL, z('2026-11-10T09:00:00Z'), [closure]).notice).toBeNull();
  });

  it('a closure cuts a 24/7 place at Paris midnight', () => {
    const state = openingState('24/7', z('2026-11-30T12:00:00Z'), [{ kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-02' }]);
    expect(iso(state.closesAt)).toBe('2026-11-30T23:00:00.000Z');
    const during = openingState('24/7', z('2026-12-01T12:00:00Z'), [{ kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-02' }]);
    expect(iso(during.opensAt)).toBe('2026-12-02T23:00:00.000Z');
  });

  it('temporary hours replace the regular hours on their dates only', () => {
    const temp: TemporaryOverride = { kind: 'hours', startsOn: '2026-12-01', endsOn: '2026-12-02', openingHours: 'Mo-Su 14:00-16:00' };
    const morning = openingState(FULL, z('2026-12-01T08:00:00Z'), [temp]);
    expect(morning).toMatchObject({ isOpen: false, notice: temp });
    expect(iso(morning.opensAt)).toBe('2026-12-01T13:00:00.000Z');
    expect(isOpenAt(FULL, z('2026-12-01T14:00:00Z'), [temp])).toBe(true);
    expect(isOpenAt(FULL, z('2026-12-03T08:00:00Z'), [temp])).toBe(true);
    const afterLast = openingState(FULL, z('2026-12-02T16:00:00Z'), [temp]);
    expect(iso(afterLast.opensAt)).toBe('2026-12-03T07:30:00.000Z');
  });

  it('a closure wins over temporary hours on the same day; invalid overrides are ignored', () => {
    const temp: TemporaryOverride = { kind: 'hours', startsOn: '2026-12-01', endsOn: '2026-12-05', openingHours: 'Mo-Su 08:00-20:00' };
    const shut: TemporaryOverride = { kind: 'closure', startsOn: '2026-12-02', endsOn: '2026-12-02' };
    expect(isOpenAt(FULL, z('2026-12-01T10:00:00Z'), [temp, shut])).toBe(true);
    expect(isOpenAt(FULL, z('2026-12-02T10:00:00Z'), [temp, shut])).toBe(false);
    expect(openingState(FULL, z('2026-12-02T10:00:00Z'), [temp, shut]).notice).toEqual(shut);
    expect(isOpenAt(FULL, z('2026-12-01T10:00:00Z'), [{ kind: 'closure', startsOn: '2026-12-03', endsOn: '2026-12-01' }])).toBe(true);
    expect(isOpenAt(FULL, z('2026-12-01T10:00:00Z'), [{ kind: 'closure', startsOn: '1 déc', endsOn: '2026-12-01' }])).toBe(true);
  });

  it('temporary hours that do not parse make those days unknown', () => {
    const state = openingState(FULL, z('2026-12-01T10:00:00Z'), [{ kind: 'hours', startsOn: '2026-12-01', endsOn: '2026-12-01', openingHours: 'n’importe quoi' }]);
    expect(state.unknown).toBe(true);
  });
});

describe('describeOpening', () => {
  const say = (hours: string, at: string, locale: 'fr' | 'en' = 'fr', overrides?: TemporaryOverride[]) =>
    describeOpening(openingState(hours, z(at), overrides), locale, z(at));

  it('open, closing today', () => {
    expect(say(FULL, '2026-11-30T15:00:00Z')).toBe('Ouvert · ferme à 17:00');
    expect(say(FULL, '2026-11-30T15:00:00Z', 'en')).toBe('Open · closes at 17:00');
  });

  it('closed, opening later today, tomorrow, on a weekday, on a date', () => {
    expect(say(FULL, '2026-11-30T06:00:00Z')).toBe('Fermé · ouvre à 08:30');
    expect(say(FULL, '2026-11-29T18:00:00Z')).toBe('Fermé · ouvre demain à 08:30');
    expect(say(FULL, '2026-11-29T18:00:00Z', 'en')).toBe('Closed · opens tomorrow at 08:30');
    expect(say('Mo 09:00-12:00', '2026-12-01T12:00:00Z')).toBe('Fermé · ouvre lundi à 09:00');
    expect(say('Mo 09:00-12:00', '2026-12-01T12:00:00Z', 'en')).toBe('Closed · opens Monday at 09:00');
    expect(say('Dec 25 09:00-12:00', '2026-12-01T12:00:00Z')).toBe('Fermé · ouvre le 25 décembre à 09:00');
    expect(say('Jan 01 09:00-12:00', '2026-12-01T12:00:00Z')).toBe('Fermé · ouvre le 1er janvier 2027 à 09:00');
    expect(say('Jan 01 09:00-12:00', '2026-12-01T12:00:00Z', 'en')).toBe('Closed · opens on 1 January 2027 at 09:00');
  });

  it('after a public holiday: opens tomorrow at 08:30 in Paris time', () => {
    expect(say(FULL, '2027-07-14T08:00:00Z')).toBe('Fermé · ouvre demain à 08:30');
  });

  it('temporary closure, open all day, closed for good, maybe open', () => {
    const closure: TemporaryOverride = { kind: 'closure', startsOn: '2027-03-01', endsOn: '2027-03-12' };
    expect(say(FULL, '2027-03-03T10:00:00Z', 'fr', [closure])).toBe('Fermé temporairement jusqu’au 12 mars');
    expect(say(FULL, '2027-03-03T10:00:00Z', 'en', [closure])).toBe('Temporarily closed until 12 March');
    expect(say('24/7', '2027-03-03T10:00:00Z')).toBe('Ouvert');
    expect(say('off', '2027-03-03T10:00:00Z', 'en')).toBe('Closed');
    expect(say('Mo-Fr 09:00-12:00 "sur rendez-vous"', '2027-03-03T09:00:00Z')).toBe('Horaires à confirmer : sur rendez-vous');
    expect(say('garbage', '2027-03-03T09:00:00Z', 'en')).toBe('Opening hours to be confirmed');
  });
});

describe('openIntervals and toWeekTable', () => {
  it('lists the open intervals of a week as real instants', () => {
    const intervals = openIntervals(FULL, z('2026-11-29T23:00:00Z'), z('2026-12-06T23:00:00Z'));
    expect(intervals).toHaveLength(11);
    expect(intervals[0]).toEqual({ from: z('2026-11-30T07:30:00Z'), to: z('2026-11-30T11:30:00Z'), unknown: false });
    expect(intervals[10]).toEqual({ from: z('2026-12-05T08:00:00Z'), to: z('2026-12-05T11:00:00Z'), unknown: false });
    expect(openIntervals(FULL, z('2026-12-06T23:00:00Z'), z('2026-11-29T23:00:00Z'))).toEqual([]);
  });

  it('crops to the range and applies overrides', () => {
    const intervals = openIntervals(FULL, z('2026-11-30T09:00:00Z'), z('2026-12-02T23:00:00Z'), [
      { kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-01' },
      { kind: 'hours', startsOn: '2026-12-02', endsOn: '2026-12-02', openingHours: 'We 10:00-11:00 "distribution exceptionnelle"' }
    ]);
    expect(intervals.map((i) => [iso(i.from), iso(i.to), i.unknown, i.comment])).toEqual([
      ['2026-11-30T09:00:00.000Z', '2026-11-30T11:30:00.000Z', false, undefined],
      ['2026-11-30T12:30:00.000Z', '2026-11-30T16:00:00.000Z', false, undefined],
      ['2026-12-02T09:00:00.000Z', '2026-12-02T10:00:00.000Z', true, 'distribution exceptionnelle']
    ]);
  });

  it('builds the Monday-to-Sunday table of the Paris week, with public holidays', () => {
    const table = toWeekTable(FULL, z('2027-07-14T10:00:00Z'));
    expect(table.map((d) => [d.day, d.date, d.ranges])).toEqual([
      ['Mo', '2027-07-12', ['08:30–12:30', '13:30–17:00']],
      ['Tu', '2027-07-13', ['08:30–12:30', '13:30–17:00']],
      ['We', '2027-07-14', []],
      ['Th', '2027-07-15', ['08:30–12:30', '13:30–17:00']],
      ['Fr', '2027-07-16', ['08:30–12:30', '13:30–17:00']],
      ['Sa', '2027-07-17', ['09:00–12:00']],
      ['Su', '2027-07-18', []]
    ]);
  });

  it('takes the week of the Paris date, splits night ranges at midnight, keeps comments', () => {
    const table = toWeekTable('Sa 22:00-02:00; Tu 14:00-16:00 "sur rendez-vous"', z('2026-11-29T23:30:00Z'));
    expect(table[0]!.date).toBe('2026-11-30');
    expect(table[1]).toEqual({ day: 'Tu', date: '2026-12-01', ranges: ['14:00–16:00'], unknown: true, comments: ['sur rendez-vous'] });
    expect(table[5]!.ranges).toEqual(['22:00–24:00']);
    expect(table[6]!.ranges).toEqual(['00:00–02:00']);
    expect(toWeekTable('24/7', z('2026-03-29T10:00:00Z'))[6]!.ranges).toEqual(['00:00–24:00']);
  });

  it('shows a temporary closure as an empty day', () => {
    const table = toWeekTable(FULL, z('2026-12-01T10:00:00Z'), [{ kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-02' }]);
    expect(table.map((d) => d.ranges.length)).toEqual([2, 0, 0, 2, 2, 1, 0]);
  });
});
