import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { SchemeTable } from '../../db/schema.eligibility.js';
import type { OrganisationKind } from '../../../schemas/vocabulary.js';

/**
 * All SQL of schemes (dispositifs), their deciders and the territory settings. Rows leave as
 * camelCase records (JSON lists parsed, 0/1 as booleans); nothing else writes these tables except
 * the demo loader, through the functions below.
 */

const bool = (v: number) => Number(v) === 1;

/** A JSON list of strings as stored; anything else reads as [] (a hand-edited row must not crash a page). */
function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export interface SchemeRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  acceptedProfiles: string[];
  communes: string[];
  maxResteAVivreCents: number | null;
  maxQuotientFamilialCents: number | null;
  defaultValidityDays: number;
  maxValidityDays: number;
  isRenewable: boolean;
  isActive: boolean;
  position: number;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

const num = (v: number | null) => (v === null ? null : Number(v));

function toScheme(r: Selectable<SchemeTable>): SchemeRecord {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    description: r.description,
    acceptedProfiles: parseList(r.accepted_profiles),
    communes: parseList(r.communes),
    maxResteAVivreCents: num(r.max_reste_a_vivre_cents),
    maxQuotientFamilialCents: num(r.max_quotient_familial_cents),
    defaultValidityDays: Number(r.default_validity_days),
    maxValidityDays: Number(r.max_validity_days),
    isRenewable: bool(r.is_renewable),
    isActive: bool(r.is_active),
    position: Number(r.position),
    isDemo: bool(r.is_demo),
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

/** The writable fields of a scheme, as the service hands them over (its code never changes). */
export type SchemeFields = Omit<SchemeRecord, 'id' | 'code' | 'isDemo' | 'createdAt' | 'updatedAt'>;

function fieldColumns(f: SchemeFields) {
  return {
    name: f.name,
    name_en: f.nameEn,
    description: f.description,
    accepted_profiles: JSON.stringify(f.acceptedProfiles),
    communes: JSON.stringify(f.communes),
    max_reste_a_vivre_cents: f.maxResteAVivreCents,
    max_quotient_familial_cents: f.maxQuotientFamilialCents,
    default_validity_days: f.defaultValidityDays,
    max_validity_days: f.maxValidityDays,
    is_renewable: f.isRenewable ? 1 : 0,
    is_active: f.isActive ? 1 : 0,
    position: f.position
  };
}

/** Schemes by position then code; only active ones unless `includeInactive`. */
export async function listSchemes(db: Kysely<DB>, options: { includeInactive?: boolean } = {}): Promise<SchemeRecord[]> {
  let q = db.selectFrom('scheme').selectAll();
  if (!options.includeInactive) q = q.where('is_active', '=', 1);
  const rows = await q.orderBy('position').orderBy('code').execute();
  return rows.map(toScheme);
}

export async function findScheme(db: Kysely<DB>, id: string): Promise<SchemeRecord | undefined> {
  const r = await db.selectFrom('scheme').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toScheme(r) : undefined;
}

export async function findSchemeByCode(db: Kysely<DB>, code: string): Promise<SchemeRecord | undefined> {
  const r = await db.selectFrom('scheme').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? toScheme(r) : undefined;
}

/** Inserts a scheme (a unique violation on `code` surfaces to the caller). */
export async function insertScheme(
  db: Kysely<DB>,
  s: SchemeFields & { id: string; code: string; isDemo?: boolean; createdAt: string }
): Promise<void> {
  await db
    .insertInto('scheme')
    .values({
      id: s.id,
      code: s.code,
      ...fieldColumns(s),
      is_demo: s.isDemo ? 1 : 0,
      created_at: s.createdAt,
      updated_at: s.createdAt
    })
    .execute();
}

/** Replaces every writable field of a scheme; false when there is no such scheme. */
export async function updateScheme(db: Kysely<DB>, id: string, f: SchemeFields, at: string): Promise<boolean> {
  const result = await db
    .updateTable('scheme')
    .set({ ...fieldColumns(f), updated_at: at })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An organisation that decides a scheme (its name is public: people choose where to ask). */
export interface DeciderRecord {
  schemeId: string;
  organisationId: string;
  name: string;
  slug: string;
  kind: OrganisationKind;
}

/** Deciders of the given schemes (all when `schemeIds` is omitted), by organisation name. */
export async function listDeciders(db: Kysely<DB>, schemeIds?: readonly string[]): Promise<DeciderRecord[]> {
  if (schemeIds && schemeIds.length === 0) return [];
  let q = db
    .selectFrom('scheme_decider')
    .innerJoin('organisation', 'organisation.id', 'scheme_decider.organisation_id')
    .select([
      'scheme_decider.scheme_id as schemeId',
      'organisation.id as organisationId',
      'organisation.name as name',
      'organisation.slug as slug',
      'organisation.kind as kind'
    ]);
  if (schemeIds) q = q.where('scheme_decider.scheme_id', 'in', [...schemeIds]);
  const rows = await q.orderBy('organisation.name').orderBy('organisation.id').execute();
  return rows.map((r) => ({ ...r, kind: r.kind as OrganisationKind }));
}

/** Sets the deciders of a scheme to exactly `organisationIds` (call inside a transaction). */
export async function replaceDeciders(db: Kysely<DB>, schemeId: string, organisationIds: readonly string[]): Promise<void> {
  await db.deleteFrom('scheme_decider').where('scheme_id', '=', schemeId).execute();
  if (organisationIds.length > 0) {
    await db
      .insertInto('scheme_decider')
      .values(organisationIds.map((organisationId) => ({ scheme_id: schemeId, organisation_id: organisationId })))
      .execute();
  }
}

/** Id and kind of each of these organisations that exists. */
export async function organisationKinds(
  db: Kysely<DB>,
  ids: readonly string[]
): Promise<{ id: string; name: string; kind: OrganisationKind }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', 'in', [...ids]).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as OrganisationKind }));
}

/** Organisations that may be chosen as deciders (CCAS and associations), by name. */
export async function listDeciderCandidates(db: Kysely<DB>): Promise<{ id: string; name: string; kind: OrganisationKind }[]> {
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind'])
    .where('kind', 'in', ['ccas', 'association'])
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as OrganisationKind }));
}

