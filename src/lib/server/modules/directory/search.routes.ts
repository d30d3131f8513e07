import { createRoute, z } from '@hono/zod-openapi';
import { ACCESS_KINDS, NOTICE_KINDS, SATURATION_LEVELS } from '../../../schemas/directory-vocabulary.js';
import { createRouter } from '../../http/router.js';
import { errorResponses, jsonResponse } from '../../http/openapi.js';
import { searchQuerySchema, toSearchParams } from './search.rules.js';

/**
 * HTTP for the public directory search (`/api/v1/directory/search`), no account needed.
 * Thin: the query string is validated by `searchQuerySchema` (400 naming each bad parameter),
 * then one service call.
 */

const SearchService = z.object({
  id: z.string(),
  name: z.string(),
  categories: z.array(z.string()),
  publics: z.array(z.string()),
  modalities: z.array(z.string()),
  access: z.enum(ACCESS_KINDS),
  frais: z.enum(['gratuit', 'payant']).nullable(),
  openingHours: z.string().nullable().openapi({ description: "OSM opening_hours; null: the place's hours" })
});

const SearchPlace = z.object({
  id: z.string(),
  slug: z.string().openapi({ description: 'Stable URL: /lieux/{slug}' }),
  name: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  addressLine: z.string().nullable(),
  addressComplement: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  inseeCode: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  isAccessible: z.boolean().nullable().openapi({ description: 'PMR access; null when unknown' }),
  languages: z.array(z.string()),
  saturation: z.enum(SATURATION_LEVELS).nullable(),
  isMobile: z.boolean(),
  openingHours: z.string().nullable(),
  isStale: z.boolean().openapi({ description: 'Not verified for a while: "information à vérifier"' })
});

const SearchResult = z
  .object({
    place: SearchPlace,
    services: z.array(SearchService).openapi({ description: 'The services that match the service filters (all when none)' }),
    distanceKm: z.number().nullable(),
    openNow: z
      .boolean()
      .nullable()
      .openapi({ description: 'At openAt when given, else now; null when no hours are known' }),
    nextChange: z.string().nullable().openapi({ description: 'ISO instant the open state changes next' }),
    notice: z
      .object({ kind: z.enum(NOTICE_KINDS), startsOn: z.string(), endsOn: z.string(), message: z.string().nullable() })
      .nullable()
      .openapi({ description: 'Temporary closure or hours in force, or starting within 14 days' })
  })
  .openapi('DirectorySearchResult');

const SearchPage = z
  .object({
    results: z.array(SearchResult),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().openapi({ description: 'Matches within the radius searched (all matches without a point)' }),
    center: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    radiusKm: z.number().nullable().openapi({ description: 'The radius searched (after widening, at most the one asked); null without a point' })
  })
  .openapi('DirectorySearchPage');

const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  tags: ['directory'],
  summary: 'Search the public directory of food-aid places (no sign-in needed)',
  description:
    '`lat`+`lng` (nearest first: the radius widens from 1 km, doubling, until the page is full or `radiusKm` ' +
    '(≤ 100, default 100) is reached; the answer gives the radius searched and the matches within it) or `commune` ' +
    '(INSEE code); `q` text (accent-insensitive, with synonyms: "restos" → Restos du cœur); list filters ' +
    '(`categories`, `publics`, `modalities`, `languages`) take a comma list or a repeated parameter, ANY-of; ' +
    'a place matches when one of its services matches every service filter. `openNow` or `openAt` (ISO ' +
    'date-time with offset). Ordered by distance with a point, else by name.',
  request: { query: searchQuerySchema },
  responses: {
    200: jsonResponse(SearchPage, 'One page of places'),
    ...errorResponses(400)
  }
});

/** `/api/v1/directory`: the public search. */
export function directorySearchRoutes() {
  const router = createRouter();
  router.openapi(searchRoute, async (c) => {
    const page = await c.get('services').directorySearch.search(toSearchParams(c.req.valid('query')));
    return c.json(page, 200);
  });
  return router;
}
