import { FOOD_CATEGORIES } from '../../../schemas/directory-vocabulary.js';
import type { OdOrganisation, OdPlace, OdService } from './opendata.types.js';

/**
 * Mapping between Glane's directory and data·inclusion v1 (the French standard, JSON Schemas in
 * ../shared/standards/data-inclusion-v1). A data·inclusion *structure* is a Glane *place* (it has
 * the address and the hours); its SIRET and network come from the place's organisation. A service
 * maps to a service. Identity is (source, id): a place created in Glane exports `source` = its
 * source ('glane') and `id` = its own id; a place imported from elsewhere keeps the (source, id) it
 * came with, so exporting, importing elsewhere and exporting again gives the same records.
 * Pure functions: no database, no clock.
 */

export const FOOD_THEMATIQUE = 'equipement-et-alimentation--alimentation';

/** data·inclusion v1 structure, keys in the standard's order of importance. */
export interface DiStructure {
  source: string;
  id: string;
  nom: string;
  date_maj: string;
  siret: string | null;
  reseaux_porteurs: string[] | null;
  description: string | null;
  horaires_accueil: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  code_postal: string | null;
  commune: string | null;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  telephone: string | null;
  courriel: string | null;
  site_web: string | null;
  accessibilite_lieu: string | null;
  lien_source: string | null;
}

/** data·inclusion v1 service. */
export interface DiService {
  source: string;
  id: string;
  structure_id: string;
  nom: string;
  description: string;
  date_maj: string;
  type: string | null;
  thematiques: string[] | null;
  frais: string | null;
  frais_precisions: string | null;
  publics: string[] | null;
  publics_precisions: string | null;
  conditions_acces: string | null;
  modes_accueil: string[] | null;
  modes_mobilisation: string[] | null;
  mobilisable_par: string[] | null;
  mobilisation_precisions: string | null;
  lien_mobilisation: string | null;
  zone_eligibilite: string[] | null;
  horaires_accueil: string | null;
  contact_nom_prenom: string | null;
  telephone: string | null;
  courriel: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  code_postal: string | null;
  commune: string | null;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  lien_source: string | null;
}

/** Column order of the CSV exports (the same keys as the JSON). */
export const DI_STRUCTURE_COLUMNS: readonly (keyof DiStructure)[] = [
  'source', 'id', 'nom', 'date_maj', 'siret', 'reseaux_porteurs', 'description', 'horaires_accueil', 'adresse',
  'complement_adresse', 'code_postal', 'commune', 'code_insee', 'latitude', 'longitude', 'telephone', 'courriel',
  'site_web', 'accessibilite_lieu', 'lien_source'
];
export const DI_SERVICE_COLUMNS: readonly (keyof DiService)[] = [
  'source', 'id', 'structure_id', 'nom', 'description', 'date_maj', 'type', 'thematiques', 'frais',
  'frais_precisions', 'publics', 'publics_precisions', 'conditions_acces', 'modes_accueil', 'modes_mobilisation',
  'mobilisable_par', 'mobilisation_precisions', 'lien_mobilisation', 'zone_eligibilite', 'horaires_accueil',
  'contact_nom_prenom', 'telephone', 'courriel', 'adresse', 'complement_adresse', 'code_postal', 'commune',
  'code_insee', 'latitude', 'longitude', 'lien_source'
];

// --- small sanitizers: an optional field that would break the schema is exported as null -------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const POSTAL = /^\d{5}$/;
const INSEE = /^\w{5}$/;
const SIRET = /^\d{14}$/;
const ZONE = [/^\w{5}$/, /^\w{2,3}$/, /^\d{9}$/, /^france$/];

