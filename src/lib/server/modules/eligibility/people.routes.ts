import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  cardFormatSchema,
  createAccompaniedInput,
  erasureReportSchema,
  identifyCardInput
} from '../../../schemas/eligibility.js';
import { PROFILES, REQUEST_STATUSES } from '../../../schemas/eligibility-vocabulary.js';
import { AppError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of accompanied people and their cards (`/organisations/{orgId}/accompanied`, `/people`,
 * `/cards`) and of the person's rights (`/me/file-reads`, `/me/export`). Thin: validate, call one
 * service function (which checks the policy), present. A person the caller may not see answers 404.
 */

const tags = ['people'];

const GrantSummary = z
  .object({
    schemeCode: z.string(),
    schemeName: z.string(),
    schemeNameEn: z.string().nullable(),
    validUntil: z.string().openapi({ description: 'ISO date, inclusive' }),
    organisationName: z.string().openapi({ description: 'Who granted it' })
  })
  .openapi('GrantSummary', { description: 'Eligible for this scheme until this date, by this organisation: nothing more' });

const AccompaniedPerson = z
  .object({
    userId: z.string(),
    firstName: z.string(),
    createdAt: z.string(),
    lastActivityAt: z.string().nullable(),
    hasContact: z.boolean().openapi({ description: 'False without email or phone: reminders cannot reach the person' }),
    activeCard: z.object({ id: z.string(), issuedAt: z.string() }).nullable(),
    grants: z.array(
      z.object({
        schemeCode: z.string(),
        schemeName: z.string(),
        schemeNameEn: z.string().nullable(),
        validUntil: z.string(),
        endsSoon: z.boolean()
      })
    ),
    endsSoon: z.boolean().openapi({ description: 'An access ends within ELIGIBILITY_REMINDER_DAYS' })
  })
  .openapi('AccompaniedPerson');

const Card = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    isActive: z.boolean()
  })
  .openapi('PersonCard', { description: 'A printed card (never its code)' });

const IssuedCard = z
  .object({
    card: Card,
    code: z.string().openapi({ example: 'K7PM-3XQA', description: 'Shown at issuance; print the PDF to hand it over' })
  })
  .openapi('IssuedCard');

const Person = z
  .object({
    userId: z.string(),
    firstName: z.string(),
    createdAt: z.string(),
    hasContact: z.boolean(),
    accompaniment: z.object({ organisationId: z.string(), organisationName: z.string(), since: z.string() }),
    household: z
      .object({
        size: z.number().int(),
        adults: z.number().int(),
        children: z.number().int(),
        isSingleParent: z.boolean(),
        profile: z.enum(PROFILES).or(z.string()),
        communeInsee: z.string().nullable(),
        communeName: z.string().nullable(),
        lastActivityAt: z.string()
      })
      .nullable(),
    grants: z.array(
      z.object({
        id: z.string(),
        schemeCode: z.string(),
        schemeName: z.string(),
        schemeNameEn: z.string().nullable(),
        organisationName: z.string(),
        validFrom: z.string(),
        validUntil: z.string(),
        revokedAt: z.string().nullable(),
        isActive: z.boolean()
      })
    ),
    cards: z.array(Card),
    requests: z.array(
      z.object({
        id: z.string(),
        organisationId: z.string(),
        organisationName: z.string(),
        status: z.enum(REQUEST_STATUSES).or(z.string()),
        schemes: z.array(z.string()),
        isDesk: z.boolean(),
        submittedAt: z.string(),
        decidedAt: z.string().nullable()
      })
    ),
    permissions: z.object({
      canIssueCard: z.boolean(),
      canRevokeCard: z.boolean(),
      canPrintCard: z.boolean(),
      canExport: z.boolean(),
      canErase: z.boolean()
    })
  })
  .openapi('AccompaniedPersonFile', { description: 'For members of the accompanying organisation; each read is audited' });

const Identified = z
  .object({
    firstName: z.string(),
    grants: z.array(GrantSummary).nullable().openapi({ description: 'Null for callers who may not see eligibility (donors)' })
  })
  .openapi('IdentifiedPerson');

const FileRead = z
  .object({
    at: z.string(),
    action: z.string().openapi({ example: 'person.file.read' }),
    organisationName: z.string().nullable(),
    agentName: z.string().nullable().openapi({ description: "The agent's display name (null: the agent's account is gone, or Glane itself)" })
  })
  .openapi('FileRead');

