import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { RESERVATION_STATUSES } from '../../../schemas/marketplace-vocabulary.js';
import { collectInput, donorCancelInput, handoverLookupInput } from '../../../schemas/pickup.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of the donor's handover: `POST /organisations/{orgId}/handover/lookup`, `GET /organisations/{orgId}/handover/today`,
 * `POST /reservations/{id}/collect`, `POST /reservations/{id}/donor-cancel`. Thin: validate, call one service function.
 */

const tags = ['marketplace'];

const Handover = z
  .object({
    reservationId: z.string(),
    offerId: z.string(),
    offerTitle: z.string(),
    firstName: z.string().openapi({ description: 'First name only (or the partner association’s name)' }),
    quantity: z.number().int(),
    collectedQuantity: z.number().int().nullable(),
    status: z.enum(RESERVATION_STATUSES),
    unit: z.enum(['unit', 'portion']),
    pickupStartsAt: z.string(),
    pickupEndsAt: z.string()
  })
  .openapi('Handover', { description: 'A reservation as the donor sees it: first name, quantity, offer; nothing else' });

const OrgParams = z.object({ orgId: z.string().min(1).max(100).openapi({ param: { name: 'orgId', in: 'path' } }) });
const ReservationParams = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const lookupRoute = createRoute({
  method: 'post',
  path: '/{orgId}/handover/lookup',
  tags,
  summary: 'Find what to hand over from a pickup code (6 symbols) or an accompanied person’s card code (8); wrong codes are rate limited',
  request: { params: OrgParams, ...jsonBody(handoverLookupInput.openapi('HandoverLookup')) },
  responses: {
    200: jsonResponse(
      z.object({ via: z.enum(['code', 'card']), firstName: z.string(), reservations: z.array(Handover) }),
      'The confirmed reservations this code opens at this organisation'
    ),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429)
  }
});

const todayRoute = createRoute({
  method: 'get',
  path: '/{orgId}/handover/today',
  tags,
  summary: 'Today’s reservations to hand over, handed over or not collected (Europe/Paris day)',
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(Handover) }), 'By pickup window'), ...errorResponses(400, 401, 403) }
});

const collectRoute = createRoute({
  method: 'post',
  path: '/{id}/collect',
  tags,
  summary:
    'Confirm a pickup, whole or partial (from 30 min before the window to 60 min after); units not collected go back to the offer',
  request: { params: ReservationParams, ...jsonBody(collectInput.openapi('Collect')) },
  responses: {
    200: jsonResponse(Handover, 'Collected'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429)
  }
});

const donorCancelRoute = createRoute({
  method: 'post',
  path: '/{id}/donor-cancel',
  tags,
  summary: 'The donor cancels a reservation with a reason (at any time); the units go back to the offer and the person is told',
  request: { params: ReservationParams, ...jsonBody(donorCancelInput.openapi('DonorCancel')) },
  responses: {
    200: jsonResponse(Handover, 'Cancelled'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429)
  }
});

const svc = (c: Context<AppEnv>) => c.get('services').pickup;

/** `/api/v1/organisations/{orgId}/handover/…`. */
export function organisationHandoverRoutes() {
  const router = createRouter();
  router.openapi(lookupRoute, async (c) =>
    c.json(await svc(c).lookup(requireActor(c), c.req.valid('param').orgId, c.req.valid('json'), { ip: c.get('clientIp') }), 200)
  );
  router.openapi(todayRoute, async (c) => c.json({ items: await svc(c).listToday(requireActor(c), c.req.valid('param').orgId) }, 200));
  return router;
}

/** `/api/v1/reservations/{id}/collect` and `/donor-cancel`. */
export function reservationHandoverRoutes() {
  const router = createRouter();
  router.openapi(collectRoute, async (c) =>
    c.json(await svc(c).collect(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  router.openapi(donorCancelRoute, async (c) =>
    c.json(await svc(c).donorCancel(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  return router;
}
