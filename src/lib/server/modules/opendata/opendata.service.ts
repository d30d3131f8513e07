import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { parisDateKey } from '../directory/hours.rules.js';
import { findPlace, findService } from '../directory/directory.repository.js';
import { toCsv } from './csv.rules.js';
import {
  DI_SERVICE_COLUMNS,
  DI_STRUCTURE_COLUMNS,
  placeToStructure,
  serviceToDiService,
  type DiService,
  type DiStructure
} from './datainclusion.rules.js';
import {
  hsdsPage,
  toHsdsOrganizationBasic,
  toHsdsOrganizationFull,
  toHsdsServiceAtLocationBasic,
  toHsdsServiceBasic,
  toHsdsServiceFull
} from './hsds.rules.js';
import { importDataInclusion, type ImportOptions, type ImportReport } from './import.service.js';
import {
  listPlacesForExport,
  listPublishingOrganisations,
  listServicesForExport,
  noticesOfPlaces,
  organisationsByIds,
  placesByIds,
  servicesOfPlaces
} from './opendata.repository.js';
import type { OdNotice, OdOrganisation, OdPlace, OdService } from './opendata.types.js';

/** Open data: data·inclusion v1 exports (JSON, CSV), the HSDS 3.0 API, data·inclusion import. */

export interface ExportQuery {
  /** 1-based; with `size`. Absent: every record. */
  page?: number;
  size?: number;
  includeDemo?: boolean;
}

export interface ExportPage<T> {
  items: T[];
  total: number;
}

export interface HsdsQuery {
  page?: number;
  perPage?: number;
  organizationId?: string;
  includeDemo?: boolean;
}

export const HSDS_DEFAULT_PER_PAGE = 50;
export const HSDS_MAX_PER_PAGE = 500;

export interface OpenDataDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  publicUrl: string;
  now: () => Date;
}

function window(q: ExportQuery): { offset: number; limit: number | null } {
  if (q.page === undefined && q.size === undefined) return { offset: 0, limit: null };
  const size = q.size ?? 1000;
  return { offset: ((q.page ?? 1) - 1) * size, limit: size };
}

const unknownOrg = (id: string): OdOrganisation => ({
  id,
  name: 'Organisation',
  kind: 'association',
  siret: null,
  network: null,
  email: null,
  phone: null,
  updatedAt: new Date(0).toISOString()
});

