import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { normaliseEmail, normalisePhone } from '../../../schemas/accounts.js';
import {
  createRequestInput,
  decisionInput,
  deskRequestInput,
  documentLabelSchema,
  householdInput,
  queueQuery
} from '../../../schemas/eligibility.js';
import {
  DOCUMENT_MEDIA_TYPES,
  SETTING_QF_PARTS,
  type DecisionOutcome,
  type DocumentMediaType,
  type Profile,
  type RequestStatus
} from '../../../schemas/eligibility-vocabulary.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError, type FieldIssue } from '../../errors.js';
import type { Notify } from '../../notify/notify.js';
import { recordAudit } from '../audit/audit.repository.js';
import {
  canAddDocuments,
  canDecide,
  canReadDocuments,
  canReadRequest,
  canWithdraw,
  canWorkQueue,
  requestPermissions,
  type Agent,
  type RequestPermissions
} from './eligibility.policy.js';
import { findAccompaniment, insertAccompanied } from './people.repository.js';
import * as repo from './requests.repository.js';
import type {
  DecisionRecord,
  DeciderRecord,
  DocumentRecord,
  GrantRecord,
  HouseholdRecord,
  RequestRecord,
  SchemeBrief
} from './requests.repository.js';
import {
  checkRenewal,
  defaultValidUntil,
  evaluateSchemes,
  latestValidUntil,
  readQfParts,
  validityRefusal,
  type Reason
} from './eligibility.rules.js';
import {
  canRenewGrant,
  documentFileName,
  isGrantActive,
  isGrantUpcoming,
  isOpen,
  isSuperseded,
  parisDate,
  sniffDocumentType
} from './requests.rules.js';
import { getSetting, listSchemes } from './schemes.repository.js';
import { seal, unseal, type SealingKey } from './sealed.js';

/** Who acts (from the API or a page). */
export interface RequestActor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId?: string;
}

export interface RequestsDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'DOCUMENT_MAX_KB' | 'PUBLIC_URL' | 'ELIGIBILITY_REMINDER_DAYS'>;
  now: () => Date;
  sealingKey: SealingKey;
  /** Tells the person about decisions; without it, nobody is told (some tests). */
  notify?: Pick<Notify, 'send' | 'canSend'>;
  logger?: Pick<Logger, 'warn'>;
}

/** A scheme as shown beside a request or grant. */
export interface SchemeLabel {
  code: string;
  name: string;
  nameEn: string | null;
}

/** A proof document as listed (never its bytes). */
export interface DocumentView {
  id: string;
  label: string;
  mediaType: DocumentMediaType;
  byteSize: number;
  createdAt: string;
}

export interface DecisionView {
  id: string;
  outcome: DecisionOutcome;
  schemes: string[];
  validUntil: string | null;
  reason: string | null;
  decidedAt: string;
}

export interface GrantView {
  id: string;
  scheme: SchemeLabel;
  organisation: { id: string; name: string };
  requestId: string | null;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
  /** Valid today (started, not ended, not revoked). */
  isActive: boolean;
  /** Starts after today (a renewal granted before the current access ends). */
  isUpcoming: boolean;
  /** The person may ask for a renewal now (renewable scheme, near or after the end). */
  canRenew: boolean;
}

/** What the territory's rules say of the household on the request (for the agent; not a decision). */
export interface RequestAssessment {
  resteAVivreCents: number | null;
  quotientFamilialCents: number | null;
  parts: number | null;
  schemes: { code: string; outcome: 'eligible' | 'not_eligible' | 'cannot_tell'; reasons: Reason[] }[];
}

/** A scheme the organisation may grant on this request, with the dates the decision form offers. */
export interface DecidableScheme extends SchemeLabel {
  /** Requested by the person. */
  isRequested: boolean;
  /** First day of the grant: today, or the day after the renewed grant ends. */
  validFrom: string;
  defaultValidUntil: string;
  latestValidUntil: string;
}

/** A request as its person or the organisation's agents see it. */
export interface RequestView {
  id: string;
  status: RequestStatus;
  organisation: { id: string; name: string };
  person: { userId: string; firstName: string };
  schemes: SchemeLabel[];
  household: repo.RequestHousehold;
  resources: repo.RequestResources;
  message: string | null;
  /** What the organisation asks for, while incomplete. */
  missing: string | null;
  /** The reason the person reads (refusal, or a note on a grant). */
  decisionReason: string | null;
  decidedAt: string | null;
  isDesk: boolean;
  renewsGrantId: string | null;
  submittedAt: string;
  updatedAt: string;
  /** Send it back with a decision: a decision on an older version is refused (409). */
  version: number;
  documents: DocumentView[];
  documentsDeletedAt: string | null;
  documentsDeletedCount: number;
  decisions: DecisionView[];
  grants: GrantView[];
  permissions: RequestPermissions;
  /** Figures and per-scheme rules' answer, for the organisation's agents (null for the person). */
  assessment: RequestAssessment | null;
  /** What the caller may grant here (empty unless they may decide). */
  decidable: DecidableScheme[];
}

