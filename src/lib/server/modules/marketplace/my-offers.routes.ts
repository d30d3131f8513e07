import { createRoute, z } from '@hono/zod-openapi';
import { requireActor } from '../../http/auth.js';
import { errorResponses, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { OfferSchema } from './offers.routes.js';

/** HTTP of a private person's own offers: `GET /api/v1/me/offers` (post and cancel with `/offers`). */

const listMyOffersRoute = createRoute({
  method: 'get',
  path: '/offers',
  tags: ['offers'],
  summary: 'The offers I posted as a private person, newest first (when the territory lets private people post; 403 otherwise)',
  description: 'Post with `POST /offers` without `organisationId`; the stricter rules for private people apply (no raw animal products).',
  responses: { 200: jsonResponse(z.object({ items: z.array(OfferSchema) }), 'Newest first, 50 at most'), ...errorResponses(401, 403) }
});

/** Mounted at `/api/v1/me`. */
export function myOffersRoutes() {
  const router = createRouter();
  router.openapi(listMyOffersRoute, async (c) => c.json({ items: (await c.get('services').myOffers.listMyOffers(requireActor(c))) as never[] }, 200));
  return router;
}
