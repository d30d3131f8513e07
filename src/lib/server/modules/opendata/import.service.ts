import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { RESEAU_PORTEUR_VALUES } from '../../../schemas/reseaux-porteurs.js';
import {
  findPlace,
  findPlaceBySource,
  findService,
  findServiceBySource,
  indexPlace,
  insertPlace,
  insertRevision,
  insertService,
  placeSlugsLike,
  syncServiceTags,
  updatePlaceRow,
  updateServiceRow,
  type PlaceRecord,
  type ServiceRecord
} from '../directory/directory.repository.js';
import { validateOpeningHours } from '../directory/hours.rules.js';
import { insertOrganisation, slugsLike } from '../organisations/organisations.repository.js';
import { slugify, uniqueSlug } from '../organisations/organisations.rules.js';
import {
  diServiceToServiceFields,
  exportThematiques,
  glaneServiceIssues,
  glaneStructureIssues,
  inferCategories,
  structureToPlaceFields,
  type DiService,
  type DiStructure,
  type ImportedPlaceFields,
  type ImportedServiceFields,
  type RecordIssue
} from './datainclusion.rules.js';
import { serviceSchemaIssues, structureSchemaIssues } from './datainclusion.validator.js';
import { findOrganisationIdByName, findOrganisationIdBySiret, organisationExists } from './opendata.repository.js';

/**
 * Import of data·inclusion v1 records into the directory: every record is checked against the
 * official schema and Glane's rules, then upserted by (source, id) through the directory
 * repository, in one transaction. Idempotent: importing the same file again changes nothing and
 * reports every record as unchanged. By default all or nothing: one rejected record → nothing written.
 */

/** The source Glane's own records carry (a re-import of Glane's export matches native places by id). */
export const OWN_SOURCE = 'glane';
/** Most records one import takes (a file above is refused whole). */
export const IMPORT_MAX_RECORDS = 50_000;

export type ImportMode = 'all-or-nothing' | 'partial';

export interface ImportOptions {
  mode?: ImportMode;
  /** Attach every new structure to this organisation (else found or created by SIRET or name). */
  organisationId?: string;
  /** Who imports, for the revision history: a user, or a label such as "import CLI". */
  actor: { userId: string | null; label?: string | null };
}

export interface RejectedRecord {
  kind: 'file' | 'structure' | 'service';
  /** The record's `id` when it has one; for a file-level problem, null. */
  id: string | null;
  /** Index of the record in its list (structures or services). */
  index: number | null;
  reason: string;
  /** JSON pointer inside the record (or inside the file for kind 'file'). */
  path: string;
}

export interface Counts {
  structures: number;
  services: number;
}

export interface ImportReport {
  mode: ImportMode;
  /** True when the database was changed (false: nothing written, or nothing to write). */
  written: boolean;
  created: Counts;
  updated: Counts;
  unchanged: Counts;
  rejected: RejectedRecord[];
  /** One sentence a person can read (English; the UI translates by counts). */
  summary: string;
}

export interface ImportDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  now: () => Date;
  publicUrl: string;
}

const zero = (): Counts => ({ structures: 0, services: 0 });

function summarise(r: Omit<ImportReport, 'summary'>): string {
  const n = (c: Counts) => c.structures + c.services;
  if (r.rejected.some((x) => x.kind === 'file')) return `Nothing imported: ${r.rejected[0]?.reason}`;
  if (r.rejected.length > 0 && r.mode === 'all-or-nothing') {
    return `Nothing imported: ${r.rejected.length} record(s) rejected (all-or-nothing mode; use partial mode to import the valid ones)`;
  }
  if (n(r.created) + n(r.updated) === 0) {
    return `Nothing changed: ${n(r.unchanged)} record(s) already up to date${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}`;
  }
  return `Imported: ${n(r.created)} created, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged, ${r.rejected.length} rejected`;
}

function report(mode: ImportMode, parts: Partial<Omit<ImportReport, 'summary' | 'mode'>>): ImportReport {
  const base = {
    mode,
    written: parts.written ?? false,
    created: parts.created ?? zero(),
    updated: parts.updated ?? zero(),
    unchanged: parts.unchanged ?? zero(),
    rejected: parts.rejected ?? []
  };
  return { ...base, summary: summarise(base) };
}

