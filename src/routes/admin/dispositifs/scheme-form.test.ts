import { describe, expect, it } from 'vitest';
import { centsToText, parsePartsForm, parseSchemeForm, partsFieldError, partsToText, schemeFieldError } from './scheme-form';

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe('scheme form', () => {
  it('reads every field: euros to cents, empty thresholds to null, boxes and typed communes', () => {
    const { input, errors } = parseSchemeForm(
      form([
        ['code', 'Paniers-Bio'],
        ['name', ' Paniers bio '],
        ['nameEn', ''],
        ['description', 'Des légumes'],
        ['acceptedProfiles', 'etudiant'],
        ['acceptedProfiles', 'retraite'],
        ['communes', '59999'],
        ['otherCommunes', '59350, 2a004;59999'],
        ['maxResteAVivre', ''],
        ['maxQuotientFamilial', '600,50'],
        ['defaultValidityDays', '91'],
        ['maxValidityDays', '182'],
        ['isActive', 'on'],
        ['position', '3']
      ]),
      { withCode: true }
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      code: 'paniers-bio',
      name: 'Paniers bio',
      nameEn: null,
      description: 'Des légumes',
      acceptedProfiles: ['etudiant', 'retraite'],
      communes: ['59999', '59350', '2A004'],
      maxResteAVivreCents: null,
      maxQuotientFamilialCents: 60_050,
      defaultValidityDays: 91,
      maxValidityDays: 182,
      isRenewable: false,
      isActive: true,
      position: 3
    });
  });

  it('names what it cannot read', () => {
    const { input, errors } = parseSchemeForm(
      form([
        ['name', 'X'],
        ['maxResteAVivre', 'sept'],
        ['defaultValidityDays', '0'],
        ['maxValidityDays', '800'],
        ['position', '-1']
      ]),
      { withCode: false }
    );
    expect(input.code).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['defaultValidityDays', 'maxResteAVivre', 'maxValidityDays', 'position']);
  });

  it('maps the service’s field errors to the form', () => {
    expect(schemeFieldError({ path: 'code', message: 'already used' }, true)).toEqual(['code', { key: 'schemesAdmin.error.codeTaken' }]);
    expect(schemeFieldError({ path: 'communes.1', message: 'INSEE code' })).toEqual(['otherCommunes', { key: 'schemesAdmin.error.communes' }]);
    expect(schemeFieldError({ path: 'defaultValidityDays', message: 'cannot exceed maxValidityDays' })).toEqual([
      'defaultValidityDays',
      { key: 'schemesAdmin.error.defaultOverMax' }
    ]);
    expect(schemeFieldError({ path: 'organisationIds.0', code: 'decider_kind', message: '…' })).toEqual([
      'organisationIds',
      { key: 'schemesAdmin.error.deciderKind' }
    ]);
  });

  it('reads the table of parts with a decimal comma', () => {
    const entries: [string, string][] = [
      ['firstAdult', '1'],
      ['secondAdult', '1'],
      ['otherAdult', '0,5'],
      ['child', '0.75'],
      ['firstChildren', '2'],
      ['furtherChild', '1'],
      ['singleParent', '0,5']
    ];
    expect(parsePartsForm(form(entries))).toEqual({
      input: { qfParts: { firstAdult: 1, secondAdult: 1, otherAdult: 0.5, child: 0.75, firstChildren: 2, furtherChild: 1, singleParent: 0.5 } },
      errors: {}
    });
    const bad = parsePartsForm(form([...entries.filter(([k]) => k !== 'child' && k !== 'firstChildren'), ['child', 'un'], ['firstChildren', '1,5']]));
    expect(Object.keys(bad.errors).sort()).toEqual(['child', 'firstChildren']);
    expect(partsFieldError({ path: 'qfParts.firstAdult', message: 'must be more than 0' })).toEqual(['firstAdult', { key: 'schemesAdmin.error.firstAdult' }]);
    expect(partsFieldError({ path: 'qfParts.child', message: 'a multiple of 0.25' })[0]).toBe('child');
  });

  it('shows amounts and parts in the page’s language', () => {
    expect(centsToText(700, 'fr')).toBe('7');
    expect(centsToText(750, 'fr')).toBe('7,50');
    expect(centsToText(750, 'en')).toBe('7.50');
    expect(centsToText(null, 'fr')).toBe('');
    expect(partsToText(0.5, 'fr')).toBe('0,5');
    expect(partsToText(0.25, 'en')).toBe('0.25');
  });
});
