import { describe, expect, it } from 'vitest';
import type { NoticeRecord } from './directory.repository.js';
import {
  changedKeys,
  currentNotices,
  decodeCursor,
  encodeCursor,
  isSimilarName,
  isStale,
  overridesFor,
  stopPeriod,
  placeSlugBase,
  serviceWarnings
} from './directory.rules.js';

const notice = (o: Partial<NoticeRecord>): NoticeRecord => ({
  id: 'n',
  placeId: 'p',
  serviceId: null,
  kind: 'closure',
  startsOn: '2026-12-24',
  endsOn: '2026-12-26',
  openingHours: null,
  message: null,
  createdAt: '2026-11-29T00:00:00.000Z',
  ...o
});

describe('directory rules', () => {
  it('builds a slug from name and city, without repeating the city', () => {
    expect(placeSlugBase('Épicerie du Pont', 'Lille')).toBe('epicerie-du-pont-lille');
    expect(placeSlugBase('Restos du cœur de Lille', 'Lille')).toBe('restos-du-coeur-de-lille');
    expect(placeSlugBase('!!!', null)).toBe('lieu');
  });

  it('finds similar names whatever accents, case, articles and extra words', () => {
    expect(isSimilarName('Restos du cœur', 'Les Restos du Coeur')).toBe(true);
    expect(isSimilarName('Épicerie solidaire du Pont', 'epicerie solidaire pont')).toBe(true);
    expect(isSimilarName('Restos du cœur', 'Restos du cœur de Lille Sud')).toBe(true);
    expect(isSimilarName('Secours populaire', 'Restos du cœur')).toBe(false);
    expect(isSimilarName('Épicerie solidaire du Pont', 'Épicerie solidaire de la Gare')).toBe(false);
  });

  it('is stale when never verified or verified longer ago than the limit', () => {
    const now = new Date('2026-11-29T12:00:00.000Z');
    expect(isStale(null, now, 6)).toBe(true);
    expect(isStale('2026-06-01T00:00:00.000Z', now, 6)).toBe(false);
    expect(isStale('2026-05-28T00:00:00.000Z', now, 6)).toBe(true);
    expect(isStale('2026-05-28T00:00:00.000Z', now, 12)).toBe(false);
  });

  it('applies place notices to every service and service notices to theirs only', () => {
    const notices = [notice({ id: 'a' }), notice({ id: 'b', serviceId: 's1', kind: 'hours', openingHours: 'Mo 10:00-12:00' })];
    expect(overridesFor(notices, null)).toHaveLength(1);
    expect(overridesFor(notices, 's1')).toEqual([
      { kind: 'closure', startsOn: '2026-12-24', endsOn: '2026-12-26' },
      { kind: 'hours', startsOn: '2026-12-24', endsOn: '2026-12-26', openingHours: 'Mo 10:00-12:00' }
    ]);
    expect(overridesFor(notices, 's2')).toHaveLength(1);
    expect(currentNotices(notices, '2026-12-27')).toEqual([]);
    expect(currentNotices(notices, '2026-12-26')).toHaveLength(2);
  });

  it('warns when a paying service lacks the financial participation modality', () => {
    expect(serviceWarnings({ frais: 'payant', modalities: [] })[0]?.field).toBe('modalities');
    expect(serviceWarnings({ frais: 'payant', modalities: ['participation-financiere'] })).toEqual([]);
    expect(serviceWarnings({ frais: 'gratuit' })).toEqual([]);
  });

  it('lists changed keys and round-trips cursors, refusing foreign ones', () => {
    expect(changedKeys({ a: 1, b: [1] }, { a: 1, b: [2] })).toEqual(['b']);
    const c = encodeCursor('2026-11-29T10:00:00.000Z', 'abc');
    expect(decodeCursor(c)).toEqual({ at: '2026-11-29T10:00:00.000Z', id: 'abc' });
    expect(decodeCursor('garbage')).toBeUndefined();
  });
});

describe('stop periods', () => {
  it('a stop is past after its last day, upcoming before its first, else current (days inclusive)', () => {
    const stop = { validFrom: '2027-07-01', validTo: '2027-08-31' };
    expect(stopPeriod(stop, '2027-06-30')).toBe('upcoming');
    expect(stopPeriod(stop, '2027-07-01')).toBe('current');
    expect(stopPeriod(stop, '2027-08-31')).toBe('current');
    expect(stopPeriod(stop, '2027-09-01')).toBe('past');
    expect(stopPeriod({ validFrom: null, validTo: null }, '2030-01-01')).toBe('current');
    expect(stopPeriod({ validFrom: null, validTo: '2026-01-01' }, '2026-01-02')).toBe('past');
  });
});