/** A line of an organisation's queue: enough to choose, nothing of the file. */
export interface QueueItem {
  id: string;
  firstName: string;
  status: RequestStatus;
  schemes: string[];
  isDesk: boolean;
  isRenewal: boolean;
  documentCount: number;
  submittedAt: string;
  updatedAt: string;
}

export interface QueuePage {
  status: RequestStatus;
  items: QueueItem[];
  total: number;
  limit: number;
  offset: number;
  counts: Record<RequestStatus, number>;
}

/** A line of the person's own list. */
export interface MyRequestSummary {
  id: string;
  status: RequestStatus;
  organisation: { id: string; name: string };
  schemes: SchemeLabel[];
  missing: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  submittedAt: string;
  documentCount: number;
  canWithdraw: boolean;
  canAddDocuments: boolean;
}

export interface MyEligibility {
  household: HouseholdRecord | null;
  requests: MyRequestSummary[];
  grants: GrantView[];
}

/** A file received for a request (bytes already read). */
export interface IncomingDocument {
  file: Uint8Array | undefined;
  label: unknown;
  /** Prefix of the field paths in errors (`documents.2.` for the third file slot of a form). */
  fieldPrefix?: string;
}

/** What the request form offers: active schemes and the organisations deciding them. */
export interface RequestOptions {
  schemes: SchemeLabel[];
  deciders: DeciderRecord[];
}

/** A downloaded document, decrypted. */
export interface DocumentFile {
  bytes: Buffer;
  mediaType: DocumentMediaType;
  fileName: string;
}

/** Parses input with a shared schema; a failure is a `validation_failed` naming each field. */
function parse<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldIssue[] = result.error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      path: [prefix, ...issue.path.map(String), ...(key === undefined ? [] : [key])].filter(Boolean).join('.') || '(root)',
      message: issue.message,
      code: issue.code
    }));
  });
  const first = fields[0];
  throw new AppError('validation_failed', first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid input', {
    fields
  });
}

const requestNotFound = () => new AppError('not_found', 'Request not found');
const ACCEPTED = 'PDF, JPEG or PNG';

const NOTICES: Record<'fr' | 'en', Record<'granted' | 'refused' | 'incomplete', (org: string, link: string) => { subject: string; text: string }>> = {
  fr: {
    granted: (org, link) => ({
      subject: 'Glane : votre demande a reçu une réponse',
      text: `${org} a répondu à votre demande. Consultez la réponse et vos accès dans votre dossier :\n${link}`
    }),
    refused: (org, link) => ({
      subject: 'Glane : votre demande a reçu une réponse',
      text: `${org} a répondu à votre demande. Consultez la réponse et son motif dans votre dossier :\n${link}`
    }),
    incomplete: (org, link) => ({
      subject: 'Glane : il manque des pièces à votre demande',
      text: `${org} a besoin de compléments pour étudier votre demande. Voyez ce qui manque et ajoutez vos pièces ici :\n${link}`
    })
  },
  en: {
    granted: (org, link) => ({
      subject: 'Glane: your request has an answer',
      text: `${org} answered your request. See the answer and your accesses in your file:\n${link}`
    }),
    refused: (org, link) => ({
      subject: 'Glane: your request has an answer',
      text: `${org} answered your request. See the answer and its reason in your file:\n${link}`
    }),
    incomplete: (org, link) => ({
      subject: 'Glane: your request needs more documents',
      text: `${org} needs more to study your request. See what is missing and add your documents here:\n${link}`
    })
  }
};

/**
 * Households, requests, proof documents, decisions and grants. Every function takes the acting
 * person explicitly, checks the policy (eligibility.policy.ts), and writes in one transaction. A
 * request that the caller may not read answers 404, as if it did not exist.
 */
