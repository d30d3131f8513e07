import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createRequestInput,
  decisionInput,
  deskRequestInput,
  householdInput,
  queueQuery
} from '../../../schemas/eligibility.js';
import {
  DECISION_OUTCOMES,
  DOCUMENT_LABEL_MAX,
  DOCUMENT_MEDIA_TYPES,
  PROFILES,
  REQUEST_STATUSES
} from '../../../schemas/eligibility-vocabulary.js';
import { ORGANISATION_KINDS } from '../../../schemas/vocabulary.js';
import { AppError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of the person's household and requests, proof documents (multipart upload, the other API
 * write that is not JSON), the organisations' queues and decisions. Thin: validate, call one service
 * function (which checks the policy), present. A request the caller may not read answers 404.
 */

const tags = ['eligibility'];

/**
 * The document upload route: `api.ts` lets multipart bodies through here (as for photos), with
 * the DOCUMENT_MAX_KB limit instead of the JSON one.
 */
export function isDocumentUpload(method: string, path: string): boolean {
  return method === 'POST' && /\/v1\/eligibility\/requests\/[^/]+\/documents\/?$/.test(path);
}

const Status = z.enum(REQUEST_STATUSES).openapi('EligibilityRequestStatus');
const MediaType = z.enum(DOCUMENT_MEDIA_TYPES);
const SchemeLabel = z
  .object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() })
  .openapi('SchemeLabel');
const OrgRef = z.object({ id: z.string(), name: z.string() });
const cents = z.number().int().nullable();

const Household = z
  .object({
    userId: z.string(),
    firstName: z.string(),
    size: z.number().int(),
    adults: z.number().int(),
    children: z.number().int(),
    isSingleParent: z.boolean(),
    profile: z.enum(PROFILES),
    communeInsee: z.string().nullable(),
    communeName: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastActivityAt: z.string()
  })
  .openapi('Household');

const Permissions = z
  .object({
    canRead: z.boolean(),
    canReadDocuments: z.boolean(),
    canAddDocuments: z.boolean(),
    canDecide: z.boolean(),
    canWithdraw: z.boolean()
  })
  .openapi('EligibilityRequestPermissions', { description: 'What the caller may do with this request' });

const Document = z
  .object({
    id: z.string(),
    label: z.string(),
    mediaType: MediaType.openapi({ description: 'Detected from the bytes' }),
    byteSize: z.number().int(),
    createdAt: z.string()
  })
  .openapi('EligibilityDocument');

const Decision = z
  .object({
    id: z.string(),
    outcome: z.enum(DECISION_OUTCOMES),
    schemes: z.array(z.string()),
    validUntil: z.string().nullable(),
    reason: z.string().nullable().openapi({ description: 'Reason (granted, refused) or what is missing (incomplete)' }),
    decidedAt: z.string()
  })
  .openapi('EligibilityDecision');

const Grant = z
  .object({
    id: z.string(),
    scheme: SchemeLabel,
    organisation: OrgRef,
    requestId: z.string().nullable(),
    validFrom: z.string().openapi({ description: 'ISO date' }),
    validUntil: z.string().openapi({ description: 'ISO date, inclusive' }),
    revokedAt: z.string().nullable(),
    isActive: z.boolean(),
    isUpcoming: z.boolean().openapi({ description: 'Starts after today (a renewal granted before the current access ends)' }),
    canRenew: z.boolean().openapi({ description: 'Renewable scheme, near or after the end, not already followed by a renewal' })
  })
  .openapi('EligibilityGrant');

const Assessment = z
  .object({
    resteAVivreCents: z.number().int().nullable().openapi({ description: 'Per person per day, rounded down' }),
    quotientFamilialCents: z.number().int().nullable().openapi({ description: 'Per month, with the territory’s table of parts' }),
    parts: z.number().nullable(),
    schemes: z.array(
      z.object({
        code: z.string(),
        outcome: z.enum(['eligible', 'not_eligible', 'cannot_tell']),
        reasons: z.array(z.looseObject({ code: z.string() })).openapi({ description: 'Every reason of no, with its figures (cents)' })
      })
    )
  })
  .openapi('EligibilityAssessment', { description: "What the territory's rules say of the household on the request; the agent decides" });

const Decidable = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    isRequested: z.boolean(),
    validFrom: z.string().openapi({ description: 'Today, or the day after the renewed grant ends' }),
    defaultValidUntil: z.string(),
    latestValidUntil: z.string()
  })
  .openapi('EligibilityDecidableScheme');

