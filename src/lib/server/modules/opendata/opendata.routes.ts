import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/router.js';
import { AppError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { errorResponses, jsonBody, jsonResponse, WRITE_ERRORS } from '../../http/openapi.js';
import { HSDS_DEFAULT_PER_PAGE, HSDS_MAX_PER_PAGE } from './opendata.service.js';
import type { ImportReport } from './import.service.js';

/**
 * HTTP of open data: data·inclusion v1 exports (`/api/v1/exports/data-inclusion/*`, JSON and CSV,
 * public), the Open Referral HSDS 3.0 API (`/api/hsds/*`, public, read-only), and the
 * data·inclusion import for platform admins (`/api/v1/admin/imports/data-inclusion`).
 */

const EXPORT_MAX_SIZE = 5000;

const ExportQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).optional().openapi({ description: '1-based page; with `size`. Absent: every record' }),
  size: z.coerce.number().int().min(1).max(EXPORT_MAX_SIZE).optional().openapi({ description: `Records per page (at most ${EXPORT_MAX_SIZE})` }),
  includeDemo: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Include demo places (left out by default: open data carries no made-up places)' })
});

const nullableString = z.string().nullable();
const nullableList = z.array(z.string()).nullable();

const DiStructureSchema = z
  .object({
    source: z.string(),
    id: z.string(),
    nom: z.string(),
    date_maj: z.string().openapi({ example: '2026-11-29' }),
    siret: nullableString,
    reseaux_porteurs: nullableList,
    description: nullableString,
    horaires_accueil: nullableString.openapi({ example: 'Mo-Fr 08:30-12:30; PH off' }),
    adresse: nullableString,
    complement_adresse: nullableString,
    code_postal: nullableString,
    commune: nullableString,
    code_insee: nullableString,
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    telephone: nullableString,
    courriel: nullableString,
    site_web: nullableString,
    accessibilite_lieu: nullableString,
    lien_source: nullableString
  })
  .openapi('DataInclusionStructure', { description: 'data·inclusion v1 structure (one per Glane place)' });

const DiServiceSchema = z
  .object({
    source: z.string(),
    id: z.string(),
    structure_id: z.string(),
    nom: z.string(),
    description: z.string(),
    date_maj: z.string(),
    type: nullableString,
    thematiques: nullableList,
    frais: nullableString,
    frais_precisions: nullableString,
    publics: nullableList,
    publics_precisions: nullableString,
    conditions_acces: nullableString,
    modes_accueil: nullableList,
    modes_mobilisation: nullableList,
    mobilisable_par: nullableList,
    mobilisation_precisions: nullableString,
    lien_mobilisation: nullableString,
    zone_eligibilite: nullableList,
    horaires_accueil: nullableString,
    contact_nom_prenom: nullableString,
    telephone: nullableString,
    courriel: nullableString,
    adresse: nullableString,
    complement_adresse: nullableString,
    code_postal: nullableString,
    commune: nullableString,
    code_insee: nullableString,
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    lien_source: nullableString
  })
  .openapi('DataInclusionService', { description: 'data·inclusion v1 service' });

const csvResponse = (description: string) => ({
  description,
  content: { 'text/csv': { schema: z.string().openapi({ description: 'RFC 4180, UTF-8 with BOM, lists joined with `|`' }) } }
});

const tagsExport = ['open data'];

const structuresRoute = createRoute({
  method: 'get',
  path: '/data-inclusion/structures',
  tags: tagsExport,
  summary: 'data·inclusion v1 structures (one per place), as a JSON array',
  request: { query: ExportQuery },
  responses: { 200: jsonResponse(z.array(DiStructureSchema), 'The structures; `X-Total-Count` gives the total'), ...errorResponses(400) }
});
const servicesRoute = createRoute({
  method: 'get',
  path: '/data-inclusion/services',
  tags: tagsExport,
  summary: 'data·inclusion v1 services, as a JSON array',
  request: { query: ExportQuery },
  responses: { 200: jsonResponse(z.array(DiServiceSchema), 'The services; `X-Total-Count` gives the total'), ...errorResponses(400) }
});
const structuresCsvRoute = createRoute({
  method: 'get',
  path: '/data-inclusion/structures.csv',
  tags: tagsExport,
  summary: 'data·inclusion v1 structures as CSV',
  request: { query: ExportQuery },
  responses: { 200: csvResponse('The structures'), ...errorResponses(400) }
});
const servicesCsvRoute = createRoute({
  method: 'get',
  path: '/data-inclusion/services.csv',
  tags: tagsExport,
  summary: 'data·inclusion v1 services as CSV',
  request: { query: ExportQuery },
  responses: { 200: csvResponse('The services'), ...errorResponses(400) }
});

const demo = (v: 'true' | 'false' | undefined) => v === 'true';