function fileError(mode: ImportMode, reason: string, path = ''): ImportReport {
  return report(mode, { rejected: [{ kind: 'file', id: null, index: null, reason, path }] });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The structures and services of an input: `{ structures, services }`, or one array whose records
 * are services when they carry `structure_id` and structures otherwise. A string is parsed as JSON.
 */
export function splitInput(input: unknown): { structures: unknown[]; services: unknown[] } | { error: string; path: string } {
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return { error: `Not JSON: ${(err as Error).message}`, path: '' };
    }
  }
  if (Array.isArray(value)) {
    if (!value.every(isObject)) return { error: 'Not data·inclusion: every record must be a JSON object', path: '' };
    return {
      structures: value.filter((r) => !('structure_id' in r)),
      services: value.filter((r) => 'structure_id' in r)
    };
  }
  if (isObject(value) && ('structures' in value || 'services' in value)) {
    const structures = value.structures ?? [];
    const services = value.services ?? [];
    if (!Array.isArray(structures)) return { error: 'Not data·inclusion: "structures" must be an array', path: '/structures' };
    if (!Array.isArray(services)) return { error: 'Not data·inclusion: "services" must be an array', path: '/services' };
    return { structures, services };
  }
  return {
    error: 'Not data·inclusion: expected an array of structures or services, or { "structures": [...], "services": [...] }',
    path: ''
  };
}

const keyOf = (source: string, id: string) => `${source}\u0000${id}`;

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b) || (typeof a === 'object' && a !== null)) return JSON.stringify(a) === JSON.stringify(b);
  return (a ?? null) === (b ?? null);
}

/**
 * The fields of `next` that differ from `current` (empty: unchanged). `updatedAt` (from `date_maj`)
 * alone is no change; it moves only with a real change, and only when the day differs.
 */
function changedFields<T extends { updatedAt?: string }>(current: Record<string, unknown>, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next)) {
    if (k === 'updatedAt') continue;
    if (!sameValue(current[k], v)) (out as Record<string, unknown>)[k] = v;
  }
  if (Object.keys(out).length > 0 && next.updatedAt && String(current.updatedAt ?? '').slice(0, 10) !== next.updatedAt.slice(0, 10)) {
    out.updatedAt = next.updatedAt;
  }
  return out;
}

interface CheckedStructure {
  index: number;
  record: DiStructure;
  fields: ImportedPlaceFields;
}
interface CheckedService {
  index: number;
  record: DiService;
  fields: ImportedServiceFields;
  /** Key of its structure in this file, or the id of an existing place. */
  structureKey: string | null;
  existingPlaceId: string | null;
}

function hoursOf(value: string | null | undefined, path: string, issues: RecordIssue[]): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = validateOpeningHours(value, 'en');
  if (!v.ok) {
    issues.push({ path, reason: `invalid opening_hours: ${v.error}` });
    return null;
  }
  return v.normalised;
}

/** The place a data·inclusion (source, id) designates, if any: an imported one, or one of Glane's own. */
async function findPlaceByKey(db: Kysely<DB>, source: string, id: string): Promise<PlaceRecord | undefined> {
  const imported = await findPlaceBySource(db, source, id);
  if (imported) return imported;
  if (source !== OWN_SOURCE) return undefined;
  const own = await findPlace(db, id);
  return own && own.source === OWN_SOURCE && own.sourceId === null ? own : undefined;
}

async function findServiceByKey(db: Kysely<DB>, source: string, id: string): Promise<ServiceRecord | undefined> {
  const imported = await findServiceBySource(db, source, id);
  if (imported) return imported;
  if (source !== OWN_SOURCE) return undefined;
  const own = await findService(db, id);
  return own && own.source === OWN_SOURCE && own.sourceId === null ? own : undefined;
}

/** The slug a new imported place gets: the one in its `lien_source` when it is a Glane place URL and free, else from its name. */
async function slugFor(db: Kysely<DB>, s: DiStructure): Promise<string> {
  const fromLink = /\/lieux\/([a-z0-9-]{1,80})\/?$/.exec(s.lien_source ?? '')?.[1];
  if (fromLink && (await placeSlugsLike(db, fromLink)).every((x) => x !== fromLink)) return fromLink;
  const base = slugify(s.nom);
  return uniqueSlug(base, await placeSlugsLike(db, base));
}

