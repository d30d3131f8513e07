import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import {
  handoverTiming,
  normaliseHandoverCode,
  parisDayBounds,
  pickupCodeHash,
  unitsGivenBack
} from './pickup.rules.js';

function fieldOf(fn: () => unknown): { path: string; code?: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.details?.fields?.[0];
    throw e;
  }
  return undefined;
}

describe('normaliseHandoverCode', () => {
  it('upper-cases and strips spaces and dashes; 6 symbols is a pickup code, 8 a card', () => {
    expect(normaliseHandoverCode(' ab2-c d3 ')).toEqual({ kind: 'pickup', code: 'AB2CD3' });
    expect(normaliseHandoverCode('abcd-efgh')).toEqual({ kind: 'card', code: 'ABCDEFGH' });
  });
  it('refuses characters never printed (0, O, 1, I, L) and other lengths, naming the field', () => {
    expect(fieldOf(() => normaliseHandoverCode('AB0CD3'))).toMatchObject({ path: 'code', code: 'invalid_character' });
    expect(fieldOf(() => normaliseHandoverCode('ABC*D3'))).toMatchObject({ path: 'code', code: 'invalid_character' });
    expect(fieldOf(() => normaliseHandoverCode('ABCDE'))).toMatchObject({ path: 'code', code: 'invalid_length' });
  });
});

describe('pickupCodeHash', () => {
  it('is sha256 hex of offer id followed by the code (the data contract)', () => {
    expect(pickupCodeHash('offer-1', 'ABC234')).toBe(createHash('sha256').update('offer-1ABC234').digest('hex'));
    expect(pickupCodeHash('offer-1', 'ABC234')).toMatch(/^[0-9a-f]{64}$/);
    expect(pickupCodeHash('offer-1', 'ABC234')).not.toBe(pickupCodeHash('offer-2', 'ABC234'));
  });
});

describe('handoverTiming', () => {
  const w = { startsAt: '2026-11-29T18:00:00.000Z', endsAt: '2026-11-29T19:00:00.000Z' };
  it('opens 30 minutes before the window and closes 60 minutes after it', () => {
    expect(handoverTiming(w, new Date('2026-11-29T17:29:00.000Z'))).toBe('early');
    expect(handoverTiming(w, new Date('2026-11-29T17:30:00.000Z'))).toBe('open');
    expect(handoverTiming(w, new Date('2026-11-29T20:00:00.000Z'))).toBe('open');
    expect(handoverTiming(w, new Date('2026-11-29T20:01:00.000Z'))).toBe('late');
  });
});

describe('unitsGivenBack', () => {
  it('returns what was not collected, never negative', () => {
    expect(unitsGivenBack(3, 1)).toBe(2);
    expect(unitsGivenBack(3, 3)).toBe(0);
  });
});

describe('parisDayBounds', () => {
  it('gives the Paris calendar day in UTC: winter, summer, 23 hours in March, 25 in October, across a year', () => {
    const cases: [at: string, from: string, to: string][] = [
      ['2026-11-29T23:30:00.000Z', '2026-11-29T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
      ['2026-07-01T10:00:00.000Z', '2026-06-30T22:00:00.000Z', '2026-07-01T22:00:00.000Z'],
      ['2026-03-29T12:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-10-25T12:00:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
      ['2026-12-31T23:30:00.000Z', '2026-12-31T23:00:00.000Z', '2027-01-01T23:00:00.000Z']
    ];
    for (const [at, from, to] of cases) expect(parisDayBounds(new Date(at)), at).toEqual({ from, to });
  });
});
