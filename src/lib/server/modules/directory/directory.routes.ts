import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createNoticeSchema,
  createPlaceSchema,
  createServiceSchema,
  PLACE_SECTIONS,
  placeSectionSchemas,
  setStopsSchema,
  updateServiceSchema,
  type PlaceSection
} from '../../../schemas/directory.js';
import { ACCESS_KINDS, NOTICE_KINDS, SATURATION_LEVELS } from '../../../schemas/directory-vocabulary.js';
import { createRouter } from '../../http/router.js';
import { requireActor, type Actor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { REVISIONS_MAX_LIMIT } from './directory.service.js';
import { Photo } from './photos.routes.js';

/**
 * HTTP of the directory core: `/api/v1/places`, `/api/v1/services`, `/api/v1/notices`.
 * Thin: validate, call one service function (which checks the policy), answer.
 */

const tags = ['directory'];

const Override = z.object({
  kind: z.enum(NOTICE_KINDS),
  startsOn: z.string(),
  endsOn: z.string(),
  openingHours: z.string().optional(),
  message: z.string().optional()
});

const Opening = z
  .object({
    isOpen: z.boolean(),
    unknown: z.boolean().openapi({ description: 'No usable hours, or only "maybe" at that instant' }),
    nextChange: z.string().nullable(),
    closesAt: z.string().nullable(),
    opensAt: z.string().nullable(),
    notice: Override.nullable().openapi({ description: 'The temporary notice in force, else the next one soon' }),
    comment: z.string().nullable(),
    text: z.object({ fr: z.string(), en: z.string() }).openapi({ description: '"Ouvert · ferme à 17:00"' })
  })
  .openapi('OpeningState');

const placeFields = {
  id: z.string(),
  organisationId: z.string(),
  slug: z.string().openapi({ description: 'Stable URL key (name + city at creation)' }),
  name: z.string(),
  description: z.string().nullable(),
  addressLine: z.string().nullable(),
  addressComplement: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  inseeCode: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  accessibilityUrl: z.string().nullable(),
  isAccessible: z.boolean().nullable().openapi({ description: 'PMR access; null when unknown' }),
  languages: z.array(z.string()),
  openingHours: z.string().nullable().openapi({ description: 'Normalised OSM opening_hours' }),
  saturation: z.enum(SATURATION_LEVELS).nullable(),
  isMobile: z.boolean(),
  source: z.string(),
  sourceId: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  isStale: z.boolean().openapi({ description: 'Not verified for DIRECTORY_STALE_MONTHS: "information à vérifier"' }),
  opening: Opening
};

const PlaceSummary = z.object(placeFields).openapi('PlaceSummary');

const Service = z
  .object({
    id: z.string(),
    placeId: z.string(),
    organisationId: z.string(),
    name: z.string(),
    description: z.string(),
    type: z.string().nullable(),
    thematiques: z.array(z.string()),
    categories: z.array(z.string()),
    frais: z.enum(['gratuit', 'payant']).nullable(),
    fraisDetails: z.string().nullable(),
    publics: z.array(z.string()),
    publicsDetails: z.string().nullable(),
    access: z.enum(ACCESS_KINDS),
    conditions: z.record(z.string(), z.unknown()),
    modalities: z.array(z.string()),
    modalitiesDetails: z.string().nullable(),
    modesAccueil: z.array(z.string()),
    modesMobilisation: z.array(z.string()),
    mobilisablePar: z.array(z.string()),
    mobilisationDetails: z.string().nullable(),
    mobilisationUrl: z.string().nullable(),
    zoneEligibilite: z.array(z.string()),
    food: z.record(z.string(), z.unknown()),
    languages: z.array(z.string()).openapi({ description: "ISO 639-1 codes (or lsf) spoken at this service, besides the place's" }),
    openingHours: z.string().nullable().openapi({ description: "Own hours; null: the place's" }),
    effectiveOpeningHours: z.string().nullable(),
    contactName: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    source: z.string(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    opening: Opening
  })
  .openapi('Service');

const Notice = z
  .object({
    id: z.string(),
    placeId: z.string(),
    serviceId: z.string().nullable(),
    kind: z.enum(NOTICE_KINDS),
    startsOn: z.string(),
    endsOn: z.string(),
    openingHours: z.string().nullable(),
    message: z.string().nullable(),
    createdAt: z.string()
  })
  .openapi('PlaceNotice');

const Stop = z
  .object({
    id: z.string(),
    placeId: z.string(),
    position: z.number().int(),
    name: z.string(),
    addressLine: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    openingHours: z.string().nullable(),
    validFrom: z.string().nullable().openapi({ description: 'First day the stop runs (YYYY-MM-DD, Paris); null: no start' }),
    validTo: z.string().nullable().openapi({ description: 'Last day the stop runs (inclusive); null: no end' })
  })
  .openapi('PlaceStop');

const StopView = Stop.extend({
  period: z
    .enum(['current', 'upcoming', 'past'])
    .openapi({ description: 'Where its validity stands today; past stops are shown only to those who may edit them' })
}).openapi('PlaceStopView');

const Permissions = z
  .object({
    canEdit: z.boolean(),
    canEditSections: z.array(z.enum(PLACE_SECTIONS)),
    canVerify: z.boolean(),
    canDelete: z.boolean(),
    canManageServices: z.boolean(),
    canManageNotices: z.boolean(),
    canManagePhotos: z.boolean(),
    canViewRevisions: z.boolean()
  })
  .openapi('PlacePermissions');

const Place = z
  .object({
    ...placeFields,
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string(), network: z.string().nullable() }),
    services: z.array(Service),
    notices: z.array(Notice).openapi({ description: 'Temporary notices in effect or upcoming' }),
    stops: z.array(StopView),
    stopsVersion: z.number().int().openapi({ description: 'Send it back as `version` when replacing the stops' }),
    photos: z.array(Photo).openapi({ description: 'Photos in their order (alternative text, sizes, addresses)' }),
    permissions: Permissions.nullable().openapi({ description: "The caller's rights; null when signed out" })
  })
  .openapi('Place');