/** `/api/v1/exports`: public data·inclusion exports. */
export function exportsRoutes() {
  const router = createRouter();
  router.openapi(structuresRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.get('services').openData.exportStructures({ ...q, includeDemo: demo(q.includeDemo) });
    c.header('X-Total-Count', String(page.total));
    return c.json(page.items, 200);
  });
  router.openapi(servicesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await c.get('services').openData.exportServices({ ...q, includeDemo: demo(q.includeDemo) });
    c.header('X-Total-Count', String(page.total));
    return c.json(page.items, 200);
  });
  router.openapi(structuresCsvRoute, async (c) => {
    const q = c.req.valid('query');
    const csv = await c.get('services').openData.structuresCsv({ ...q, includeDemo: demo(q.includeDemo) });
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="structures.csv"'
    });
  });
  router.openapi(servicesCsvRoute, async (c) => {
    const q = c.req.valid('query');
    const csv = await c.get('services').openData.servicesCsv({ ...q, includeDemo: demo(q.includeDemo) });
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="services.csv"'
    });
  });
  return router;
}

// ------------------------------------------------------------------ HSDS 3.0

const tagsHsds = ['HSDS 3.0'];

const HsdsListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional().openapi({ description: 'Page number (1-based)' }),
  per_page: z.coerce
    .number()
    .int()
    .min(1)
    .max(HSDS_MAX_PER_PAGE)
    .optional()
    .openapi({ description: `Results per page (default ${HSDS_DEFAULT_PER_PAGE}, at most ${HSDS_MAX_PER_PAGE})` }),
  organization_id: z.string().min(1).max(100).optional()
});
const HsdsIdParam = z.object({ id: z.string().min(1).max(100) });

const HsdsObject = (name: string, description: string) =>
  z.looseObject({ id: z.string() }).openapi(name, { description });

const HsdsPage = (name: string, item: z.ZodType) =>
  z
    .object({
      total_items: z.number().int(),
      total_pages: z.number().int(),
      page_number: z.number().int(),
      size: z.number().int(),
      first_page: z.boolean(),
      last_page: z.boolean(),
      empty: z.boolean(),
      contents: z.array(item)
    })
    .openapi(name, { description: "HSDS 3.0 paging object" });

/** HSDS records are plain JSON (undefined fields are dropped by JSON.stringify). */
type HsdsJson = z.infer<ReturnType<typeof HsdsObject>>;

const HsdsService = HsdsObject('HsdsService', 'HSDS 3.0 service (compiled/service.json or service_list.json)');
const HsdsOrganization = HsdsObject('HsdsOrganization', 'HSDS 3.0 organization (compiled/organization.json or organization_list.json)');
const HsdsServiceAtLocation = HsdsObject('HsdsServiceAtLocation', 'HSDS 3.0 service_at_location (compiled/service_at_location_list.json)');

const hsdsRootRoute = createRoute({
  method: 'get',
  path: '/',
  tags: tagsHsds,
  summary: 'About this HSDS API',
  responses: {
    200: jsonResponse(z.object({ version: z.string(), profile: z.string(), openapi_url: z.string() }), 'HSDS version and documents'),
    ...errorResponses()
  }
});
const hsdsServicesRoute = createRoute({
  method: 'get',
  path: '/services',
  tags: tagsHsds,
  summary: 'Services, one page (one-to-one fields and their organization)',
  request: { query: HsdsListQuery },
  responses: { 200: jsonResponse(HsdsPage('HsdsServicePage', HsdsService), 'One page'), ...errorResponses(400) }
});
const hsdsServiceRoute = createRoute({
  method: 'get',
  path: '/services/{id}',
  tags: tagsHsds,
  summary: 'One fully nested service (schedules converted from OSM opening_hours)',
  request: { params: HsdsIdParam },
  responses: { 200: jsonResponse(HsdsService, 'The service'), ...errorResponses(400, 404) }
});
const hsdsOrganizationsRoute = createRoute({
  method: 'get',
  path: '/organizations',
  tags: tagsHsds,
  summary: 'Organizations that publish places, one page',
  request: { query: HsdsListQuery.omit({ organization_id: true }) },
  responses: { 200: jsonResponse(HsdsPage('HsdsOrganizationPage', HsdsOrganization), 'One page'), ...errorResponses(400) }
});
const hsdsOrganizationRoute = createRoute({
  method: 'get',
  path: '/organizations/{id}',
  tags: tagsHsds,
  summary: 'One fully nested organization (identifiers, locations, services)',
  request: { params: HsdsIdParam },
  responses: { 200: jsonResponse(HsdsOrganization, 'The organization'), ...errorResponses(400, 404) }
});
const hsdsSalRoute = createRoute({
  method: 'get',
  path: '/service_at_locations',
  tags: tagsHsds,
  summary: 'Services at their locations, one page',
  request: { query: HsdsListQuery },
  responses: { 200: jsonResponse(HsdsPage('HsdsServiceAtLocationPage', HsdsServiceAtLocation), 'One page'), ...errorResponses(400) }
});