const Request = z
  .object({
    id: z.string(),
    status: Status,
    organisation: OrgRef,
    person: z.object({ userId: z.string(), firstName: z.string() }),
    schemes: z.array(SchemeLabel),
    household: z.object({
      size: z.number().int(),
      adults: z.number().int(),
      children: z.number().int(),
      isSingleParent: z.boolean(),
      profile: z.enum(PROFILES),
      communeInsee: z.string().nullable()
    }),
    resources: z.object({
      monthlyResourcesCents: cents,
      monthlyChargesCents: cents,
      annualTaxableIncomeCents: cents,
      monthlyBenefitsCents: cents
    }),
    message: z.string().nullable(),
    missing: z.string().nullable().openapi({ description: 'What the organisation asks for, while incomplete' }),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    isDesk: z.boolean().openapi({ description: 'Started at the desk by an agent' }),
    renewsGrantId: z.string().nullable(),
    submittedAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().openapi({ description: 'Send it back with a decision (optimistic concurrency)' }),
    documents: z.array(Document),
    documentsDeletedAt: z.string().nullable(),
    documentsDeletedCount: z.number().int(),
    decisions: z.array(Decision),
    grants: z.array(Grant),
    permissions: Permissions,
    assessment: Assessment.nullable().openapi({ description: 'For the organisation’s agents; null for the person' }),
    decidable: z.array(Decidable).openapi({ description: 'Schemes the caller may grant here, with dates (empty unless canDecide)' })
  })
  .openapi('EligibilityRequest');

const QueueItem = z
  .object({
    id: z.string(),
    firstName: z.string(),
    status: Status,
    schemes: z.array(z.string()),
    isDesk: z.boolean(),
    isRenewal: z.boolean(),
    documentCount: z.number().int(),
    submittedAt: z.string(),
    updatedAt: z.string()
  })
  .openapi('EligibilityQueueItem');

const Counts = z.object(Object.fromEntries(REQUEST_STATUSES.map((s) => [s, z.number().int()])) as Record<
  (typeof REQUEST_STATUSES)[number],
  z.ZodNumber
>);

const QueuePage = z
  .object({
    status: Status,
    items: z.array(QueueItem),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    counts: Counts
  })
  .openapi('EligibilityQueuePage');

const MyRequest = z
  .object({
    id: z.string(),
    status: Status,
    organisation: OrgRef,
    schemes: z.array(SchemeLabel),
    missing: z.string().nullable(),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    submittedAt: z.string(),
    documentCount: z.number().int(),
    canWithdraw: z.boolean(),
    canAddDocuments: z.boolean()
  })
  .openapi('MyEligibilityRequest');

const MyEligibility = z
  // A union, not Household.nullable(): the generator writes the latter as allOf [Household, object or null], which refuses null.
  .object({ household: z.union([Household, z.null()]), requests: z.array(MyRequest), grants: z.array(Grant) })
  .openapi('MyEligibility');

const RequestOptions = z
  .object({
    schemes: z.array(SchemeLabel),
    deciders: z.array(
      z.object({
        organisationId: z.string(),
        name: z.string(),
        kind: z.enum(ORGANISATION_KINDS),
        schemes: z.array(z.string())
      })
    )
  })
  .openapi('EligibilityRequestOptions');

const idParam = z.string().min(1).max(100);
const RequestParams = z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' }, description: 'Id of the request' }) });
const DocumentParams = RequestParams.extend({
  documentId: idParam.openapi({ param: { name: 'documentId', in: 'path' } })
});
const OrgParams = z.object({ orgId: idParam.openapi({ param: { name: 'orgId', in: 'path' }, description: 'Id of the organisation' }) });

const UploadForm = z
  .object({
    // Checked by the service (bytes, size, type), so a missing or wrong file is reported like the other fields.
    file: z
      .unknown()
      .optional()
      .openapi({ type: 'string', format: 'binary', description: 'PDF, JPEG or PNG (detected from the bytes)' }),
    label: z
      .unknown()
      .optional()
      .openapi({ type: 'string', maxLength: DOCUMENT_LABEL_MAX, description: "What it is, e.g. « Avis d'imposition »" })
  })
  .openapi('EligibilityDocumentUpload', { required: ['file', 'label'] });

const conflictDoc = (description: string) => {
  const r = errorResponses(409);
  return { 409: { ...r[409]!, description } };
};

// ───────────────────────── /me ─────────────────────────

const getHouseholdRoute = createRoute({
  method: 'get',
  path: '/household',
  tags,
  summary: 'My household (foyer) as declared',
  responses: {
    200: jsonResponse(Household, 'The household'),
    ...errorResponses(401, 404)
  }
});

const putHouseholdRoute = createRoute({
  method: 'put',
  path: '/household',
  tags,
  summary: 'Declare or replace my household: first name, size = adults + children, single parent, profile, commune',
  request: jsonBody(householdInput.openapi('HouseholdInput')),
  responses: {
    200: jsonResponse(Household, 'Saved'),
    ...errorResponses(400, 401, 403, 413, 415, 429)
  }
});

