import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import { removeGeoPoint, upsertGeoPoint } from '../../db/geosearch.js';
import type {
  DB,
  DirectoryRevisionTable,
  PlaceNoticeTable,
  PlaceStopTable,
  PlaceTable,
  ServiceTable
} from '../../db/schema.js';
import { removeSearchDocument, upsertSearchDocument } from '../../db/text-search.js';
import { listPhotosOfPlace, type PhotoRecord } from './photos.repository.js';

/**
 * All SQL of the directory (places, services, tags, notices, stops, revisions).
 * Rows leave as camelCase records with real arrays/objects: JSON text is parsed and stringified
 * only here. Every function takes a `Kysely<DB>` so it also runs inside a transaction.
 * `service_tag` rows are written only by `syncServiceTags`; geo point + search document only by
 * `indexPlace`.
 */

/** Entity type of places in `geo_point` and `search_document`. */
export const PLACE_ENTITY = 'place';

export type Saturation = 'low' | 'medium' | 'high';

/** The editable fields of a place (camelCase, arrays parsed). */
export interface PlaceFields {
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
  /** PMR access: true, false, or null when unknown. */
  isAccessible: boolean | null;
  /** ISO 639-1 codes (LANGUAGES). */
  languages: string[];
  /** Normalised OSM opening_hours, or null when unknown. */
  openingHours: string | null;
  saturation: Saturation | null;
  isMobile: boolean;
}