const Warning = z
  .object({ field: z.string(), code: z.string(), message: z.string() })
  .openapi('EditWarning', { description: 'Saved, but worth a second look (e.g. opening hours corrected)' });

const PlaceWrite = z.object({ place: Place, warnings: z.array(Warning) }).openapi('PlaceWriteResult');
const ServiceWrite = z.object({ service: Service, warnings: z.array(Warning) }).openapi('ServiceWriteResult');

const Revision = z
  .object({
    id: z.string(),
    placeId: z.string(),
    serviceId: z.string().nullable(),
    actorUserId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorLabel: z.string().nullable(),
    at: z.string(),
    action: z.enum(['create', 'update', 'delete', 'verify', 'import']),
    section: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown()
  })
  .openapi('DirectoryRevision');

const idParam = z.string().min(1).max(200);
const IdParams = z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' } }) });
const IdOrSlugParams = z.object({
  idOrSlug: idParam.openapi({ param: { name: 'idOrSlug', in: 'path' }, description: 'Slug or id of the place' })
});

const WRITE = [400, 401, 403, 404, 413, 415, 429] as const;

// ---------------------------------------------------------------- places

const createPlaceRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a place to an organisation (owners, managers, admins)',
  description:
    'Opening hours are stored normalised; their corrections come back as `warnings`. A place with a similar name ' +
    'within 300 m answers 409 with `details.duplicates: [{ id, slug, name, distanceKm }]`: send again with ' +
    '`confirmDuplicate: true` to create it anyway.',
  request: jsonBody(createPlaceSchema.openapi('PlaceCreate')),
  responses: { 201: jsonResponse(PlaceWrite, 'Created'), ...errorResponses(...WRITE, 409) }
});

const listPlacesRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: "An organisation's places (public)",
  request: { query: z.object({ organisationId: idParam }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(PlaceSummary) }), 'By name'), ...errorResponses(400, 404) }
});

const getPlaceRoute = createRoute({
  method: 'get',
  path: '/{idOrSlug}',
  tags,
  summary: 'A place page (public): services, opening state, notices, stops; permissions when signed in',
  request: {
    params: IdOrSlugParams,
    query: z.object({
      at: z.iso
        .datetime({ offset: true })
        .optional()
        .openapi({ description: 'Evaluate opening states at this instant (default: now)' })
    })
  },
  responses: { 200: jsonResponse(Place, 'The place'), ...errorResponses(400, 404) }
});

const sectionRoutes = PLACE_SECTIONS.map((section) => ({
  section,
  route: createRoute({
    method: 'patch',
    path: `/{id}/${section}`,
    tags,
    summary: `Edit the ${section} section of a place${section === 'hours' || section === 'status' ? ' (any member)' : ' (owners, managers)'}`,
    description:
      'Absent fields are unchanged, `null` clears. Writes one revision (before → after of this section) and counts as a verification.',
    request: {
      params: IdParams,
      ...jsonBody((placeSectionSchemas[section] as z.ZodType).openapi(`PlaceSection_${section}`))
    },
    responses: { 200: jsonResponse(PlaceWrite, 'Updated'), ...errorResponses(...WRITE) }
  })
}));

const verifyRoute = createRoute({
  method: 'post',
  path: '/{id}/verify',
  tags,
  summary: '"Rien n\'a changé": confirm the place as it is (any member)',
  request: { params: IdParams },
  responses: { 200: jsonResponse(Place, 'Verified'), ...errorResponses(400, 401, 403, 404, 429) }
});

const deletePlaceRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a place with its services (owners, managers, admins); its history stays',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) }
});

const revisionsRoute = createRoute({
  method: 'get',
  path: '/{id}/revisions',
  tags,
  summary: 'Change history of a place, newest first (members, admins)',
  request: {
    params: IdParams,
    query: z.object({
      cursor: z.string().max(500).optional(),
      limit: z.coerce.number().int().min(1).max(REVISIONS_MAX_LIMIT).default(20)
    })
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Revision), nextCursor: z.string().nullable() }), 'One page'),
    ...errorResponses(400, 401, 403, 404)
  }
});

