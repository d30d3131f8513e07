import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  ORGANISATION_RESERVATION_FILTERS,
  idempotencyKeySchema,
  noShowRulesSchema,
  organisationReservationSchema,
  organisationReservationsQuery,
  personLimitsSchema,
  reservationViewSchema,
  reserveInputSchema
} from '../../../schemas/reservations.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of reservations: reserve a donation (`/offers/{id}/reservations`, Idempotency-Key header),
 * cancel (`/reservations/{id}/cancel`), my reservations (`/me/reservations`), an accompanied person's
 * reservations for their agents (`/organisations/{orgId}/accompanied/{userId}/reservations`), a partner
 * association's reservations for its members (`/organisations/{orgId}/reservations`). Thin: validate,
 * call one service function, present.
 */

const tags = ['marketplace'];

const Reservation = reservationViewSchema.openapi('Reservation', {
  description: 'A reservation as its owner (or the agent who made it) sees it; `code` while confirmed'
});
const Limits = personLimitsSchema.openapi('ReservationLimits', {
  description: 'Limits that apply now; `penaltyUntil` is set while repeated no-shows lower them'
});

const NoShowRules = noShowRulesSchema.openapi('NoShowRules', {
  description:
    'A confirmed reservation nobody collected becomes a no-show `graceMinutes` after its window ends; `threshold` no-shows ' +
    'within `windowDays` lower the limits to `penaltyMaxActiveReservations` active reservations for `penaltyDays` days (0: never)'
});

const id = z.string().min(1).max(100);
const OfferParams = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });
const ReservationParams = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });

const reserveRoute = createRoute({
  method: 'post',
  path: '/{id}/reservations',
  tags,
  summary: 'Reserve units of a donation (eligible people, an agent for an accompanied person, a partner association)',
  description:
    'Atomic: the units reserved never exceed the offer. The same `Idempotency-Key` (per person) answers the first ' +
    'reservation again. During a pooling window the request is `pooled` until the lottery; with `waitingList: true`, ' +
    'a request larger than what remains joins the waiting list. 403 without an active anti-gaspi access or outside ' +
    "the offer's audience (`details.reason`); 409 with `details.remaining`, or `details.limit` when a limit is reached; " +
    '410 when the donation is gone.',
  request: {
    params: OfferParams,
    headers: z.object({
      'idempotency-key': idempotencyKeySchema.openapi({
        param: { name: 'idempotency-key', in: 'header' },
        description: 'A random key per reservation attempt (e.g. a UUID), reused on retries'
      })
    }),
    ...jsonBody(reserveInputSchema.openapi('ReserveInput'))
  },
  responses: {
    201: jsonResponse(Reservation, 'Reserved (or the first answer again: header Idempotent-Replayed: true)'),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429)
  }
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  tags,
  summary: 'Cancel my reservation until the pickup window starts (units go back; the waiting list moves up)',
  request: { params: ReservationParams },
  responses: { 200: jsonResponse(Reservation, 'Cancelled'), ...errorResponses(400, 401, 403, 404, 409) }
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'One of my reservations, with its pickup code while confirmed',
  request: { params: ReservationParams },
  responses: { 200: jsonResponse(Reservation, 'The reservation'), ...errorResponses(400, 401, 404) }
});

const mineRoute = createRoute({
  method: 'get',
  path: '/reservations',
  tags,
  summary: 'My reservations, newest first, with pickup codes, the limits that apply to me now and the no-show rules',
  description:
    'As the page `/mes-reservations`: each reservation (`code` while confirmed), the limits that apply now (lowered while ' +
    '`penaltyUntil` is set), and the territory\'s no-show rules that explain a no-show and what repeated ones cost.',
  responses: {
    200: jsonResponse(z.object({ items: z.array(Reservation), limits: Limits, noShowRules: NoShowRules }), 'Newest first'),
    ...errorResponses(401)
  }
});

const PersonParams = z.object({
  orgId: id.openapi({ param: { name: 'orgId', in: 'path' }, description: 'The accompanying organisation' }),
  userId: id.openapi({ param: { name: 'userId', in: 'path' }, description: 'The accompanied person' })
});