export interface PlaceRecord extends PlaceFields {
  id: string;
  organisationId: string;
  slug: string;
  source: string;
  sourceId: string | null;
  verifiedAt: string | null;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What `insertPlace` needs: the required columns; every other field defaults to null / [] / false. */
export type NewPlace = Partial<PlaceFields> & {
  id?: string;
  organisationId: string;
  slug: string;
  name: string;
  source?: string;
  sourceId?: string | null;
  verifiedAt?: string | null;
  isDemo?: boolean;
  createdAt: string;
  updatedAt?: string;
};

/** Conditions of access of a service (all optional). */
export interface ServiceConditions {
  ageMin?: number;
  ageMax?: number;
  gender?: string;
  family?: string;
  status?: string;
  students?: boolean;
  [key: string]: unknown;
}

/** Food details of a service (all optional). */
export interface FoodDetails {
  products?: string[];
  diets?: string[];
  choice?: string;
  mealTypes?: string[];
  delivery?: string[];
  [key: string]: unknown;
}

/** The editable fields of a service (camelCase, arrays and objects parsed). */
export interface ServiceFields {
  name: string;
  description: string;
  type: string | null;
  thematiques: string[];
  categories: string[];
  frais: 'gratuit' | 'payant' | null;
  fraisDetails: string | null;
  publics: string[];
  publicsDetails: string | null;
  access: 'unconditional' | 'preferential' | 'exclusive';
  conditions: ServiceConditions;
  modalities: string[];
  modalitiesDetails: string | null;
  modesAccueil: string[];
  modesMobilisation: string[];
  mobilisablePar: string[];
  mobilisationDetails: string | null;
  mobilisationUrl: string | null;
  zoneEligibilite: string[];
  food: FoodDetails;
  /** ISO 639-1 codes (LANGUAGES) spoken at this service, besides the place's. */
  languages: string[];
  /** Null: the place's hours apply. */
  openingHours: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
}

export interface ServiceRecord extends ServiceFields {
  id: string;
  placeId: string;
  organisationId: string;
  source: string;
  sourceId: string | null;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

export type NewService = Partial<ServiceFields> & {
  id?: string;
  placeId: string;
  organisationId: string;
  name: string;
  description: string;
  source?: string;
  sourceId?: string | null;
  isDemo?: boolean;
  createdAt: string;
  updatedAt?: string;
};

export interface NoticeRecord {
  id: string;
  placeId: string;
  serviceId: string | null;
  kind: 'closure' | 'hours';
  /** YYYY-MM-DD, Europe/Paris, inclusive. */
  startsOn: string;
  endsOn: string;
  openingHours: string | null;
  message: string | null;
  createdAt: string;
}

export interface StopRecord {
  id: string;
  placeId: string;
  position: number;
  name: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number | null;
  lng: number | null;
  openingHours: string | null;
  /** Optional validity, YYYY-MM-DD (Europe/Paris, inclusive): a summer tour. Null: open-ended. */
  validFrom: string | null;
  validTo: string | null;
}

/** A stop to save: validity dates default to none (open-ended). */
export type StopInput = Omit<StopRecord, 'id' | 'placeId' | 'position' | 'validFrom' | 'validTo'> & {
  id?: string;
  validFrom?: string | null;
  validTo?: string | null;
};

export type RevisionAction = 'create' | 'update' | 'delete' | 'verify' | 'import';

export interface RevisionRecord {
  id: string;
  placeId: string;
  serviceId: string | null;
  actorUserId: string | null;
  /** Display name of the acting user (joined), or the label of a non-user actor. */
  actorName: string | null;
  actorLabel: string | null;
  at: string;
  action: RevisionAction;
  section: string | null;
  before: unknown;
  after: unknown;
}

export interface OrganisationSummary {
  id: string;
  slug: string;
  name: string;
  network: string | null;
}

/** A place with everything shown on its page. */
export interface PlaceAggregate {
  place: PlaceRecord;
  organisation: OrganisationSummary;
  services: ServiceRecord[];
  /** All notices of the place, by start date (the caller filters by date). */
  notices: NoticeRecord[];
  /** Stops of a mobile place, by position (all of them, past ones included). */
  stops: StopRecord[];
  /** Version of the stop list, sent back with a replacement (optimistic concurrency). */
  stopsVersion: number;
  /** Photos (metadata only), by position. */
  photos: PhotoRecord[];
}

// ---------------------------------------------------------------- JSON helpers

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A JSON list of strings as stored (anything else, or bad JSON, reads as []). */
export const parseArray = (text: string | null): string[] => {
  const v = parseJson<unknown>(text, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

const parseObject = <T extends object>(text: string | null): T => {
  const v = parseJson<unknown>(text, {});
  return (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}) as T;
};

const bool = (v: boolean | undefined | null): number => (v ? 1 : 0);
const triBool = (v: number | null): boolean | null => (v === null ? null : v !== 0);
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

// ---------------------------------------------------------------- mapping

/** Maps a `place` row to its record (arrays parsed, booleans real). */
export function toPlace(r: Selectable<PlaceTable>): PlaceRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    addressLine: r.address_line,
    addressComplement: r.address_complement,
    postalCode: r.postal_code,
    city: r.city,
    inseeCode: r.insee_code,
    lat: num(r.lat),
    lng: num(r.lng),
    phone: r.phone,
    email: r.email,
    website: r.website,
    accessibilityUrl: r.accessibility_url,
    isAccessible: triBool(r.is_accessible),
    languages: parseArray(r.languages),
    openingHours: r.opening_hours,
    saturation: r.saturation,
    isMobile: r.is_mobile !== 0,
    source: r.source,
    sourceId: r.source_id,
    verifiedAt: r.verified_at,
    isDemo: r.is_demo !== 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

type PlacePatch = Partial<PlaceFields> & {
  slug?: string;
  organisationId?: string;
  source?: string;
  sourceId?: string | null;
  verifiedAt?: string | null;
  isDemo?: boolean;
  updatedAt?: string;
};

/** Maps the given camelCase fields of a place to row columns; absent keys stay absent. */
function placeColumns(p: PlacePatch): Updateable<PlaceTable> {
  const out: Updateable<PlaceTable> = {};
  if (p.organisationId !== undefined) out.organisation_id = p.organisationId;
  if (p.slug !== undefined) out.slug = p.slug;
  if (p.name !== undefined) out.name = p.name;
  if (p.description !== undefined) out.description = p.description;
  if (p.addressLine !== undefined) out.address_line = p.addressLine;
  if (p.addressComplement !== undefined) out.address_complement = p.addressComplement;
  if (p.postalCode !== undefined) out.postal_code = p.postalCode;
  if (p.city !== undefined) out.city = p.city;
  if (p.inseeCode !== undefined) out.insee_code = p.inseeCode;
  if (p.lat !== undefined) out.lat = p.lat;
  if (p.lng !== undefined) out.lng = p.lng;
  if (p.phone !== undefined) out.phone = p.phone;
  if (p.email !== undefined) out.email = p.email;
  if (p.website !== undefined) out.website = p.website;
  if (p.accessibilityUrl !== undefined) out.accessibility_url = p.accessibilityUrl;
  if (p.isAccessible !== undefined) out.is_accessible = p.isAccessible === null ? null : bool(p.isAccessible);
  if (p.languages !== undefined) out.languages = JSON.stringify(p.languages);
  if (p.openingHours !== undefined) out.opening_hours = p.openingHours;
  if (p.saturation !== undefined) out.saturation = p.saturation;
  if (p.isMobile !== undefined) out.is_mobile = bool(p.isMobile);
  if (p.source !== undefined) out.source = p.source;
  if (p.sourceId !== undefined) out.source_id = p.sourceId;
  if (p.verifiedAt !== undefined) out.verified_at = p.verifiedAt;
  if (p.isDemo !== undefined) out.is_demo = bool(p.isDemo);
  if (p.updatedAt !== undefined) out.updated_at = p.updatedAt;
  return out;
}

/** Maps a `service` row to its record (arrays and objects parsed). */
export function toService(r: Selectable<ServiceTable>): ServiceRecord {
  return {
    id: r.id,
    placeId: r.place_id,
    organisationId: r.organisation_id,
    name: r.name,
    description: r.description,
    type: r.type,
    thematiques: parseArray(r.thematiques),
    categories: parseArray(r.categories),
    frais: r.frais,
    fraisDetails: r.frais_details,
    publics: parseArray(r.publics),
    publicsDetails: r.publics_details,
    access: r.access,
    conditions: parseObject<ServiceConditions>(r.conditions),
    modalities: parseArray(r.modalities),
    modalitiesDetails: r.modalities_details,
    modesAccueil: parseArray(r.modes_accueil),
    modesMobilisation: parseArray(r.modes_mobilisation),
    mobilisablePar: parseArray(r.mobilisable_par),
    mobilisationDetails: r.mobilisation_details,
    mobilisationUrl: r.mobilisation_url,
    zoneEligibilite: parseArray(r.zone_eligibilite),
    food: parseObject<FoodDetails>(r.food),
    languages: parseArray(r.languages),
    openingHours: r.opening_hours,
    contactName: r.contact_name,
    phone: r.phone,
    email: r.email,
    source: r.source,
    sourceId: r.source_id,
    isDemo: r.is_demo !== 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

type ServicePatch = Partial<ServiceFields> & {
  placeId?: string;
  organisationId?: string;
  source?: string;
  sourceId?: string | null;
  isDemo?: boolean;
  updatedAt?: string;
};

function serviceColumns(s: ServicePatch): Updateable<ServiceTable> {
  const out: Updateable<ServiceTable> = {};
  if (s.placeId !== undefined) out.place_id = s.placeId;
  if (s.organisationId !== undefined) out.organisation_id = s.organisationId;
  if (s.name !== undefined) out.name = s.name;
  if (s.description !== undefined) out.description = s.description;
  if (s.type !== undefined) out.type = s.type;
  if (s.thematiques !== undefined) out.thematiques = JSON.stringify(s.thematiques);
  if (s.categories !== undefined) out.categories = JSON.stringify(s.categories);
  if (s.frais !== undefined) out.frais = s.frais;
  if (s.fraisDetails !== undefined) out.frais_details = s.fraisDetails;
  if (s.publics !== undefined) out.publics = JSON.stringify(s.publics);
  if (s.publicsDetails !== undefined) out.publics_details = s.publicsDetails;
  if (s.access !== undefined) out.access = s.access;
  if (s.conditions !== undefined) out.conditions = JSON.stringify(s.conditions);
  if (s.modalities !== undefined) out.modalities = JSON.stringify(s.modalities);
  if (s.modalitiesDetails !== undefined) out.modalities_details = s.modalitiesDetails;
  if (s.modesAccueil !== undefined) out.modes_accueil = JSON.stringify(s.modesAccueil);
  if (s.modesMobilisation !== undefined) out.modes_mobilisation = JSON.stringify(s.modesMobilisation);
  if (s.mobilisablePar !== undefined) out.mobilisable_par = JSON.stringify(s.mobilisablePar);
  if (s.mobilisationDetails !== undefined) out.mobilisation_details = s.mobilisationDetails;
  if (s.mobilisationUrl !== undefined) out.mobilisation_url = s.mobilisationUrl;
  if (s.zoneEligibilite !== undefined) out.zone_eligibilite = JSON.stringify(s.zoneEligibilite);
  if (s.food !== undefined) out.food = JSON.stringify(s.food);
  if (s.languages !== undefined) out.languages = JSON.stringify(s.languages);
  if (s.openingHours !== undefined) out.opening_hours = s.openingHours;
  if (s.contactName !== undefined) out.contact_name = s.contactName;
  if (s.phone !== undefined) out.phone = s.phone;
  if (s.email !== undefined) out.email = s.email;
  if (s.source !== undefined) out.source = s.source;
  if (s.sourceId !== undefined) out.source_id = s.sourceId;
  if (s.isDemo !== undefined) out.is_demo = bool(s.isDemo);
  if (s.updatedAt !== undefined) out.updated_at = s.updatedAt;
  return out;
}

export function toNotice(r: Selectable<PlaceNoticeTable>): NoticeRecord {
  return {
    id: r.id,
    placeId: r.place_id,
    serviceId: r.service_id,
    kind: r.kind,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    openingHours: r.opening_hours,
    message: r.message,
    createdAt: r.created_at
  };
}

function toStop(r: Selectable<PlaceStopTable>): StopRecord {
  return {
    id: r.id,
    placeId: r.place_id,
    position: Number(r.position),
    name: r.name,
    addressLine: r.address_line,
    postalCode: r.postal_code,
    city: r.city,
    lat: num(r.lat),
    lng: num(r.lng),
    openingHours: r.opening_hours,
    validFrom: r.valid_from,
    validTo: r.valid_to
  };
}

// ---------------------------------------------------------------- places

/**
 * Inserts a place row from camelCase fields (unset fields: null / [] / false; source 'glane').
 * Does not index it: call `indexPlace` once its services are in.
 */
export async function insertPlace(db: Kysely<DB>, p: NewPlace): Promise<PlaceRecord> {
  const row: Selectable<PlaceTable> = {
    id: p.id ?? randomUUID(),
    organisation_id: p.organisationId,
    slug: p.slug,
    name: p.name,
    description: p.description ?? null,
    address_line: p.addressLine ?? null,
    address_complement: p.addressComplement ?? null,
    postal_code: p.postalCode ?? null,
    city: p.city ?? null,
    insee_code: p.inseeCode ?? null,
    lat: p.lat ?? null,
    lng: p.lng ?? null,
    phone: p.phone ?? null,
    email: p.email ?? null,
    website: p.website ?? null,
    accessibility_url: p.accessibilityUrl ?? null,
    is_accessible: p.isAccessible === undefined || p.isAccessible === null ? null : bool(p.isAccessible),
    languages: JSON.stringify(p.languages ?? []),
    opening_hours: p.openingHours ?? null,
    saturation: p.saturation ?? null,
    is_mobile: bool(p.isMobile),
    stops_version: 0,
    source: p.source ?? 'glane',
    source_id: p.sourceId ?? null,
    verified_at: p.verifiedAt ?? null,
    is_demo: bool(p.isDemo),
    created_at: p.createdAt,
    updated_at: p.updatedAt ?? p.createdAt
  };
  await db.insertInto('place').values(row).execute();
  return toPlace(row);
}

/** Updates the given fields of a place (absent keys untouched). Returns false when no such place. */
export async function updatePlaceRow(db: Kysely<DB>, placeId: string, patch: PlacePatch): Promise<boolean> {
  const set = placeColumns(patch);
  if (Object.keys(set).length === 0) return (await findPlace(db, placeId)) !== undefined;
  const res = await db.updateTable('place').set(set).where('id', '=', placeId).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function findPlace(db: Kysely<DB>, placeId: string): Promise<PlaceRecord | undefined> {
  const r = await db.selectFrom('place').selectAll().where('id', '=', placeId).executeTakeFirst();
  return r ? toPlace(r) : undefined;
}

export async function findPlaceBySlug(db: Kysely<DB>, slug: string): Promise<PlaceRecord | undefined> {
  const r = await db.selectFrom('place').selectAll().where('slug', '=', slug).executeTakeFirst();
  return r ? toPlace(r) : undefined;
}

/** The place imported from `source` with id `sourceId` (upserts of imports). */
export async function findPlaceBySource(
  db: Kysely<DB>,
  source: string,
  sourceId: string
): Promise<PlaceRecord | undefined> {
  const r = await db
    .selectFrom('place')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return r ? toPlace(r) : undefined;
}

/** Places by id (any order); missing ids are skipped. */
export async function findPlacesByIds(db: Kysely<DB>, ids: string[]): Promise<PlaceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('place').selectAll().where('id', 'in', ids).execute();
  return rows.map(toPlace);
}

/** Slugs equal to `base` or starting with `base-` (to pick a free one). */
export async function placeSlugsLike(db: Kysely<DB>, base: string): Promise<string[]> {
  const rows = await db
    .selectFrom('place')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  return rows.map((r) => r.slug);
}

/** Places of one organisation, by name. */
export async function listPlacesOfOrganisation(db: Kysely<DB>, organisationId: string): Promise<PlaceRecord[]> {
  const rows = await db
    .selectFrom('place')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toPlace);
}

/** Deletes a place (services, tags, notices, stops, photos cascade) and its index entries. */
export async function deletePlaceRow(db: Kysely<DB>, kind: DatabaseKind, placeId: string): Promise<boolean> {
  // Explicit child deletes: a foreign-key cascade is not relied upon across both engines' settings.
  await db.deleteFrom('service_tag').where('place_id', '=', placeId).execute();
  await db.deleteFrom('place_notice').where('place_id', '=', placeId).execute();
  await db.deleteFrom('place_stop').where('place_id', '=', placeId).execute();
  await db.deleteFrom('place_photo').where('place_id', '=', placeId).execute();
  await db.deleteFrom('service').where('place_id', '=', placeId).execute();
  const res = await db.deleteFrom('place').where('id', '=', placeId).executeTakeFirst();
  await removeGeoPoint(db, kind, PLACE_ENTITY, placeId);
  await removeSearchDocument(db, kind, PLACE_ENTITY, placeId);
  return Number(res.numDeletedRows) > 0;
}

// ---------------------------------------------------------------- services

/** Inserts a service row (unset lists: [], objects: {}, access 'unconditional'). Call `syncServiceTags` after. */
export async function insertService(db: Kysely<DB>, s: NewService): Promise<ServiceRecord> {
  const row: Selectable<ServiceTable> = {
    id: s.id ?? randomUUID(),
    place_id: s.placeId,
    organisation_id: s.organisationId,
    name: s.name,
    description: s.description,
    type: s.type ?? null,
    thematiques: JSON.stringify(s.thematiques ?? []),
    categories: JSON.stringify(s.categories ?? []),
    frais: s.frais ?? null,
    frais_details: s.fraisDetails ?? null,
    publics: JSON.stringify(s.publics ?? []),
    publics_details: s.publicsDetails ?? null,
    access: s.access ?? 'unconditional',
    conditions: JSON.stringify(s.conditions ?? {}),
    modalities: JSON.stringify(s.modalities ?? []),
    modalities_details: s.modalitiesDetails ?? null,
    modes_accueil: JSON.stringify(s.modesAccueil ?? []),
    modes_mobilisation: JSON.stringify(s.modesMobilisation ?? []),
    mobilisable_par: JSON.stringify(s.mobilisablePar ?? []),
    mobilisation_details: s.mobilisationDetails ?? null,
    mobilisation_url: s.mobilisationUrl ?? null,
    zone_eligibilite: JSON.stringify(s.zoneEligibilite ?? []),
    food: JSON.stringify(s.food ?? {}),
    languages: JSON.stringify(s.languages ?? []),
    opening_hours: s.openingHours ?? null,
    contact_name: s.contactName ?? null,
    phone: s.phone ?? null,
    email: s.email ?? null,
    source: s.source ?? 'glane',
    source_id: s.sourceId ?? null,
    is_demo: bool(s.isDemo),
    created_at: s.createdAt,
    updated_at: s.updatedAt ?? s.createdAt
  };
  await db.insertInto('service').values(row).execute();
  return toService(row);
}

/** Updates the given fields of a service. Returns false when no such service. Call `syncServiceTags` after. */
export async function updateServiceRow(db: Kysely<DB>, serviceId: string, patch: ServicePatch): Promise<boolean> {
  const set = serviceColumns(patch);
  if (Object.keys(set).length === 0) return (await findService(db, serviceId)) !== undefined;
  const res = await db.updateTable('service').set(set).where('id', '=', serviceId).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function findService(db: Kysely<DB>, serviceId: string): Promise<ServiceRecord | undefined> {
  const r = await db.selectFrom('service').selectAll().where('id', '=', serviceId).executeTakeFirst();
  return r ? toService(r) : undefined;
}

export async function findServiceBySource(
  db: Kysely<DB>,
  source: string,
  sourceId: string
): Promise<ServiceRecord | undefined> {
  const r = await db
    .selectFrom('service')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return r ? toService(r) : undefined;
}

/** Services of a place, by name. */
export async function listServicesOfPlace(db: Kysely<DB>, placeId: string): Promise<ServiceRecord[]> {
  const rows = await db
    .selectFrom('service')
    .selectAll()
    .where('place_id', '=', placeId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toService);
}

/** Deletes a service and its tags and notices. */
export async function deleteServiceRow(db: Kysely<DB>, serviceId: string): Promise<boolean> {
  await db.deleteFrom('service_tag').where('service_id', '=', serviceId).execute();
  await db.deleteFrom('place_notice').where('service_id', '=', serviceId).execute();
  const res = await db.deleteFrom('service').where('id', '=', serviceId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * The tag rows (kind, value) a service should have, from its record and its place's languages:
 * its `language` tags are the place's languages and its own (the search keeps a place when the place
 * or one of its matching services speaks a language asked).
 */
export function tagsOf(s: ServiceRecord, placeLanguages: string[]): { kind: string; value: string }[] {
  const out = new Map<string, { kind: string; value: string }>();
  const add = (kind: string, values: (string | null)[]) => {
    for (const value of values) if (value) out.set(`${kind}\u0000${value}`, { kind, value });
  };
  add('category', s.categories);
  add('public', s.publics);
  add('modality', s.modalities);
  add('thematique', s.thematiques);
  add('type', [s.type]);
  add('mode_accueil', s.modesAccueil);
  add('frais', [s.frais]);
  add('language', placeLanguages);
  add('language', s.languages);
  return [...out.values()];
}

/**
 * Rebuilds the `service_tag` rows of one service from its row and its place's languages
 * (the only writer of that table). No-op when the service does not exist (its tags are removed).
 */
export async function syncServiceTags(db: Kysely<DB>, serviceId: string): Promise<void> {
  await db.deleteFrom('service_tag').where('service_id', '=', serviceId).execute();
  const service = await findService(db, serviceId);
  if (!service) return;
  const place = await db.selectFrom('place').select('languages').where('id', '=', service.placeId).executeTakeFirst();
  const tags = tagsOf(service, parseArray(place?.languages ?? null));
  if (tags.length === 0) return;
  await db
    .insertInto('service_tag')
    .values(tags.map((t) => ({ service_id: serviceId, place_id: service.placeId, kind: t.kind, value: t.value })))
    .execute();
}

/** Rebuilds the tags of every service of a place (after its languages changed). */
export async function syncPlaceTags(db: Kysely<DB>, placeId: string): Promise<void> {
  const ids = await db.selectFrom('service').select('id').where('place_id', '=', placeId).execute();
  for (const { id } of ids) await syncServiceTags(db, id);
}

// ---------------------------------------------------------------- index

/** The text indexed for a place: its name, organisation, city and its services' names, categories, descriptions. */
export function placeSearchBody(
  place: Pick<PlaceRecord, 'name' | 'city' | 'description'>,
  organisationName: string | null,
  services: Pick<ServiceRecord, 'name' | 'categories' | 'description'>[]
): string {
  const parts: string[] = [place.name, organisationName ?? '', place.city ?? ''];
  for (const s of services) parts.push(s.name, s.categories.map((c) => c.replace(/-/g, ' ')).join(' '), s.description);
  return parts.filter((p) => p.length > 0).join('\n');
}

/**
 * Refreshes the geo point and search document of one place (only writer of those two for places).
 * A place without coordinates has no geo point. A missing place loses both.
 */
export async function indexPlace(db: Kysely<DB>, kind: DatabaseKind, placeId: string): Promise<void> {
  const row = await db
    .selectFrom('place')
    .innerJoin('organisation', 'organisation.id', 'place.organisation_id')
    .select([
      'place.name as name',
      'place.city as city',
      'place.description as description',
      'place.lat as lat',
      'place.lng as lng',
      'organisation.name as organisationName'
    ])
    .where('place.id', '=', placeId)
    .executeTakeFirst();
  if (!row) {
    await removeGeoPoint(db, kind, PLACE_ENTITY, placeId);
    await removeSearchDocument(db, kind, PLACE_ENTITY, placeId);
    return;
  }
  if (row.lat !== null && row.lng !== null) {
    await upsertGeoPoint(db, kind, { entityType: PLACE_ENTITY, entityId: placeId, lat: Number(row.lat), lng: Number(row.lng) });
  } else {
    await removeGeoPoint(db, kind, PLACE_ENTITY, placeId);
  }
  const services = await db
    .selectFrom('service')
    .select(['name', 'categories', 'description'])
    .where('place_id', '=', placeId)
    .orderBy('name')
    .execute();
  const body = placeSearchBody(
    row,
    row.organisationName,
    services.map((s) => ({ name: s.name, description: s.description, categories: parseArray(s.categories) }))
  );
  await upsertSearchDocument(db, kind, { entityType: PLACE_ENTITY, entityId: placeId, body });
}

// ---------------------------------------------------------------- notices and stops

export async function insertNotice(db: Kysely<DB>, n: Omit<NoticeRecord, 'id'> & { id?: string }): Promise<NoticeRecord> {
  const row: Selectable<PlaceNoticeTable> = {
    id: n.id ?? randomUUID(),
    place_id: n.placeId,
    service_id: n.serviceId,
    kind: n.kind,
    starts_on: n.startsOn,
    ends_on: n.endsOn,
    opening_hours: n.openingHours,
    message: n.message,
    created_at: n.createdAt
  };
  await db.insertInto('place_notice').values(row).execute();
  return toNotice(row);
}

export async function findNotice(db: Kysely<DB>, noticeId: string): Promise<NoticeRecord | undefined> {
  const r = await db.selectFrom('place_notice').selectAll().where('id', '=', noticeId).executeTakeFirst();
  return r ? toNotice(r) : undefined;
}

export async function deleteNoticeRow(db: Kysely<DB>, noticeId: string): Promise<boolean> {
  const res = await db.deleteFrom('place_notice').where('id', '=', noticeId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Notices of a place ending on or after `fromDay` (YYYY-MM-DD; all when omitted), by start date. */
export async function listNotices(db: Kysely<DB>, placeId: string, fromDay?: string): Promise<NoticeRecord[]> {
  let q = db.selectFrom('place_notice').selectAll().where('place_id', '=', placeId);
  if (fromDay) q = q.where('ends_on', '>=', fromDay);
  const rows = await q.orderBy('starts_on').orderBy('id').execute();
  return rows.map(toNotice);
}

export async function listStops(db: Kysely<DB>, placeId: string): Promise<StopRecord[]> {
  const rows = await db.selectFrom('place_stop').selectAll().where('place_id', '=', placeId).orderBy('position').execute();
  return rows.map(toStop);
}

/** The version of a place's stop list (undefined when no such place). */
export async function stopsVersionOf(db: Kysely<DB>, placeId: string): Promise<number | undefined> {
  const r = await db.selectFrom('place').select('stops_version').where('id', '=', placeId).executeTakeFirst();
  return r ? Number(r.stops_version) : undefined;
}

/**
 * Claims the next version of a place's stop list: +1 only when it is still `seen` (conditional
 * UPDATE, atomic on both databases; on PostgreSQL a concurrent writer waits for the row, then finds
 * the version changed). Returns the new version, or null when someone changed the list first.
 */
export async function bumpStopsVersion(db: Kysely<DB>, placeId: string, seen: number): Promise<number | null> {
  const res = await db
    .updateTable('place')
    .set((eb) => ({ stops_version: eb('stops_version', '+', 1) }))
    .where('id', '=', placeId)
    .where('stops_version', '=', seen)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0 ? seen + 1 : null;
}

/** Replaces every stop of a place by `stops`, in that order (callers claim the version first: bumpStopsVersion). */
export async function replaceStops(db: Kysely<DB>, placeId: string, stops: StopInput[]): Promise<StopRecord[]> {
  await db.deleteFrom('place_stop').where('place_id', '=', placeId).execute();
  const rows: Selectable<PlaceStopTable>[] = stops.map((s, i) => ({
    id: s.id ?? randomUUID(),
    place_id: placeId,
    position: i,
    name: s.name,
    address_line: s.addressLine,
    postal_code: s.postalCode,
    city: s.city,
    lat: s.lat,
    lng: s.lng,
    opening_hours: s.openingHours,
    valid_from: s.validFrom ?? null,
    valid_to: s.validTo ?? null
  }));
  if (rows.length > 0) await db.insertInto('place_stop').values(rows).execute();
  return rows.map(toStop);
}

// ---------------------------------------------------------------- aggregate

/** A place with its organisation, services, notices and stops; undefined when no such place. */
export async function loadPlaceAggregate(db: Kysely<DB>, placeId: string): Promise<PlaceAggregate | undefined> {
  const place = await findPlace(db, placeId);
  if (!place) return undefined;
  const org = await db
    .selectFrom('organisation')
    .select(['id', 'slug', 'name', 'network'])
    .where('id', '=', place.organisationId)
    .executeTakeFirstOrThrow();
  const [services, notices, stops, photos, stopsVersion] = await Promise.all([
    listServicesOfPlace(db, placeId),
    listNotices(db, placeId),
    listStops(db, placeId),
    listPhotosOfPlace(db, placeId),
    stopsVersionOf(db, placeId)
  ]);
  return { place, organisation: org, services, notices, stops, photos, stopsVersion: stopsVersion ?? 0 };
}

// ---------------------------------------------------------------- revisions

export interface NewRevision {
  placeId: string;
  serviceId?: string | null;
  actorUserId?: string | null;
  actorLabel?: string | null;
  at: string;
  action: RevisionAction;
  section?: string | null;
  before?: unknown;
  after?: unknown;
}

let lastMs = 0;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562): milliseconds first, then a per-millisecond counter, so ids sort in
 * creation order within this process. Revisions use it to break ties of equal `at` (several changes
 * in one millisecond, or a clock held still by tests) in the order they happened.
 */
export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = 0;
  }
  const random = randomBytes(8);
  const hex = ms.toString(16).padStart(12, '0') + '7' + sequence.toString(16).padStart(3, '0');
  random[0] = (random[0]! & 0x3f) | 0x80; // variant 10
  const tail = random.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}

/** Records one change (before/after stored as JSON; undefined → null). */
export async function insertRevision(db: Kysely<DB>, r: NewRevision): Promise<string> {
  const id = timeOrderedId();
  const row: Selectable<DirectoryRevisionTable> = {
    id,
    place_id: r.placeId,
    service_id: r.serviceId ?? null,
    actor_user_id: r.actorUserId ?? null,
    actor_label: r.actorLabel ?? null,
    at: r.at,
    action: r.action,
    section: r.section ?? null,
    before: r.before === undefined ? null : JSON.stringify(r.before),
    after: r.after === undefined ? null : JSON.stringify(r.after)
  };
  await db.insertInto('directory_revision').values(row).execute();
  return id;
}

/**
 * Revisions of a place, newest first, keyset-paged: `cursor` is the `at|id` of the last row seen.
 * Returns `limit` rows at most.
 */
export async function listRevisions(
  db: Kysely<DB>,
  placeId: string,
  opts: { cursor?: { at: string; id: string }; limit: number }
): Promise<RevisionRecord[]> {
  let q = db
    .selectFrom('directory_revision as r')
    .leftJoin('user as u', 'u.id', 'r.actor_user_id')
    .select([
      'r.id as id',
      'r.place_id as place_id',
      'r.service_id as service_id',
      'r.actor_user_id as actor_user_id',
      'r.actor_label as actor_label',
      'r.at as at',
      'r.action as action',
      'r.section as section',
      'r.before as before',
      'r.after as after',
      'u.display_name as display_name'
    ])
    .where('r.place_id', '=', placeId);
  const cursor = opts.cursor;
  if (cursor) {
    q = q.where((eb) =>
      eb.or([eb('r.at', '<', cursor.at), eb.and([eb('r.at', '=', cursor.at), eb('r.id', '<', cursor.id)])])
    );
  }
  const rows = await q.orderBy('r.at', 'desc').orderBy('r.id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    placeId: r.place_id,
    serviceId: r.service_id,
    actorUserId: r.actor_user_id,
    actorName: r.display_name ?? r.actor_label,
    actorLabel: r.actor_label,
    at: r.at,
    action: r.action,
    section: r.section,
    before: parseJson<unknown>(r.before, null),
    after: parseJson<unknown>(r.after, null)
  }));
}
