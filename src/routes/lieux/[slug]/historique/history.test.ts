import { describe, expect, it } from 'vitest';
import { changeLines, readableValue } from './history';

describe('revision diff', () => {
  it('lists only the fields that changed, labelled, before → after', () => {
    const lines = changeLines(
      { openingHours: 'Tu,Fr 09:00-11:30; PH off', phone: '0320000000' },
      { openingHours: 'Mo-Fr 09:00-12:00', phone: '0320000000' },
      'fr'
    );
    expect(lines).toEqual([{ field: 'openingHours', label: 'Horaires', before: 'Tu,Fr 09:00-11:30; PH off', after: 'Mo-Fr 09:00-12:00' }]);
    expect(changeLines({ openingHours: 'x' }, { openingHours: 'y' }, 'en')[0]?.label).toBe('Hours');
  });

  it('shows a creation and a deletion against nothing, without technical fields', () => {
    const created = changeLines(null, { id: 'n1', placeId: 'p1', kind: 'closure', startsOn: '2026-12-24', message: null }, 'fr');
    expect(created.map((l) => l.field)).toEqual(['kind', 'startsOn']);
    expect(created[0]).toMatchObject({ before: '—', after: 'closure' });
    expect(changeLines({ name: 'Colis' }, null, 'fr')).toEqual([{ field: 'name', label: 'Nom', before: 'Colis', after: '—' }]);
  });

  it('reads lists, booleans, empty values and objects as short text', () => {
    expect(readableValue(['fr', 'ar'], 'fr')).toBe('fr, ar');
    expect(readableValue([], 'fr')).toBe('—');
    expect(readableValue(true, 'en')).toBe('Yes');
    expect(readableValue(null, 'fr')).toBe('—');
    expect(readableValue({ products: ['sec'], diets: [] }, 'fr')).toBe('products: sec');
  });

  it('reads a change of the stops of a mobile place as their names and hours, in order', () => {
    const lines = changeLines(
      [{ position: 0, name: 'Gare', openingHours: 'Mo 19:30-20:15' }],
      [
        { position: 0, name: 'Gare', openingHours: 'Mo 19:30-20:15' },
        { position: 1, name: 'Mairie', openingHours: null }
      ],
      'fr'
    );
    expect(lines).toEqual([{ field: 'stops', label: 'Arrêts', before: 'Gare (Mo 19:30-20:15)', after: 'Gare (Mo 19:30-20:15), Mairie' }]);
  });

  it('shows a change of the days a stop runs, before → after', () => {
    const lines = changeLines(
      [{ name: 'Plage', openingHours: 'Sa 10:00-12:00', validFrom: '2027-07-01', validTo: null }],
      [{ name: 'Plage', openingHours: 'Sa 10:00-12:00', validFrom: '2027-07-01', validTo: '2027-08-31' }],
      'fr'
    );
    expect(lines).toEqual([
      {
        field: 'stops',
        label: 'Arrêts',
        before: 'Plage (Sa 10:00-12:00, à partir du 1 juillet 2027)',
        after: 'Plage (Sa 10:00-12:00, du 1 juillet 2027 au 31 août 2027)'
      }
    ]);
  });

  it('labels the languages of a service', () => {
    expect(changeLines({ languages: ['uk'] }, { languages: ['uk', 'ar'] }, 'en')).toEqual([
      { field: 'languages', label: 'Languages', before: 'uk', after: 'uk, ar' }
    ]);
  });

  it('keeps an unknown field under its own name', () => {
    expect(changeLines({ mysteryField: 1 }, { mysteryField: 2 }, 'fr')[0]?.label).toBe('mysteryField');
  });
});