const ErasureReport = erasureReportSchema.openapi('ErasureReport', {
  description: 'What was erased, and what is kept and why (French and English)'
});

const PersonalData = z
  .record(z.string(), z.unknown())
  .openapi('PersonalDataExport', {
    description:
      'account, memberships, accompaniment, household, requests (documents listed without their bytes), decisions, ' +
      'grants, cards (dates, never codes), fileReads'
  });

const id = z.string().min(1).max(100);
const OrgParams = z.object({ orgId: id.openapi({ param: { name: 'orgId', in: 'path' } }) });
const PersonParams = z.object({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });
const CardParams = z.object({ cardId: id.openapi({ param: { name: 'cardId', in: 'path' } }) });

const createAccompaniedRoute = createRoute({
  method: 'post',
  path: '/{orgId}/accompanied',
  tags,
  summary: 'Create an accompanied account (no email, phone or password) with its household (CCAS, association members)',
  request: { params: OrgParams, ...jsonBody(createAccompaniedInput.openapi('AccompaniedCreate')) },
  responses: {
    201: jsonResponse(AccompaniedPerson, 'Created'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429)
  }
});

const listAccompaniedRoute = createRoute({
  method: 'get',
  path: '/{orgId}/accompanied',
  tags,
  summary: 'The people the organisation accompanies, by first name (its CCAS or association members)',
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(AccompaniedPerson), reminderDays: z.number().int() }), 'By first name'),
    ...errorResponses(400, 401, 403, 404)
  }
});

const getPersonRoute = createRoute({
  method: 'get',
  path: '/{userId}',
  tags,
  summary: "An accompanied person's file summary (members of the accompanying organisation; audited read)",
  request: { params: PersonParams },
  responses: { 200: jsonResponse(Person, 'The summary'), ...errorResponses(400, 401, 404) }
});

const erasePersonRoute = createRoute({
  method: 'delete',
  path: '/{userId}',
  tags,
  summary: "Erase an accompanied person's account at their request (members of the accompanying organisation)",
  request: { params: PersonParams },
  responses: { 200: jsonResponse(ErasureReport, 'Erased'), ...errorResponses(400, 401, 403, 404) }
});

const exportPersonRoute = createRoute({
  method: 'get',
  path: '/{userId}/export',
  tags,
  summary: "An accompanied person's data as JSON, for them (members of the accompanying organisation; audited)",
  request: { params: PersonParams },
  responses: { 200: jsonResponse(PersonalData, 'Download (Content-Disposition: attachment)'), ...errorResponses(400, 401, 404) }
});

const issueCardRoute = createRoute({
  method: 'post',
  path: '/{userId}/cards',
  tags,
  summary: 'Issue a card; the previous active card is revoked (acting for the person, audited)',
  request: { params: PersonParams },
  responses: { 201: jsonResponse(IssuedCard, 'Issued'), ...errorResponses(400, 401, 403, 404, 429) }
});

const grantSummaryRoute = createRoute({
  method: 'get',
  path: '/{userId}/eligibility',
  tags,
  summary: 'What others see: running accesses as scheme, until, by whom (the person; CCAS, association and platform members)',
  request: { params: PersonParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(GrantSummary) }), 'Running accesses'), ...errorResponses(400, 401, 404) }
});

const revokeCardRoute = createRoute({
  method: 'post',
  path: '/{cardId}/revoke',
  tags,
  summary: 'Revoke a card (lost or stolen): it stops identifying the person at once',
  request: { params: CardParams },
  responses: { 200: jsonResponse(Card, 'Revoked'), ...errorResponses(400, 401, 403, 404, 410, 429) }
});

/** Documented here; served by a pattern route (`{cardId}.pdf` is not a whole path segment). */
const printCardRoute = createRoute({
  method: 'get',
  path: '/{cardId}.pdf',
  tags,
  summary: 'The printable card: first name, QR code, short code, organisation; nothing else (acting for the person, audited)',
  request: {
    params: CardParams,
    query: z.object({ format: cardFormatSchema.default('a6').openapi({ description: 'a6 sheet, or id1 (85.6 × 54 mm)' }) })
  },
  responses: {
    200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
    ...errorResponses(400, 401, 404, 410)
  }
});

