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

/** The filters every feed takes (point, radius, categories, diets, allergens, sort, page). */
const feedFilters = {
  radiusKm: text(`Radius in km, up to ${FEED_MAX_RADIUS_KM} (default: saved, else 3)`),
  categories: text('Comma-separated categories (any of)'),
  diets: text('Comma-separated diets (all of)'),
  excludeAllergens: text('Comma-separated allergens the offers must not contain'),
  sort: text(`${FEED_SORTS.join(' | ')} (default distance)`),
  limit: text(`1..${FEED_MAX_LIMIT} (default 20)`),
  offset: text('From 0 (default 0)')
};
const FeedQueryEcho = z.object({ lat: z.number(), lng: z.number(), radiusKm: z.number(), sort: z.enum(FEED_SORTS), limit: z.number(), offset: z.number() });
const FeedPage = z.object({ items: z.array(FeedItem), total: z.number().int(), query: FeedQueryEcho });

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

const personFeedRoute = createRoute({
  method: 'get',
  path: '/people/{userId}/feed',
  tags,
  summary: 'Live donations near a point for an accompanied person, for an agent who may act for them',
  description:
    'Offers open to people now within `radiusKm` of (`lat`, `lng`). `eligible` is false (and no offers) when the person holds ' +
    'no running anti-gaspi access. Reserve with `POST /offers/{id}/reservations` and `forUserId`. 404 for anyone who may not act for the person.',
  request: {
    params: z.object({ userId: z.string().min(1).max(100).openapi({ param: { name: 'userId', in: 'path' }, description: 'The accompanied person' }) }),
    query: z.object({ lat: text('Latitude (required)'), lng: text('Longitude (required)'), ...feedFilters })
  },
  responses: {
    200: jsonResponse(FeedPage.extend({ eligible: z.boolean() }), 'Nearest first (or soonest end)'),
    ...errorResponses(400, 401, 404)
  }
});

const partnerFeedRoute = createRoute({
  method: 'get',
  path: '/partner-feed',
  tags,
  summary: 'Live donations addressed to partner associations (audience partners or partners-first) near a point',
  description:
    'For members of the partner association `organisationId` (association or CCAS; 403 otherwise). Reserve with ' +
    '`POST /offers/{id}/reservations` and `organisationId`.',
  request: {
    query: z.object({
      organisationId: z.string().min(1).max(100).openapi({ description: 'The partner association' }),
      lat: text('Latitude (required)'),
      lng: text('Longitude (required)'),
      ...feedFilters
    })
  },
  responses: { 200: jsonResponse(FeedPage, 'Nearest first (or soonest end)'), ...errorResponses(400, 401, 403) }
});

const svc = (c: Context<AppEnv>) => c.get('services').feed;
const echo = (q: { lat: number; lng: number; radiusKm: number; sort: (typeof FEED_SORTS)[number]; limit: number; offset: number }) => ({
  lat: q.lat,
  lng: q.lng,
  radiusKm: q.radiusKm,
  sort: q.sort,
  limit: q.limit,
  offset: q.offset
});

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
  router.openapi(personFeedRoute, async (c) => {
    const page = await svc(c).feedForPerson(requireActor(c), c.req.valid('param').userId, c.req.valid('query'));
    return c.json({ eligible: page.eligible, items: page.items, total: page.total, query: echo(page.query) }, 200);
  });
  router.openapi(partnerFeedRoute, async (c) => {
    const { organisationId, ...raw } = c.req.valid('query');
    const page = await svc(c).partnerFeed(requireActor(c), organisationId, raw);
    return c.json({ items: page.items, total: page.total, query: echo(page.query) }, 200);
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
