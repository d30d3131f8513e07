import opening_hours from 'opening_hours';
import { describe, expect, it } from 'vitest';
import { buildOpeningHours, emptyWeeklyHours, parseSimpleOpeningHours, validateWeeklyHours, type WeeklyHours } from './builder';

const week = (days: Partial<WeeklyHours['days']>, publicHolidaysClosed = false): WeeklyHours => {
  const w = emptyWeeklyHours();
  return { days: { ...w.days, ...days }, publicHolidaysClosed };
};
const r = (from: string, to: string) => ({ from, to });
const day = [r('08:30', '12:30'), r('13:30', '17:00')];

describe('buildOpeningHours', () => {
  it('groups consecutive days with identical ranges and adds PH off', () => {
    const w = week({ Mo: day, Tu: day, We: day, Th: day, Fr: day, Sa: [r('09:00', '12:00')] }, true);
    expect(buildOpeningHours(w)).toBe('Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off');
  });

  it('lists non-consecutive days and pairs, ordering rules by their first day', () => {
    expect(buildOpeningHours(week({ Tu: [r('14:00', '17:00')], Th: [r('14:00', '17:00')] }))).toBe('Tu,Th 14:00-17:00');
    expect(buildOpeningHours(week({ Mo: [r('09:00', '12:00')], Tu: [r('09:00', '12:00')] }))).toBe('Mo,Tu 09:00-12:00');
    const mixed = week({
      Mo: [r('09:00', '12:00')],
      Tu: [r('09:00', '12:00')],
      We: [r('14:00', '16:00')],
      Th: [r('09:00', '12:00')],
      Fr: [r('09:00', '12:00')],
      Sa: [r('09:00', '12:00')]
    });
    expect(buildOpeningHours(mixed)).toBe('Mo,Tu,Th-Sa 09:00-12:00; We 14:00-16:00');
  });

  it('sorts the ranges of a day, writes 24/7 for a week always open, and nothing for a closed week', () => {
    expect(buildOpeningHours(week({ Mo: [r('14:00', '17:00'), r('08:00', '12:00')] }))).toBe('Mo 08:00-12:00,14:00-17:00');
    const always = week(Object.fromEntries(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'].map((d) => [d, [r('00:00', '24:00')]])));
    expect(buildOpeningHours(always)).toBe('24/7');
    expect(buildOpeningHours({ ...always, publicHolidaysClosed: true })).toBe('Mo-Su 00:00-24:00; PH off');
    expect(buildOpeningHours(week({}))).toBe('');
    expect(buildOpeningHours(week({}, true))).toBe('');
  });

  it('refuses an invalid week (call validateWeeklyHours first)', () => {
    expect(() => buildOpeningHours(week({ Mo: [r('9h', '12:00')] }))).toThrow(/days\.Mo\.0\.from invalidTime/);
  });

  it('produces what the opening_hours package keeps as it is', () => {
    const samples = [
      week({ Mo: day, Tu: day, We: day, Th: day, Fr: day, Sa: [r('09:00', '12:00')] }, true),
      week({ Tu: [r('14:00', '17:00')], Th: [r('14:00', '17:00')] }),
      week({ Mo: [r('09:00', '12:00')], We: [r('09:00', '12:00')], Fr: [r('09:00', '24:00')], Su: [r('10:00', '11:00')] }, true)
    ];
    for (const sample of samples) {
      const value = buildOpeningHours(sample);
      const oh = new opening_hours(value, null);
      expect(oh.prettifyValue()).toBe(value);
      expect(oh.getWarnings()).toEqual([]);
    }
  });
});

describe('validateWeeklyHours', () => {
  it('names each bad field', () => {
    const errors = validateWeeklyHours(
      week({
        Mo: [r('8:30', '12:00')],
        Tu: [r('14:00', '12:00')],
        We: [r('09:00', '12:00'), r('11:00', '14:00')],
        Th: [r('09:00', '10:00'), r('10:00', '11:00'), r('11:00', '12:00'), r('13:00', '14:00')],
        Fr: [r('24:00', '24:00')],
        Sa: [r('22:00', '00:00')]
      })
    );
    expect(errors).toEqual([
      { path: 'days.Mo.0.from', code: 'invalidTime' },
      { path: 'days.Tu.0.to', code: 'endBeforeStart' },
      { path: 'days.We.1.from', code: 'overlap' },
      { path: 'days.Th', code: 'tooManyRanges' },
      { path: 'days.Fr.0.from', code: 'invalidTime' },
      { path: 'days.Sa.0.to', code: 'invalidTime' }
    ]);
  });

  it('accepts touching ranges, 24:00 as an end and an empty week', () => {
    expect(validateWeeklyHours(week({ Mo: [r('09:00', '12:00'), r('12:00', '24:00')] }))).toEqual([]);
    expect(validateWeeklyHours(emptyWeeklyHours())).toEqual([]);
  });
});

describe('parseSimpleOpeningHours', () => {
  it.each([
    'Mo-Fr 08:30-12:30; PH off',
    'Tu,Th 14:00-17:00',
    'Mo-Sa 09:00-12:00,14:00-18:00',
    '24/7',
    'Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off',
    'Mo,We-Fr 09:00-12:00; Tu 14:00-16:00',
    'Mo-Su 10:00-11:00; PH off'
  ])('round-trips %s', (value) => {
    const parsed = parseSimpleOpeningHours(value);
    expect(parsed).not.toBeNull();
    expect(buildOpeningHours(parsed!)).toBe(value);
  });

  it('reads the week a string describes', () => {
    expect(parseSimpleOpeningHours('Tu,Th 14:00-17:00; PH off')).toEqual(
      week({ Tu: [r('14:00', '17:00')], Th: [r('14:00', '17:00')] }, true)
    );
  });

  it('gives later rules OSM meaning: they replace the earlier ranges of their days', () => {
    const parsed = parseSimpleOpeningHours('Mo-Fr 09:00-12:00; We off; Fr 14:00-16:00');
    expect(parsed).toEqual(week({ Mo: [r('09:00', '12:00')], Tu: [r('09:00', '12:00')], Th: [r('09:00', '12:00')], Fr: [r('14:00', '16:00')] }));
    expect(buildOpeningHours(parsed!)).toBe('Mo,Tu,Th 09:00-12:00; Fr 14:00-16:00');
  });

  it('tolerates spacing and single-digit hours', () => {
    expect(parseSimpleOpeningHours('  Mo-Fr  8:30-12:30 , 13:30-17:00 ;PH off ')).toEqual(
      week({ Mo: day, Tu: day, We: day, Th: day, Fr: day }, true)
    );
  });

  it.each([
    '',
    'Mo-Fr 09:00-12:00 "sur rendez-vous"',
    'Mo-Fr 22:00-02:00',
    'Mo-Fr 09:00-12:00; Dec 25 off',
    'PH off; Mo-Fr 09:00-12:00',
    'Mo-Fr 09:00-12:00; PH 10:00-12:00',
    'Sa-Mo 09:00-12:00',
    'Mo 08:00-09:00,09:30-10:00,10:30-11:00,11:30-12:00',
    'Mo 09:00-12:00,11:00-13:00',
    'lundi 09:00-12:00',
    'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
    'Jan-Jun Mo-Fr 09:00-12:00',
    'open',
    'Mo-Fr sunrise-sunset'
  ])('leaves %j to the raw text field', (value) => {
    expect(parseSimpleOpeningHours(value)).toBeNull();
  });
});