const identifyRoute = createRoute({
  method: 'post',
  path: '/identify',
  tags,
  summary: 'Identify a person at a pickup by the code of their card (members of an organisation; rate limited)',
  request: jsonBody(identifyCardInput.openapi('IdentifyCard')),
  responses: { 200: jsonResponse(Identified, 'First name, and accesses for those who may see them'), ...errorResponses(400, 401, 403, 404, 413, 415, 429) }
});

const fileReadsRoute = createRoute({
  method: 'get',
  path: '/file-reads',
  tags,
  summary: 'Who read my file: reads and acts on my behalf by agents, newest first',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(FileRead) }), 'Newest first'), ...errorResponses(400, 401) }
});

const exportMeRoute = createRoute({
  method: 'get',
  path: '/export',
  tags,
  summary: 'Export my data (JSON download): account, household, requests, decisions, accesses, cards, file reads',
  responses: { 200: jsonResponse(PersonalData, 'Download (Content-Disposition: attachment)'), ...errorResponses(401) }
});

const svc = (c: Context<AppEnv>) => c.get('services').people;

/** A JSON download: the file name carries the date only, never a name. */
function download(c: Context<AppEnv>, data: unknown) {
  const day = c.get('services').now().toISOString().slice(0, 10);
  return c.body(JSON.stringify(data, null, 2), 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="glane-donnees-${day}.json"`,
    'Cache-Control': 'private, no-store'
  });
}

/** `/api/v1/organisations/{orgId}/accompanied`. */
export function organisationPeopleRoutes() {
  const router = createRouter();
  router.openapi(createAccompaniedRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).createAccompanied(actor, c.req.valid('param').orgId, c.req.valid('json')), 201);
  });
  router.openapi(listAccompaniedRoute, async (c) => {
    const actor = requireActor(c);
    const list = await svc(c).listAccompanied(actor, c.req.valid('param').orgId);
    return c.json({ items: list.items, reminderDays: list.reminderDays }, 200);
  });
  return router;
}

/** `/api/v1/people`. */
export function peopleRoutes() {
  const router = createRouter();
  router.openapi(getPersonRoute, async (c) => c.json(await svc(c).getPerson(requireActor(c), c.req.valid('param').userId), 200));
  router.openapi(erasePersonRoute, async (c) =>
    c.json(await svc(c).erasePerson(requireActor(c), c.req.valid('param').userId), 200)
  );
  router.openapi(exportPersonRoute, async (c) => {
    const data = await svc(c).exportPersonData(requireActor(c), c.req.valid('param').userId);
    return download(c, data) as never;
  });
  router.openapi(issueCardRoute, async (c) => c.json(await svc(c).issueCard(requireActor(c), c.req.valid('param').userId), 201));
  router.openapi(grantSummaryRoute, async (c) => {
    const items = await svc(c).grantSummary(requireActor(c), c.req.valid('param').userId);
    return c.json({ items }, 200);
  });
  return router;
}

/** `/api/v1/cards`. */
export function cardsRoutes() {
  const router = createRouter();
  router.openapi(identifyRoute, async (c) => {
    const found = await svc(c).identifyByCard(requireActor(c), c.req.valid('json'), { ip: c.get('clientIp') });
    return c.json({ firstName: found.firstName, grants: found.grants }, 200);
  });
  router.openapi(revokeCardRoute, async (c) => c.json(await svc(c).revokeCard(requireActor(c), c.req.valid('param').cardId), 200));
  router.openAPIRegistry.registerPath(printCardRoute);
  router.get('/:file{[^/]+\\.pdf}', async (c) => {
    const actor = requireActor(c);
    const cardId = c.req.param('file').replace(/\.pdf$/, '');
    if (cardId.length === 0 || cardId.length > 100) {
      throw new AppError('validation_failed', 'Invalid card id', { fields: [{ path: 'param.cardId', message: 'invalid' }] });
    }
    const { pdf, format } = await svc(c).printCard(actor, cardId, c.req.query('format'));
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.byteLength),
      'Content-Disposition': `inline; filename="carte-glane-${format}.pdf"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff'
    });
  });
  return router;
}

/** `/api/v1/me/file-reads` and `/api/v1/me/export`. */
export function myDataRoutes() {
  const router = createRouter();
  router.openapi(fileReadsRoute, async (c) => {
    const items = await svc(c).listMyFileReads(requireActor(c), c.req.valid('query').limit);
    return c.json({ items }, 200);
  });
  router.openapi(exportMeRoute, async (c) => download(c, await svc(c).exportMyData(requireActor(c))) as never);
  return router;
}