const myEligibilityRoute = createRoute({
  method: 'get',
  path: '/eligibility',
  tags,
  summary: 'My requests (status, what is missing, reasons) and my accesses (scheme, until, by whom)',
  responses: {
    200: jsonResponse(MyEligibility, 'My file'),
    ...errorResponses(401)
  }
});

// ───────────────────────── /eligibility ─────────────────────────

const optionsRoute = createRoute({
  method: 'get',
  path: '/request-options',
  tags,
  summary: 'Active schemes and the organisations (CCAS, associations) that decide each (no sign-in needed)',
  responses: { 200: jsonResponse(RequestOptions, 'What a request may ask, and to whom'), ...errorResponses() }
});

const createRequestRoute = createRoute({
  method: 'post',
  path: '/requests',
  tags,
  summary: 'Ask one organisation for schemes; my household is copied on the request; amounts in cents',
  description:
    'The organisation must decide at least one of the schemes (400 `organisationId`). One undecided request per ' +
    'organisation (409). A renewal names `renewsGrantId`: a grant of mine on a renewable scheme that ends within ' +
    'ELIGIBILITY_REMINDER_DAYS or has ended. Declare the household first (400 `household`). Documents are added next.',
  request: jsonBody(createRequestInput.openapi('EligibilityRequestCreate')),
  responses: {
    201: jsonResponse(Request, 'Submitted'),
    ...errorResponses(400, 401, 403, 413, 415, 429),
    ...conflictDoc('An undecided request to this organisation (or renewal of this grant) already exists')
  }
});

const getRequestRoute = createRoute({
  method: 'get',
  path: '/requests/{id}',
  tags,
  summary: "One request: for its person, or members of the organisation it was made to (an agent's read is audited)",
  request: { params: RequestParams },
  responses: {
    200: jsonResponse(Request, 'The request with documents (list), decisions and permissions'),
    ...errorResponses(400, 401, 404)
  }
});

const uploadErrors = errorResponses(400, 401, 403, 404, 409, 413, 415);
uploadErrors[413] = { ...uploadErrors[413]!, description: 'The file is larger than DOCUMENT_MAX_KB (`details.maxKb`, field `file`)' };
uploadErrors[415] = {
  ...uploadErrors[415]!,
  description: 'Content-Type is not multipart/form-data, or the file is not a PDF, JPEG or PNG (`details.accepted`, field `file`)'
};
uploadErrors[409] = { ...uploadErrors[409]!, description: 'The request is already decided or withdrawn' };

const uploadRoute = createRoute({
  method: 'post',
  path: '/requests/{id}/documents',
  tags,
  summary: 'Add a proof document to an undecided request (its person, or the organisation at the desk)',
  description:
    'multipart/form-data with `file` and `label`. The type is read from the bytes (PDF, JPEG, PNG), never from the ' +
    'name; the file name is not kept. Encrypted at rest (AES-256-GCM); deleted once the request is decided. ' +
    'An incomplete request goes back to `submitted`.',
  request: {
    params: RequestParams,
    body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } }
  },
  responses: { 201: jsonResponse(Document, 'Stored'), ...uploadErrors }
});

const documentRoute = createRoute({
  method: 'get',
  path: '/requests/{id}/documents/{documentId}',
  tags,
  summary: 'Download a document (members of the organisation, while undecided; each read is audited)',
  request: { params: DocumentParams },
  responses: {
    200: {
      description: 'The file, as an attachment',
      content: Object.fromEntries(
        DOCUMENT_MEDIA_TYPES.map((t) => [t, { schema: z.string().openapi({ type: 'string', format: 'binary' }) }])
      )
    },
    ...errorResponses(400, 401, 403, 404)
  }
});

const withdrawRoute = createRoute({
  method: 'post',
  path: '/requests/{id}/withdraw',
  tags,
  summary: 'Withdraw my undecided request (its documents are deleted)',
  request: { params: RequestParams },
  responses: {
    200: jsonResponse(Request, 'Withdrawn'),
    ...errorResponses(400, 401, 403, 404, 429),
    ...conflictDoc('Already decided or withdrawn')
  }
});

