import { describe, expect, it } from 'vitest';
import {
  combineOpening,
  expandQuery,
  matchesText,
  MAX_QUERY_ALTERNATIVES,
  parseSearchQuery,
  searchParamsRecord,
  type OpeningSummary
} from './search.rules.js';

const paths = (raw: Record<string, string | string[]>) => {
  const r = parseSearchQuery(raw);
  return r.ok ? [] : r.fields.map((f) => f.path);
};

describe('expandQuery (synonyms)', () => {
  it('keeps the folded words of the query first', () => {
    expect(expandQuery('Épicerie  LILLE!')[0]).toEqual(['epicerie', 'lille']);
  });

  it('expands "restos" to Restos du cœur and its long name', () => {
    const alts = expandQuery('restos');
    expect(alts).toContainEqual(['restos']);
    expect(alts).toContainEqual(['restos', 'du', 'coeur']);
    expect(alts).toContainEqual(['restaurants', 'du', 'coeur']);
  });

  it('matches the longest phrase: "resto du cœur" is one synonym, accents ignored', () => {
    const alts = expandQuery('Resto du Cœur Roubaix');
    expect(alts[0]).toEqual(['resto', 'du', 'coeur', 'roubaix']);
    expect(alts).toContainEqual(['restos', 'du', 'coeur', 'roubaix']);
  });

  it.each([
    ['colis', ['colis', 'alimentaire']],
    ['épicerie solidaire', ['epicerie', 'sociale']],
    ['Frigo', ['frigo', 'solidaire']],
    ['bébé', ['colis', 'bebe']],
    ['repas', ['repas', 'solidaire']],
    ['secours pop', ['secours', 'populaire']],
    ['Croix-Rouge', ['croix', 'rouge', 'francaise']]
  ])('"%s" also searches %j', (q, expected) => {
    expect(expandQuery(q)).toContainEqual(expected);
  });

  it('leaves a query without synonym alone', () => {
    expect(expandQuery('Wattrelos mairie')).toEqual([['wattrelos', 'mairie']]);
  });

  it('finds nothing to search in punctuation only', () => {
    expect(expandQuery(' -- !? ')).toEqual([]);
  });

  it('bounds the alternatives when several synonyms combine, without duplicates', () => {
    const alts = expandQuery('restos colis epicerie frigo repas bebe');
    expect(alts.length).toBeLessThanOrEqual(MAX_QUERY_ALTERNATIVES);
    expect(new Set(alts.map((a) => a.join(' '))).size).toBe(alts.length);
  });

  it('does not match a synonym inside a longer word', () => {
    expect(expandQuery('colisage')).toEqual([['colisage']]);
  });
});

describe('matchesText', () => {
  const body = 'restos du coeur lille centre distribution alimentaire colis';
  it('needs every term of one alternative to begin a word', () => {
    expect(matchesText(body, [['resto', 'lil']])).toBe(true);
    expect(matchesText(body, [['resto', 'roubaix']])).toBe(false);
    expect(matchesText(body, [['roubaix'], ['colis', 'alimentaire']])).toBe(true);
  });
  it('does not match inside a word', () => {
    expect(matchesText(body, [['oeur']])).toBe(false);
    expect(matchesText(body, [['estos']])).toBe(false);
  });
  it('finds nothing in an empty document', () => {
    expect(matchesText('', [['a']])).toBe(false);
  });
});

