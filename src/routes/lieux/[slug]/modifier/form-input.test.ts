import { describe, expect, it } from 'vitest';
import {
  changeStops,
  conditionsForForm,
  nullableNumber,
  sectionInput,
  serviceInput,
  splitList,
  stopFieldPath,
  stopInput,
  stopsVersionOf,
  storedStops,
  triState,
  type StopPayload
} from './form-input';

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
    expect(updated).toMatchObject({ type: null, frais: null, openingHours: null, publics: [], languages: [] });
  });

  it('reads the data·inclusion fields of a service: thematiques, reception and mobilisation modes, zone, food choice and meals', () => {
    const input = serviceInput(
      form([
        ['name', 'Colis'],
        ['description', 'Chaque mardi'],
        ['thematiques', 'equipement-et-alimentation--alimentation'],
        ['modesAccueil', 'en-presentiel'],
        ['modesMobilisation', 'se-presenter'],
        ['modesMobilisation', 'telephoner'],
        ['mobilisablePar', 'usagers'],
        ['mobilisationDetails', ' Appeler le matin '],
        ['mobilisationUrl', ''],
        ['zoneEligibilite', '59350, 59 2a004;'],
        ['food.choice', 'libre'],
        ['food.mealTypes', 'petit-déjeuner, déjeuner ;déjeuner'],
        ['languages', 'uk'],
        ['languages', 'ar']
      ]),
      'update'
    );
    expect(input).toMatchObject({
      thematiques: ['equipement-et-alimentation--alimentation'],
      modesAccueil: ['en-presentiel'],
      modesMobilisation: ['se-presenter', 'telephoner'],
      mobilisablePar: ['usagers'],
      mobilisationDetails: 'Appeler le matin',
      mobilisationUrl: null,
      zoneEligibilite: ['59350', '59', '2A004'],
      food: { choice: 'libre', mealTypes: ['petit-déjeuner', 'déjeuner'] },
      languages: ['uk', 'ar']
    });
  });

  it('reads the conditions of access, numbers as numbers and unreadable ages as typed', () => {
    const input = serviceInput(
      form([
        ['name', 'Colis'],
        ['description', 'x'],
        ['conditions.ageMin', '18'],
        ['conditions.ageMax', 'vingt'],
        ['conditions.gender', ''],
        ['conditions.family', 'single-parent'],
        ['conditions.status', 'regular'],
        ['conditions.students', 'on'],
        ['conditions.details', ' Sur justificatif ']
      ]),
      'create'
    );
    expect(input.conditions).toEqual({ ageMin: 18, ageMax: 'vingt', family: ['single-parent'], status: 'regular', students: true, details: 'Sur justificatif' });
    // Nothing ticked or typed: no condition at all.
    expect(serviceInput(form([['name', 'A'], ['description', 'B'], ['conditions.ageMin', '']]), 'update').conditions).toEqual({});
  });

  it('splits free lists on separators, keeping words with spaces unless asked', () => {
    expect(splitList('frais, sec; bébé\nplats cuisinés')).toEqual(['frais', 'sec', 'bébé', 'plats cuisinés']);
    expect(splitList(' 59350  59000,59350 ', true)).toEqual(['59350', '59000']);
    expect(splitList(null)).toEqual([]);
  });

  it('shows stored conditions in the form, keeping values outside the lists as words in the details', () => {
    const lists = { genders: ['women', 'men'], families: ['single', 'single-parent'], statuses: ['any', 'regular'] };
    expect(conditionsForForm({ ageMin: 18, family: ['single-parent'], students: true }, lists)).toEqual({
      ageMin: '18',
      ageMax: '',
      gender: '',
      family: ['single-parent'],
      status: '',
      students: true,
      details: ''
    });
    expect(conditionsForForm({ family: 'enfant-de-moins-de-3-ans', status: 'reste-a-vivre-inferieur-au-seuil', details: 'Sur orientation' }, lists)).toMatchObject({
      family: [],
      status: '',
      details: 'Sur orientation\nenfant de moins de 3 ans\nreste a vivre inferieur au seuil'
    });
    expect(conditionsForForm(null, lists).family).toEqual([]);
  });
});

