import { describe, expect, it } from 'vitest';
import { nullableNumber, sectionInput, serviceInput, triState } from './form-input';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('editing forms → service input', () => {
  it('clears a blank field and leaves out a field the form does not have', () => {
    expect(sectionInput('contact', form([['phone', '  '], ['email', 'A@b.fr ']]))).toEqual({ phone: null, email: 'A@b.fr' });
  });

  it('reads coordinates as numbers (comma or dot) and passes an unreadable one as typed, for the schema to name', () => {
    const input = sectionInput('address', form([['lat', '50,6405'], ['lng', 'east'], ['city', 'Lille']]));
    expect(input).toMatchObject({ lat: 50.6405, lng: 'east', city: 'Lille' });
    expect(nullableNumber(form([['lat', '']]), 'lat')).toBeNull();
  });

  it('sends empty hours as null (no hours) and keeps the typed text otherwise', () => {
    expect(sectionInput('hours', form([['openingHours', '']]))).toEqual({ openingHours: null });
    expect(sectionInput('hours', form([['openingHours', ' Mo-Fr 9:00-12:00 ']]))).toEqual({ openingHours: 'Mo-Fr 9:00-12:00' });
  });

  it('reads accessibility as yes / no / unknown and the checked languages', () => {
    expect(triState(form([['isAccessible', 'yes']]), 'isAccessible')).toBe(true);
    expect(triState(form([['isAccessible', 'no']]), 'isAccessible')).toBe(false);
    expect(triState(form([['isAccessible', '']]), 'isAccessible')).toBeNull();
    expect(sectionInput('access', form([['isAccessible', ''], ['languages', 'fr'], ['languages', 'ar']]))).toEqual({
      isAccessible: null,
      languages: ['fr', 'ar']
    });
  });

  it('a service created leaves blank optional fields out; updated, it clears them', () => {
    const entries: [string, string][] = [
      ['name', 'Colis'],
      ['description', 'Chaque mardi'],
      ['type', ''],
      ['categories', 'colis-alimentaire'],
      ['access', 'unconditional'],
      ['frais', ''],
      ['food.products', 'sec'],
      ['openingHours', '']
    ];
    const created = serviceInput(form(entries), 'create');
    expect(created).toMatchObject({ name: 'Colis', categories: ['colis-alimentaire'], food: { products: ['sec'], diets: [] } });
    expect(created).not.toHaveProperty('type');
    expect(created).not.toHaveProperty('openingHours');
    const updated = serviceInput(form(entries), 'update');
    expect(updated).toMatchObject({ type: null, frais: null, openingHours: null, publics: [] });
  });
});
