import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv, csvField, CSV_BOM } from './csv.rules.js';
import {
  DI_SERVICE_COLUMNS,
  DI_STRUCTURE_COLUMNS,
  diServiceToServiceFields,
  exportThematiques,
  FOOD_THEMATIQUE,
  glaneServiceIssues,
  glaneStructureIssues,
  inferCategories,
  placeToStructure,
  serviceToDiService,
  structureToPlaceFields,
  type DiService,
  type DiStructure
} from './datainclusion.rules.js';
import { DI_SERVICE_SCHEMA, DI_STRUCTURE_SCHEMA } from './datainclusion.schemas.js';
import { serviceSchemaIssues, structureSchemaIssues } from './datainclusion.validator.js';
import type { OdOrganisation, OdPlace, OdService } from './opendata.types.js';
import { expectValid, officialValidator, readStandard } from './standards.testing.js';

const PUBLIC = 'https://glane.example.org';
const org: OdOrganisation = {
  id: 'o1',
  name: 'Les Restos du cœur du Nord',
  kind: 'association',
  siret: '77567227200014',
  network: 'restos-du-coeur',
  email: null,
  phone: null,
  updatedAt: '2026-01-01T00:00:00.000Z'
};
const place: OdPlace = {
  id: 'p-1',
  organisationId: 'o1',
  slug: 'restos-lille-centre',
  name: 'Restos du cœur — Lille centre',
  description: 'Distribution alimentaire, le mardi.',
  addressLine: '3 rue Nationale',
  addressComplement: null,
  postalCode: '59000',
  city: 'Lille',
  inseeCode: '59350',
  lat: 50.63,
  lng: 3.06,
  phone: '03 20 00 00 00',
  email: 'not an email',
  website: 'javascript:alert(1)',
  accessibilityUrl: 'https://acceslibre.beta.gouv.fr/app/x/',
  isAccessible: null,
  languages: [],
  openingHours: 'Tu 09:00-12:00',
  isMobile: false,
  source: 'glane',
  sourceId: null,
  updatedAt: '2026-11-20T15:04:05.000Z'
};
const service: OdService = {
  id: 's-1',
  placeId: 'p-1',
  organisationId: 'o1',
  name: 'Colis alimentaire',
  description: 'Un colis par semaine, sur inscription.',
  type: 'aide-materielle',
  thematiques: [],
  categories: ['colis-alimentaire', 'vetements'],
  frais: 'gratuit',
  fraisDetails: null,
  publics: ['tous-publics'],
  publicsDetails: null,
  access: 'unconditional',
  conditions: {},
  modalities: ['sur-inscription'],
  modalitiesDetails: 'Inscription au premier passage',
  modesAccueil: ['en-presentiel'],
  modesMobilisation: [],
  mobilisablePar: [],
  mobilisationDetails: null,
  mobilisationUrl: null,
  zoneEligibilite: ['59350', 'not a code!'],
  languages: ['ar'],
  openingHours: null,
  contactName: null,
  phone: null,
  email: null,
  source: 'glane',
  sourceId: null,
  updatedAt: '2026-11-21T08:00:00.000Z'
};

describe('data·inclusion schemas', () => {
  it('the copies used at run time equal the official files', () => {
    expect(DI_STRUCTURE_SCHEMA).toEqual(readStandard('data-inclusion-v1/structure.json'));
    expect(DI_SERVICE_SCHEMA).toEqual(readStandard('data-inclusion-v1/service.json'));
  });
});

describe('export mapping', () => {
  it('maps a place to a valid structure, dropping optional values the schema would refuse', () => {
    const s = placeToStructure(place, org, PUBLIC);
    expectValid('data-inclusion-v1/structure.json', s);
    expect(s).toMatchObject({
      source: 'glane',
      id: 'p-1',
      nom: place.name,
      date_maj: '2026-11-20',
      siret: org.siret,
      reseaux_porteurs: ['restos-du-coeur'],
      horaires_accueil: 'Tu 09:00-12:00',
      courriel: null,
      site_web: null,
      lien_source: 'https://glane.example.org/lieux/restos-lille-centre'
    });
    expect(Object.keys(s)).toEqual([...DI_STRUCTURE_COLUMNS]);
  });

  it('an imported place keeps the (source, id) it came with', () => {
    const s = placeToStructure({ ...place, source: 'dora', sourceId: 'dora--42' }, null, PUBLIC);
    expect([s.source, s.id, s.siret, s.reseaux_porteurs]).toEqual(['dora', 'dora--42', null, null]);
  });

  it('maps a service, adding the food thematique for food categories and the place hours', () => {
    const s = serviceToDiService(service, place, PUBLIC);
    expectValid('data-inclusion-v1/service.json', s);
    expect(s.thematiques).toEqual([FOOD_THEMATIQUE, 'equipement-et-alimentation--habillement']);
    expect(s.horaires_accueil).toBe('Tu 09:00-12:00');
    expect(s.structure_id).toBe('p-1');
    expect(s.zone_eligibilite).toEqual(['59350']);
    expect(s.modes_mobilisation).toBeNull(); // minItems 1 in the schema: empty lists are null
    // data·inclusion v1 has no languages field: a service's languages are not invented into another one.
    expect(Object.keys(s).some((k) => k.includes('lang'))).toBe(false);
    expect(Object.keys(s)).toEqual([...DI_SERVICE_COLUMNS]);
  });

  it('does not duplicate a thematique already present', () => {
    expect(exportThematiques({ thematiques: [FOOD_THEMATIQUE], categories: ['epicerie-sociale'] })).toEqual([FOOD_THEMATIQUE]);
    expect(exportThematiques({ thematiques: [], categories: ['hygiene'] })).toEqual([]);
  });
});

