import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { SATURATION_LEVELS } from '../../../schemas/directory-vocabulary.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';
import { MAX_VALID_DAYS } from './freshness.rules.js';

/**
 * HTTP of update campaigns: `/api/v1/directory/campaigns` (start, counts; admins and CCAS owners or
 * managers) and `/api/v1/freshness/{token}` (the emailed link: no session, the token is the key).
 * Token routes send no cookie, so the session middleware's CSRF check does not apply to them.
 */

const tags = ['directory'];

const StartBody = z
  .strictObject({
    campaign: z.string().openapi({ example: '2026-automne', description: 'Lower-case letters, digits and dashes' }),
    validDays: z.number().int().min(1).max(MAX_VALID_DAYS).optional().openapi({ description: 'Default 30, max 90' }),
    organisationIds: z.array(z.string()).optional().openapi({ description: 'Default: every organisation with places' }),
    onlyStale: z.boolean().optional().openapi({
      description: 'Only organisations with at least one place not verified for DIRECTORY_STALE_MONTHS ("information à vérifier")'
    }),
    resend: z.boolean().optional().openapi({
      description: 'Give organisations whose link is still live a new link (the old one stops working) and email it'
    })
  })
  .openapi('StartCampaign');

const StartResult = z
  .object({
    campaign: z.string(),
    expiresAt: z.string(),
    counts: z.object({
      organisations: z.number(),
      sent: z.number(),
      alreadySent: z.number(),
      noEmail: z.number(),
      failed: z.number()
    }),
    organisations: z.array(
      z.object({
        organisationId: z.string(),
        name: z.string(),
        status: z.enum(['sent', 'already_sent', 'no_email', 'failed']),
        recipients: z.number()
      })
    )
  })
  .openapi('CampaignStartResult');

const CampaignStatus = z
  .object({
    campaign: z.string(),
    links: z.number(),
    used: z.number(),
    startedAt: z.string().nullable(),
    placesVerified: z.number().openapi({ description: 'Places of those organisations verified since the start' })
  })
  .openapi('CampaignStatus');

const CampaignSummary = z
  .object({
    campaign: z.string(),
    startedAt: z.string(),
    expiresAt: z.string().openapi({ description: 'Latest expiry among its links' }),
    sent: z.number().openapi({ description: 'Links sent: one per organisation reached' }),
    used: z.number().openapi({ description: 'Organisations that used their link' }),
    pending: z.number().openapi({ description: 'Links not used yet and still live' }),
    expired: z.number().openapi({ description: 'Links never used and now expired' }),
    placesConfirmed: z.number().openapi({ description: '"Rien n\'a changé" through the links (distinct places)' }),
    placesEdited: z.number().openapi({ description: 'Hours or saturation corrected through the links (distinct places)' })
  })
  .openapi('CampaignSummary');

const LinkPlace = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    addressLine: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    openingHours: z.string().nullable(),
    saturation: z.enum(SATURATION_LEVELS).nullable(),
    verifiedAt: z.string().nullable(),
    isStale: z.boolean()
  })
  .openapi('FreshnessPlace');

const LinkPreview = z
  .object({
    campaign: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    expiresAt: z.string(),
    places: z.array(LinkPlace)
  })
  .openapi('FreshnessLink');

const HoursBody = z
  .strictObject({
    openingHours: z.string().max(1000).nullable().optional().openapi({ example: 'Mo-Fr 09:00-12:00' }),
    saturation: z.enum(SATURATION_LEVELS).nullable().optional()
  })
  .openapi('FreshnessHours');

const HoursResult = z.object({
  place: LinkPlace,
  warnings: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
});

const token = z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' }, description: 'The emailed link token' });
const TokenParams = z.object({ token });
const TokenPlaceParams = z.object({
  token,
  placeId: z.string().min(1).max(200).openapi({ param: { name: 'placeId', in: 'path' } })
});

const startRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Start an update campaign: email each organisation with places a personal link (admins, CCAS owners/managers)',
  description:
    'Idempotent per (organisation, campaign): a live link is not duplicated nor emailed again (`already_sent`) ' +
    'unless `resend: true`; an expired link is renewed and sent.',
  request: { ...jsonBody(StartBody) },
  responses: { 200: jsonResponse(StartResult, 'Links created and emailed'), ...errorResponses(400, 401, 403, 413, 415) }
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Every campaign, newest first, with its counts (admins, CCAS owners/managers)',
  responses: { 200: jsonResponse(z.object({ items: z.array(CampaignSummary) }), 'Campaigns'), ...errorResponses(401, 403) }
});

const statusRoute = createRoute({
  method: 'get',
  path: '/{campaign}',
  tags,
  summary: 'Counts of a campaign: links, used links, places verified since its start',
  request: { params: z.object({ campaign: z.string().min(1).max(64).openapi({ param: { name: 'campaign', in: 'path' } }) }) },
  responses: { 200: jsonResponse(CampaignStatus, 'Counts'), ...errorResponses(400, 401, 403, 404) }
});

const previewRoute = createRoute({
  method: 'get',
  path: '/{token}',
  tags,
  summary: "The link's organisation and its places (no session: the token is the key)",
  request: { params: TokenParams },
  responses: { 200: jsonResponse(LinkPreview, 'The places to check'), ...errorResponses(400, 404, 410, 429) }
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/{token}/places/{placeId}/verify',
  tags,
  summary: '"Rien n\'a changé" through the link (revision labelled with the campaign)',
  request: { params: TokenPlaceParams },
  responses: { 200: jsonResponse(LinkPlace, 'Verified'), ...errorResponses(400, 404, 410, 429) }
});

const hoursRoute = createRoute({
  method: 'patch',
  path: '/{token}/places/{placeId}/hours',
  tags,
  summary: 'Correct the hours and saturation of a place through the link (nothing else)',
  request: { params: TokenPlaceParams, ...jsonBody(HoursBody) },
  responses: { 200: jsonResponse(HoursResult, 'Updated'), ...errorResponses(400, 404, 410, 413, 415, 429) }
});

const svc = (c: Context<AppEnv>) => c.get('services').freshness;
const client = (c: Context<AppEnv>) => c.get('clientIp') || 'unknown';

/** `/api/v1/directory/campaigns`. */
export function campaignsRoutes() {
  const router = createRouter();
  router.openapi(startRoute, async (c) => c.json(await svc(c).startCampaign(requireActor(c), c.req.valid('json')), 200));
  router.openapi(listRoute, async (c) => c.json({ items: await svc(c).listCampaigns(requireActor(c)) }, 200));
  router.openapi(statusRoute, async (c) => c.json(await svc(c).campaignStatus(requireActor(c), c.req.valid('param').campaign), 200));
  return router;
}

/** `/api/v1/freshness`: the emailed link, without session. */
export function freshnessRoutes() {
  const router = createRouter();
  router.openapi(previewRoute, async (c) => c.json(await svc(c).previewLink(c.req.valid('param').token, client(c)), 200));
  router.openapi(verifyRoute, async (c) => {
    const { token: t, placeId } = c.req.valid('param');
    return c.json(await svc(c).verifyPlaceByLink(t, placeId, client(c)), 200);
  });
  router.openapi(hoursRoute, async (c) => {
    const { token: t, placeId } = c.req.valid('param');
    return c.json(await svc(c).updateHoursByLink(t, placeId, c.req.valid('json'), client(c)), 200);
  });
  return router;
}
