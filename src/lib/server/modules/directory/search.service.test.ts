import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { AppError } from '../../errors.js';
import { haversineKm } from '../../db/geosearch.js';
import { parseSearchQuery, type SearchParams } from './search.rules.js';
import type { SearchPage } from './search.service.js';
import { LILLE, seedSearchDirectory, type SearchFixture } from './search.testing.js';

/** Tuesday 1 December 2026, 11:00 in Paris. */
const TUESDAY_11H = '2026-12-01T10:00:00.000Z';

describe.each(DIALECTS)('directory search on %s', (kind) => {
  let t: TestServices;
  let fx: SearchFixture;
  const label = kind === 'postgres' ? postgresLabel : kind;

  beforeAll(async () => {
    t = await createTestServices(kind);
    fx = await seedSearchDirectory(t.services.db, kind);
  }, 60_000);

  afterAll(async () => {
    await t.destroy();
  });

  beforeEach(() => {
    t.clock.set(TUESDAY_11H);
  });

  function params(raw: Record<string, string | string[]>): SearchParams {
    const r = parseSearchQuery(raw);
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    return r.params;
  }

  const search = (raw: Record<string, string | string[]>) => t.services.directorySearch.search(params(raw));
  const near = (raw: Record<string, string | string[]> = {}) =>
    search({ lat: String(LILLE.lat), lng: String(LILLE.lng), ...raw });
  const names = (page: SearchPage) => page.results.map((r) => r.place.name);
  const ids = (page: SearchPage) => page.results.map((r) => r.place.id);
  const letters = (page: SearchPage) =>
    ids(page).map((id) => Object.entries(fx.ids).find(([, v]) => v === id)?.[0] ?? '?');

  it(`orders by distance within a fixed radius (${label})`, async () => {
    const page = await near({ radiusKm: '6' });
    expect(letters(page)).toEqual(['A', 'B', 'C']);
    expect(page.total).toBe(3);
    expect(page.radiusKm).toBe(6);
    expect(page.center).toEqual(LILLE);
    const distances = page.results.map((r) => r.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const a = page.results[0];
    expect(a?.distanceKm).toBeCloseTo(haversineKm(LILLE, { lat: 50.63, lng: 3.058 }), 2);
  });

  it('widens from 1 km by doubling until a page is full', async () => {
    const page = await near({ pageSize: '4' });
    // 1, 2, 4, 8 km hold A, B, C only; 16 km adds D and E.
    expect(page.radiusKm).toBe(16);
    expect(page.total).toBe(5);
    expect(letters(page)).toEqual(['A', 'B', 'C', letters(page)[3]]);
    expect(['D', 'E']).toContain(letters(page)[3]);
  });

  it('stops widening at 100 km when there are few matches', async () => {
    const page = await near({ categories: 'colis-bebe' });
    expect(page.radiusKm).toBe(100);
    expect(letters(page)).toEqual(['D']);
  });

  it('never returns a place beyond 100 km', async () => {
    const page = await search({ lat: '43.2965', lng: '5.3698' }); // Marseille
    expect(page.total).toBe(0);
    expect(page.results).toEqual([]);
    expect(page.radiusKm).toBe(100);
  });

  it('filters by commune and measures from its centre', async () => {
    const page = await search({ commune: '59512' });
    expect(letters(page).sort()).toEqual(['D', 'E']);
    expect(page.total).toBe(2);
    expect(page.radiusKm).toBeNull();
    expect(page.center?.lat).toBeCloseTo((50.6942 + 50.69) / 2, 6);
    expect(page.center?.lng).toBeCloseTo((3.1746 + 3.18) / 2, 6);
    for (const r of page.results) expect(r.distanceKm).toBeLessThan(1);
  });

  it('answers an unknown commune with nothing', async () => {
    const page = await search({ commune: '75056' });
    expect(page).toMatchObject({ results: [], total: 0, center: null });
  });

  it('orders by name without a point', async () => {
    const page = await search({});
    expect(page.total).toBe(6);
    expect(page.center).toBeNull();
    expect(page.results.every((r) => r.distanceKm === null)).toBe(true);
    const got = names(page);
    expect(got).toEqual([...got].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  describe('text', () => {
    it.each([
      ['restos', ['A']],
      ['RESTOS du coeur', ['A']],
      ['Restaurants du Cœur', ['A']], // only through the synonym: the documents say "Restos"
      ['epicerie', ['B']],
      ['ÉPICERIE', ['B']],
      ['épicerie solidaire', ['B']], // the document says "épicerie sociale"
      ['frigo', ['C']],
      ['secours pop', ['D']],
      ['croix rouge', ['E']],
      ['roubaix', ['D', 'E']],
      ['colis', ['A', 'D']], // "colis alimentaire" and "colis bébé"
      ['bebe', ['D']],
      ['caviar', []]
    ])('"%s" finds %j', async (q, expected) => {
      const page = await search({ q });
      expect(letters(page).sort()).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('combines text with a point', async () => {
      const page = await near({ q: 'repas', radiusKm: '50' });
      expect(letters(page)).toEqual(['E']);
    });

    it('matches words by their beginning within a radius too, accents and case folded', async () => {
      // Within a radius the text is read from each place's document, not the full-text index: same rule.
      expect(letters(await near({ q: 'REST', radiusKm: '50' }))).toEqual(['A']);
      expect(letters(await near({ q: 'cœur', radiusKm: '50' }))).toEqual(['A']);
      expect(letters(await near({ q: 'estos', radiusKm: '50' }))).toEqual([]);
      expect(letters(await near({ q: 'oeur', radiusKm: '50' }))).toEqual([]);
      const both = await near({ q: 'restos lille', radiusKm: '50' });
      expect(letters(both)).toEqual(['A']);
      expect(both.total).toBe(1);
    });
  });

  describe('filters', () => {
    const within20 = (raw: Record<string, string | string[]>) => near({ radiusKm: '20', ...raw });

    it.each([
      [{ categories: 'frigo-solidaire' }, ['C']],
      [{ categories: 'frigo-solidaire,colis-bebe' }, ['C', 'D']],
      [{ categories: ['epicerie-sociale', 'repas-solidaire'] }, ['B', 'E']],
      // unconditional services match any public; 'exclusive' ones only their publics
      [{ publics: 'etudiants' }, ['A', 'C', 'D']],
      [{ publics: 'familles' }, ['A', 'B', 'D']],
      [{ publics: 'seniors' }, ['A', 'E', 'D']],
      [{ modalities: 'sur-orientation' }, ['B']],
      [{ modalities: 'sans-condition,sur-rendez-vous' }, ['A', 'B', 'C', 'E', 'D']],
      [{ languages: 'ar' }, ['A']],
      [{ languages: 'en,ar' }, ['A', 'C']],
      [{ accessible: 'true' }, ['A']],
      [{ accessible: 'false' }, ['A', 'B', 'C', 'E', 'D']]
    ])('%j → %j', async (raw, expected) => {
      const page = await within20(raw);
      expect(letters(page)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('needs one service to match every service filter', async () => {
      // B's épicerie is "sur orientation" and its workshop is "sans condition": no single service is both.
      expect(letters(await within20({ categories: 'epicerie-sociale', modalities: 'sans-condition' }))).toEqual([]);
      expect(letters(await within20({ categories: 'atelier-cuisine', modalities: 'sans-condition' }))).toEqual(['B']);
    });

    it('lists only the matching services of a place', async () => {
      const page = await within20({ categories: 'atelier-cuisine' });
      expect(page.results[0]?.services.map((s) => s.id)).toEqual([fx.workshopId]);
      const all = await within20({ q: 'faubourg' });
      expect(all.results[0]?.services.map((s) => s.name).sort()).toEqual(['Atelier cuisine', 'Épicerie sociale']);
    });

    it('applies the filters the same way without a point', async () => {
      expect(letters(await search({ categories: 'distribution-alimentaire' })).sort()).toEqual(['A', 'F']);
      expect(letters(await search({ publics: 'etudiants', languages: 'en' }))).toEqual(['C']);
    });
  });

  describe('open now / open at', () => {
    it('keeps the places open at the clock, through the place or a matching service, notices applied', async () => {
      const page = await near({ radiusKm: '50', openNow: 'true' });
      // A Mo-Fr 9-12; B through its workshop (Tu 10-12); C 24/7; D Tu 10-12; E closed by notice; F no hours.
      expect(letters(page)).toEqual(['A', 'B', 'C', 'D']);
      expect(page.results.every((r) => r.openNow === true)).toBe(true);
    });

    it('judges a place by its matching services only', async () => {
      expect(letters(await near({ radiusKm: '20', openNow: 'true', categories: 'epicerie-sociale' }))).toEqual([]);
      expect(letters(await near({ radiusKm: '20', openNow: 'true', categories: 'atelier-cuisine' }))).toEqual(['B']);
    });

    it('follows the clock', async () => {
      t.clock.set('2026-12-01T14:00:00.000Z'); // 15:00 Paris
      expect(letters(await near({ radiusKm: '50', openNow: 'true' }))).toEqual(['B', 'C']);
    });

    it('answers open at a given instant', async () => {
      expect(letters(await near({ radiusKm: '50', openAt: '2026-12-01T15:00:00+01:00' }))).toEqual(['B', 'C']);
      // Wednesday 9 December, 11:00: the closure notice has ended, E is open again.
      expect(letters(await near({ radiusKm: '50', openAt: '2026-12-09T11:00:00+01:00' }))).toEqual(['A', 'C', 'E']);
    });

    it('widens until a page of open places is found', async () => {
      const page = await near({ openNow: 'true', pageSize: '4' });
      expect(page.radiusKm).toBe(16);
      expect(letters(page)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('gives the state, the next change and the notice of each result', async () => {
      const page = await near({ radiusKm: '50' });
      const by = (letter: keyof SearchFixture['ids']) => page.results.find((r) => r.place.id === fx.ids[letter]);
      expect(by('A')).toMatchObject({ openNow: true, nextChange: '2026-12-01T11:00:00.000Z', notice: null });
      expect(by('E')).toMatchObject({
        openNow: false,
        notice: { kind: 'closure', startsOn: '2026-11-30', endsOn: '2026-12-05', message: 'Fermé pour inventaire' }
      });
      expect(by('F')).toMatchObject({ openNow: null, nextChange: null, notice: null });
      const a = by('A');
      expect(a?.place).toMatchObject({
        slug: 'restos-du-coeur-lille-centre',
        organisation: { name: 'Association Les Restos du Cœur du Nord' },
        isAccessible: true,
        languages: ['fr', 'ar'],
        saturation: 'medium',
        isStale: false
      });
      expect(a?.services[0]).toMatchObject({
        categories: ['distribution-alimentaire', 'colis-alimentaire'],
        publics: ['tous-publics'],
        access: 'unconditional',
        frais: 'gratuit',
        openingHours: null
      });
    });

    it('shows a closure starting soon before it starts', async () => {
      t.clock.set('2026-11-25T10:00:00.000Z');
      const page = await search({ commune: '59512' });
      const e = page.results.find((r) => r.place.id === fx.ids.E);
      expect(e).toMatchObject({ openNow: true, notice: { kind: 'closure', startsOn: '2026-11-30' } });
    });

    it('marks a place stale once unverified for six months', async () => {
      t.clock.set('2027-06-01T10:00:00.000Z');
      const page = await near({ radiusKm: '1' });
      expect(page.results[0]?.place.isStale).toBe(true);
    });
  });

  describe('paging', () => {
    it('pages through the matches, widening as deep as the page needs', async () => {
      const seen: string[] = [];
      const totals: number[] = [];
      for (const page of [1, 2, 3]) {
        const res = await near({ radiusKm: '20', pageSize: '2', page: String(page) });
        expect(res.page).toBe(page);
        expect(res.pageSize).toBe(2);
        totals.push(res.total);
        seen.push(...letters(res));
      }
      expect(seen).toEqual(['A', 'B', 'C', 'E', 'D']);
      // Page 1 is full within 2 km (A, B); page 2 needs 4 places: 16 km holds all five.
      expect(totals).toEqual([2, 5, 5]);
      const past = await near({ radiusKm: '20', pageSize: '2', page: '4' });
      expect(past).toMatchObject({ results: [], total: 5, radiusKm: 20 });
    });

    it('never searches beyond the radius asked', async () => {
      const res = await near({ radiusKm: '3', pageSize: '10' });
      expect(res).toMatchObject({ total: 2, radiusKm: 3 });
    });

    it('pages through open places too', async () => {
      const second = await near({ radiusKm: '50', openNow: 'true', pageSize: '3', page: '2' });
      expect(second.total).toBe(4);
      expect(letters(second)).toEqual(['D']);
    });
  });

  describe('bad input', () => {
    it.each([
      [{ lat: '50.6' }, 'lng'],
      [{ lat: '50.6', lng: '3', radiusKm: '150' }, 'radiusKm'],
      [{ categories: 'caviar' }, 'categories'],
      [{ pageSize: '100' }, 'pageSize'],
      [{ openAt: 'garbage' }, 'openAt'],
      [{ openNow: 'true', openAt: '2026-12-01T10:00:00Z' }, 'openAt']
    ])('%j → validation_failed naming %s', async (raw, field) => {
      const err = await t.services.directorySearch.searchQuery(raw).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('validation_failed');
      expect((err as AppError).details?.fields?.map((f) => f.path)).toContain(field);
    });
  });
});