// ───────────────────────── settings ─────────────────────────

export interface SettingRecord {
  key: string;
  value: string;
  updatedByUserId: string | null;
  updatedAt: string;
}

export async function getSetting(db: Kysely<DB>, key: string): Promise<SettingRecord | undefined> {
  const r = await db.selectFrom('setting').selectAll().where('key', '=', key).executeTakeFirst();
  return r ? { key: r.key, value: r.value, updatedByUserId: r.updated_by_user_id, updatedAt: r.updated_at } : undefined;
}

/** Writes a setting (insert or replace), atomically on both databases. */
export async function putSetting(db: Kysely<DB>, s: SettingRecord): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key: s.key, value: s.value, updated_by_user_id: s.updatedByUserId, updated_at: s.updatedAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: s.value, updated_by_user_id: s.updatedByUserId, updated_at: s.updatedAt }))
    .execute();
}

// ───────────────────────── communes of the territory ─────────────────────────

export interface CommuneRecord {
  insee: string;
  name: string;
}

/**
 * The communes the territory knows: those of its organisations and directory places (INSEE code
 * with the most frequent city name). The simulator and the scheme form offer them in a list.
 */
export async function listTerritoryCommunes(db: Kysely<DB>): Promise<CommuneRecord[]> {
  const [orgs, places] = await Promise.all([
    db
      .selectFrom('organisation')
      .select(['insee_code', 'city'])
      .where('insee_code', 'is not', null)
      .where('city', 'is not', null)
      .execute(),
    db
      .selectFrom('place')
      .select(['insee_code', 'city'])
      .where('insee_code', 'is not', null)
      .where('city', 'is not', null)
      .execute()
  ]);
  const names = new Map<string, Map<string, number>>();
  for (const r of [...orgs, ...places]) {
    const insee = r.insee_code!.trim().toUpperCase();
    const city = r.city!.trim();
    if (!insee || !city) continue;
    const counts = names.get(insee) ?? new Map<string, number>();
    counts.set(city, (counts.get(city) ?? 0) + 1);
    names.set(insee, counts);
  }
  return [...names.entries()]
    .map(([insee, counts]) => ({
      insee,
      name: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.insee.localeCompare(b.insee));
}
