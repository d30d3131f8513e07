import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EligibilityRequestStatus, EligibilityRequestTable, HouseholdTable } from '../../db/schema.eligibility.js';
import type {
  DecisionOutcome,
  DocumentMediaType,
  Profile,
  RequestStatus
} from '../../../schemas/eligibility-vocabulary.js';
import { REQUEST_STATUSES } from '../../../schemas/eligibility-vocabulary.js';
import type { MembershipRole, OrganisationKind } from '../../../schemas/vocabulary.js';
import type { Agent } from './eligibility.policy.js';

/**
 * All SQL of households, requests, proof documents, decisions and grants. Rows leave as camelCase
 * records; documents' ciphertext leaves only through `findDocumentContent`. State changes are
 * conditional updates (`… WHERE id = ? AND version = ? AND status IN (…)`), atomic on both databases.
 */

const bool = (v: number) => v === 1;
const parseCodes = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

// ───────────────────────── agents and people ─────────────────────────

/**
 * The caller as the eligibility policies see them: platform-admin flag and memberships with each
 * organisation's kind.
 */
export async function loadAgent(db: Kysely<DB>, actor: { userId: string; isPlatformAdmin: boolean }): Promise<Agent> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select(['membership.organisation_id as organisationId', 'membership.role as role', 'organisation.kind as kind'])
    .where('membership.user_id', '=', actor.userId)
    .execute();
  return {
    userId: actor.userId,
    isPlatformAdmin: actor.isPlatformAdmin,
    memberships: rows.map((r) => ({
      organisationId: r.organisationId,
      role: r.role as MembershipRole,
      kind: r.kind as OrganisationKind
    }))
  };
}

/** How to reach a person (for notifications) and their account's first words. */
export interface PersonContact {
  id: string;
  email: string | null;
  phone: string | null;
  locale: string;
  displayName: string;
}