/** `/api/hsds`: the Open Referral HSDS 3.0 API (public, read-only). */
export function hsdsRoutes() {
  const router = createRouter();
  router.openapi(hsdsRootRoute, (c) =>
    c.json(
      {
        version: '3.0',
        profile: 'https://docs.openreferral.org/en/latest/hsds/overview.html',
        openapi_url: `${c.get('services').config.PUBLIC_URL}/api/v1/openapi.json`
      },
      200
    )
  );
  router.openapi(hsdsServicesRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(await c.get('services').openData.hsdsServices({ page: q.page, perPage: q.per_page, organizationId: q.organization_id }), 200);
  });
  router.openapi(hsdsServiceRoute, async (c) =>
    c.json((await c.get('services').openData.hsdsService(c.req.valid('param').id)) as HsdsJson, 200)
  );
  router.openapi(hsdsOrganizationsRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(await c.get('services').openData.hsdsOrganizations({ page: q.page, perPage: q.per_page }), 200);
  });
  router.openapi(hsdsOrganizationRoute, async (c) =>
    c.json((await c.get('services').openData.hsdsOrganization(c.req.valid('param').id)) as HsdsJson, 200)
  );
  router.openapi(hsdsSalRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await c.get('services').openData.hsdsServiceAtLocations({ page: q.page, perPage: q.per_page, organizationId: q.organization_id }),
      200
    );
  });
  return router;
}

// ------------------------------------------------------------------ import (platform admins)

const ImportBody = z
  .strictObject({
    structures: z.array(z.unknown()).max(50_000).optional().openapi({ description: 'data·inclusion v1 structures' }),
    services: z.array(z.unknown()).max(50_000).optional().openapi({ description: 'data·inclusion v1 services' }),
    mode: z.enum(['all-or-nothing', 'partial']).default('all-or-nothing'),
    organisationId: z.string().min(1).max(100).optional().openapi({ description: 'Attach new structures to this organisation' })
  })
  .openapi('DataInclusionImport');

const Counts = z.object({ structures: z.number().int(), services: z.number().int() });
const ImportReportSchema = z
  .object({
    mode: z.enum(['all-or-nothing', 'partial']),
    written: z.boolean(),
    created: Counts,
    updated: Counts,
    unchanged: Counts,
    rejected: z.array(
      z.object({
        kind: z.enum(['file', 'structure', 'service']),
        id: z.string().nullable(),
        index: z.number().int().nullable(),
        reason: z.string(),
        path: z.string()
      })
    ),
    summary: z.string()
  })
  .openapi('ImportReport');

const importRoute = createRoute({
  method: 'post',
  path: '/data-inclusion',
  tags: ['admin', 'open data'],
  summary: 'Import data·inclusion v1 records (platform admins): upsert by source + id, idempotent',
  description:
    'All or nothing by default: any rejected record → 400 `validation_failed` with the report in `details.report` and nothing written. ' +
    'In `partial` mode the valid records are written and the report lists the rejected ones.',
  request: jsonBody(ImportBody),
  responses: { 200: jsonResponse(ImportReportSchema, 'What was created, updated, unchanged, rejected'), ...errorResponses(...WRITE_ERRORS, 401) }
});

/** The report as a 400 naming each rejected record's field (`structures[2]/nom`). */
function rejectionError(report: ImportReport): AppError {
  return new AppError('validation_failed', report.summary, {
    fields: report.rejected.slice(0, 200).map((r) => ({
      path: r.kind === 'file' ? r.path || '(body)' : `${r.kind === 'structure' ? 'structures' : 'services'}[${r.index}]${r.path === '/' ? '' : r.path}`,
      message: r.reason
    })),
    report
  });
}

/** `/api/v1/admin/imports`. */
export function importRoutes() {
  const router = createRouter();
  router.openapi(importRoute, async (c) => {
    const actor = requireActor(c);
    if (!actor.isPlatformAdmin) throw new AppError('forbidden', 'Platform admins only');
    const body = c.req.valid('json');
    const report = await c.get('services').openData.importDataInclusion(
      { structures: body.structures ?? [], services: body.services ?? [] },
      { mode: body.mode, organisationId: body.organisationId, actor: { userId: actor.userId, label: 'import data·inclusion (API)' } }
    );
    if (report.rejected.length > 0 && !report.written && (body.mode === 'all-or-nothing' || report.rejected.some((r) => r.kind === 'file'))) {
      throw rejectionError(report);
    }
    return c.json(report, 200);
  });
  return router;
}