const decisionRoute = createRoute({
  method: 'post',
  path: '/requests/{id}/decision',
  tags,
  summary: 'Decide: granted (schemes, validUntil), refused (reason), incomplete (missing); with the version you saw',
  description:
    'Exactly one of two simultaneous decisions wins; the other gets 409 with `details.current` (status, version). ' +
    'Granting needs the organisation to decide each scheme (403 naming it, `details.scheme`) and `validUntil` from ' +
    'today to the scheme’s longest validity (400; omitted: each scheme’s default). Granted or refused: the documents ' +
    'are deleted in the same transaction. The person is notified.',
  request: { params: RequestParams, ...jsonBody(decisionInput.openapi('EligibilityDecisionInput')) },
  responses: {
    200: jsonResponse(Request, 'Decided'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429),
    ...conflictDoc('Already decided by someone else, or changed since you opened it (`details.current`)')
  }
});

// ───────────────────────── /organisations/{orgId}/eligibility ─────────────────────────

const queueRoute = createRoute({
  method: 'get',
  path: '/{orgId}/eligibility/requests',
  tags,
  summary: "The organisation's requests in one status (default submitted), oldest first, with counts per status",
  request: { params: OrgParams, query: queueQuery },
  responses: {
    200: jsonResponse(QueuePage, 'One page'),
    ...errorResponses(400, 401, 403, 404)
  }
});

const deskRoute = createRoute({
  method: 'post',
  path: '/{orgId}/eligibility/requests',
  tags,
  summary:
    'Start a request at the desk for a person (account found by email or phone, accompanied by this organisation, or a new accompanied account created with the request in one transaction)',
  request: { params: OrgParams, ...jsonBody(deskRequestInput.openapi('EligibilityDeskRequestCreate')) },
  responses: {
    201: jsonResponse(Request, 'Submitted; decide it next'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429),
    ...conflictDoc('This person already has an undecided request here')
  }
});

const svc = (c: Context<AppEnv>) => c.get('services').eligibility;

/** The file of a multipart field, as bytes; undefined when absent or not a file. */
async function fileBytes(value: unknown): Promise<Uint8Array | undefined> {
  const v = Array.isArray(value) ? value[0] : value;
  if (v instanceof Blob) return new Uint8Array(await v.arrayBuffer());
  return undefined;
}

/** `/api/v1/me`: my household and my file. */
export function meRoutes() {
  const router = createRouter();
  router.openapi(getHouseholdRoute, async (c) => {
    const household = await svc(c).getMyHousehold(requireActor(c));
    if (!household) throw new AppError('not_found', 'No household declared yet');
    return c.json(household, 200);
  });
  router.openapi(putHouseholdRoute, async (c) => {
    return c.json(await svc(c).saveMyHousehold(requireActor(c), c.req.valid('json')), 200);
  });
  router.openapi(myEligibilityRoute, async (c) => {
    return c.json(await svc(c).myEligibility(requireActor(c)), 200);
  });
  return router;
}

/** `/api/v1/eligibility`: requests, documents, decisions. */
export function eligibilityRequestsRoutes() {
  const router = createRouter();
  router.openapi(optionsRoute, async (c) => c.json(await svc(c).requestOptions(), 200));
  router.openapi(createRequestRoute, async (c) => {
    return c.json(await svc(c).createRequest(requireActor(c), c.req.valid('json')), 201);
  });
  router.openapi(getRequestRoute, async (c) => {
    return c.json(await svc(c).getRequest(requireActor(c), c.req.valid('param').id), 200);
  });
  router.openapi(uploadRoute, async (c) => {
    const actor = requireActor(c);
    const form = c.req.valid('form') as { file?: unknown; label?: unknown };
    const label = Array.isArray(form.label) ? form.label[0] : form.label;
    const doc = await svc(c).addDocument(actor, c.req.valid('param').id, { file: await fileBytes(form.file), label });
    return c.json(doc, 201);
  });
  router.openapi(documentRoute, async (c) => {
    const { id, documentId } = c.req.valid('param');
    const file = await svc(c).readDocument(requireActor(c), id, documentId);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.mediaType,
      'Content-Length': String(file.bytes.byteLength),
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'no-store'
    });
  });
  router.openapi(withdrawRoute, async (c) => {
    return c.json(await svc(c).withdrawRequest(requireActor(c), c.req.valid('param').id), 200);
  });
  router.openapi(decisionRoute, async (c) => {
    return c.json(await svc(c).decideRequest(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200);
  });
  return router;
}

/** `/api/v1/organisations/{orgId}/eligibility/requests`: the queue and desk requests. */
export function organisationEligibilityRoutes() {
  const router = createRouter();
  router.openapi(queueRoute, async (c) => {
    return c.json(await svc(c).listQueue(requireActor(c), c.req.valid('param').orgId, c.req.valid('query')), 200);
  });
  router.openapi(deskRoute, async (c) => {
    return c.json(await svc(c).createDeskRequest(requireActor(c), c.req.valid('param').orgId, c.req.valid('json')), 201);
  });
  return router;
}