/** Builds the open-data service over one database. */
export function createOpenDataService(deps: OpenDataDeps) {
  const { db, publicUrl } = deps;
  const today = () => parisDateKey(deps.now());

  /** data·inclusion structures (one per place), by place id. */
  async function exportStructures(q: ExportQuery = {}): Promise<ExportPage<DiStructure>> {
    const page = await listPlacesForExport(db, { includeDemo: q.includeDemo ?? false, ...window(q) });
    const orgs = await organisationsByIds(db, page.items.map((p) => p.organisationId));
    return { items: page.items.map((p) => placeToStructure(p, orgs.get(p.organisationId) ?? null, publicUrl)), total: page.total };
  }

  /** data·inclusion services, by service id. */
  async function exportServices(q: ExportQuery = {}): Promise<ExportPage<DiService>> {
    const page = await listServicesForExport(db, { includeDemo: q.includeDemo ?? false, ...window(q) });
    const places = await placesByIds(db, [...new Set(page.items.map((s) => s.placeId))]);
    const items: DiService[] = [];
    for (const s of page.items) {
      const place = places.get(s.placeId);
      if (place) items.push(serviceToDiService(s, place, publicUrl));
    }
    return { items, total: page.total };
  }

  /**
   * One page of services for the HSDS lists, each with its place, organisation and current notices,
   * shaped by `present` (basic service or service_at_location): the two lists page alike.
   */
  async function hsdsServicePage<T>(
    q: HsdsQuery,
    present: (s: OdService, place: OdPlace, org: OdOrganisation, notices: OdNotice[], day: string) => T
  ) {
    const perPage = q.perPage ?? HSDS_DEFAULT_PER_PAGE;
    const pageNumber = q.page ?? 1;
    const page = await listServicesForExport(db, {
      includeDemo: q.includeDemo ?? false,
      offset: (pageNumber - 1) * perPage,
      limit: perPage,
      organisationId: q.organizationId
    });
    const places = await placesByIds(db, [...new Set(page.items.map((s) => s.placeId))]);
    const orgs = await organisationsByIds(db, page.items.map((s) => s.organisationId));
    const day = today();
    const notices = await noticesOfPlaces(db, [...places.keys()], day);
    const contents = page.items.flatMap((s) => {
      const place = places.get(s.placeId);
      if (!place) return [];
      const own = notices.filter((n) => n.placeId === place.id && (n.serviceId === null || n.serviceId === s.id));
      return [present(s, place, orgs.get(s.organisationId) ?? unknownOrg(s.organisationId), own, day)];
    });
    return hsdsPage(contents, page.total, pageNumber, perPage);
  }

  const hsdsServices = (q: HsdsQuery) =>
    hsdsServicePage(q, (s, place, org, notices, day) => toHsdsServiceBasic(s, org, publicUrl, place, notices, day));

  async function hsdsService(id: string, includeDemo = false) {
    const service = await findService(db, id);
    if (!service || (service.isDemo && !includeDemo)) throw new AppError('not_found', 'No such service');
    const place = await findPlace(db, service.placeId);
    if (!place) throw new AppError('not_found', 'No such service');
    const org = (await organisationsByIds(db, [service.organisationId])).get(service.organisationId) ?? unknownOrg(service.organisationId);
    const notices = await noticesOfPlaces(db, [place.id], today());
    return toHsdsServiceFull(service, place, org, notices, publicUrl, today());
  }

  const hsdsServiceAtLocations = (q: HsdsQuery) =>
    hsdsServicePage(q, (s, place, org, notices, day) =>
      toHsdsServiceAtLocationBasic(s, place, org, notices, publicUrl, day)
    );

  async function hsdsOrganizations(q: HsdsQuery) {
    const perPage = q.perPage ?? HSDS_DEFAULT_PER_PAGE;
    const pageNumber = q.page ?? 1;
    const page = await listPublishingOrganisations(db, {
      includeDemo: q.includeDemo ?? false,
      offset: (pageNumber - 1) * perPage,
      limit: perPage
    });
    return hsdsPage(page.items.map(toHsdsOrganizationBasic), page.total, pageNumber, perPage);
  }

  async function hsdsOrganization(id: string, includeDemo = false) {
    const org = (await organisationsByIds(db, [id])).get(id);
    if (!org) throw new AppError('not_found', 'No such organization');
    const places = (await listPlacesForExport(db, { includeDemo, offset: 0, limit: null, organisationId: id })).items;
    if (places.length === 0) throw new AppError('not_found', 'No such organization');
    const services = await servicesOfPlaces(db, places.map((p) => p.id), includeDemo);
    const notices = await noticesOfPlaces(db, places.map((p) => p.id), today());
    return toHsdsOrganizationFull(org, places, services, notices, publicUrl, today());
  }

  return {
    exportStructures,
    exportServices,
    /** data·inclusion structures as CSV (lists joined with `|`, UTF-8 with BOM). */
    async structuresCsv(q: ExportQuery = {}): Promise<string> {
      return toCsv<DiStructure>(DI_STRUCTURE_COLUMNS, (await exportStructures(q)).items);
    },
    /** data·inclusion services as CSV. */
    async servicesCsv(q: ExportQuery = {}): Promise<string> {
      return toCsv<DiService>(DI_SERVICE_COLUMNS, (await exportServices(q)).items);
    },
    hsdsServices,
    hsdsService,
    hsdsServiceAtLocations,
    hsdsOrganizations,
    hsdsOrganization,
    /** Imports data·inclusion records (see import.service.ts). */
    importDataInclusion(input: unknown, options: ImportOptions): Promise<ImportReport> {
      return importDataInclusion({ db, kind: deps.kind, now: deps.now, publicUrl }, input, options);
    }
  };
}

export type OpenDataService = ReturnType<typeof createOpenDataService>;