export async function findPersonContact(db: Kysely<DB>, userId: string): Promise<PersonContact | undefined> {
  const r = await db
    .selectFrom('user')
    .select(['id', 'email', 'phone', 'locale', 'display_name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return r ? { id: r.id, email: r.email, phone: r.phone, locale: r.locale, displayName: r.display_name } : undefined;
}

/** The id of the account with this (normalised) email or phone, if any. */
export async function findUserIdBy(db: Kysely<DB>, by: { email: string } | { phone: string }): Promise<string | undefined> {
  let q = db.selectFrom('user').select('id');
  q = 'email' in by ? q.where('email', '=', by.email) : q.where('phone', '=', by.phone);
  return (await q.executeTakeFirst())?.id;
}

export interface OrganisationBrief {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export async function findOrganisationBrief(db: Kysely<DB>, id: string): Promise<OrganisationBrief | undefined> {
  const r = await db.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, name: r.name, kind: r.kind } : undefined;
}

// ───────────────────────── households ─────────────────────────

export interface HouseholdRecord {
  userId: string;
  firstName: string;
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  profile: Profile;
  communeInsee: string | null;
  communeName: string | null;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

function toHousehold(r: Selectable<HouseholdTable>): HouseholdRecord {
  return {
    userId: r.user_id,
    firstName: r.first_name,
    size: r.size,
    adults: r.adults,
    children: r.children,
    isSingleParent: bool(r.is_single_parent),
    profile: r.profile as Profile,
    communeInsee: r.commune_insee,
    communeName: r.commune_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActivityAt: r.last_activity_at
  };
}

export async function findHousehold(db: Kysely<DB>, userId: string): Promise<HouseholdRecord | undefined> {
  const r = await db.selectFrom('household').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? toHousehold(r) : undefined;
}

export interface HouseholdFields {
  firstName: string;
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  profile: Profile;
  communeInsee: string | null;
  communeName: string | null;
}

/** Creates or replaces the person's household declaration (call inside a transaction). */
export async function saveHousehold(db: Kysely<DB>, userId: string, f: HouseholdFields, at: string): Promise<void> {
  const values = {
    first_name: f.firstName,
    size: f.size,
    adults: f.adults,
    children: f.children,
    is_single_parent: f.isSingleParent ? 1 : 0,
    profile: f.profile,
    commune_insee: f.communeInsee,
    commune_name: f.communeName,
    updated_at: at,
    last_activity_at: at
  };
  const updated = await db.updateTable('household').set(values).where('user_id', '=', userId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db
      .insertInto('household')
      .values({ user_id: userId, ...values, is_demo: 0, created_at: at })
      .execute();
  }
}

/** Marks activity on a person's file (the retention purge counts from the last one). */
export async function touchHousehold(db: Kysely<DB>, userId: string, at: string): Promise<void> {
  await db.updateTable('household').set({ last_activity_at: at }).where('user_id', '=', userId).execute();
}

// ───────────────────────── schemes and deciders (read only: schemes.* owns them) ─────────────────────────

export interface SchemeBrief {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  defaultValidityDays: number;
  maxValidityDays: number;
  isRenewable: boolean;
  isActive: boolean;
}

const schemeColumns = [
  'scheme.id',
  'scheme.code',
  'scheme.name',
  'scheme.name_en',
  'scheme.default_validity_days',
  'scheme.max_validity_days',
  'scheme.is_renewable',
  'scheme.is_active'
] as const;

function toSchemeBrief(r: {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  default_validity_days: number;
  max_validity_days: number;
  is_renewable: number;
  is_active: number;
}): SchemeBrief {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    defaultValidityDays: r.default_validity_days,
    maxValidityDays: r.max_validity_days,
    isRenewable: bool(r.is_renewable),
    isActive: bool(r.is_active)
  };
}

/** Schemes by code (unknown codes are simply absent). */
export async function findSchemesByCodes(db: Kysely<DB>, codes: readonly string[]): Promise<SchemeBrief[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('scheme').select(schemeColumns).where('scheme.code', 'in', [...codes]).execute();
  return rows.map(toSchemeBrief);
}

/** The schemes an organisation may decide (active or not), by position. */
export async function schemesDecidedBy(db: Kysely<DB>, organisationId: string): Promise<SchemeBrief[]> {
  const rows = await db
    .selectFrom('scheme_decider')
    .innerJoin('scheme', 'scheme.id', 'scheme_decider.scheme_id')
    .select(schemeColumns)
    .where('scheme_decider.organisation_id', '=', organisationId)
    .orderBy('scheme.position')
    .orderBy('scheme.code')
    .execute();
  return rows.map(toSchemeBrief);
}

export interface DeciderRecord {
  organisationId: string;
  name: string;
  kind: OrganisationKind;
  /** Codes of the active schemes it decides. */
  schemes: string[];
}

/** Organisations that decide at least one active scheme, with those schemes; by name. */
export async function listDeciders(db: Kysely<DB>): Promise<DeciderRecord[]> {
  const rows = await db
    .selectFrom('scheme_decider')
    .innerJoin('scheme', 'scheme.id', 'scheme_decider.scheme_id')
    .innerJoin('organisation', 'organisation.id', 'scheme_decider.organisation_id')
    .select(['organisation.id as organisationId', 'organisation.name as name', 'organisation.kind as kind', 'scheme.code as code'])
    .where('scheme.is_active', '=', 1)
    .where('organisation.kind', 'in', ['ccas', 'association'])
    .orderBy('organisation.name')
    .orderBy('scheme.position')
    .orderBy('scheme.code')
    .execute();
  const byOrg = new Map<string, DeciderRecord>();
  for (const r of rows) {
    let d = byOrg.get(r.organisationId);
    if (!d) {
      d = { organisationId: r.organisationId, name: r.name, kind: r.kind, schemes: [] };
      byOrg.set(r.organisationId, d);
    }
    d.schemes.push(r.code);
  }
  return [...byOrg.values()];
}

/** Active schemes by position (for choosing what to ask for). */
export async function listActiveSchemes(db: Kysely<DB>): Promise<SchemeBrief[]> {
  const rows = await db
    .selectFrom('scheme')
    .select(schemeColumns)
    .where('scheme.is_active', '=', 1)
    .orderBy('scheme.position')
    .orderBy('scheme.code')
    .execute();
  return rows.map(toSchemeBrief);
}

// ───────────────────────── requests ─────────────────────────

export interface RequestResources {
  monthlyResourcesCents: number | null;
  monthlyChargesCents: number | null;
  annualTaxableIncomeCents: number | null;
  monthlyBenefitsCents: number | null;
}

/** The household as copied on the request when it was made. */
export interface RequestHousehold {
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  profile: Profile;
  communeInsee: string | null;
}

export interface RequestRecord {
  id: string;
  userId: string;
  /** The person's first name (their household declaration, else their account's name). */
  firstName: string;
  organisationId: string;
  organisationName: string;
  status: RequestStatus;
  renewsGrantId: string | null;
  schemes: string[];
  household: RequestHousehold;
  resources: RequestResources;
  message: string | null;
  missing: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  decidedByUserId: string | null;
  isDesk: boolean;
  createdByUserId: string | null;
  documentsDeletedAt: string | null;
  documentsDeletedCount: number;
  version: number;
  isDemo: boolean;
  submittedAt: string;
  createdAt: string;
  updatedAt: string;
}

type RequestRow = Selectable<EligibilityRequestTable> & {
  organisation_name: string;
  household_first_name: string | null;
  user_display_name: string;
};

function toRequest(r: RequestRow): RequestRecord {
  return {
    id: r.id,
    userId: r.user_id,
    firstName: r.household_first_name ?? r.user_display_name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    status: r.status,
    renewsGrantId: r.renews_grant_id,
    schemes: parseCodes(r.schemes),
    household: {
      size: r.household_size,
      adults: r.adults,
      children: r.children,
      isSingleParent: bool(r.is_single_parent),
      profile: r.profile as Profile,
      communeInsee: r.commune_insee
    },
    resources: {
      monthlyResourcesCents: r.monthly_resources_cents,
      monthlyChargesCents: r.monthly_charges_cents,
      annualTaxableIncomeCents: r.annual_taxable_income_cents,
      monthlyBenefitsCents: r.monthly_benefits_cents
    },
    message: r.message,
    missing: r.missing,
    decisionReason: r.decision_reason,
    decidedAt: r.decided_at,
    decidedByUserId: r.decided_by_user_id,
    isDesk: bool(r.is_desk),
    createdByUserId: r.created_by_user_id,
    documentsDeletedAt: r.documents_deleted_at,
    documentsDeletedCount: r.documents_deleted_count,
    version: r.version,
    isDemo: bool(r.is_demo),
    submittedAt: r.submitted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

function selectRequests(db: Kysely<DB>) {
  return db
    .selectFrom('eligibility_request')
    .innerJoin('organisation', 'organisation.id', 'eligibility_request.organisation_id')
    .innerJoin('user', 'user.id', 'eligibility_request.user_id')
    .leftJoin('household', 'household.user_id', 'eligibility_request.user_id')
    .selectAll('eligibility_request')
    .select([
      'organisation.name as organisation_name',
      'household.first_name as household_first_name',
      'user.display_name as user_display_name'
    ]);
}

export interface NewRequest {
  id: string;
  userId: string;
  organisationId: string;
  renewsGrantId: string | null;
  schemes: string[];
  household: RequestHousehold;
  resources: RequestResources;
  message: string | null;
  isDesk: boolean;
  createdByUserId: string;
  at: string;
  isDemo?: boolean;
}

export async function insertRequest(db: Kysely<DB>, r: NewRequest): Promise<void> {
  await db
    .insertInto('eligibility_request')
    .values({
      id: r.id,
      user_id: r.userId,
      organisation_id: r.organisationId,
      status: 'submitted',
      renews_grant_id: r.renewsGrantId,
      schemes: JSON.stringify(r.schemes),
      household_size: r.household.size,
      adults: r.household.adults,
      children: r.household.children,
      is_single_parent: r.household.isSingleParent ? 1 : 0,
      profile: r.household.profile,
      commune_insee: r.household.communeInsee,
      monthly_resources_cents: r.resources.monthlyResourcesCents,
      monthly_charges_cents: r.resources.monthlyChargesCents,
      annual_taxable_income_cents: r.resources.annualTaxableIncomeCents,
      monthly_benefits_cents: r.resources.monthlyBenefitsCents,
      message: r.message,
      missing: null,
      decision_reason: null,
      decided_at: null,
      decided_by_user_id: null,
      is_desk: r.isDesk ? 1 : 0,
      created_by_user_id: r.createdByUserId,
      documents_deleted_at: null,
      documents_deleted_count: 0,
      version: 1,
      is_demo: r.isDemo ? 1 : 0,
      submitted_at: r.at,
      created_at: r.at,
      updated_at: r.at
    })
    .execute();
}

export async function findRequest(db: Kysely<DB>, id: string): Promise<RequestRecord | undefined> {
  const r = await selectRequests(db).where('eligibility_request.id', '=', id).executeTakeFirst();
  return r ? toRequest(r) : undefined;
}

/** A person's requests, newest first. */
export async function listRequestsOfUser(db: Kysely<DB>, userId: string): Promise<RequestRecord[]> {
  const rows = await selectRequests(db)
    .where('eligibility_request.user_id', '=', userId)
    .orderBy('eligibility_request.submitted_at', 'desc')
    .orderBy('eligibility_request.id', 'desc')
    .execute();
  return rows.map(toRequest);
}

/** One page of an organisation's queue in one status, oldest first, and how many there are. */
export async function listQueue(
  db: Kysely<DB>,
  organisationId: string,
  status: RequestStatus,
  limit: number,
  offset: number
): Promise<{ items: RequestRecord[]; total: number }> {
  const rows = await selectRequests(db)
    .where('eligibility_request.organisation_id', '=', organisationId)
    .where('eligibility_request.status', '=', status)
    .orderBy('eligibility_request.submitted_at', 'asc')
    .orderBy('eligibility_request.id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  const counts = await countQueue(db, organisationId);
  return { items: rows.map(toRequest), total: counts[status] };
}

/** How many requests the organisation has in each status. */
export async function countQueue(db: Kysely<DB>, organisationId: string): Promise<Record<RequestStatus, number>> {
  const rows = await db
    .selectFrom('eligibility_request')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .where('organisation_id', '=', organisationId)
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  for (const r of rows) if (r.status in counts) counts[r.status as RequestStatus] = Number(r.n);
  return counts;
}

/** Whether the person already has an undecided request with this organisation. */
export async function hasOpenRequest(db: Kysely<DB>, userId: string, organisationId: string): Promise<boolean> {
  const r = await db
    .selectFrom('eligibility_request')
    .select('id')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['submitted', 'incomplete'])
    .executeTakeFirst();
  return r !== undefined;
}

/** Number of documents per request, for lists. */
export async function countDocumentsOf(db: Kysely<DB>, requestIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (requestIds.length === 0) return out;
  const rows = await db
    .selectFrom('eligibility_document')
    .select(['request_id', (eb) => eb.fn.countAll().as('n')])
    .where('request_id', 'in', [...requestIds])
    .groupBy('request_id')
    .execute();
  for (const r of rows) out.set(r.request_id, Number(r.n));
  return out;
}

/** Decides or asks for more: only when the version is the one the agent saw and the request is open. */
export async function applyDecision(
  db: Kysely<DB>,
  d: {
    id: string;
    version: number;
    status: Extract<EligibilityRequestStatus, 'granted' | 'refused' | 'incomplete'>;
    missing: string | null;
    reason: string | null;
    decidedByUserId: string;
    at: string;
  }
): Promise<boolean> {
  const result = await db
    .updateTable('eligibility_request')
    .set((eb) => ({
      status: d.status,
      missing: d.missing,
      decision_reason: d.reason,
      decided_at: d.at,
      decided_by_user_id: d.decidedByUserId,
      version: eb('version', '+', 1),
      updated_at: d.at
    }))
    .where('id', '=', d.id)
    .where('version', '=', d.version)
    .where('status', 'in', ['submitted', 'incomplete'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Withdrawn by its person, while undecided. */
export async function applyWithdrawal(db: Kysely<DB>, id: string, userId: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('eligibility_request')
    .set((eb) => ({ status: 'withdrawn' as const, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('status', 'in', ['submitted', 'incomplete'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An incomplete request that received a new document goes back to the queue. */
export async function reopenIncomplete(db: Kysely<DB>, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('eligibility_request')
    .set((eb) => ({ status: 'submitted' as const, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('status', '=', 'incomplete')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ───────────────────────── documents ─────────────────────────

export interface DocumentRecord {
  id: string;
  requestId: string;
  label: string;
  mediaType: DocumentMediaType;
  byteSize: number;
  uploadedByUserId: string | null;
  createdAt: string;
}

export interface DocumentContent extends DocumentRecord {
  keyId: string;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

const documentColumns = ['id', 'request_id', 'label', 'media_type', 'byte_size', 'uploaded_by_user_id', 'created_at'] as const;

function toDocument(r: {
  id: string;
  request_id: string;
  label: string;
  media_type: string;
  byte_size: number;
  uploaded_by_user_id: string | null;
  created_at: string;
}): DocumentRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    label: r.label,
    mediaType: r.media_type as DocumentMediaType,
    byteSize: Number(r.byte_size),
    uploadedByUserId: r.uploaded_by_user_id,
    createdAt: r.created_at
  };
}

export async function insertDocument(
  db: Kysely<DB>,
  d: DocumentRecord & { keyId: string; iv: Buffer; authTag: Buffer; ciphertext: Buffer }
): Promise<void> {
  await db
    .insertInto('eligibility_document')
    .values({
      id: d.id,
      request_id: d.requestId,
      label: d.label,
      media_type: d.mediaType,
      byte_size: d.byteSize,
      key_id: d.keyId,
      iv: d.iv,
      auth_tag: d.authTag,
      ciphertext: d.ciphertext,
      uploaded_by_user_id: d.uploadedByUserId,
      created_at: d.createdAt
    })
    .execute();
}

/** A request's documents (without their bytes), oldest first. */
export async function listDocuments(db: Kysely<DB>, requestId: string): Promise<DocumentRecord[]> {
  const rows = await db
    .selectFrom('eligibility_document')
    .select(documentColumns)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toDocument);
}

/** One document of one request with its sealed bytes. */
export async function findDocumentContent(db: Kysely<DB>, requestId: string, documentId: string): Promise<DocumentContent | undefined> {
  const r = await db
    .selectFrom('eligibility_document')
    .selectAll()
    .where('id', '=', documentId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    ...toDocument(r),
    keyId: r.key_id,
    iv: Buffer.from(r.iv),
    authTag: Buffer.from(r.auth_tag),
    ciphertext: Buffer.from(r.ciphertext)
  };
}

/**
 * Deletes every document of a request (rows and their bytes) and records how many went and when on
 * the request. Returns the number deleted.
 */
export async function deleteDocumentsOf(db: Kysely<DB>, requestId: string, at: string): Promise<number> {
  const deleted = await db.deleteFrom('eligibility_document').where('request_id', '=', requestId).executeTakeFirst();
  const count = Number(deleted.numDeletedRows);
  if (count > 0) {
    await db
      .updateTable('eligibility_request')
      .set((eb) => ({ documents_deleted_at: at, documents_deleted_count: eb('documents_deleted_count', '+', count) }))
      .where('id', '=', requestId)
      .execute();
  }
  return count;
}

// ───────────────────────── decisions and grants ─────────────────────────

export interface DecisionRecord {
  id: string;
  requestId: string;
  userId: string;
  organisationId: string;
  outcome: DecisionOutcome;
  schemes: string[];
  validUntil: string | null;
  reason: string | null;
  decidedByUserId: string | null;
  decidedAt: string;
}

export async function insertDecision(db: Kysely<DB>, d: DecisionRecord): Promise<void> {
  await db
    .insertInto('eligibility_decision')
    .values({
      id: d.id,
      request_id: d.requestId,
      user_id: d.userId,
      organisation_id: d.organisationId,
      outcome: d.outcome,
      schemes: JSON.stringify(d.schemes),
      valid_until: d.validUntil,
      reason: d.reason,
      decided_by_user_id: d.decidedByUserId,
      decided_at: d.decidedAt
    })
    .execute();
}

/** The decisions taken on a request, oldest first. */
export async function listDecisions(db: Kysely<DB>, requestId: string): Promise<DecisionRecord[]> {
  const rows = await db
    .selectFrom('eligibility_decision')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    userId: r.user_id,
    organisationId: r.organisation_id,
    outcome: r.outcome,
    schemes: parseCodes(r.schemes),
    validUntil: r.valid_until,
    reason: r.reason,
    decidedByUserId: r.decided_by_user_id,
    decidedAt: r.decided_at
  }));
}

export interface GrantRecord {
  id: string;
  userId: string;
  schemeId: string;
  schemeCode: string;
  schemeName: string;
  schemeNameEn: string | null;
  isRenewable: boolean;
  organisationId: string;
  organisationName: string;
  requestId: string | null;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
  /** When the person was reminded of the end (once). */
  remindedAt: string | null;
  createdAt: string;
}

/**
 * Writes a grant: from a decision (request and decision set), or outside one (the demo's people,
 * granted at the desk before Glane: both null).
 */
export async function insertGrant(
  db: Kysely<DB>,
  g: {
    id: string;
    userId: string;
    schemeId: string;
    organisationId: string;
    requestId?: string | null;
    decisionId?: string | null;
    validFrom: string;
    validUntil: string;
    at: string;
    isDemo?: boolean;
  }
): Promise<void> {
  await db
    .insertInto('eligibility_grant')
    .values({
      id: g.id,
      user_id: g.userId,
      scheme_id: g.schemeId,
      organisation_id: g.organisationId,
      request_id: g.requestId ?? null,
      decision_id: g.decisionId ?? null,
      valid_from: g.validFrom,
      valid_until: g.validUntil,
      revoked_at: null,
      revoked_by_user_id: null,
      revoke_reason: null,
      reminded_at: null,
      is_demo: g.isDemo ? 1 : 0,
      created_at: g.at
    })
    .execute();
}

function selectGrants(db: Kysely<DB>) {
  return db
    .selectFrom('eligibility_grant')
    .innerJoin('scheme', 'scheme.id', 'eligibility_grant.scheme_id')
    .innerJoin('organisation', 'organisation.id', 'eligibility_grant.organisation_id')
    .select([
      'eligibility_grant.id',
      'eligibility_grant.user_id',
      'eligibility_grant.scheme_id',
      'scheme.code as scheme_code',
      'scheme.name as scheme_name',
      'scheme.name_en as scheme_name_en',
      'scheme.is_renewable',
      'eligibility_grant.organisation_id',
      'organisation.name as organisation_name',
      'eligibility_grant.request_id',
      'eligibility_grant.valid_from',
      'eligibility_grant.valid_until',
      'eligibility_grant.revoked_at',
      'eligibility_grant.reminded_at',
      'eligibility_grant.created_at'
    ]);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof selectGrants>['execute']>>[number];

function toGrant(r: GrantRow): GrantRecord {
  return {
    id: r.id,
    userId: r.user_id,
    schemeId: r.scheme_id,
    schemeCode: r.scheme_code,
    schemeName: r.scheme_name,
    schemeNameEn: r.scheme_name_en,
    isRenewable: bool(r.is_renewable),
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    requestId: r.request_id,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    revokedAt: r.revoked_at,
    remindedAt: r.reminded_at,
    createdAt: r.created_at
  };
}

/** Every grant of a person (running, ended, revoked), latest end first. */
export async function listGrantsOfUser(db: Kysely<DB>, userId: string): Promise<GrantRecord[]> {
  const rows = await selectGrants(db)
    .where('eligibility_grant.user_id', '=', userId)
    .orderBy('eligibility_grant.valid_until', 'desc')
    .orderBy('scheme.position')
    .orderBy('eligibility_grant.id')
    .execute();
  return rows.map(toGrant);
}

/** The grants of several people at once (a job's batch), each list ordered as listGrantsOfUser's. */
export async function listGrantsOfUsers(db: Kysely<DB>, userIds: readonly string[]): Promise<Map<string, GrantRecord[]>> {
  const out = new Map<string, GrantRecord[]>();
  if (userIds.length === 0) return out;
  const rows = await selectGrants(db)
    .where('eligibility_grant.user_id', 'in', [...userIds])
    .orderBy('eligibility_grant.valid_until', 'desc')
    .orderBy('scheme.position')
    .orderBy('eligibility_grant.id')
    .execute();
  for (const grant of rows.map(toGrant)) out.set(grant.userId, [...(out.get(grant.userId) ?? []), grant]);
  return out;
}

/** The grants a request produced. */
export async function listGrantsOfRequest(db: Kysely<DB>, requestId: string): Promise<GrantRecord[]> {
  const rows = await selectGrants(db)
    .where('eligibility_grant.request_id', '=', requestId)
    .orderBy('scheme.position')
    .orderBy('scheme.code')
    .execute();
  return rows.map(toGrant);
}

export async function findGrant(db: Kysely<DB>, id: string): Promise<GrantRecord | undefined> {
  const r = await selectGrants(db).where('eligibility_grant.id', '=', id).executeTakeFirst();
  return r ? toGrant(r) : undefined;
}

/** Whether an undecided request already renews this grant. */
export async function hasOpenRenewal(db: Kysely<DB>, grantId: string): Promise<boolean> {
  const r = await db
    .selectFrom('eligibility_request')
    .select('id')
    .where('renews_grant_id', '=', grantId)
    .where('status', 'in', ['submitted', 'incomplete'])
    .executeTakeFirst();
  return r !== undefined;
}
