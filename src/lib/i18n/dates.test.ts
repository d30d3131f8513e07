import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatParis } from './dates';

// Intl puts a narrow no-break space in some English times; compare on plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatParis', () => {
  const evening = '2026-11-29T18:00:00Z'; // 19:00 in Paris (winter, UTC+1)

  it('writes each format in French and in English, in Paris time', () => {
    const cases: [Parameters<typeof formatParis>[1], string, string][] = [
      ['day', 'dimanche 29 novembre', 'Sunday 29 November'],
      ['dayMonth', '29 novembre', '29 November'],
      ['dayTime', 'dimanche 29 novembre à 19:00', 'Sunday 29 November at 19:00'],
      ['dateTime', '29 nov. 2026, 19:00', '29 Nov 2026, 19:00'],
      ['longDate', '29 novembre 2026', '29 November 2026'],
      ['shortDate', '29/11/2026', '29/11/2026'],
      ['time', '19:00', '19:00'],
      ['weekday', 'dimanche', 'Sunday'],
      ['when', 'dim. 29 nov., 19:00', 'Sun 29 Nov, 19:00']
    ];
    for (const [format, fr, en] of cases) {
      expect(plain(formatParis('fr', format, evening)), format).toBe(fr);
      expect(plain(formatParis('en', format, evening)), format).toBe(en);
    }
  });

  it('follows the clock change: the spring-forward and fall-back days of 2026', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(formatParis('fr', 'time', '2026-03-29T00:30:00Z')).toBe('01:30');
    expect(formatParis('fr', 'time', '2026-03-29T01:30:00Z')).toBe('03:30');
    // 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    expect(formatParis('fr', 'time', '2026-10-25T00:30:00Z')).toBe('02:30');
    expect(formatParis('fr', 'time', '2026-10-25T01:30:00Z')).toBe('02:30');
    expect(formatParis('fr', 'time', '2026-10-25T02:30:00Z')).toBe('03:30');
  });

  it('puts a late UTC evening on the next Paris day, whatever the process zone', () => {
    expect(formatParis('fr', 'day', '2026-03-28T23:30:00Z')).toBe('dimanche 29 mars');
    expect(formatParis('en', 'day', '2026-06-30T22:30:00Z')).toBe('Wednesday 1 July');
    expect(formatParis('fr', 'day', new Date('2026-06-30T21:59:00Z'))).toBe('mardi 30 juin');
  });

  it('gives nothing for nothing and the text itself when it is not a date', () => {
    expect(formatParis('fr', 'time', null)).toBe('');
    expect(formatParis('fr', 'time', undefined)).toBe('');
    expect(formatParis('fr', 'time', '')).toBe('');
    expect(formatParis('fr', 'time', 'bientôt')).toBe('bientôt');
  });
});

describe('formatCalendarDate', () => {
  it('keeps the calendar day, including on clock-change days', () => {
    expect(formatCalendarDate('fr', '2026-03-29')).toBe('29 mars 2026');
    expect(formatCalendarDate('en', '2026-10-25')).toBe('25 October 2026');
    expect(formatCalendarDate('fr', '2027-01-01T23:30:00Z', 'dayMonth')).toBe('1 janvier');
    expect(formatCalendarDate('fr', '2026-03-29', 'day')).toBe('dimanche 29 mars');
  });

  it('gives nothing for nothing and the text itself when it is not a date', () => {
    expect(formatCalendarDate('fr', null)).toBe('');
    expect(formatCalendarDate('fr', 'jamais')).toBe('jamais');
  });
});
