import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { syncServiceTags, updateServiceRow } from './directory.repository.js';
import { parseSearchQuery } from './search.rules.js';
import type { SearchPage } from './search.service.js';
import { addPlace, insertOrganisation, LILLE } from './search.testing.js';

/**
 * The `languages` filter with languages per service: a place is kept when the place or one of its
 * matching services speaks one of the languages asked; the matching services listed are those that do.
 */
describe.each(DIALECTS)('directory search by service languages on %s', (kind) => {
  let t: TestServices;
  const ids: Record<string, string> = {};
  let groceryId = '';

  beforeAll(async () => {
    t = await createTestServices(kind);
    t.clock.set('2026-12-01T10:00:00.000Z');
    const db = t.services.db;
    const org = await insertOrganisation(db, 'Association des langues');
    const p1 = await addPlace(db, kind, org, { name: 'Maison Fraternité', lat: 50.63, lng: 3.058, languages: ['fr'] }, [
      { name: 'Épicerie', categories: ['epicerie-sociale'], publics: ['familles'], access: 'exclusive', languages: ['uk'] },
      { name: 'Atelier', categories: ['atelier-cuisine'], access: 'unconditional' }
    ]);
    const p2 = await addPlace(db, kind, org, { name: 'Halte Kyiv', lat: 50.64, lng: 3.06, languages: ['uk'] }, [
      { name: 'Colis', categories: ['colis-alimentaire'], access: 'unconditional' }
    ]);
    const p3 = await addPlace(db, kind, org, { name: 'Table ouverte', lat: 50.635, lng: 3.05, languages: ['fr'] }, [
      { name: 'Repas', categories: ['repas-solidaire'], access: 'unconditional', languages: ['en'] }
    ]);
    // No hours of its own: its Wolof welcome is on Saturdays, its other distribution on Tuesdays.
    const p4 = await addPlace(db, kind, org, { name: 'Relais du soir', lat: 50.632, lng: 3.062, languages: ['fr'] }, [
      { name: 'Accueil en wolof', categories: ['colis-alimentaire'], access: 'unconditional', languages: ['wo'], openingHours: 'Sa 10:00-12:00' },
      { name: 'Distribution', categories: ['colis-alimentaire'], access: 'unconditional', openingHours: 'Tu 09:00-18:00' }
    ]);
    ids.P1 = p1.placeId;
    ids.P4 = p4.placeId;
    ids.P2 = p2.placeId;
    ids.P3 = p3.placeId;
    groceryId = p1.serviceIds[0]!;
  }, 60_000);

  afterAll(async () => {
    await t.destroy();
  });

  const search = (raw: Record<string, string>) => {
    const r = parseSearchQuery(raw);
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    return t.services.directorySearch.search(r.params);
  };
  const letters = (page: SearchPage) => page.results.map((r) => Object.entries(ids).find(([, v]) => v === r.place.id)?.[0]).sort();
  const near = (raw: Record<string, string>) => search({ lat: String(LILLE.lat), lng: String(LILLE.lng), radiusKm: '10', ...raw });

  for (const [how, run] of [
    ['within a radius', near],
    ['without a point', search]
  ] as const) {
    it(`keeps a place when the place or one of its services speaks a language asked (${how})`, async () => {
      expect(letters(await run({ languages: 'uk' }))).toEqual(['P1', 'P2']);
      expect(letters(await run({ languages: 'en' }))).toEqual(['P3']);
      expect(letters(await run({ languages: 'ar' }))).toEqual([]);
    });

    it(`needs a matching service that speaks it, or the place (${how})`, async () => {
      expect(letters(await run({ languages: 'uk', categories: 'epicerie-sociale' }))).toEqual(['P1']);
      // The workshop matches the category but speaks only the place's French.
      expect(letters(await run({ languages: 'uk', categories: 'atelier-cuisine' }))).toEqual([]);
      // The place speaks Ukrainian: every one of its services counts.
      expect(letters(await run({ languages: 'uk', categories: 'colis-alimentaire' }))).toEqual(['P2']);
      // Publics beside languages: P1's only Ukrainian service is for families.
      expect(letters(await run({ languages: 'uk', publics: 'etudiants' }))).toEqual(['P2']);
      expect(letters(await run({ languages: 'uk', publics: 'familles' }))).toEqual(['P1', 'P2']);
      expect(letters(await run({ languages: 'uk', publics: 'etudiants', modalities: 'sans-condition' }))).toEqual([]);
    });
  }

  it('lists only the services that speak a language asked (theirs or their place)', async () => {
    const page = await near({ languages: 'uk' });
    const byPlace = Object.fromEntries(page.results.map((r) => [r.place.id, r.services.map((s) => s.name)]));
    expect(byPlace[ids.P1!]).toEqual(['Épicerie']);
    expect(byPlace[ids.P2!]).toEqual(['Colis']);
  });

  it('judges "open now" by the services that speak the language asked, as it lists them', async () => {
    // Tuesday 11:00 in Paris: the distribution is open, the Wolof welcome (Saturdays) is not.
    expect(letters(await near({ openNow: 'true', categories: 'colis-alimentaire' }))).toContain('P4');
    expect(letters(await near({ openNow: 'true', languages: 'wo' }))).toEqual([]);
    const page = await near({ languages: 'wo' });
    expect(page.results.map((r) => [r.services.map((s) => s.name), r.openNow])).toEqual([[['Accueil en wolof'], false]]);
  });

  it("follows a change of a service's languages", async () => {
    const db = t.services.db;
    await updateServiceRow(db, groceryId, { languages: ['ar'] });
    await syncServiceTags(db, groceryId);
    expect(letters(await near({ languages: 'uk' }))).toEqual(['P2']);
    expect(letters(await near({ languages: 'ar' }))).toEqual(['P1']);
    await updateServiceRow(db, groceryId, { languages: ['uk'] });
    await syncServiceTags(db, groceryId);
  });
});
