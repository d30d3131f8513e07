import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../lib/server/modules/directory/search.service';
import { dayText, languageName, phoneText, queryOf, readFilters, telHref, toCard, webUrl } from './view.server';

/** A search result as the search service returns it. */
function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    place: {
      id: 'p1',
      slug: 'epicerie-du-centre',
      name: 'Épicerie du centre',
      organisation: { id: 'o1', name: 'CCAS de Glaneville' },
      addressLine: '1 rue Haute',
      addressComplement: null,
      postalCode: '59999',
      city: 'Glaneville',
      inseeCode: '59999',
      lat: 50.64,
      lng: 3.07,
      isAccessible: true,
      languages: ['fr'],
      saturation: null,
      isMobile: false,
      openingHours: 'Mo-Fr 09:00-17:00',
      isStale: false
    },
    services: [
      { id: 's1', name: 'Épicerie sociale', categories: ['epicerie-sociale', 'colis-alimentaire'], publics: [], modalities: [], access: 'unconditional', frais: 'payant', openingHours: null },
      { id: 's2', name: 'Colis', categories: ['colis-alimentaire'], publics: [], modalities: [], access: 'unconditional', frais: 'gratuit', openingHours: null }
    ],
    distanceKm: 0.42,
    openNow: true,
    nextChange: '2026-12-01T16:00:00.000Z',
    notice: null,
    ...overrides
  };
}

// Tuesday 1 December 2026, 10:00 in Paris.
const NOW = new Date('2026-12-01T09:00:00.000Z');

describe('the URL of /annuaire', () => {
  it('reads repeated and comma-separated lists, flags and text, trimmed', () => {
    const f = readFilters(
      new URLSearchParams('q=+colis+&categories=colis-alimentaire&categories=epicerie-sociale,frigo-solidaire&ouvert=1&accessible=on&langue=ar&lat=50.6&lng=3.1')
    );
    expect(f.q).toBe('colis');
    expect(f.categories).toEqual(['colis-alimentaire', 'epicerie-sociale', 'frigo-solidaire']);
    expect(f.ouvert).toBe(true);
    expect(f.accessible).toBe(true);
    expect(f.langue).toBe('ar');
    expect(readFilters(new URLSearchParams('ouvert=0')).ouvert).toBe(false);
  });

  it('writes the same search back with the point found, without the page number', () => {
    const f = readFilters(new URLSearchParams('q=repas&lat=50.64&lng=3.07&lieu=Mairie&adresse=mairie&commune=59999&page=3&ouvert=1'));
    const q = new URLSearchParams(queryOf(f));
    expect(q.get('lat')).toBe('50.64');
    expect(q.get('lieu')).toBe('Mairie');
    expect(q.has('adresse')).toBe(false);
    expect(q.has('commune')).toBe(false);
    expect(q.has('page')).toBe(false);
    expect(q.get('ouvert')).toBe('1');
    expect(queryOf(readFilters(new URLSearchParams('commune=59999')))).toBe('commune=59999');
  });
});

describe('result cards', () => {
  it('says when an open place closes, in the visitor’s language, and merges the services’ categories', () => {
    const fr = toCard(result(), 'fr', NOW);
    expect(fr.openingText).toBe('Ouvert · ferme à 17:00');
    expect(fr.categories).toEqual(['epicerie-sociale', 'colis-alimentaire']);
    expect(fr.serviceNames).toEqual(['Épicerie sociale', 'Colis']);
    expect(fr.organisationName).toBe('CCAS de Glaneville');
    expect(toCard(result(), 'en', NOW).openingText).toBe('Open · closes at 17:00');
  });

  it('says when a closed place opens, and nothing when no hours are known', () => {
    expect(toCard(result({ openNow: false, nextChange: '2026-12-02T08:00:00.000Z' }), 'fr', NOW).openingText).toBe('Fermé · ouvre demain à 09:00');
    expect(toCard(result({ openNow: null, nextChange: null }), 'fr', NOW).openingText).toBeNull();
  });

  it('shows a temporary closure: the sentence says until when, the notice gives the partner’s message or the dates', () => {
    const closure = { kind: 'closure' as const, startsOn: '2026-11-30', endsOn: '2026-12-12', message: null };
    const card = toCard(result({ openNow: false, nextChange: null, notice: closure }), 'fr', NOW);
    expect(card.openingText).toBe('Fermé temporairement jusqu’au 12 décembre');
    expect(card.notice).toBe('Fermeture du 30 novembre au 12 décembre.');
    expect(toCard(result({ notice: { ...closure, message: 'Travaux' } }), 'fr', NOW).notice).toBe('Travaux');
    expect(toCard(result({ notice: { ...closure, kind: 'hours' } }), 'en', NOW).notice).toBe('Changed hours from 30 November to 12 December.');
  });
});

describe('partner data made safe to show', () => {
  it('links only to web addresses', () => {
    expect(webUrl('https://asso.example/aide')).toBe('https://asso.example/aide');
    expect(webUrl('javascript:alert(1)')).toBeNull();
    expect(webUrl('data:text/html,x')).toBeNull();
    expect(webUrl('not a url')).toBeNull();
  });

  it('dials French numbers internationally and shows them in pairs', () => {
    expect(telHref('03 20 12 34 56')).toBe('tel:+33320123456');
    expect(telHref('+32 2 123 45 67')).toBe('tel:+3221234567');
    expect(telHref('appelez-nous')).toBeNull();
    expect(phoneText('0320123456')).toBe('03 20 12 34 56');
    expect(phoneText('+32 2 123 45 67')).toBe('+32 2 123 45 67');
  });

  it('names languages and days in the visitor’s language', () => {
    expect(languageName('ar', 'fr')).toBe('Arabe');
    expect(languageName('ar', 'en')).toBe('Arabic');
    expect(languageName('lsf', 'fr')).toBe('Langue des signes française');
    expect(dayText('2026-03-01', 'fr')).toBe('1er mars');
    expect(dayText('2026-03-01', 'en')).toBe('1 March');
  });
});