function text(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}
function url(v: string | null | undefined): string | null {
  const t = text(v);
  if (!t || t.length > 2083) return null;
  try {
    const u = new URL(t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? t : null;
  } catch {
    return null;
  }
}
function email(v: string | null | undefined): string | null {
  const t = text(v);
  return t && EMAIL.test(t) ? t : null;
}
function matching(v: string | null | undefined, re: RegExp): string | null {
  const t = text(v);
  return t && re.test(t) ? t : null;
}
function list(values: readonly string[] | null | undefined): string[] | null {
  const unique = [...new Set((values ?? []).filter((v) => typeof v === 'string' && v.length > 0))];
  return unique.length > 0 ? unique : null;
}
function coordinate(v: number | null | undefined, max: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max ? v : null;
}

/** The YYYY-MM-DD date of an ISO timestamp (UTC), as data·inclusion's `date_maj`. */
export function dateOf(iso: string): string {
  return iso.slice(0, 10);
}

/** The public URL of a place page. */
export function placeUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/$/, '')}/lieux/${encodeURIComponent(slug)}`;
}

/** The (source, id) a place is known by in data·inclusion. */
export function structureKey(place: Pick<OdPlace, 'id' | 'source' | 'sourceId'>): { source: string; id: string } {
  return { source: place.source, id: place.sourceId ?? place.id };
}

/** The (source, id) a service is known by in data·inclusion. */
export function serviceKey(service: Pick<OdService, 'id' | 'source' | 'sourceId'>): { source: string; id: string } {
  return { source: service.source, id: service.sourceId ?? service.id };
}

/**
 * The thematiques to publish: the service's own, plus those implied by its Glane categories
 * (any food category → `equipement-et-alimentation--alimentation`, clothing → `--habillement`…).
 */
export function exportThematiques(service: Pick<OdService, 'thematiques' | 'categories'>): string[] {
  const out = [...service.thematiques];
  const add = (t: string) => {
    if (!out.includes(t)) out.push(t);
  };
  if (service.categories.some((c) => (FOOD_CATEGORIES as readonly string[]).includes(c))) add(FOOD_THEMATIQUE);
  if (service.categories.includes('vetements')) add('equipement-et-alimentation--habillement');
  if (service.categories.includes('electromenager')) add('equipement-et-alimentation--electromenager');
  return out;
}

/** A place (and its organisation) as a data·inclusion v1 structure. */
export function placeToStructure(place: OdPlace, organisation: OdOrganisation | null, publicUrl: string): DiStructure {
  const key = structureKey(place);
  const description = text(place.description);
  return {
    source: key.source,
    id: key.id,
    nom: place.name,
    date_maj: dateOf(place.updatedAt),
    siret: matching(organisation?.siret, SIRET),
    reseaux_porteurs: list(organisation?.network ? [organisation.network] : []),
    description: description && description.length >= 5 ? description.slice(0, 10000) : null,
    horaires_accueil: text(place.openingHours),
    adresse: text(place.addressLine),
    complement_adresse: text(place.addressComplement),
    code_postal: matching(place.postalCode, POSTAL),
    commune: text(place.city),
    code_insee: matching(place.inseeCode, INSEE),
    latitude: coordinate(place.lat, 90),
    longitude: coordinate(place.lng, 180),
    telephone: text(place.phone),
    courriel: email(place.email),
    site_web: url(place.website),
    accessibilite_lieu: url(place.accessibilityUrl),
    lien_source: url(placeUrl(publicUrl, place.slug))
  };
}

/** A service as a data·inclusion v1 service; address and coordinates are its place's. */
export function serviceToDiService(service: OdService, place: OdPlace, publicUrl: string): DiService {
  const key = serviceKey(service);
  return {
    source: key.source,
    id: key.id,
    structure_id: structureKey(place).id,
    nom: service.name,
    description: service.description,
    date_maj: dateOf(service.updatedAt),
    type: text(service.type),
    thematiques: list(exportThematiques(service)),
    frais: text(service.frais),
    frais_precisions: text(service.fraisDetails),
    publics: list(service.publics),
    publics_precisions: text(service.publicsDetails),
    conditions_acces: text(service.modalitiesDetails),
    modes_accueil: list(service.modesAccueil),
    modes_mobilisation: list(service.modesMobilisation),
    mobilisable_par: list(service.mobilisablePar),
    mobilisation_precisions: text(service.mobilisationDetails),
    lien_mobilisation: url(service.mobilisationUrl),
    zone_eligibilite: list(service.zoneEligibilite.filter((z) => ZONE.some((re) => re.test(z)))),
    horaires_accueil: text(service.openingHours) ?? text(place.openingHours),
    contact_nom_prenom: text(service.contactName),
    telephone: text(service.phone),
    courriel: email(service.email),
    adresse: text(place.addressLine),
    complement_adresse: text(place.addressComplement),
    code_postal: matching(place.postalCode, POSTAL),
    commune: text(place.city),
    code_insee: matching(place.inseeCode, INSEE),
    latitude: coordinate(place.lat, 90),
    longitude: coordinate(place.lng, 180),
    lien_source: url(placeUrl(publicUrl, place.slug))
  };
}

// --- import: data·inclusion → Glane fields ------------------------------------------------------------

/** The place fields an imported structure sets (camelCase, arrays as arrays). */
export interface ImportedPlaceFields {
  name: string;
  description: string | null;
  addressLine: string | null;
  addressComplement: string | null;
  postalCode: string | null;
  city: string | null;
  inseeCode: string | null;
  lat: number | null;
  lng: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  accessibilityUrl: string | null;
  openingHours: string | null;
  updatedAt: string;
}

/** The service fields an imported service sets. */
export interface ImportedServiceFields {
  name: string;
  description: string;
  type: string | null;
  thematiques: string[];
  frais: 'gratuit' | 'payant' | null;
  fraisDetails: string | null;
  publics: string[];
  publicsDetails: string | null;
  modalitiesDetails: string | null;
  modesAccueil: string[];
  modesMobilisation: string[];
  mobilisablePar: string[];
  mobilisationDetails: string | null;
  mobilisationUrl: string | null;
  zoneEligibilite: string[];
  openingHours: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  updatedAt: string;
}

/** The timestamp a `date_maj` stands for (midnight UTC), kept as the row's `updated_at`. */
export function timestampOfDate(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/** The place fields of a structure already valid against the schema (horaires given normalised). */
export function structureToPlaceFields(s: DiStructure, openingHours: string | null): ImportedPlaceFields {
  return {
    name: s.nom.trim(),
    description: text(s.description),
    addressLine: text(s.adresse),
    addressComplement: text(s.complement_adresse),
    postalCode: text(s.code_postal),
    city: text(s.commune),
    inseeCode: text(s.code_insee),
    lat: s.latitude ?? null,
    lng: s.longitude ?? null,
    phone: text(s.telephone),
    email: text(s.courriel),
    website: text(s.site_web),
    accessibilityUrl: text(s.accessibilite_lieu),
    openingHours,
    updatedAt: timestampOfDate(s.date_maj)
  };
}

/**
 * The service fields of a data·inclusion service. Hours equal to the structure's are stored as null
 * (the service follows its place), so a later change of the place's hours applies to it too.
 */
export function diServiceToServiceFields(
  s: DiService,
  openingHours: string | null,
  placeOpeningHours: string | null
): ImportedServiceFields {
  return {
    name: s.nom.trim(),
    description: s.description.trim(),
    type: text(s.type),
    thematiques: s.thematiques ?? [],
    frais: (text(s.frais) as 'gratuit' | 'payant' | null) ?? null,
    fraisDetails: text(s.frais_precisions),
    publics: s.publics ?? [],
    publicsDetails: text(s.publics_precisions),
    modalitiesDetails: text(s.conditions_acces),
    modesAccueil: s.modes_accueil ?? [],
    modesMobilisation: s.modes_mobilisation ?? [],
    mobilisablePar: s.mobilisable_par ?? [],
    mobilisationDetails: text(s.mobilisation_precisions),
    mobilisationUrl: text(s.lien_mobilisation),
    zoneEligibilite: s.zone_eligibilite ?? [],
    openingHours: openingHours !== null && openingHours === placeOpeningHours ? null : openingHours,
    contactName: text(s.contact_nom_prenom),
    phone: text(s.telephone),
    email: text(s.courriel),
    updatedAt: timestampOfDate(s.date_maj)
  };
}

function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Glane's finer food categories guessed from an imported food service's name and description
 * (data·inclusion has only the `--alimentation` thematique), so imported services are found by the
 * category filters. Deterministic, so re-importing gives the same answer. Non-food services: none.
 */
export function inferCategories(s: Pick<DiService, 'nom' | 'description' | 'thematiques'>): string[] {
  const thematiques = s.thematiques ?? [];
  const out: string[] = [];
  const t = fold(`${s.nom} ${s.description}`);
  if (thematiques.includes(FOOD_THEMATIQUE)) {
    if (/epicerie/.test(t)) out.push('epicerie-sociale');
    if (/colis/.test(t)) out.push(/bebe/.test(t) ? 'colis-bebe' : 'colis-alimentaire');
    if (/frigo/.test(t)) out.push('frigo-solidaire');
    if (/\brepas\b|restaura/.test(t)) out.push('repas-solidaire');
    if (/jardin/.test(t)) out.push('jardin-partage');
    if (/atelier[^.]{0,20}cuisine/.test(t)) out.push('atelier-cuisine');
    else if (/cuisine/.test(t)) out.push('cuisine-partagee');
    if (/\bbons?\b[^.]{0,20}aliment/.test(t)) out.push('bons-alimentaires');
    if (out.length === 0) out.push('distribution-alimentaire');
  }
  if (thematiques.includes('equipement-et-alimentation--habillement')) out.push('vetements');
  if (thematiques.includes('equipement-et-alimentation--electromenager')) out.push('electromenager');
  return out;
}

/** A problem with one record of an import: which record, which field (JSON pointer), why. */
export interface RecordIssue {
  path: string;
  reason: string;
}

/**
 * Glane's rules on a structure beyond the schema: coordinates in range and given together.
 * (Opening hours are checked by the import service with the opening-hours rules.)
 */
export function glaneStructureIssues(s: DiStructure): RecordIssue[] {
  const issues: RecordIssue[] = [];
  const hasLat = s.latitude !== null && s.latitude !== undefined;
  const hasLng = s.longitude !== null && s.longitude !== undefined;
  if (hasLat !== hasLng) issues.push({ path: hasLat ? '/longitude' : '/latitude', reason: 'latitude and longitude go together' });
  if (hasLat && Math.abs(s.latitude as number) > 90) issues.push({ path: '/latitude', reason: 'latitude out of range' });
  if (hasLng && Math.abs(s.longitude as number) > 180) issues.push({ path: '/longitude', reason: 'longitude out of range' });
  if (s.nom.trim().length < 3) issues.push({ path: '/nom', reason: 'name shorter than 3 characters' });
  return issues;
}

/** Glane's rules on a service beyond the schema: `tous-publics` stands alone; a non-blank description. */
export function glaneServiceIssues(s: DiService): RecordIssue[] {
  const issues: RecordIssue[] = [];
  const publics = s.publics ?? [];
  if (publics.includes('tous-publics') && publics.length > 1) {
    issues.push({ path: '/publics', reason: '"tous-publics" cannot be combined with other publics' });
  }
  if (s.description.trim().length < 5) issues.push({ path: '/description', reason: 'description shorter than 5 characters' });
  if (s.nom.trim().length < 3) issues.push({ path: '/nom', reason: 'name shorter than 3 characters' });
  return issues;
}
