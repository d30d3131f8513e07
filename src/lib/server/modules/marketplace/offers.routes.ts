import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  cancelOfferInput,
  createOfferInput,
  createSeriesInput,
  offersRangeQuery,
  updateOfferInput,
  updateSeriesInput
} from '../../../schemas/offers.js';
import {
  ALLERGENS,
  AUDIENCES,
  DATE_KINDS,
  DIETS,
  OFFER_CATEGORIES,
  OFFER_STATUSES,
  OFFER_UNITS,
  ORIGINS,
  RESERVATION_STATUSES,
  STORAGES
} from '../../../schemas/marketplace-vocabulary.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of offers (dons): `/offers` and `/organisations/{orgId}/offers`. Thin: validate, call one
 * service function (which checks the policy and the food-safety rules), present.
 */

const tags = ['offers'];

export const OfferSchema = z
  .object({
    id: z.string(),
    organisationId: z.string().nullable(),
    organisationName: z.string().nullable(),
    seriesId: z.string().nullable(),
    occurrenceOn: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    category: z.enum(OFFER_CATEGORIES).or(z.string()),
    unit: z.enum(OFFER_UNITS),
    quantity: z.number().int(),
    remaining: z.number().int(),
    reserved: z.number().int(),
    weightGrams: z.number().int().nullable().openapi({ description: 'Total weight in grams' }),
    dateKind: z.enum(DATE_KINDS),
    dateOn: z.string().nullable().openapi({ description: 'DLC or DDM, YYYY-MM-DD' }),
    allergens: z.array(z.string()).openapi({ description: `Among: ${ALLERGENS.join(', ')}` }),
    diets: z.array(z.string()).openapi({ description: `Among: ${DIETS.join(', ')}` }),
    storage: z.enum(STORAGES),
    origins: z.array(z.string()).openapi({ description: `Among: ${ORIGINS.join(', ')}` }),
    pickup: z.object({
      addressLine: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      lat: z.number(),
      lng: z.number()
    }),
    pickupStartsAt: z.string(),
    pickupEndsAt: z.string(),
    audience: z.enum(AUDIENCES),
    partnersUntil: z.string().nullable(),
    poolingEndsAt: z.string().nullable(),
    valueCents: z.number().int().nullable().openapi({ description: 'At cost price, in cents; null except for the donor' }),
    partnerAcceptsShorter: z.boolean().openapi({ description: 'The partner association accepts a DLC closer than the territory minimum (checked again on every edit)' }),
    isRawAnimalProduct: z.boolean().openapi({ description: 'Raw meat, fish, shellfish… as declared by the donor (refused from private people; checked again on every edit)' }),
    status: z.enum(OFFER_STATUSES),
    cancelReason: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    version: z.number().int(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string()
  })
  .openapi('Offer');

const OfferReservation = z
  .object({
    id: z.string(),
    firstName: z.string(),
    quantity: z.number().int(),
    collectedQuantity: z.number().int().nullable(),
    status: z.enum(RESERVATION_STATUSES).or(z.string()),
    createdAt: z.string()
  })
  .openapi('OfferReservation', { description: 'What a donor sees of a reservation: first name, quantity, status' });

const OfferDetail = z
  .object({
    offer: OfferSchema,
    reservations: z.array(OfferReservation).nullable().openapi({ description: "Null unless the caller is the offer's donor" }),
    permissions: z.object({ canEdit: z.boolean(), canCancel: z.boolean() })
  })
  .openapi('OfferDetail');

const id = z.string().min(1).max(100);
const OfferParams = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });
const OrgParams = z.object({ orgId: id.openapi({ param: { name: 'orgId', in: 'path' } }) });

const RULES =
  'Food-safety refusals are 400 with `details.fields[].code` naming the rule: dlc_before_window_end, dlc_too_close_for_partners, ' +
  'chilled_window_too_long, window_in_past, window_ends_before_start, raw_animal_product_from_individual, quantity_not_positive_integer, ' +
  'unknown_allergen, unknown_diet, unknown_category…';

const postOfferRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Post an offer (members of a donor organisation, any role)',
  description: `Pickup place defaults to the organisation's address. ${RULES}`,
  request: jsonBody(createOfferInput.openapi('OfferCreate')),
  responses: { 201: jsonResponse(OfferSchema, 'Published'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) }
});

const getOfferRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'An offer; its donor also sees the value at cost price and the reservations',
  description:
    'Besides its donor side, a published offer is shown only to those a feed shows it to: people holding a running anti-gaspi access (offers open to people), members of partner associations and CCAS (every audience), and whoever reserved it. Anyone else gets 404, as for an unknown id.',
  request: { params: OfferParams },
  responses: { 200: jsonResponse(OfferDetail, 'The offer'), ...errorResponses(400, 401, 404) }
});

const patchOfferRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Edit a published offer (its donor); the rules apply again',
  description: `409 when the version is stale, the offer is no longer published, or the quantity would go below what is reserved. ${RULES}`,
  request: { params: OfferParams, ...jsonBody(updateOfferInput.openapi('OfferUpdate')) },
  responses: { 200: jsonResponse(OfferSchema, 'Edited'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429) }
});

const cancelOfferRoute = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  tags,
  summary: 'Cancel an offer with a reason; its reservations are cancelled and each person is notified',
  request: { params: OfferParams, ...jsonBody(cancelOfferInput.openapi('OfferCancel')) },
  responses: { 200: jsonResponse(OfferSchema, 'Cancelled'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429) }
});

const listOrganisationOffersRoute = createRoute({
  method: 'get',
  path: '/{orgId}/offers',
  tags,
  summary: "A donor organisation's offers whose pickup window overlaps [from, to) (members)",
  request: { params: OrgParams, query: offersRangeQuery },
  responses: { 200: jsonResponse(z.object({ items: z.array(OfferSchema) }), 'Soonest first'), ...errorResponses(400, 401, 403, 404) }
});

const ImpactSchema = z
  .object({
    offers: z.number().int(),
    unitsCollected: z.number().int(),
    gramsSaved: z.number().int(),
    kgSaved: z.number(),
    meals: z.number().int().openapi({ description: '1 meal = 500 g (FFBA convention)' }),
    co2eKg: z.number().openapi({ description: 'kg CO2e avoided, 2.5 kg per kg of food (FAO 2013)' }),
    valueCents: z.number().int().openapi({ description: 'Value at cost price of what was handed over' }),
    factors: z.object({ mealGrams: z.number(), co2eKgPerKg: z.number(), sources: z.record(z.string(), z.string()) })
  })
  .openapi('DonorImpact');

const impactRoute = createRoute({
  method: 'get',
  path: '/{orgId}/impact',
  tags,
  summary: "A donor organisation's impact over [from, to): kg saved, meals, CO2e avoided, value at cost price (members)",
  request: { params: OrgParams, query: offersRangeQuery },
  responses: { 200: jsonResponse(ImpactSchema, 'Totals over what was handed over'), ...errorResponses(400, 401, 403, 404) }
});

