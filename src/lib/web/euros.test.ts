import { describe, expect, it } from 'vitest';
import { eurosInput, formatDate, parseDateInput, parseEuros } from './euros';

describe('euros', () => {
  it('reads amounts as people type them, into cents', () => {
    expect(parseEuros('650')).toBe(65_000);
    expect(parseEuros('1 234,56')).toBe(123_456);
    expect(parseEuros('1\u202f234,5 €')).toBe(123_450);
    expect(parseEuros('12.3')).toBe(1_230);
    expect(parseEuros('0')).toBe(0);
    expect(parseEuros('  ')).toBeNull();
    expect(parseEuros(undefined)).toBeNull();
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['-5', '12,345', 'abc', '1,2,3', '1e3']) expect(parseEuros(bad), bad).toBeUndefined();
    expect(parseEuros('€')).toBeNull();
  });

  it('writes amounts and dates in the page’s language', () => {
    expect(eurosInput(65_000, 'fr')).toBe('650,00');
    expect(eurosInput(65_000, 'en')).toBe('650.00');
    expect(eurosInput(null, 'fr')).toBe('');
    expect(formatDate('2027-05-29', 'fr')).toBe('29 mai 2027');
    expect(formatDate('2027-05-29', 'en')).toBe('29 May 2027');
  });
});

describe('parseDateInput', () => {
  it('keeps the picker format and reads French dates', () => {
    expect(parseDateInput('2027-05-29')).toBe('2027-05-29');
    expect(parseDateInput('29/05/2027')).toBe('2027-05-29');
    expect(parseDateInput(' 3/6/2027 ')).toBe('2027-06-03');
    expect(parseDateInput('3.6.2027')).toBe('2027-06-03');
  });
  it('passes anything else through for the service to refuse, and keeps absence', () => {
    expect(parseDateInput('demain')).toBe('demain');
    expect(parseDateInput(undefined)).toBeUndefined();
  });
});
