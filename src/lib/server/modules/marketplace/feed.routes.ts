import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  FEED_MAX_LIMIT,
  FEED_MAX_RADIUS_KM,
  FEED_SORTS,
  feedItemSchema,
  feedPreferencesInputSchema,
  feedPreferencesSchema
} from '../../../schemas/reservations.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { FEED_TOTAL_CAP } from './feed.repository.js';

/**
 * HTTP of the feed (`/marketplace/feed`) and the saved feed preferences (`/me/feed-preferences`).
 * Query parameters are read as text and checked by the feed's rules, which name each bad one.
 */

const tags = ['marketplace'];
const FeedItem = feedItemSchema.openapi('FeedItem', { description: 'A live donation near the point, with its distance' });
const Preferences = feedPreferencesSchema.openapi('FeedPreferences');

const text = (description: string) => z.string().max(500).optional().openapi({ description });

const feedRoute = createRoute({
  method: 'get',
  path: '/feed',
  tags,
  summary: 'Live donations near a point, for people with an active anti-gaspi access',
  description:
    'Published offers with units left whose pickup window has not ended and that are open to people now, ' +
    'within `radiusKm` of (`lat`, `lng`) — or of the saved area when no point is given.',
  request: {
    query: z.object({
      lat: text('Latitude (else the saved area)'),
      lng: text('Longitude (else the saved area)'),
      radiusKm: text(`Radius in km, up to ${FEED_MAX_RADIUS_KM} (default: saved, else 3)`),
      categories: text('Comma-separated categories (any of)'),
      diets: text('Comma-separated diets (all of)'),
      excludeAllergens: text('Comma-separated allergens the offers must not contain'),
      sort: text(`${FEED_SORTS.join(' | ')} (default distance)`),
      limit: text(`1..${FEED_MAX_LIMIT} (default 20)`),
      offset: text('From 0 (default 0)')
    })
  },
  responses: {
    200: jsonResponse(
      z.object({
        items: z.array(FeedItem),
        total: z.number().int().openapi({ description: `Matches within the radius, at most ${FEED_TOTAL_CAP}` }),
        totalCapped: z.boolean().openapi({ description: `true: more than ${FEED_TOTAL_CAP} matches (total stops there)` }),
        query: z.object({ lat: z.number(), lng: z.number(), radiusKm: z.number(), sort: z.enum(FEED_SORTS), limit: z.number(), offset: z.number() })
      }),
      'Nearest first (or soonest end)'
    ),
    ...errorResponses(400, 401, 403)
  }
});

const getPreferencesRoute = createRoute({
  method: 'get',
  path: '/feed-preferences',
  tags,
  summary: 'My saved area and feed preferences (defaults when none saved)',
  responses: { 200: jsonResponse(Preferences, 'Saved or default'), ...errorResponses(401) }
});

const putPreferencesRoute = createRoute({
  method: 'put',
  path: '/feed-preferences',
  tags,
  summary: 'Save my area and feed preferences (notification fields kept when not sent)',
  request: jsonBody(feedPreferencesInputSchema.openapi('FeedPreferencesInput')),
  responses: { 200: jsonResponse(Preferences, 'Saved'), ...errorResponses(400, 401, 403, 413, 415, 429) }
});

const svc = (c: Context<AppEnv>) => c.get('services').feed;

/** `/api/v1/marketplace/feed`. */
export function feedRoutes() {
  const router = createRouter();
  router.openapi(feedRoute, async (c) => {
    const page = await svc(c).feed(requireActor(c), c.req.valid('query'));
    const q = page.query;
    return c.json(
      { items: page.items, total: page.total, totalCapped: page.totalCapped, query: { lat: q.lat, lng: q.lng, radiusKm: q.radiusKm, sort: q.sort, limit: q.limit, offset: q.offset } },
      200
    );
  });
  return router;
}

/** `/api/v1/me/feed-preferences`. */
export function feedPreferencesRoutes() {
  const router = createRouter();
  router.openapi(getPreferencesRoute, async (c) => c.json(await svc(c).getPreferences(requireActor(c)), 200));
  router.openapi(putPreferencesRoute, async (c) => c.json(await svc(c).savePreferences(requireActor(c), c.req.valid('json')), 200));
  return router;
}