/** The organisation a new structure is attached to: given, or found by SIRET, or by name, or created. */
async function organisationFor(db: Kysely<DB>, s: DiStructure, given: string | undefined, at: string): Promise<string> {
  if (given) return given;
  if (s.siret) {
    const bySiret = await findOrganisationIdBySiret(db, s.siret);
    if (bySiret) return bySiret;
  }
  const byName = await findOrganisationIdByName(db, s.nom.trim());
  if (byName) return byName;
  const id = randomUUID();
  const base = slugify(s.nom);
  const network = (s.reseaux_porteurs ?? []).find((n) => (RESEAU_PORTEUR_VALUES as readonly string[]).includes(n)) ?? null;
  await insertOrganisation(db, {
    id,
    slug: uniqueSlug(base, await slugsLike(db, base)),
    name: s.nom.trim(),
    kind: 'association',
    donorKind: null,
    network,
    siret: s.siret ?? null,
    email: null,
    phone: null,
    address: null,
    at
  });
  return id;
}

/**
 * Imports data·inclusion v1 records (see the module comment). `input` is the parsed body or the raw
 * file text. Never throws for bad input: a file that is not JSON or not data·inclusion gives a report
 * with one 'file' rejection and nothing written.
 */
export async function importDataInclusion(deps: ImportDeps, input: unknown, options: ImportOptions): Promise<ImportReport> {
  const mode: ImportMode = options.mode ?? 'all-or-nothing';
  const split = splitInput(input);
  if ('error' in split) return fileError(mode, split.error, split.path);
  if (split.structures.length + split.services.length === 0) return fileError(mode, 'Not data·inclusion: no record in the file');
  if (split.structures.length + split.services.length > IMPORT_MAX_RECORDS) {
    return fileError(mode, `Too many records: at most ${IMPORT_MAX_RECORDS} per import`);
  }
  if (options.organisationId && !(await organisationExists(deps.db, options.organisationId))) {
    return fileError(mode, `No organisation with id ${options.organisationId}`, '/organisationId');
  }

  const rejected: RejectedRecord[] = [];
  const reject = (kind: 'structure' | 'service', index: number, record: unknown, issues: RecordIssue[]) => {
    const id = isObject(record) && typeof record.id === 'string' ? record.id : null;
    for (const i of issues) rejected.push({ kind, id, index, reason: i.reason, path: i.path });
  };

  // 1. Structures: schema, Glane's rules, hours, duplicates within the file.
  const structures = new Map<string, CheckedStructure>();
  const rejectedStructures = new Set<string>();
  split.structures.forEach((raw, index) => {
    const schemaIssues = structureSchemaIssues(raw);
    if (schemaIssues.length > 0) {
      reject('structure', index, raw, schemaIssues);
      if (isObject(raw) && typeof raw.source === 'string' && typeof raw.id === 'string') rejectedStructures.add(keyOf(raw.source, raw.id));
      return;
    }
    const record = raw as DiStructure;
    const issues = glaneStructureIssues(record);
    const hours = hoursOf(record.horaires_accueil, '/horaires_accueil', issues);
    const key = keyOf(record.source, record.id);
    if (structures.has(key)) issues.push({ path: '/id', reason: `duplicate structure (source "${record.source}", id "${record.id}") in the file` });
    if (issues.length > 0) {
      reject('structure', index, raw, issues);
      rejectedStructures.add(key);
      return;
    }
    structures.set(key, { index, record, fields: structureToPlaceFields(record, hours) });
  });

  // 2. Services: schema, rules, hours, their structure (in the file or already in the database).
  const services = new Map<string, CheckedService>();
  for (const [index, raw] of split.services.entries()) {
    const schemaIssues = serviceSchemaIssues(raw);
    if (schemaIssues.length > 0) {
      reject('service', index, raw, schemaIssues);
      continue;
    }
    const record = raw as DiService;
    const issues = glaneServiceIssues(record);
    const hours = hoursOf(record.horaires_accueil, '/horaires_accueil', issues);
    const key = keyOf(record.source, record.id);
    if (services.has(key)) issues.push({ path: '/id', reason: `duplicate service (source "${record.source}", id "${record.id}") in the file` });
    const structureKey = keyOf(record.source, record.structure_id);
    let inFile: CheckedStructure | undefined;
    let existingPlace: PlaceRecord | undefined;
    if (rejectedStructures.has(structureKey)) {
      issues.push({ path: '/structure_id', reason: `its structure "${record.structure_id}" was rejected` });
    } else {
      inFile = structures.get(structureKey);
      if (!inFile) existingPlace = await findPlaceByKey(deps.db, record.source, record.structure_id);
      if (!inFile && !existingPlace) {
        issues.push({ path: '/structure_id', reason: `unknown structure "${record.structure_id}" (source "${record.source}")` });
      }
    }
    if (issues.length > 0) {
      reject('service', index, raw, issues);
      continue;
    }
    const placeHours = inFile ? inFile.fields.openingHours : (existingPlace?.openingHours ?? null);
    services.set(key, {
      index,
      record,
      fields: diServiceToServiceFields(record, hours, placeHours),
      structureKey: inFile ? structureKey : null,
      existingPlaceId: existingPlace?.id ?? null
    });
  }

  if (rejected.length > 0 && mode === 'all-or-nothing') return report(mode, { rejected });

  // 3. Write, in one transaction.
  const created = zero();
  const updated = zero();
  const unchanged = zero();
  const at = deps.now().toISOString();
  const actor = { actorUserId: options.actor.userId, actorLabel: options.actor.label ?? null };

  await deps.db.transaction().execute(async (trx) => {
    const placeIdByKey = new Map<string, string>();
    const touchedPlaces = new Set<string>();

    for (const [key, s] of structures) {
      const existing = await findPlaceByKey(trx, s.record.source, s.record.id);
      if (existing) {
        placeIdByKey.set(key, existing.id);
        const patch = changedFields(existing as unknown as Record<string, unknown>, s.fields);
        if (Object.keys(patch).length === 0) {
          unchanged.structures++;
          continue;
        }
        await updatePlaceRow(trx, existing.id, patch);
        const before = Object.fromEntries(Object.keys(patch).map((k) => [k, (existing as unknown as Record<string, unknown>)[k]]));
        await insertRevision(trx, { placeId: existing.id, ...actor, at, action: 'import', section: 'data-inclusion', before, after: patch });
        touchedPlaces.add(existing.id);
        updated.structures++;
      } else {
        const organisationId = await organisationFor(trx, s.record, options.organisationId, at);
        const place = await insertPlace(trx, {
          organisationId,
          slug: await slugFor(trx, s.record),
          ...s.fields,
          source: s.record.source,
          sourceId: s.record.id,
          createdAt: at
        });
        await insertRevision(trx, { placeId: place.id, ...actor, at, action: 'import', section: 'data-inclusion', after: s.record });
        placeIdByKey.set(key, place.id);
        touchedPlaces.add(place.id);
        created.structures++;
      }
    }

    for (const s of services.values()) {
      const placeId = s.structureKey ? placeIdByKey.get(s.structureKey) : s.existingPlaceId;
      if (!placeId) continue; // cannot happen: every checked service has a structure
      const place = await findPlace(trx, placeId);
      if (!place) continue;
      const existing = await findServiceByKey(trx, s.record.source, s.record.id);
      if (existing) {
        const wanted: ImportedServiceFields & { placeId: string; organisationId: string; categories?: string[] } = {
          ...s.fields,
          placeId,
          organisationId: place.organisationId
        };
        // Thematiques Glane adds on export (food categories → alimentation) are no change.
        if (sameValue(exportThematiques(existing), s.fields.thematiques)) wanted.thematiques = existing.thematiques;
        if (existing.categories.length === 0) {
          const inferred = inferCategories(s.record);
          if (inferred.length > 0) wanted.categories = inferred;
        }
        const patch = changedFields(existing as unknown as Record<string, unknown>, wanted);
        if (Object.keys(patch).length === 0) {
          unchanged.services++;
          continue;
        }
        await updateServiceRow(trx, existing.id, patch);
        await syncServiceTags(trx, existing.id);
        const before = Object.fromEntries(Object.keys(patch).map((k) => [k, (existing as unknown as Record<string, unknown>)[k]]));
        await insertRevision(trx, { placeId, serviceId: existing.id, ...actor, at, action: 'import', section: 'data-inclusion', before, after: patch });
        touchedPlaces.add(placeId);
        if (existing.placeId !== placeId) touchedPlaces.add(existing.placeId);
        updated.services++;
      } else {
        const service = await insertService(trx, {
          ...s.fields,
          categories: inferCategories(s.record),
          placeId,
          organisationId: place.organisationId,
          source: s.record.source,
          sourceId: s.record.id,
          createdAt: at
        });
        await syncServiceTags(trx, service.id);
        await insertRevision(trx, { placeId, serviceId: service.id, ...actor, at, action: 'import', section: 'data-inclusion', after: s.record });
        touchedPlaces.add(placeId);
        created.services++;
      }
    }

    for (const placeId of touchedPlaces) await indexPlace(trx, deps.kind, placeId);
  });

  const written = created.structures + created.services + updated.structures + updated.services > 0;
  return report(mode, { written, created, updated, unchanged, rejected });
}
