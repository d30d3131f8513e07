import { describe, expect, it } from 'vitest';
import { PICKUP_CODE_ALPHABET, PICKUP_CODE_LENGTH } from '../../../schemas/marketplace-vocabulary.js';
import { DEFAULT_MARKETPLACE_SETTINGS } from './marketplace.rules.js';
import {
  allocate,
  audienceAllows,
  brokenLimit,
  generatePickupCode,
  hashPickupCode,
  limitsFor,
  lotteryOrder,
  lotterySeed,
  lotteryWeight,
  normalisePickupCode,
  parisWeekOf,
  personMayCancel,
  type PoolEntry
} from './reservations.rules.js';
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../../random.js';

const settings = { ...DEFAULT_MARKETPLACE_SETTINGS };
const now = new Date('2026-11-29T10:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe('pickup codes', () => {
  it('are PICKUP_CODE_LENGTH characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i += 1) {
      const code = generatePickupCode((n) => randomBytes(n));
      expect(code).toHaveLength(PICKUP_CODE_LENGTH);
      for (const ch of code) expect(PICKUP_CODE_ALPHABET).toContain(ch);
    }
  });

  it('reject bytes that would bias the draw (no modulo bias)', () => {
    // 248 = 8 × 31 is the first rejected byte with a 31-letter alphabet.
    const bytes = [255, 250, 248, 0, 1, 2, 3, 4, 5];
    let i = 0;
    const code = generatePickupCode((n) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!));
    expect(code).toBe(PICKUP_CODE_ALPHABET.slice(0, 6));
  });

  it('hash the offer id with the normalised code', () => {
    expect(hashPickupCode('o1', 'ab c-de2')).toBe(hashPickupCode('o1', 'ABCDE2'));
    expect(hashPickupCode('o1', 'ABCDE2')).not.toBe(hashPickupCode('o2', 'ABCDE2'));
    expect(normalisePickupCode(' k7 pm-3x ')).toBe('K7PM3X');
  });
});

describe('limits', () => {
  it('are the settings without no-shows', () => {
    expect(limitsFor(settings, [], now)).toEqual({
      maxActiveReservations: 3,
      maxUnitsPerOfferPerPerson: 2,
      maxPickupsPerWeek: 4,
      penaltyUntil: null
    });
  });

  it('drop while a penalty runs after noShowThreshold no-shows within the window', () => {
    const l = limitsFor(settings, [daysAgo(10), daysAgo(3)], now);
    expect(l.maxActiveReservations).toBe(1);
    expect(l.penaltyUntil).toBe(new Date(Date.parse(daysAgo(3)) + 14 * 86_400_000).toISOString());
  });

  it('ignore no-shows outside the window, and end with the penalty', () => {
    expect(limitsFor(settings, [daysAgo(40), daysAgo(3)], now).penaltyUntil).toBeNull();
    expect(limitsFor(settings, [daysAgo(29), daysAgo(20)], now).penaltyUntil).toBeNull();
  });

  it('name the first limit a request breaks', () => {
    const l = limitsFor(settings, [], now);
    const usage = { active: 0, unitsOnOffer: 0, pickupsThisWeek: 0, holdsOffer: false };
    expect(brokenLimit(l, usage, 2)).toBeNull();
    expect(brokenLimit(l, usage, 3)).toBe('maxUnitsPerOfferPerPerson');
    expect(brokenLimit(l, { ...usage, unitsOnOffer: 1, holdsOffer: true }, 2)).toBe('maxUnitsPerOfferPerPerson');
    expect(brokenLimit(l, { ...usage, active: 3 }, 1)).toBe('maxActiveReservations');
    expect(brokenLimit(l, { ...usage, pickupsThisWeek: 4 }, 1)).toBe('maxPickupsPerWeek');
    // More of an offer already held counts no new reservation nor pickup.
    expect(brokenLimit(l, { active: 3, unitsOnOffer: 1, pickupsThisWeek: 4, holdsOffer: true }, 1)).toBeNull();
  });
});

describe('the Paris week', () => {
  it('runs from Monday 00:00 to Monday 00:00 in Europe/Paris (winter: UTC+1)', () => {
    // Sunday 29 November 2026 → week of Monday 23 November.
    expect(parisWeekOf(now)).toEqual({ start: '2026-11-22T23:00:00.000Z', end: '2026-11-29T23:00:00.000Z' });
    // Monday 00:30 Paris is already the next week.
    expect(parisWeekOf(new Date('2026-11-29T23:30:00.000Z')).start).toBe('2026-11-29T23:00:00.000Z');
  });

  it('follows summer time', () => {
    expect(parisWeekOf(new Date('2026-07-01T12:00:00.000Z'))).toEqual({
      start: '2026-06-28T22:00:00.000Z',
      end: '2026-07-05T22:00:00.000Z'
    });
  });
});

