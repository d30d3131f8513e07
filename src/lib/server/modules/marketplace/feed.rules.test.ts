import { describe, expect, it } from 'vitest';
import { chosenRadius, parseFeedQuery } from './feed.rules.js';

describe('feed query', () => {
  it('reads a point, radius, lists as masks, sort and page', () => {
    const { query } = parseFeedQuery({
      lat: '50.63',
      lng: '3.06',
      radiusKm: '2',
      categories: 'pain-viennoiserie,fruits-legumes',
      diets: 'vegetarien,halal',
      excludeAllergens: 'gluten,lait',
      sort: 'ending',
      limit: '10',
      offset: '20'
    });
    expect(query).toEqual({
      lat: 50.63,
      lng: 3.06,
      radiusKm: 2,
      categories: ['pain-viennoiserie', 'fruits-legumes'],
      dietMask: 0b101,
      excludeAllergenMask: (1 << 0) | (1 << 6),
      sort: 'ending',
      limit: 10,
      offset: 20
    });
  });

  it('falls back on the saved area, then on 3 km', () => {
    expect(parseFeedQuery({}, { lat: 48.85, lng: 2.35, radiusKm: 5 }).query).toMatchObject({ lat: 48.85, lng: 2.35, radiusKm: 5 });
    expect(parseFeedQuery({ lat: '1', lng: '2' }).query?.radiusKm).toBe(3);
  });

  it('names every bad parameter', () => {
    const { issues } = parseFeedQuery({
      lat: '91',
      radiusKm: '500',
      categories: 'pain-viennoiserie,caviar',
      diets: 'paleo',
      excludeAllergens: 'gluten,pollen',
      sort: 'price',
      limit: '0'
    });
    expect(issues.map((i) => i.path)).toEqual(['lat', 'radiusKm', 'lng', 'categories', 'diets', 'excludeAllergens', 'sort', 'limit']);
    expect(issues.find((i) => i.path === 'categories')?.message).toContain('caviar');
  });
});

describe('agent pages radius', () => {
  it('keeps a radius of the list, and falls back to the page default otherwise', () => {
    expect(chosenRadius('50', 10)).toBe(50);
    expect(chosenRadius('5', 20)).toBe(5);
    for (const bad of [null, undefined, '', '7', '50.5', 'abc', '1e3']) expect(chosenRadius(bad, 10)).toBe(10);
  });
});