export function createRequestsService(deps: RequestsDeps) {
  const { db, config, now, sealingKey, notify, logger } = deps;
  const maxBytes = config.DOCUMENT_MAX_KB * 1024;

  const agentOf = (actor: RequestActor, d: Kysely<DB> = db): Promise<Agent> => repo.loadAgent(d, actor);

  async function schemeLabels(codes: readonly string[]): Promise<Map<string, SchemeLabel>> {
    const found = await repo.findSchemesByCodes(db, codes);
    return new Map(found.map((s) => [s.code, { code: s.code, name: s.name, nameEn: s.nameEn }]));
  }
  const labelsFor = (codes: readonly string[], map: Map<string, SchemeLabel>): SchemeLabel[] =>
    codes.map((c) => map.get(c) ?? { code: c, name: c, nameEn: null });

  /** `all`: the person's other grants, so one already followed by a renewal offers no renewal. */
  function grantView(g: GrantRecord, today: string, all: readonly GrantRecord[] = [g]): GrantView {
    return {
      id: g.id,
      scheme: { code: g.schemeCode, name: g.schemeName, nameEn: g.schemeNameEn },
      organisation: { id: g.organisationId, name: g.organisationName },
      requestId: g.requestId,
      validFrom: g.validFrom,
      validUntil: g.validUntil,
      revokedAt: g.revokedAt,
      isActive: isGrantActive(g, today),
      isUpcoming: isGrantUpcoming(g, today),
      canRenew: canRenewGrant(g, today, config.ELIGIBILITY_REMINDER_DAYS) && !isSuperseded(g, all)
    };
  }

  const documentView = (d: DocumentRecord): DocumentView => ({
    id: d.id,
    label: d.label,
    mediaType: d.mediaType,
    byteSize: d.byteSize,
    createdAt: d.createdAt
  });

  const decisionView = (d: DecisionRecord): DecisionView => ({
    id: d.id,
    outcome: d.outcome,
    schemes: d.schemes,
    validUntil: d.validUntil,
    reason: d.reason,
    decidedAt: d.decidedAt
  });

  /** The rules' answer on the request's household and resources, for the requested schemes. */
  async function assess(r: RequestRecord, today: string): Promise<RequestAssessment> {
    const [all, setting] = await Promise.all([listSchemes(db, { includeInactive: true }), getSetting(db, SETTING_QF_PARTS)]);
    const schemes = r.schemes.map((c) => all.find((s) => s.code === c)).filter((s) => s !== undefined);
    const e = evaluateSchemes(r.household, r.resources, schemes, today, readQfParts(setting?.value).table);
    return {
      resteAVivreCents: e.resteAVivreCents,
      quotientFamilialCents: e.quotientFamilialCents,
      parts: e.parts,
      schemes: e.schemes.map((x) => ({ code: x.code, outcome: x.outcome, reasons: x.reasons }))
    };
  }

  /** Where a grant of `scheme` starts on this request: the day after the renewed grant, or today. */
  function startOf(scheme: SchemeBrief, renewed: GrantRecord | undefined, today: string): string {
    if (!renewed || renewed.schemeId !== scheme.id) return today;
    const check = checkRenewal(scheme, renewed, today);
    return check.ok ? check.validFrom : today;
  }

  async function decidable(r: RequestRecord, today: string): Promise<DecidableScheme[]> {
    const [schemes, renewed] = await Promise.all([
      repo.schemesDecidedBy(db, r.organisationId),
      r.renewsGrantId ? repo.findGrant(db, r.renewsGrantId) : Promise.resolve(undefined)
    ]);
    return schemes
      .filter((s) => s.isActive)
      .map((s) => {
        const validFrom = startOf(s, renewed, today);
        return {
          code: s.code,
          name: s.name,
          nameEn: s.nameEn,
          isRequested: r.schemes.includes(s.code),
          validFrom,
          defaultValidUntil: defaultValidUntil(s, validFrom),
          latestValidUntil: latestValidUntil(s, validFrom)
        };
      });
  }

  async function requestView(agent: Agent, r: RequestRecord): Promise<RequestView> {
    const today = parisDate(now());
    const permissions = requestPermissions(agent, r);
    const isAgent = agent.userId !== r.userId;
    const [labels, documents, decisions, grants, assessment, canGrant] = await Promise.all([
      schemeLabels(r.schemes),
      repo.listDocuments(db, r.id),
      repo.listDecisions(db, r.id),
      repo.listGrantsOfRequest(db, r.id),
      isAgent ? assess(r, today) : Promise.resolve(null),
      permissions.canDecide ? decidable(r, today) : Promise.resolve([])
    ]);
    return {
      id: r.id,
      status: r.status,
      organisation: { id: r.organisationId, name: r.organisationName },
      person: { userId: r.userId, firstName: r.firstName },
      schemes: labelsFor(r.schemes, labels),
      household: r.household,
      resources: r.resources,
      message: r.message,
      missing: r.status === 'incomplete' ? r.missing : null,
      decisionReason: r.decisionReason,
      decidedAt: r.decidedAt,
      isDesk: r.isDesk,
      renewsGrantId: r.renewsGrantId,
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt,
      version: r.version,
      documents: documents.map(documentView),
      documentsDeletedAt: r.documentsDeletedAt,
      documentsDeletedCount: r.documentsDeletedCount,
      decisions: decisions.map(decisionView),
      grants: grants.map((g) => grantView(g, today)),
      permissions,
      assessment,
      decidable: canGrant
    };
  }

  /** The request when the caller may read it; otherwise 404 (no existence leak). */
  async function readable(agent: Agent, id: string): Promise<RequestRecord> {
    const r = await repo.findRequest(db, id);
    if (!r || !canReadRequest(agent, r)) throw requestNotFound();
    return r;
  }

  /** Checks a received file: present, within the size limit, of an accepted type (from its bytes). */
  function checkDocument(doc: IncomingDocument, prefix = ''): { bytes: Buffer; label: string; mediaType: DocumentMediaType } {
    const label = parse(documentLabelSchema, doc.label, `${prefix}label`);
    const path = `${prefix}file`;
    if (!doc.file || doc.file.byteLength === 0) throw fieldError(path, 'required: choose a file', 'required');
    if (doc.file.byteLength > maxBytes) {
      throw new AppError('payload_too_large', `The document is larger than ${config.DOCUMENT_MAX_KB} KB`, {
        fields: [{ path, message: `larger than ${config.DOCUMENT_MAX_KB} KB`, code: 'too_big' }],
        maxKb: config.DOCUMENT_MAX_KB
      });
    }
    const mediaType = sniffDocumentType(doc.file);
    if (!mediaType) {
      throw new AppError('unsupported_media_type', `The document must be a ${ACCEPTED} file`, {
        fields: [{ path, message: `not a ${ACCEPTED} file`, code: 'invalid_type' }],
        accepted: [...DOCUMENT_MEDIA_TYPES]
      });
    }
    return { bytes: Buffer.from(doc.file), label, mediaType };
  }

  async function storeDocument(
    trx: Kysely<DB>,
    requestId: string,
    doc: { bytes: Buffer; label: string; mediaType: DocumentMediaType },
    uploadedBy: string,
    at: string
  ): Promise<DocumentRecord> {
    const sealed = seal(sealingKey, doc.bytes);
    const record: DocumentRecord = {
      id: randomUUID(),
      requestId,
      label: doc.label,
      mediaType: doc.mediaType,
      byteSize: doc.bytes.byteLength,
      uploadedByUserId: uploadedBy,
      createdAt: at
    };
    await repo.insertDocument(trx, { ...record, ...sealed });
    return record;
  }

  /** Schemes by code, refusing unknown or inactive ones (field `schemes`). */
  async function activeSchemes(codes: readonly string[], path = 'schemes'): Promise<SchemeBrief[]> {
    const found = await repo.findSchemesByCodes(db, codes);
    const byCode = new Map(found.map((s) => [s.code, s]));
    const missing = codes.filter((c) => !byCode.get(c)?.isActive);
    if (missing.length > 0) {
      throw new AppError('validation_failed', `Unknown or closed scheme: ${missing.join(', ')}`, {
        fields: [{ path, message: `unknown or closed scheme: ${missing.join(', ')}` }]
      });
    }
    return codes.map((c) => byCode.get(c)!);
  }

  /** The organisation a request goes to: a CCAS or association that decides one of the schemes. */
  async function checkRecipient(organisationId: string, schemes: readonly SchemeBrief[], path: string) {
    const org = await repo.findOrganisationBrief(db, organisationId);
    if (!org || (org.kind !== 'ccas' && org.kind !== 'association')) {
      throw fieldError(path, 'unknown organisation, or one that decides no scheme');
    }
    const decided = new Set((await repo.schemesDecidedBy(db, organisationId)).map((s) => s.id));
    if (!schemes.some((s) => decided.has(s.id))) {
      throw fieldError(path, 'this organisation decides none of the chosen schemes');
    }
    return org;
  }

  async function notifyPerson(userId: string, requestId: string, orgName: string, outcome: DecisionOutcome) {
    if (!notify) return;
    try {
      const person = await repo.findPersonContact(db, userId);
      if (!person) return;
      const channel = person.email ? 'email' : person.phone && notify.canSend('sms') ? 'sms' : null;
      const to = person.email ?? person.phone;
      if (!channel || !to) return; // an accompanied person without phone or email hears it at the desk
      const locale = person.locale === 'en' ? 'en' : 'fr';
      const link = `${config.PUBLIC_URL}/mon-dossier/demandes/${encodeURIComponent(requestId)}`;
      await notify.send({ channel, to, ...NOTICES[locale][outcome](orgName, link) });
    } catch (err) {
      logger?.warn({ requestId, code: (err as AppError)?.code }, 'decision notice not delivered');
    }
  }

  return {
    /** The caller as the eligibility policies see them (memberships with kinds). */
    agentOf,

    /** The signed-in person's household declaration, or null before the first one. */
    async getMyHousehold(actor: RequestActor): Promise<HouseholdRecord | null> {
      return (await repo.findHousehold(db, actor.userId)) ?? null;
    },

    /** Creates or replaces the person's household declaration (foyer). */
    async saveMyHousehold(actor: RequestActor, input: unknown): Promise<HouseholdRecord> {
      const h = parse(householdInput, input);
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.saveHousehold(
          trx,
          actor.userId,
          {
            firstName: h.firstName,
            size: h.size,
            adults: h.adults,
            children: h.children,
            isSingleParent: h.isSingleParent,
            profile: h.profile,
            communeInsee: h.communeInsee ?? null,
            communeName: h.communeName ?? null
          },
          at
        );
      });
      return (await repo.findHousehold(db, actor.userId))!;
    },

    /** Active schemes and the organisations that decide them (the request form). */
    async requestOptions(): Promise<RequestOptions> {
      const [schemes, deciders] = await Promise.all([repo.listActiveSchemes(db), repo.listDeciders(db)]);
      return { schemes: schemes.map((s) => ({ code: s.code, name: s.name, nameEn: s.nameEn })), deciders };
    },

    /**
     * A request of the signed-in person to one organisation, with the household copied on it and,
     * optionally, its first documents (all checked before anything is written). The person must have
     * declared a household; one undecided request per organisation; a renewal names a grant of
     * theirs that is near or past its end.
     */
    async createRequest(actor: RequestActor, input: unknown, documents: IncomingDocument[] = []): Promise<RequestView> {
      const data = parse(createRequestInput, input);
      const household = await repo.findHousehold(db, actor.userId);
      if (!household) {
        throw fieldError('household', 'declare your household first (PUT /api/v1/me/household)', 'required');
      }
      const codes = [...data.schemes];
      let renewsGrantId: string | null = null;
      if (data.renewsGrantId) {
        const grant = await repo.findGrant(db, data.renewsGrantId);
        const today = parisDate(now());
        if (!grant || grant.userId !== actor.userId) throw fieldError('renewsGrantId', 'unknown grant');
        if (!canRenewGrant(grant, today, config.ELIGIBILITY_REMINDER_DAYS)) {
          throw fieldError('renewsGrantId', `this access cannot be renewed yet (it ends on ${grant.validUntil})`);
        }
        if (isSuperseded(grant, await repo.listGrantsOfUser(db, actor.userId))) {
          throw fieldError('renewsGrantId', 'this access is already renewed');
        }
        if (await repo.hasOpenRenewal(db, grant.id)) {
          throw new AppError('conflict', 'A renewal of this access is already waiting for an answer');
        }
        if (!codes.includes(grant.schemeCode)) codes.unshift(grant.schemeCode);
        renewsGrantId = grant.id;
      }
      const schemes = await activeSchemes(codes);
      const org = await checkRecipient(data.organisationId, schemes, 'organisationId');
      const checked = documents.map((d, i) => checkDocument(d, d.fieldPrefix ?? `documents.${i}.`));
      if (await repo.hasOpenRequest(db, actor.userId, org.id)) {
        throw new AppError('conflict', 'You already have a request waiting for an answer from this organisation', {
          fields: [{ path: 'organisationId', message: 'a request to this organisation is already waiting for an answer' }]
        });
      }
      const id = randomUUID();
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insertRequest(trx, {
          id,
          userId: actor.userId,
          organisationId: org.id,
          renewsGrantId,
          schemes: codes,
          household: {
            size: household.size,
            adults: household.adults,
            children: household.children,
            isSingleParent: household.isSingleParent,
            profile: household.profile,
            communeInsee: household.communeInsee
          },
          resources: {
            monthlyResourcesCents: data.monthlyResourcesCents ?? null,
            monthlyChargesCents: data.monthlyChargesCents ?? null,
            annualTaxableIncomeCents: data.annualTaxableIncomeCents ?? null,
            monthlyBenefitsCents: data.monthlyBenefitsCents ?? null
          },
          message: data.message ?? null,
          isDesk: false,
          createdByUserId: actor.userId,
          at
        });
        for (const doc of checked) await storeDocument(trx, id, doc, actor.userId, at);
        await repo.touchHousehold(trx, actor.userId, at);
      });
      return requestView(await agentOf(actor), (await repo.findRequest(db, id))!);
    },

    /**
     * Adds a proof document to an undecided request (its person, or the organisation at the desk):
     * size and type checked from the bytes, sealed before storage. An incomplete request goes back
     * to the queue.
     */
    async addDocument(actor: RequestActor, requestId: string, doc: IncomingDocument): Promise<DocumentView> {
      const agent = await agentOf(actor);
      const r = await readable(agent, requestId);
      if (!canAddDocuments(agent, r)) {
        throw new AppError(isOpen(r.status) ? 'forbidden' : 'conflict', isOpen(r.status) ? 'You may not add documents here' : 'This request is already decided');
      }
      const checked = checkDocument(doc, doc.fieldPrefix ?? '');
      const at = now().toISOString();
      const stored = await db.transaction().execute(async (trx) => {
        const d = await storeDocument(trx, r.id, checked, actor.userId, at);
        await repo.reopenIncomplete(trx, r.id, at);
        await repo.touchHousehold(trx, r.userId, at);
        return d;
      });
      return documentView(stored);
    },

    /**
     * A document, decrypted, for the organisation's agents while the request is undecided; each read
     * is audited. Others: 404 when they may not read the request, 403 otherwise (its person).
     */
    async readDocument(actor: RequestActor, requestId: string, documentId: string): Promise<DocumentFile> {
      const agent = await agentOf(actor);
      const r = await readable(agent, requestId);
      if (!canReadDocuments(agent, r)) {
        if (!isOpen(r.status)) throw new AppError('not_found', 'Documents are deleted once the request is decided');
        throw new AppError('forbidden', 'Only the organisation studying the request reads its documents');
      }
      const doc = await repo.findDocumentContent(db, r.id, documentId);
      if (!doc) throw new AppError('not_found', 'Document not found');
      const bytes = unseal(sealingKey, doc);
      await recordAudit(db, {
        at: now(),
        actorUserId: actor.userId,
        organisationId: r.organisationId,
        action: 'person.document.read',
        subjectType: 'person',
        subjectId: r.userId,
        requestId: actor.requestId ?? null,
        details: { requestId: r.id, documentId: doc.id }
      });
      return { bytes, mediaType: doc.mediaType, fileName: documentFileName(doc.label, doc.mediaType) };
    },

    /** The person's own file: household, requests (status, what is missing, reasons), grants. */
    async myEligibility(actor: RequestActor): Promise<MyEligibility> {
      const agent: Agent = { userId: actor.userId, isPlatformAdmin: actor.isPlatformAdmin, memberships: [] };
      const [household, requests, grants] = await Promise.all([
        repo.findHousehold(db, actor.userId),
        repo.listRequestsOfUser(db, actor.userId),
        repo.listGrantsOfUser(db, actor.userId)
      ]);
      const labels = await schemeLabels([...new Set(requests.flatMap((r) => r.schemes))]);
      const counts = await repo.countDocumentsOf(
        db,
        requests.map((r) => r.id)
      );
      const today = parisDate(now());
      return {
        household: household ?? null,
        requests: requests.map((r) => {
          const p = requestPermissions(agent, r);
          return {
            id: r.id,
            status: r.status,
            organisation: { id: r.organisationId, name: r.organisationName },
            schemes: labelsFor(r.schemes, labels),
            missing: r.status === 'incomplete' ? r.missing : null,
            decisionReason: r.decisionReason,
            decidedAt: r.decidedAt,
            submittedAt: r.submittedAt,
            documentCount: counts.get(r.id) ?? 0,
            canWithdraw: p.canWithdraw,
            canAddDocuments: p.canAddDocuments
          };
        }),
        grants: grants.map((g) => grantView(g, today, grants))
      };
    },

    /** One request, for its person or the organisation's agents (an agent's read is audited). */
    async getRequest(actor: RequestActor, id: string): Promise<RequestView> {
      const agent = await agentOf(actor);
      const r = await readable(agent, id);
      if (r.userId !== actor.userId) {
        await recordAudit(db, {
          at: now(),
          actorUserId: actor.userId,
          organisationId: r.organisationId,
          action: 'person.file.read',
          subjectType: 'person',
          subjectId: r.userId,
          requestId: actor.requestId ?? null,
          details: { requestId: r.id }
        });
      }
      return requestView(agent, r);
    },

    /** Withdraws an undecided request (its person); its documents are deleted at once. */
    async withdrawRequest(actor: RequestActor, id: string): Promise<RequestView> {
      const agent = await agentOf(actor);
      const r = await readable(agent, id);
      if (!canWithdraw(agent, r)) {
        if (r.userId === actor.userId) throw new AppError('conflict', 'This request is already decided or withdrawn');
        throw new AppError('forbidden', 'Only the person who made the request may withdraw it');
      }
      const at = now().toISOString();
      const done = await db.transaction().execute(async (trx) => {
        if (!(await repo.applyWithdrawal(trx, r.id, actor.userId, at))) return false;
        await repo.deleteDocumentsOf(trx, r.id, at);
        await repo.touchHousehold(trx, r.userId, at);
        return true;
      });
      if (!done) throw new AppError('conflict', 'This request was decided meanwhile');
      return requestView(agent, (await repo.findRequest(db, r.id))!);
    },

    /** An organisation's queue in one status, oldest first, with the count of each status. */
    async listQueue(actor: RequestActor, organisationId: string, query: unknown): Promise<QueuePage> {
      const q = parse(queueQuery, query, 'query');
      const agent = await agentOf(actor);
      if (!(await repo.findOrganisationBrief(db, organisationId))) throw new AppError('not_found', 'Organisation not found');
      if (!canWorkQueue(agent, organisationId)) {
        throw new AppError('forbidden', 'Only members of this organisation see its requests');
      }
      const page = await repo.listQueue(db, organisationId, q.status, q.limit, q.offset);
      const [counts, docs] = await Promise.all([
        repo.countQueue(db, organisationId),
        repo.countDocumentsOf(
          db,
          page.items.map((r) => r.id)
        )
      ]);
      return {
        status: q.status,
        items: page.items.map((r) => ({
          id: r.id,
          firstName: r.firstName,
          status: r.status,
          schemes: r.schemes,
          isDesk: r.isDesk,
          isRenewal: r.renewsGrantId !== null,
          documentCount: docs.get(r.id) ?? 0,
          submittedAt: r.submittedAt,
          updatedAt: r.updatedAt
        })),
        total: page.total,
        limit: q.limit,
        offset: q.offset,
        counts
      };
    },

    /**
     * Decides a request (granted, refused) or asks for more (incomplete), on the version the agent
     * saw: a conditional update lets exactly one of two simultaneous decisions through; the other
     * gets 409 with the current state. Granting needs the organisation to be a decider of each
     * scheme (403 naming it) and an end date from today to the scheme's longest validity (400).
     * Granted or refused: the documents are deleted in the same transaction. The person is told.
     */
    async decideRequest(actor: RequestActor, id: string, input: unknown): Promise<RequestView> {
      const data = parse(decisionInput, input);
      const agent = await agentOf(actor);
      const r = await readable(agent, id);
      if (!canDecide(agent, r)) throw new AppError('forbidden', 'Only the organisation the request was made to decides it');
      if (!isOpen(r.status) || r.version !== data.version) throw conflictOf(r);
      const today = parisDate(now());
      let grants: { scheme: SchemeBrief; validFrom: string; validUntil: string }[] = [];
      if (data.outcome === 'granted') {
        const codes = [...new Set(data.schemes)];
        const schemes = await activeSchemes(codes);
        const decided = new Set((await repo.schemesDecidedBy(db, r.organisationId)).map((s) => s.id));
        const refused = schemes.find((s) => !decided.has(s.id));
        if (refused) {
          throw new AppError('forbidden', `${r.organisationName} may not decide the scheme "${refused.code}"`, {
            fields: [{ path: 'schemes', message: `this organisation may not decide the scheme "${refused.code}"` }],
            scheme: refused.code
          });
        }
        const renewed = r.renewsGrantId ? await repo.findGrant(db, r.renewsGrantId) : undefined;
        grants = schemes.map((s) => {
          const validFrom = startOf(s, renewed, today);
          const validUntil = data.validUntil ?? defaultValidUntil(s, validFrom);
          const refusal = validityRefusal(s, validUntil, today, validFrom);
          if (refusal?.code === 'validity_in_past') {
            throw fieldError('validUntil', `the end date is in the past: the earliest is ${refusal.earliest}`, 'too_small');
          }
          if (refusal?.code === 'validity_over_max') {
            throw fieldError(
              'validUntil',
              `the scheme "${s.code}" is granted for at most ${refusal.maxDays} days (until ${refusal.latest})`,
              'too_big'
            );
          }
          if (refusal) throw fieldError('validUntil', 'not a date', 'invalid_format');
          return { scheme: s, validFrom, validUntil };
        });
      }
      const at = now().toISOString();
      const status = data.outcome;
      const decisionId = randomUUID();
      const won = await db.transaction().execute(async (trx) => {
        const ok = await repo.applyDecision(trx, {
          id: r.id,
          version: data.version,
          status,
          missing: status === 'incomplete' ? (data.missing ?? null) : null,
          reason: data.reason ?? null,
          decidedByUserId: actor.userId,
          at
        });
        if (!ok) return false;
        await repo.insertDecision(trx, {
          id: decisionId,
          requestId: r.id,
          userId: r.userId,
          organisationId: r.organisationId,
          outcome: status,
          schemes: grants.map((g) => g.scheme.code),
          validUntil: grants.length > 0 ? grants.map((g) => g.validUntil).sort()[0]! : null,
          reason: (status === 'incomplete' ? data.missing : data.reason) ?? null,
          decidedByUserId: actor.userId,
          decidedAt: at
        });
        for (const g of grants) {
          await repo.insertGrant(trx, {
            id: randomUUID(),
            userId: r.userId,
            schemeId: g.scheme.id,
            organisationId: r.organisationId,
            requestId: r.id,
            decisionId,
            validFrom: g.validFrom,
            validUntil: g.validUntil,
            at
          });
        }
        if (status !== 'incomplete') await repo.deleteDocumentsOf(trx, r.id, at);
        await repo.touchHousehold(trx, r.userId, at);
        await recordAudit(trx, {
          at: now(),
          actorUserId: actor.userId,
          organisationId: r.organisationId,
          action: 'eligibility.decide',
          subjectType: 'person',
          subjectId: r.userId,
          requestId: actor.requestId ?? null,
          details: { requestId: r.id, outcome: status, schemes: grants.map((g) => g.scheme.code) }
        });
        return true;
      });
      if (!won) throw conflictOf((await repo.findRequest(db, r.id))!);
      await notifyPerson(r.userId, r.id, r.organisationName, status);
      return requestView(agent, (await repo.findRequest(db, r.id))!);
    },

    /**
     * A request started at the desk by an agent (fiche d'orientation) for an existing account found by
     * email or phone, or a person this organisation accompanies (userId). The household given is
     * copied on the request (and becomes the person's declaration when they had none).
     */
    async createDeskRequest(actor: RequestActor, organisationId: string, input: unknown): Promise<RequestView> {
      const data = parse(deskRequestInput, input);
      const agent = await agentOf(actor);
      if (!(await repo.findOrganisationBrief(db, organisationId))) throw new AppError('not_found', 'Organisation not found');
      if (!canWorkQueue(agent, organisationId)) throw new AppError('forbidden', 'Only members of this organisation start requests here');
      const isNew = data.person.new === true;
      const personId = isNew ? randomUUID() : await resolveDeskPerson(organisationId, data.person);
      const schemes = await activeSchemes(data.schemes);
      const org = await checkRecipient(organisationId, schemes, 'schemes');
      if (!isNew && (await repo.hasOpenRequest(db, personId, org.id))) {
        throw new AppError('conflict', 'This person already has a request waiting for an answer here');
      }
      const h = data.household;
      const id = randomUUID();
      const at = now().toISOString();
      // A new accompanied account and its request commit together: a failing request leaves no account.
      await db.transaction().execute(async (trx) => {
        if (isNew) {
          await insertAccompanied(trx, {
            userId: personId,
            firstName: h.firstName,
            locale: 'fr',
            organisationId: org.id,
            createdByUserId: actor.userId,
            household: {
              size: h.size,
              adults: h.adults,
              children: h.children,
              isSingleParent: h.isSingleParent,
              profile: h.profile as Profile,
              communeInsee: h.communeInsee ?? null,
              communeName: h.communeName ?? null
            },
            at
          });
          await recordAudit(trx, {
            at: now(),
            actorUserId: actor.userId,
            organisationId: org.id,
            action: 'person.accompanied.create',
            subjectType: 'person',
            subjectId: personId,
            requestId: actor.requestId ?? null
          });
        } else if (!(await repo.findHousehold(trx, personId))) {
          await repo.saveHousehold(
            trx,
            personId,
            {
              firstName: h.firstName,
              size: h.size,
              adults: h.adults,
              children: h.children,
              isSingleParent: h.isSingleParent,
              profile: h.profile as Profile,
              communeInsee: h.communeInsee ?? null,
              communeName: h.communeName ?? null
            },
            at
          );
        }
        await repo.insertRequest(trx, {
          id,
          userId: personId,
          organisationId: org.id,
          renewsGrantId: null,
          schemes: schemes.map((s) => s.code),
          household: {
            size: h.size,
            adults: h.adults,
            children: h.children,
            isSingleParent: h.isSingleParent,
            profile: h.profile as Profile,
            communeInsee: h.communeInsee ?? null
          },
          resources: {
            monthlyResourcesCents: data.monthlyResourcesCents ?? null,
            monthlyChargesCents: data.monthlyChargesCents ?? null,
            annualTaxableIncomeCents: data.annualTaxableIncomeCents ?? null,
            monthlyBenefitsCents: data.monthlyBenefitsCents ?? null
          },
          message: data.message ?? null,
          isDesk: true,
          createdByUserId: actor.userId,
          at
        });
        await repo.touchHousehold(trx, personId, at);
        await recordAudit(trx, {
          at: now(),
          actorUserId: actor.userId,
          organisationId: org.id,
          action: 'eligibility.desk_request',
          subjectType: 'person',
          subjectId: personId,
          requestId: actor.requestId ?? null,
          details: { requestId: id }
        });
      });
      return requestView(agent, (await repo.findRequest(db, id))!);
    }
  };

  async function resolveDeskPerson(
    organisationId: string,
    person: { userId?: string; email?: string; phone?: string }
  ): Promise<string> {
    if (person.userId) {
      const a = await findAccompaniment(db, person.userId);
      if (!a || a.organisationId !== organisationId) {
        throw new AppError('not_found', 'No person accompanied by this organisation with this id', {
          fields: [{ path: 'person.userId', message: 'not a person this organisation accompanies' }]
        });
      }
      return person.userId;
    }
    if (person.email) {
      const id = await repo.findUserIdBy(db, { email: normaliseEmail(person.email) });
      if (!id) {
        throw new AppError('not_found', 'No account with this email', {
          fields: [{ path: 'person.email', message: 'no account with this email' }]
        });
      }
      return id;
    }
    const phone = normalisePhone(person.phone ?? '');
    if (!phone) throw fieldError('person.phone', 'not a valid phone number (e.g. 06 12 34 56 78)');
    const id = await repo.findUserIdBy(db, { phone });
    if (!id) {
      throw new AppError('not_found', 'No account with this phone number', {
        fields: [{ path: 'person.phone', message: 'no account with this phone number' }]
      });
    }
    return id;
  }
}

/** 409 with the request's current state: decided by someone else, or changed since it was opened. */
function conflictOf(current: RequestRecord): AppError {
  const decided = !isOpen(current.status);
  return new AppError(
    'conflict',
    decided ? 'This request was already decided by someone else' : 'This request changed since you opened it',
    { current: { status: current.status, version: current.version, decidedAt: current.decidedAt, alreadyDecided: decided } }
  );
}

export type RequestsService = ReturnType<typeof createRequestsService>;