describe('audience', () => {
  const until = '2026-11-29T11:00:00.000Z';
  it('people: persons only; partners: partners only', () => {
    expect(audienceAllows({ audience: 'people', partnersUntil: null }, 'person', now)).toBe(true);
    expect(audienceAllows({ audience: 'people', partnersUntil: null }, 'partner', now)).toBe(false);
    expect(audienceAllows({ audience: 'partners', partnersUntil: null }, 'person', now)).toBe(false);
    expect(audienceAllows({ audience: 'partners', partnersUntil: null }, 'partner', now)).toBe(true);
  });
  it('partners-first: persons from partnersUntil on', () => {
    const offer = { audience: 'partners-first' as const, partnersUntil: until };
    expect(audienceAllows(offer, 'partner', now)).toBe(true);
    expect(audienceAllows(offer, 'person', now)).toBe(false);
    expect(audienceAllows(offer, 'person', new Date(until))).toBe(true);
  });
});

describe('cancellation by the person', () => {
  it('is open until the window starts, for live statuses', () => {
    const start = '2026-11-29T11:00:00.000Z';
    expect(personMayCancel('confirmed', start, now)).toBe(true);
    expect(personMayCancel('waiting', start, now)).toBe(true);
    expect(personMayCancel('pooled', start, now)).toBe(true);
    expect(personMayCancel('confirmed', start, new Date(start))).toBe(false);
    expect(personMayCancel('collected', start, now)).toBe(false);
    expect(personMayCancel('cancelled', start, now)).toBe(false);
  });
});

describe('the pooling lottery', () => {
  const entry = (id: string, recentUnits: number, quantity = 1): PoolEntry => ({
    id,
    quantity,
    recentUnits,
    createdAt: '2026-11-29T10:00:00.000Z'
  });

  it('weighs people who received least more', () => {
    expect(lotteryWeight(0)).toBe(1);
    expect(lotteryWeight(3)).toBe(0.25);
    expect(lotteryWeight(-2)).toBe(1);
  });

  it('is deterministic given a seed', () => {
    const entries = ['a', 'b', 'c', 'd', 'e'].map((id, i) => entry(id, i));
    const once = lotteryOrder(entries, mulberry32(42)).map((e) => e.id);
    expect(lotteryOrder(entries, mulberry32(42)).map((e) => e.id)).toEqual(once);
    expect(lotterySeed('o1', '2026-11-29T10:10:00.000Z')).toBe(lotterySeed('o1', '2026-11-29T10:10:00.000Z'));
    expect(lotterySeed('o1', '2026-11-29T10:10:00.000Z')).not.toBe(lotterySeed('o2', '2026-11-29T10:10:00.000Z'));
  });

  it('gives the first place in proportion to the weights (fixed seed, 20,000 draws)', () => {
    // Weights 1, 1/2, 1/4, 1/5 → first-place probabilities w / Σw.
    const entries = [entry('none', 0), entry('one', 1), entry('three', 3), entry('four', 4)];
    const weights = entries.map((e) => lotteryWeight(e.recentUnits));
    const total = weights.reduce((a, b) => a + b, 0);
    const random = mulberry32(2026);
    const firsts = new Map<string, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i += 1) {
      const first = lotteryOrder(entries, random)[0]!.id;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // Chi-square goodness of fit, 3 degrees of freedom: 11.34 is the 1 % critical value.
    let chi2 = 0;
    entries.forEach((e, i) => {
      const expected = (draws * weights[i]!) / total;
      chi2 += ((firsts.get(e.id) ?? 0) - expected) ** 2 / expected;
    });
    expect(chi2).toBeLessThan(11.34);
    expect(firsts.get('none')!).toBeGreaterThan(firsts.get('four')! * 3);
  });

  it('serves people who received nothing more often when units are scarce', () => {
    const fresh = Array.from({ length: 10 }, (_, i) => entry(`fresh-${i}`, 0));
    const served = Array.from({ length: 10 }, (_, i) => entry(`served-${i}`, 6));
    const random = mulberry32(7);
    let freshWins = 0;
    let servedWins = 0;
    for (let round = 0; round < 2000; round += 1) {
      const { confirmed } = allocate(lotteryOrder([...served, ...fresh], random), 5);
      for (const e of confirmed) {
        if (e.id.startsWith('fresh')) freshWins += 1;
        else servedWins += 1;
      }
    }
    expect(freshWins + servedWins).toBe(2000 * 5);
    expect(freshWins / servedWins).toBeGreaterThan(3);
  });

  it('serves whole requests within what remains and queues the rest in order', () => {
    const ordered = [entry('a', 0, 2), entry('b', 0, 3), entry('c', 0, 1), entry('d', 0, 2)];
    const plan = allocate(ordered, 4);
    expect(plan.confirmed.map((e) => e.id)).toEqual(['a', 'c']);
    expect(plan.waiting.map((e) => e.id)).toEqual(['b', 'd']);
    expect(plan.left).toBe(1);
  });
});
