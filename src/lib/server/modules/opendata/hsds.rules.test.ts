import { beforeAll, describe, expect, it } from 'vitest';
import {
  departementOf,
  hsdsPage,
  noticeSchedules,
  osmToSchedules,
  parseSimpleOpeningHours,
  stableUuid,
  toHsdsOrganizationFull,
  toHsdsServiceAtLocationBasic,
  toHsdsServiceFull
} from './hsds.rules.js';
import type { OdNotice, OdOrganisation, OdPlace, OdService } from './opendata.types.js';
import { expectValid, officialValidator, readStandard } from './standards.testing.js';

const links = { service_id: '11111111-1111-4111-8111-111111111111' };

describe('osmToSchedules', () => {
  it('groups weekdays sharing a time range into one WEEKLY schedule', () => {
    const s = osmToSchedules('Mo-Fr 08:30-12:30; PH off', 'k', links);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      freq: 'WEEKLY',
      interval: 1,
      byday: 'MO,TU,WE,TH,FR',
      opens_at: '08:30:00',
      closes_at: '12:30:00',
      service_id: links.service_id
    });
    expect(s[0]?.notes).toContain('jours fériés');
  });

  it('splits days with two ranges and different days', () => {
    const s = osmToSchedules('Mo,We 09:00-12:00,14:00-17:00; Sa 10:00-12:00', 'k', links);
    expect(s.map((x) => [x.byday, x.opens_at, x.closes_at])).toEqual([
      ['MO,WE', '09:00:00', '12:00:00'],
      ['MO,WE', '14:00:00', '17:00:00'],
      ['SA', '10:00:00', '12:00:00']
    ]);
    expect(s.every((x) => x.notes === undefined)).toBe(true);
  });

  it('applies later rules over earlier ones for the days they name (OSM semantics)', () => {
    const s = osmToSchedules('Mo-Fr 09:00-17:00; We off; Fr 09:00-12:00', 'k', links);
    expect(s.map((x) => [x.byday, x.opens_at, x.closes_at])).toEqual([
      ['MO,TU,TH', '09:00:00', '17:00:00'],
      ['FR', '09:00:00', '12:00:00']
    ]);
  });

  it('handles wrapping ranges, 24/7 and 24:00', () => {
    expect(osmToSchedules('Sa-Mo 10:00-24:00', 'k', links).map((x) => [x.byday, x.closes_at])).toEqual([['MO,SA,SU', '23:59:59']]);
    expect(osmToSchedules('24/7', 'k', links)[0]).toMatchObject({ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00:00' });
  });

  it('converts the nth weekday of the month to a MONTHLY schedule', () => {
    const s = osmToSchedules('Tu[1,3] 14:00-16:00', 'k', links);
    expect(s).toEqual([expect.objectContaining({ freq: 'MONTHLY', byday: '1TU,3TU', opens_at: '14:00:00', closes_at: '16:00:00' })]);
  });

  it('keeps what it cannot express as one schedule holding the OSM text', () => {
    for (const value of ['Jan-Mar Mo 09:00-12:00', 'Mo 09:00-12:00 || "sur rendez-vous"', 'Mo 09:00+', 'week 1-53/2 Fr 09:00-12:00']) {
      const s = osmToSchedules(value, 'k', links);
      expect(s).toHaveLength(1);
      expect(s[0]?.freq).toBeUndefined();
      expect(s[0]?.description).toContain(value);
    }
    expect(parseSimpleOpeningHours('Mo 09:00-12:00; Mo[1] off')).toBeNull();
  });

  it('gives nothing for no hours and stable ids for the same input', () => {
    expect(osmToSchedules(null, 'k', links)).toEqual([]);
    expect(osmToSchedules('  ', 'k', links)).toEqual([]);
    expect(osmToSchedules('Mo 09:00-10:00', 'k', links)[0]?.id).toBe(osmToSchedules('Mo 09:00-10:00', 'k', links)[0]?.id);
    expect(stableUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('a')).not.toBe(stableUuid('b'));
  });

  it('bounds temporary notices with valid_from / valid_to', () => {
    const notices: OdNotice[] = [
      { id: 'n1', placeId: 'p', serviceId: null, kind: 'closure', startsOn: '2026-12-24', endsOn: '2027-01-02', openingHours: null, message: 'Congés' },
      { id: 'n2', placeId: 'p', serviceId: null, kind: 'hours', startsOn: '2027-02-01', endsOn: '2027-02-28', openingHours: 'Mo 10:00-11:00', message: null }
    ];
    const s = noticeSchedules(notices, 'k', links);
    expect(s[0]).toMatchObject({ valid_from: '2026-12-24', valid_to: '2027-01-02' });
    expect(s[0]?.description).toContain('Congés');
    expect(s[1]).toMatchObject({ valid_from: '2027-02-01', valid_to: '2027-02-28', byday: 'MO', opens_at: '10:00:00' });
  });
});