const createServiceRoute = createRoute({
  method: 'post',
  path: '/{id}/services',
  tags,
  summary: 'Add a service to a place (owners, managers, admins)',
  description: 'Every list is checked against its vocabulary: an unknown value answers 400 naming the list and the value.',
  request: { params: IdParams, ...jsonBody(createServiceSchema.openapi('ServiceCreate')) },
  responses: { 201: jsonResponse(ServiceWrite, 'Created'), ...errorResponses(...WRITE) }
});

const addNoticeRoute = createRoute({
  method: 'post',
  path: '/{id}/notices',
  tags,
  summary: 'Add a temporary closure or temporary hours (any member)',
  request: { params: IdParams, ...jsonBody(createNoticeSchema.openapi('NoticeCreate')) },
  responses: { 201: jsonResponse(Notice, 'Created'), ...errorResponses(...WRITE) }
});

const setStopsRoute = createRoute({
  method: 'put',
  path: '/{id}/stops',
  tags,
  summary: 'Replace the ordered stops of a mobile place (owners, managers, admins)',
  description:
    "Give a current stop's `id` to keep it; stops without one get a new id. Hours are stored normalised; " +
    'their corrections come back as `warnings` (field `stops.N.openingHours`). `validFrom`/`validTo` (optional, ' +
    'YYYY-MM-DD, `validTo` ≥ `validFrom`) limit a stop to a period. Send the `version` you read (`stopsVersion` ' +
    'of the place): if someone replaced the stops since, 409 `conflict` with `details.current: { version, stops }` ' +
    'and nothing is written.',
  request: { params: IdParams, ...jsonBody(setStopsSchema.openapi('StopsSet')) },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(Stop), version: z.number().int(), warnings: z.array(Warning) }),
      'The stops and the new version'
    ),
    ...errorResponses(...WRITE, 409)
  }
});

/** The caller when signed in, else null (public reads). */
function optionalActor(c: Context<AppEnv>): Actor | null {
  return c.get('auth') ? requireActor(c) : null;
}

const svc = (c: Context<AppEnv>) => c.get('services').directory;

/** `/api/v1/places`. */
export function placesRoutes() {
  const router = createRouter();
  router.openapi(createPlaceRoute, async (c) => {
    return c.json(await svc(c).createPlace(requireActor(c), c.req.valid('json')), 201);
  });
  router.openapi(listPlacesRoute, async (c) => {
    return c.json({ items: await svc(c).listOrganisationPlaces(c.req.valid('query').organisationId) }, 200);
  });
  router.openapi(getPlaceRoute, async (c) => {
    const { at } = c.req.valid('query');
    const place = await svc(c).getPublicPlace(c.req.valid('param').idOrSlug, optionalActor(c), at ? new Date(at) : undefined);
    return c.json(place, 200);
  });
  for (const { section, route } of sectionRoutes) {
    router.openapi(route, async (c) => {
      const actor = requireActor(c);
      const result = await svc(c).updatePlaceSection(actor, c.req.valid('param').id, section as PlaceSection, c.req.valid('json'));
      return c.json(result, 200);
    });
  }
  router.openapi(verifyRoute, async (c) => {
    return c.json(await svc(c).verifyPlace(requireActor(c), c.req.valid('param').id), 200);
  });
  router.openapi(deletePlaceRoute, async (c) => {
    await svc(c).deletePlace(requireActor(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  router.openapi(revisionsRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).listRevisions(actor, c.req.valid('param').id, c.req.valid('query')), 200);
  });
  router.openapi(createServiceRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).createService(actor, c.req.valid('param').id, c.req.valid('json')), 201);
  });
  router.openapi(addNoticeRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).addNotice(actor, c.req.valid('param').id, c.req.valid('json')), 201);
  });
  router.openapi(setStopsRoute, async (c) => {
    const actor = requireActor(c);
    const { stops, version, warnings } = await svc(c).setStops(actor, c.req.valid('param').id, c.req.valid('json'));
    return c.json({ items: stops, version, warnings }, 200);
  });
  return router;
}

// ---------------------------------------------------------------- services and notices

const updateServiceRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Edit a service: any subset of its fields (owners, managers, admins)',
  request: { params: IdParams, ...jsonBody(updateServiceSchema.openapi('ServiceUpdate')) },
  responses: { 200: jsonResponse(ServiceWrite, 'Updated'), ...errorResponses(...WRITE) }
});

const deleteServiceRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a service (owners, managers, admins)',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) }
});

/** `/api/v1/services`. */
export function servicesRoutes() {
  const router = createRouter();
  router.openapi(updateServiceRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).updateService(actor, c.req.valid('param').id, c.req.valid('json')), 200);
  });
  router.openapi(deleteServiceRoute, async (c) => {
    await svc(c).deleteService(requireActor(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return router;
}

const removeNoticeRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Remove a temporary notice (any member)',
  request: { params: IdParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) }
});

/** `/api/v1/notices`. */
export function noticesRoutes() {
  const router = createRouter();
  router.openapi(removeNoticeRoute, async (c) => {
    await svc(c).removeNotice(requireActor(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return router;
}