describe('parseSearchQuery', () => {
  it('parses a full query into typed, normalised params', () => {
    const r = parseSearchQuery({
      lat: '50.63',
      lng: '3.06',
      radiusKm: '5',
      q: 'restos',
      categories: 'colis-alimentaire,epicerie-sociale',
      publics: ['familles', 'etudiants'],
      modalities: 'sans-condition',
      languages: 'ar,en',
      accessible: 'true',
      openAt: '2026-12-01T10:00:00+01:00',
      page: '2',
      pageSize: '10'
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.params).toMatchObject({
      point: { lat: 50.63, lng: 3.06 },
      radiusKm: 5,
      commune: null,
      categories: ['colis-alimentaire', 'epicerie-sociale'],
      publics: ['familles', 'etudiants'],
      modalities: ['sans-condition'],
      languages: ['ar', 'en'],
      accessible: true,
      openNow: false,
      page: 2,
      pageSize: 10
    });
    expect(r.params.openAt?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(r.params.text[0]).toEqual(['restos']);
  });

  it('defaults: page 1, 20 per page, no filters', () => {
    const r = parseSearchQuery({});
    expect(r.ok && r.params).toMatchObject({ point: null, radiusKm: null, page: 1, pageSize: 20, text: [], openNow: false, openAt: null });
  });

  it('accepts repeated list values mixed with comma lists, deduplicated', () => {
    const r = parseSearchQuery(searchParamsRecord(new URLSearchParams('categories=frigo-solidaire&categories=colis-bebe,frigo-solidaire')));
    expect(r.ok && r.params.categories).toEqual(['frigo-solidaire', 'colis-bebe']);
  });

  it('upper-cases a Corsican INSEE code', () => {
    const r = parseSearchQuery({ commune: '2a004' });
    expect(r.ok && r.params.commune).toBe('2A004');
  });

  it.each([
    [{ lat: '50.6' }, 'lng'],
    [{ lng: '3.0' }, 'lat'],
    [{ lat: 'north', lng: '3' }, 'lat'],
    [{ lat: '91', lng: '3' }, 'lat'],
    [{ lat: '50', lng: '181' }, 'lng'],
    [{ lat: '50', lng: '3', radiusKm: '150' }, 'radiusKm'],
    [{ lat: '50', lng: '3', radiusKm: '0' }, 'radiusKm'],
    [{ radiusKm: '5' }, 'radiusKm'],
    [{ commune: 'Lille' }, 'commune'],
    [{ commune: '59350', lat: '50', lng: '3' }, 'commune'],
    [{ categories: 'colis-alimentaire,caviar' }, 'categories'],
    [{ publics: 'martiens' }, 'publics'],
    [{ modalities: 'en-ligne' }, 'modalities'],
    [{ languages: 'klingon' }, 'languages'],
    [{ accessible: 'yes' }, 'accessible'],
    [{ openNow: 'maybe' }, 'openNow'],
    [{ openAt: 'tomorrow' }, 'openAt'],
    [{ openAt: '2026-12-01T10:00:00' }, 'openAt'],
    [{ openNow: 'true', openAt: '2026-12-01T10:00:00Z' }, 'openAt'],
    [{ page: '0' }, 'page'],
    [{ page: '1.5' }, 'page'],
    [{ pageSize: '100' }, 'pageSize'],
    [{ pageSize: '0' }, 'pageSize'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ sort: 'name' }, 'sort']
  ])('%j → names %s', (raw, field) => {
    expect(paths(raw)).toContain(field);
  });

  it('names the unknown value in the message', () => {
    const r = parseSearchQuery({ categories: 'caviar' });
    expect(!r.ok && r.fields[0]?.message).toContain('"caviar"');
  });
});

describe('combineOpening', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
  const open = (closes: number): OpeningSummary => ({ isOpen: true, unknown: false, closesAt: at(closes), opensAt: null, nextChange: at(closes) });
  const closed = (opens: number | null): OpeningSummary => ({
    isOpen: false,
    unknown: false,
    closesAt: null,
    opensAt: opens === null ? null : at(opens),
    nextChange: opens === null ? null : at(opens)
  });
  const unknown: OpeningSummary = { isOpen: false, unknown: true, closesAt: null, opensAt: null, nextChange: null };

  it('is open when any service is, until the latest closing', () => {
    expect(combineOpening([closed(14), open(11), open(16)])).toEqual({ openNow: true, nextChange: at(16) });
  });

  it('is closed when all known are closed, next change the earliest opening', () => {
    expect(combineOpening([closed(14), closed(9), unknown])).toEqual({ openNow: false, nextChange: at(9) });
  });

  it('is unknown without hours or with only "maybe"', () => {
    expect(combineOpening([])).toEqual({ openNow: null, nextChange: null });
    expect(combineOpening([unknown])).toEqual({ openNow: null, nextChange: null });
  });

  it('has no next change when closed for good', () => {
    expect(combineOpening([closed(null)])).toEqual({ openNow: false, nextChange: null });
  });
});