describe('stops of a mobile place', () => {
  const stored = storedStops([
    { id: 'a', name: 'Marché', addressLine: null, postalCode: null, city: 'Lille', lat: 50.6, lng: 3.1, openingHours: 'Tu 10:00-12:00', validFrom: '2027-06-01', validTo: null },
    { id: 'b', name: 'Gare', addressLine: null, postalCode: null, city: null, lat: null, lng: null, openingHours: null, validFrom: null, validTo: null },
    { id: 'c', name: 'Mairie', addressLine: null, postalCode: null, city: null, lat: null, lng: null, openingHours: null, validFrom: null, validTo: null }
  ]);
  const names = (r: { stops: StopPayload[] } | null) => r?.stops.map((s) => s.name);

  it('reads a stop form: blanks as none, coordinates as numbers', () => {
    expect(stopInput(form([['name', ' Parvis '], ['addressLine', ''], ['lat', '50,63'], ['lng', '3.06'], ['openingHours', 'We 18:00-20:00']]))).toEqual({
      name: 'Parvis',
      addressLine: null,
      postalCode: null,
      city: null,
      lat: 50.63,
      lng: 3.06,
      openingHours: 'We 18:00-20:00',
      validFrom: null,
      validTo: null
    });
  });

  it('reads validity dates as the picker sends them or as typed in France; anything else as typed', () => {
    const read = stopInput(form([['name', 'Plage'], ['validFrom', '2027-07-01'], ['validTo', '31/8/2027']]));
    expect([read.validFrom, read.validTo]).toEqual(['2027-07-01', '2027-08-31']);
    expect(stopInput(form([['name', 'Plage'], ['validFrom', 'juillet'], ['validTo', ' ']])).validFrom).toBe('juillet');
    expect(stopInput(form([['name', 'Plage'], ['validTo', ' ']])).validTo).toBeNull();
    expect(stored[0]).toMatchObject({ id: 'a', validFrom: '2027-06-01', validTo: null });
  });

  it('reads the version of the stop list the form was read at', () => {
    expect(stopsVersionOf(form([['version', '3']]))).toBe(3);
    expect(stopsVersionOf(form([]))).toBeNaN();
  });

  it('adds at the end, replaces and removes by id, keeping the other stops and their ids', () => {
    const stop = { name: 'Parvis', addressLine: null, postalCode: null, city: null, lat: null, lng: null, openingHours: null, validFrom: null, validTo: null };
    const added = changeStops(stored, { kind: 'add', stop });
    expect(names(added)).toEqual(['Marché', 'Gare', 'Mairie', 'Parvis']);
    expect(added?.index).toBe(3);
    expect(added?.stops[3]).not.toHaveProperty('id');
    const replaced = changeStops(stored, { kind: 'replace', id: 'b', stop });
    expect(replaced?.stops.map((s) => [s.id, s.name])).toEqual([['a', 'Marché'], ['b', 'Parvis'], ['c', 'Mairie']]);
    expect(replaced?.index).toBe(1);
    expect(names(changeStops(stored, { kind: 'remove', id: 'a' }))).toEqual(['Gare', 'Mairie']);
    expect(changeStops(stored, { kind: 'remove', id: 'gone' })).toBeNull();
    expect(stored.map((s) => s.name)).toEqual(['Marché', 'Gare', 'Mairie']); // not mutated
  });

  it('moves a stop up or down; the ends stay put', () => {
    expect(names(changeStops(stored, { kind: 'move', id: 'b', by: -1 }))).toEqual(['Gare', 'Marché', 'Mairie']);
    expect(names(changeStops(stored, { kind: 'move', id: 'b', by: 1 }))).toEqual(['Marché', 'Mairie', 'Gare']);
    expect(names(changeStops(stored, { kind: 'move', id: 'a', by: -1 }))).toEqual(['Marché', 'Gare', 'Mairie']);
    expect(names(changeStops(stored, { kind: 'move', id: 'c', by: 1 }))).toEqual(['Marché', 'Gare', 'Mairie']);
  });

  it('names the API problems of one stop as the fields of its form', () => {
    expect(stopFieldPath('stops.2.openingHours', 2)).toBe('openingHours');
    expect(stopFieldPath('stops.2.lat', 2)).toBe('lat');
    expect(stopFieldPath('stops.0.name', 2)).toBe('stops.0.name');
  });
});