const csvRoute = createRoute({
  method: 'get',
  path: '/{orgId}/offers.csv',
  tags,
  summary: "A donor organisation's offers over [from, to) as CSV, with units handed over (members)",
  request: { params: OrgParams, query: offersRangeQuery },
  responses: {
    200: { description: 'CSV (RFC 4180, UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404)
  }
});

const svc = (c: Context<AppEnv>) => c.get('services').offers;

/** `/api/v1/offers`. */
export function offersRoutes() {
  const router = createRouter();
  router.openapi(postOfferRoute, async (c) => c.json(await svc(c).postOffer(requireActor(c), c.req.valid('json')), 201));
  router.openapi(getOfferRoute, async (c) => c.json(await svc(c).getOffer(requireActor(c), c.req.valid('param').id), 200));
  router.openapi(patchOfferRoute, async (c) =>
    c.json(await svc(c).updateOffer(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  router.openapi(cancelOfferRoute, async (c) =>
    c.json(await svc(c).cancelOffer(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  return router;
}

/** `/api/v1/organisations/{orgId}/offers`. */
export function organisationOffersRoutes() {
  const router = createRouter();
  router.openapi(listOrganisationOffersRoute, async (c) => {
    const items = await svc(c).listOrganisationOffers(requireActor(c), c.req.valid('param').orgId, c.req.valid('query'));
    return c.json({ items }, 200);
  });
  router.openapi(impactRoute, async (c) => {
    const { impact } = await svc(c).history(requireActor(c), c.req.valid('param').orgId, c.req.valid('query'));
    return c.json(impact, 200);
  });
  router.openapi(csvRoute, async (c) => {
    const csv = await svc(c).historyCsv(requireActor(c), c.req.valid('param').orgId, c.req.valid('query'));
    const day = c.get('services').now().toISOString().slice(0, 10);
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="glane-dons-${day}.csv"`,
      'Cache-Control': 'private, no-store'
    }) as never;
  });
  return router;
}

// ───────────────────────────── recurring offers ─────────────────────────────

const SeriesSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    weekdays: z.array(z.number().int()).openapi({ description: 'ISO weekdays, 1 = Monday' }),
    startTime: z.string().openapi({ example: '19:00', description: 'Europe/Paris' }),
    endTime: z.string().openapi({ example: '20:00' }),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    generatedUntil: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    template: z.record(z.string(), z.unknown()).openapi({ description: 'The offer fields without window; dateOffsetDays for a DLC/DDM' }),
    occurrences: z.array(OfferSchema)
  })
  .openapi('OfferSeries');

const SeriesParams = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });

const createSeriesRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a recurring offer (weekdays + HH:MM window, Europe/Paris); occurrences of the next 7 days are generated',
  description: `Edit or skip one occurrence with PATCH /offers/{id} or POST /offers/{id}/cancel. ${RULES}`,
  request: jsonBody(createSeriesInput.openapi('OfferSeriesCreate')),
  responses: { 201: jsonResponse(SeriesSchema, 'Created'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) }
});

const getSeriesRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'A recurring offer with its coming occurrences (members of its organisation)',
  request: { params: SeriesParams },
  responses: { 200: jsonResponse(SeriesSchema, 'The series'), ...errorResponses(400, 401, 403, 404) }
});

const patchSeriesRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Change the rule or the template; future occurrences nobody reserved are rewritten',
  request: { params: SeriesParams, ...jsonBody(updateSeriesInput.openapi('OfferSeriesUpdate')) },
  responses: { 200: jsonResponse(SeriesSchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429) }
});

const stopSeriesRoute = createRoute({
  method: 'post',
  path: '/{id}/stop',
  tags,
  summary: 'Stop a recurring offer; future occurrences nobody reserved are cancelled',
  request: { params: SeriesParams },
  responses: { 200: jsonResponse(SeriesSchema, 'Stopped'), ...errorResponses(400, 401, 403, 404, 409, 429) }
});

const listSeriesRoute = createRoute({
  method: 'get',
  path: '/{orgId}/offer-series',
  tags,
  summary: "A donor organisation's recurring offers, running first, each with its coming occurrences (members)",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(SeriesSchema) }), 'Running first, newest first'), ...errorResponses(400, 401, 403, 404) }
});

const series = (c: Context<AppEnv>) => c.get('services').offerSeries;

/** `GET /api/v1/organisations/{orgId}/offer-series`. */
export function organisationSeriesRoutes() {
  const router = createRouter();
  router.openapi(listSeriesRoute, async (c) =>
    c.json({ items: (await series(c).listSeries(requireActor(c), c.req.valid('param').orgId)) as never[] }, 200)
  );
  return router;
}

/** `/api/v1/offer-series`. */
export function offerSeriesRoutes() {
  const router = createRouter();
  router.openapi(createSeriesRoute, async (c) => c.json((await series(c).createSeries(requireActor(c), c.req.valid('json'))) as never, 201));
  router.openapi(getSeriesRoute, async (c) => c.json((await series(c).getSeries(requireActor(c), c.req.valid('param').id)) as never, 200));
  router.openapi(patchSeriesRoute, async (c) =>
    c.json((await series(c).updateSeries(requireActor(c), c.req.valid('param').id, c.req.valid('json'))) as never, 200)
  );
  router.openapi(stopSeriesRoute, async (c) => c.json((await series(c).stopSeries(requireActor(c), c.req.valid('param').id)) as never, 200));
  return router;
}