describe('departementOf', () => {
  it('reads the département from INSEE or postal code', () => {
    expect(departementOf('59000', '59350')).toBe('59');
    expect(departementOf('97400', null)).toBe('974');
    expect(departementOf('20000', '2A004')).toBe('2A');
    expect(departementOf('20200', null)).toBe('2B');
    expect(departementOf(null, null)).toBeNull();
  });
});

describe('hsdsPage', () => {
  it('fills the paging object', () => {
    expect(hsdsPage([1, 2], 5, 1, 2)).toEqual({
      total_items: 5,
      total_pages: 3,
      page_number: 1,
      size: 2,
      first_page: true,
      last_page: false,
      empty: false,
      contents: [1, 2]
    });
    expect(hsdsPage([], 0, 1, 50)).toMatchObject({ total_pages: 1, empty: true, first_page: true, last_page: true });
  });
});

// ----------------------------------------------------------------- against the official compiled schemas

const org: OdOrganisation = {
  id: '0b6c8f64-3d7e-4c3e-9b0a-3b1f6f1c2a10',
  name: 'Épicerie solidaire du Vieux-Lille',
  kind: 'association',
  siret: '12345678901234',
  network: 'restos-du-coeur',
  email: 'contact@example.org',
  phone: '+33320000000',
  updatedAt: '2026-11-01T10:00:00.000Z'
};
const place: OdPlace = {
  id: '2f0a8a52-7a4c-4c55-8d0e-6b0e3e8f9a11',
  organisationId: org.id,
  slug: 'epicerie-vieux-lille',
  name: 'Épicerie du Vieux-Lille',
  description: 'Épicerie sociale ouverte aux familles orientées par le CCAS.',
  addressLine: '12 rue de la Monnaie',
  addressComplement: 'Cour intérieure',
  postalCode: '59000',
  city: 'Lille',
  inseeCode: '59350',
  lat: 50.6405,
  lng: 3.0631,
  phone: '+33320000001',
  email: null,
  website: 'https://example.org',
  accessibilityUrl: null,
  isAccessible: true,
  languages: ['fr', 'ar'],
  openingHours: 'Mo-Fr 09:00-12:00; PH off',
  isMobile: false,
  source: 'glane',
  sourceId: null,
  updatedAt: '2026-11-02T10:00:00.000Z'
};
const service: OdService = {
  id: '5c1b3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b21',
  placeId: place.id,
  organisationId: org.id,
  name: 'Épicerie sociale',
  description: 'Produits frais et secs à 10 % du prix, sur orientation.',
  type: 'aide-materielle',
  thematiques: [],
  categories: ['epicerie-sociale'],
  frais: 'payant',
  fraisDetails: '10 % du prix',
  publics: ['familles'],
  publicsDetails: null,
  access: 'exclusive',
  conditions: { ageMin: 18 },
  modalities: ['sur-orientation'],
  modalitiesDetails: 'Sur orientation du CCAS',
  modesAccueil: ['en-presentiel'],
  modesMobilisation: ['se-presenter'],
  mobilisablePar: ['professionnels'],
  mobilisationDetails: null,
  mobilisationUrl: null,
  zoneEligibilite: ['59350'],
  languages: ['uk', 'ar'],
  openingHours: 'Jan-Mar Tu 14:00-16:00',
  contactName: 'Accueil',
  phone: '+33320000002',
  email: 'epicerie@example.org',
  source: 'glane',
  sourceId: null,
  updatedAt: '2026-11-03T10:00:00.000Z'
};
const notices: OdNotice[] = [
  { id: 'n1', placeId: place.id, serviceId: null, kind: 'closure', startsOn: '2026-12-24', endsOn: '2027-01-02', openingHours: null, message: null }
];
const PUBLIC = 'https://glane.example.org';