describe('run-time validator agrees with the official schema', () => {
  const cases: [string, unknown][] = [
    ['valid', { source: 'x', id: '1', nom: 'Lieu A', date_maj: '2026-01-02' }],
    ['missing nom', { source: 'x', id: '1', date_maj: '2026-01-02' }],
    ['bad date', { source: 'x', id: '1', nom: 'Lieu A', date_maj: '02/01/2026' }],
    ['bad postal code', { source: 'x', id: '1', nom: 'Lieu A', date_maj: '2026-01-02', code_postal: '5900' }],
    ['unknown network', { source: 'x', id: '1', nom: 'Lieu A', date_maj: '2026-01-02', reseaux_porteurs: ['nope'] }]
  ];
  it.each(cases)('structure: %s', (_label, record) => {
    const official = officialValidator('data-inclusion-v1/structure.json')(record);
    expect(structureSchemaIssues(record).length === 0).toBe(official);
  });
  it('names the field of a failure', () => {
    expect(structureSchemaIssues({ source: 'x', id: '1', date_maj: '2026-01-02' })).toEqual([{ path: '/nom', reason: 'required' }]);
    expect(serviceSchemaIssues({ source: 'x', id: '1', structure_id: 's', nom: 'Serv', description: 'abc', date_maj: '2026-01-02' })[0]?.path).toBe('/description');
    expect(serviceSchemaIssues({ source: 'x', id: '1', structure_id: 's', nom: 'Serv', description: 'abcdef', date_maj: '2026-01-02', publics: ['martiens'] })[0]?.path).toBe('/publics/0');
  });
});

describe('import mapping and Glane rules', () => {
  const structure: DiStructure = placeToStructure(place, org, PUBLIC);
  const diService: DiService = serviceToDiService(service, place, PUBLIC);

  it('structure → place fields, date_maj kept as updated_at', () => {
    const f = structureToPlaceFields(structure, 'Tu 09:00-12:00');
    expect(f).toMatchObject({ name: place.name, postalCode: '59000', lat: 50.63, updatedAt: '2026-11-20T00:00:00.000Z' });
  });

  it('service hours equal to the place hours are stored as null (inherit)', () => {
    expect(diServiceToServiceFields(diService, 'Tu 09:00-12:00', 'Tu 09:00-12:00').openingHours).toBeNull();
    expect(diServiceToServiceFields(diService, 'We 09:00-12:00', 'Tu 09:00-12:00').openingHours).toBe('We 09:00-12:00');
  });

  it('rejects tous-publics with other publics, and lone coordinates', () => {
    expect(glaneServiceIssues({ ...diService, publics: ['tous-publics', 'femmes'] })).toEqual([
      expect.objectContaining({ path: '/publics' })
    ]);
    expect(glaneStructureIssues({ ...structure, longitude: null })).toEqual([expect.objectContaining({ path: '/longitude' })]);
    expect(glaneStructureIssues(structure)).toEqual([]);
  });

  it('infers food categories from words, deterministically', () => {
    const food = { thematiques: [FOOD_THEMATIQUE] };
    expect(inferCategories({ ...food, nom: 'Épicerie solidaire', description: 'Produits à petit prix' })).toEqual(['epicerie-sociale']);
    expect(inferCategories({ ...food, nom: 'Colis bébé', description: 'Lait et couches' })).toEqual(['colis-bebe']);
    expect(inferCategories({ ...food, nom: 'Aide', description: 'Distribution le mardi' })).toEqual(['distribution-alimentaire']);
    expect(inferCategories({ thematiques: ['numerique--acquerir-un-equipement'], nom: 'Colis', description: 'Ordinateurs' })).toEqual([]);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180, joins lists with |, starts with a BOM, ends lines with CRLF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(['x', 'y'])).toBe('x|y');
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
    const text = toCsv<{ a: unknown; b: unknown }>(['a', 'b'], [{ a: 'line\nbreak', b: ['p', 'q'] }, { a: 'é', b: null }]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['line\nbreak', 'p|q'],
      ['é', '']
    ]);
  });

  it('round-trips a structure row', () => {
    const s = placeToStructure({ ...place, description: 'Dit "bonjour", puis\r\nau revoir' }, org, PUBLIC);
    const rows = parseCsv(toCsv(DI_STRUCTURE_COLUMNS, [s]));
    expect(rows[0]).toEqual([...DI_STRUCTURE_COLUMNS]);
    expect(rows[1]?.[DI_STRUCTURE_COLUMNS.indexOf('description')]).toBe(s.description);
    expect(rows[1]?.[DI_STRUCTURE_COLUMNS.indexOf('reseaux_porteurs')]).toBe('restos-du-coeur');
  });
});