const personReservationsRoute = createRoute({
  method: 'get',
  path: '/{orgId}/accompanied/{userId}/reservations',
  tags,
  summary: "An accompanied person's reservations with their pickup codes, for an agent who may act for them (audited)",
  description:
    'For the social members (CCAS, association) of the organisation that accompanies the person, as on the page ' +
    '`/organisations/{orgId}/personnes/{userId}/dons`: newest first (100 at most), `code` while confirmed, so the agent ' +
    'can give or print it. Each read is recorded in the audit log as an act for the person (`person.act_for`, ' +
    '`marketplace.reservations.read`), which the person sees in their file reads. 404 for anyone else, and when the ' +
    'person is not accompanied by `orgId` (no existence leak).',
  request: { params: PersonParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Reservation) }), 'Newest first'),
    ...errorResponses(400, 401, 404)
  }
});

const OrganisationReservation = organisationReservationSchema.openapi('OrganisationReservation', {
  description:
    "A partner association's reservation as its members see it: `code` while confirmed (any member may collect), " +
    'the first name of the member who reserved (`reservedBy`, no other personal data), `canCancel` for that member only'
});

const organisationReservationsRoute = createRoute({
  method: 'get',
  path: '/{orgId}/reservations',
  tags,
  summary: "A partner association's reservations, made by any of its members, with their pickup codes",
  description:
    'For the members of the partner association `orgId` (association or CCAS), as on the page ' +
    '`/organisations/{orgId}/dons-partenaires`: newest first, each with its offer, pickup window and address, status, ' +
    '`code` while confirmed, and the first name of the member who reserved. `status=active` (default: what the page ' +
    'lists) keeps those still to pick up (pooled, waiting or confirmed, window not ended); `status=all` adds the history. ' +
    'Paged by `limit` and `offset`; `total` counts every match. 403 for anyone who is not a member of this partner ' +
    'association (a donor organisation is none), 404 when no such organisation, 400 naming the bad query field.',
  request: {
    params: z.object({ orgId: id.openapi({ param: { name: 'orgId', in: 'path' }, description: 'The partner association' }) }),
    query: organisationReservationsQuery
  },
  responses: {
    200: jsonResponse(
      z
        .object({
          status: z.enum(ORGANISATION_RESERVATION_FILTERS),
          items: z.array(OrganisationReservation),
          total: z.number().int(),
          limit: z.number().int(),
          offset: z.number().int()
        })
        .openapi('OrganisationReservationsPage'),
      'Newest first'
    ),
    ...errorResponses(400, 401, 403, 404)
  }
});

const svc = (c: Context<AppEnv>) => c.get('services').reservations;

/** `/api/v1/offers/{id}/reservations`. */
export function offerReservationsRoutes() {
  const router = createRouter();
  router.openapi(reserveRoute, async (c) => {
    const result = await svc(c).reserve(
      requireActor(c),
      c.req.valid('param').id,
      c.req.valid('json'),
      c.req.valid('header')['idempotency-key']
    );
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.reservation, 201);
  });
  return router;
}

/** `/api/v1/reservations/{id}` and `/cancel`. */
export function reservationsRoutes() {
  const router = createRouter();
  router.openapi(cancelRoute, async (c) => c.json(await svc(c).cancel(requireActor(c), c.req.valid('param').id), 200));
  router.openapi(getRoute, async (c) => c.json(await svc(c).getMine(requireActor(c), c.req.valid('param').id), 200));
  return router;
}

/** `/api/v1/me/reservations`. */
export function myReservationsRoutes() {
  const router = createRouter();
  router.openapi(mineRoute, async (c) => {
    const [mine, noShowRules] = await Promise.all([svc(c).listMine(requireActor(c)), svc(c).noShowRules()]);
    return c.json({ ...mine, noShowRules }, 200);
  });
  return router;
}

/** `/api/v1/organisations/{orgId}/accompanied/{userId}/reservations`. */
export function organisationPersonReservationsRoutes() {
  const router = createRouter();
  router.openapi(personReservationsRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    const items = await svc(c).listForPerson(requireActor(c), userId, { organisationId: orgId });
    return c.json({ items }, 200);
  });
  return router;
}

/** `/api/v1/organisations/{orgId}/reservations`. */
export function organisationReservationsRoutes() {
  const router = createRouter();
  router.openapi(organisationReservationsRoute, async (c) => {
    return c.json(await svc(c).listForOrganisation(requireActor(c), c.req.valid('param').orgId, c.req.valid('query')), 200);
  });
  return router;
}