describe('HSDS records against ../shared/standards/hsds-3.0/compiled', () => {
  beforeAll(() => {
    // Compiling the 2-3 MB compiled schemas takes a few seconds each: once per file.
    for (const f of ['service', 'organization', 'service_at_location_list']) officialValidator(`hsds-3.0/compiled/${f}.json`);
  }, 120_000);

  it('the official examples validate (the validator works)', () => {
    expectValid('hsds-3.0/compiled/service.json', readStandard('hsds-3.0/examples/service_full.json'));
    expect(officialValidator('hsds-3.0/compiled/service.json')({ id: 'not-a-uuid', name: 'x', status: 'active' })).toBe(false);
  });

  it('a full service, with converted and fallback schedules, validates', () => {
    const full = toHsdsServiceFull(service, place, org, notices, PUBLIC, '2026-12-25');
    expectValid('hsds-3.0/compiled/service.json', JSON.parse(JSON.stringify(full)));
    expect(full.status).toBe('temporarily closed');
    expect(full.minimum_age).toBe(18);
    expect(full.schedules.some((s) => s.description?.includes('Jan-Mar Tu 14:00-16:00'))).toBe(true);
    expect(full.attributes.map((a) => a.value)).toContain('equipement-et-alimentation--alimentation');
    // The service's own languages, then its place's, once each.
    expect(full.languages.map((l) => [l.service_id, l.code])).toEqual([
      [service.id, 'uk'],
      [service.id, 'ar'],
      [service.id, 'fr']
    ]);
    const location = full.service_at_locations[0]?.location;
    expect(location?.addresses[0]).toMatchObject({ state_province: '59', country: 'FR', postal_code: '59000' });
  });

  it('a service following its place hours gets WEEKLY schedules', () => {
    const full = toHsdsServiceFull({ ...service, openingHours: null }, place, org, [], PUBLIC, '2026-11-29');
    expect(full.status).toBe('active');
    expect(full.schedules).toEqual([expect.objectContaining({ freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00:00' })]);
    expectValid('hsds-3.0/compiled/service.json', JSON.parse(JSON.stringify(full)));
  });

  it('a full organization and a service_at_location validate', () => {
    const full = toHsdsOrganizationFull(org, [place], [service], notices, PUBLIC, '2026-11-29');
    expectValid('hsds-3.0/compiled/organization.json', JSON.parse(JSON.stringify(full)));
    expect(full.organization_identifiers[0]).toMatchObject({ identifier_type: 'SIRET', identifier: org.siret });
    const sal = toHsdsServiceAtLocationBasic(service, place, org, [], PUBLIC, '2026-11-29');
    expectValid('hsds-3.0/compiled/service_at_location_list.json', JSON.parse(JSON.stringify(sal)));
  });

  it('a place without address or coordinates still validates (fields left out, never null)', () => {
    const bare: OdPlace = { ...place, addressLine: null, postalCode: null, city: null, inseeCode: null, lat: null, lng: null, isAccessible: null, languages: [] };
    const full = toHsdsServiceFull({ ...service, conditions: {}, frais: null, contactName: null }, bare, { ...org, siret: null, email: null }, [], PUBLIC, '2026-11-29');
    const json = JSON.parse(JSON.stringify(full));
    expectValid('hsds-3.0/compiled/service.json', json);
    expect(JSON.stringify(json)).not.toContain('null');
  });
});
