import type { Kysely } from 'kysely';
import { inChunks } from '../../db/in-chunks.js';
import type { DB } from '../../db/schema.js';
import { toNotice, toPlace, toService, type PlaceRecord, type ServiceRecord } from '../directory/directory.repository.js';
import type { OdNotice, OdOrganisation, OdPage } from './opendata.types.js';

/**
 * Reads of the open-data exports (writes go through the directory repository). Rows are mapped
 * by the directory's own `toPlace` / `toService`, so exports see exactly what the directory stores.
 * Demo rows (is_demo = 1) are left out unless asked for: open data must not carry made-up places.
 */

export interface ListOptions {
  includeDemo: boolean;
  offset: number;
  /** null: every row (offset ignored). */
  limit: number | null;
  organisationId?: string;
}

/** Places in a stable order (id), one page and the total. */
export async function listPlacesForExport(db: Kysely<DB>, o: ListOptions): Promise<OdPage<PlaceRecord>> {
  let q = db.selectFrom('place');
  if (!o.includeDemo) q = q.where('is_demo', '=', 0);
  if (o.organisationId) q = q.where('organisation_id', '=', o.organisationId);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  let rows = q.selectAll().orderBy('id');
  if (o.limit !== null) rows = rows.limit(o.limit).offset(o.offset);
  return { items: (await rows.execute()).map(toPlace), total };
}

/** Services in a stable order (id), one page and the total. */
export async function listServicesForExport(db: Kysely<DB>, o: ListOptions): Promise<OdPage<ServiceRecord>> {
  let q = db.selectFrom('service');
  if (!o.includeDemo) q = q.where('is_demo', '=', 0);
  if (o.organisationId) q = q.where('organisation_id', '=', o.organisationId);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  let rows = q.selectAll().orderBy('id');
  if (o.limit !== null) rows = rows.limit(o.limit).offset(o.offset);
  return { items: (await rows.execute()).map(toService), total };
}

/** Places by id (for the services of a page). */
export async function placesByIds(db: Kysely<DB>, ids: string[]): Promise<Map<string, PlaceRecord>> {
  const slices = await inChunks(ids, (chunk) => db.selectFrom('place').selectAll().where('id', 'in', chunk).execute());
  return new Map(slices.flat().map((r) => [r.id, toPlace(r)]));
}

/** Services of some places (for an organisation's full HSDS record). */
export async function servicesOfPlaces(db: Kysely<DB>, placeIds: string[], includeDemo: boolean): Promise<ServiceRecord[]> {
  const slices = await inChunks(placeIds, (chunk) => {
    let q = db.selectFrom('service').selectAll().where('place_id', 'in', chunk);
    if (!includeDemo) q = q.where('is_demo', '=', 0);
    return q.orderBy('id').execute();
  });
  return slices.flat().map(toService);
}

function toOdOrganisation(r: {
  id: string;
  name: string;
  kind: string;
  siret: string | null;
  network: string | null;
  email: string | null;
  phone: string | null;
  updated_at: string;
}): OdOrganisation {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    siret: r.siret,
    network: r.network,
    email: r.email,
    phone: r.phone,
    updatedAt: r.updated_at
  };
}

const ORG_COLUMNS = ['id', 'name', 'kind', 'siret', 'network', 'email', 'phone', 'updated_at'] as const;

/** Organisations by id. */
export async function organisationsByIds(db: Kysely<DB>, ids: string[]): Promise<Map<string, OdOrganisation>> {
  const slices = await inChunks(ids, (chunk) => db.selectFrom('organisation').select(ORG_COLUMNS).where('id', 'in', chunk).execute());
  return new Map(slices.flat().map((r) => [r.id, toOdOrganisation(r)]));
}

/**
 * Organisations that publish at least one place (donors and the platform itself are not part of
 * the directory), by name then id, one page and the total.
 */
export async function listPublishingOrganisations(
  db: Kysely<DB>,
  o: { includeDemo: boolean; offset: number; limit: number }
): Promise<OdPage<OdOrganisation>> {
  let q = db
    .selectFrom('organisation')
    .where((eb) => {
      let sub = eb.selectFrom('place').select('place.id').whereRef('place.organisation_id', '=', 'organisation.id');
      if (!o.includeDemo) sub = sub.where('place.is_demo', '=', 0);
      return eb.exists(sub);
    });
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  q = q.orderBy('name').orderBy('id');
  const rows = await q.select(ORG_COLUMNS).offset(o.offset).limit(o.limit).execute();
  return { items: rows.map(toOdOrganisation), total };
}

/** Notices of some places still running on or after `fromDay` (YYYY-MM-DD). */
export async function noticesOfPlaces(db: Kysely<DB>, placeIds: string[], fromDay: string): Promise<OdNotice[]> {
  const slices = await inChunks(placeIds, (chunk) =>
    db
      .selectFrom('place_notice')
      .selectAll()
      .where('place_id', 'in', chunk)
      .where('ends_on', '>=', fromDay)
      .orderBy('starts_on')
      .orderBy('id')
      .execute()
  );
  return slices.flat().map(toNotice);
}

/** Finds an organisation by SIRET (first by creation) — used when an import attaches a structure. */
export async function findOrganisationIdBySiret(db: Kysely<DB>, siret: string): Promise<string | undefined> {
  const r = await db.selectFrom('organisation').select('id').where('siret', '=', siret).orderBy('created_at').orderBy('id').executeTakeFirst();
  return r?.id;
}

/** Finds an association by exact name — used when an import attaches a structure without SIRET. */
export async function findOrganisationIdByName(db: Kysely<DB>, name: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('organisation')
    .select('id')
    .where('name', '=', name)
    .where('kind', 'in', ['association', 'ccas'])
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return r?.id;
}

/** Whether an organisation exists. */
export async function organisationExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('organisation').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
