import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inChunks } from '../../db/in-chunks.js';
import type { EligibilityRequestStatus } from '../../db/schema.eligibility.js';
import type { ErasedCounts } from './people.rules.js';

export type { ErasedCounts } from './people.rules.js';

/**
 * All SQL of accompanied people, cards, what others see of a person, the person's rights (file
 * reads, export, erasure) and the retention and reminder jobs. Rows leave as camelCase records.
 */

export { loadAgent, findOrganisationBrief, touchHousehold } from './requests.repository.js';

// ───────────────────────── accompanied accounts ─────────────────────────

export interface HouseholdFields {
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  profile: string;
  communeInsee: string | null;
  communeName: string | null;
}

export interface NewAccompanied {
  userId: string;
  firstName: string;
  locale: string;
  organisationId: string;
  createdByUserId: string;
  household: HouseholdFields;
  at: string;
  isDemo?: boolean;
}

/**
 * Writes the three rows of an accompanied account: a user who cannot sign in (no email, phone or
 * password; display name = first name), the household, and the accompaniment by the organisation.
 */
export async function insertAccompanied(db: Kysely<DB>, p: NewAccompanied): Promise<void> {
  const isDemo = p.isDemo ? 1 : 0;
  await db
    .insertInto('user')
    .values({
      id: p.userId,
      email: null,
      phone: null,
      password_hash: null,
      display_name: p.firstName,
      locale: p.locale,
      email_verified_at: null,
      phone_verified_at: null,
      is_platform_admin: 0,
      failed_sign_in_count: 0,
      locked_until: null,
      is_demo: isDemo,
      created_at: p.at,
      updated_at: p.at
    })
    .execute();
  const h = p.household;
  await db
    .insertInto('household')
    .values({
      user_id: p.userId,
      first_name: p.firstName,
      size: h.size,
      adults: h.adults,
      children: h.children,
      is_single_parent: h.isSingleParent ? 1 : 0,
      profile: h.profile,
      commune_insee: h.communeInsee,
      commune_name: h.communeName,
      is_demo: isDemo,
      created_at: p.at,
      updated_at: p.at,
      last_activity_at: p.at
    })
    .execute();
  await db
    .insertInto('accompaniment')
    .values({ user_id: p.userId, organisation_id: p.organisationId, created_by_user_id: p.createdByUserId, created_at: p.at })
    .execute();
}

export interface AccompanimentRecord {
  userId: string;
  organisationId: string;
  organisationName: string;
  createdAt: string;
}

export async function findAccompaniment(db: Kysely<DB>, userId: string): Promise<AccompanimentRecord | undefined> {
  const r = await db
    .selectFrom('accompaniment')
    .innerJoin('organisation', 'organisation.id', 'accompaniment.organisation_id')
    .select(['accompaniment.user_id', 'accompaniment.organisation_id', 'accompaniment.created_at', 'organisation.name'])
    .where('accompaniment.user_id', '=', userId)
    .executeTakeFirst();
  return r
    ? { userId: r.user_id, organisationId: r.organisation_id, organisationName: r.name, createdAt: r.created_at }
    : undefined;
}

export interface AccompaniedRow {
  userId: string;
  firstName: string;
  createdAt: string;
  lastActivityAt: string | null;
  hasContact: boolean;
  activeCard: { id: string; issuedAt: string } | null;
  /** Grants not revoked and not ended on `today`, soonest end first. */
  grants: { schemeCode: string; schemeName: string; schemeNameEn: string | null; validUntil: string }[];
}

/** The people an organisation accompanies, by first name, with their active card and running grants. */
export async function listAccompanied(db: Kysely<DB>, organisationId: string, today: string): Promise<AccompaniedRow[]> {
  const rows = await db
    .selectFrom('accompaniment')
    .innerJoin('user', 'user.id', 'accompaniment.user_id')
    .leftJoin('household', 'household.user_id', 'accompaniment.user_id')
    .select([
      'accompaniment.user_id',
      'accompaniment.created_at',
      'user.display_name',
      'user.email',
      'user.phone',
      'household.first_name',
      'household.last_activity_at'
    ])
    .where('accompaniment.organisation_id', '=', organisationId)
    .execute();
  const ids = rows.map((r) => r.user_id);
  const cards = ids.length
    ? await db
        .selectFrom('person_card')
        .select(['id', 'user_id', 'issued_at'])
        .where('user_id', 'in', db.selectFrom('accompaniment').select('user_id').where('organisation_id', '=', organisationId))
        .where('revoked_at', 'is', null)
        .execute()
    : [];
  const cardOf = new Map(cards.map((c) => [c.user_id, { id: c.id, issuedAt: c.issued_at }]));
  const grants = ids.length
    ? await db
        .selectFrom('eligibility_grant')
        .innerJoin('scheme', 'scheme.id', 'eligibility_grant.scheme_id')
        .select(['eligibility_grant.user_id', 'scheme.code', 'scheme.name', 'scheme.name_en', 'eligibility_grant.valid_until'])
        .where(
          'eligibility_grant.user_id',
          'in',
          db.selectFrom('accompaniment').select('user_id').where('organisation_id', '=', organisationId)
        )
        .where('eligibility_grant.revoked_at', 'is', null)
        .where('eligibility_grant.valid_from', '<=', today)
        .where('eligibility_grant.valid_until', '>=', today)
        .orderBy('eligibility_grant.valid_until')
        .orderBy('scheme.position')
        .execute()
    : [];
  const grantsOf = new Map<string, AccompaniedRow['grants']>();
  for (const g of grants) {
    const list = grantsOf.get(g.user_id) ?? [];
    list.push({ schemeCode: g.code, schemeName: g.name, schemeNameEn: g.name_en, validUntil: g.valid_until });
    grantsOf.set(g.user_id, list);
  }
  return rows
    .map((r) => ({
      userId: r.user_id,
      firstName: r.first_name ?? r.display_name,
      createdAt: r.created_at,
      lastActivityAt: r.last_activity_at,
      hasContact: r.email !== null || r.phone !== null,
      activeCard: cardOf.get(r.user_id) ?? null,
      grants: grantsOf.get(r.user_id) ?? []
    }))
    .sort((a, b) => a.firstName.localeCompare(b.firstName, 'fr') || a.userId.localeCompare(b.userId));
}

// ───────────────────────── a person's file ─────────────────────────

export interface PersonCore {
  userId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string;
  createdAt: string;
  household: (HouseholdFields & { firstName: string; lastActivityAt: string; updatedAt: string }) | null;
}

export async function findPersonCore(db: Kysely<DB>, userId: string): Promise<PersonCore | undefined> {
  const r = await db
    .selectFrom('user')
    .leftJoin('household', 'household.user_id', 'user.id')
    .select([
      'user.id',
      'user.display_name',
      'user.email',
      'user.phone',
      'user.locale',
      'user.created_at',
      'household.user_id as household_user_id',
      'household.first_name',
      'household.size',
      'household.adults',
      'household.children',
      'household.is_single_parent',
      'household.profile',
      'household.commune_insee',
      'household.commune_name',
      'household.last_activity_at',
      'household.updated_at'
    ])
    .where('user.id', '=', userId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    userId: r.id,
    displayName: r.display_name,
    email: r.email,
    phone: r.phone,
    locale: r.locale,
    createdAt: r.created_at,
    household:
      r.household_user_id !== null
        ? {
            firstName: r.first_name ?? r.display_name,
            size: r.size ?? 1,
            adults: r.adults ?? 1,
            children: r.children ?? 0,
            isSingleParent: r.is_single_parent === 1,
            profile: r.profile ?? 'autre',
            communeInsee: r.commune_insee ?? null,
            communeName: r.commune_name ?? null,
            lastActivityAt: r.last_activity_at ?? r.created_at,
            updatedAt: r.updated_at ?? r.created_at
          }
        : null
  };
}

export interface RequestBrief {
  id: string;
  organisationId: string;
  organisationName: string;
  status: EligibilityRequestStatus;
  schemes: string[];
  isDesk: boolean;
  submittedAt: string;
  decidedAt: string | null;
}

export async function listRequestBriefs(db: Kysely<DB>, userId: string): Promise<RequestBrief[]> {
  const rows = await db
    .selectFrom('eligibility_request')
    .innerJoin('organisation', 'organisation.id', 'eligibility_request.organisation_id')
    .select([
      'eligibility_request.id',
      'eligibility_request.organisation_id',
      'organisation.name',
      'eligibility_request.status',
      'eligibility_request.schemes',
      'eligibility_request.is_desk',
      'eligibility_request.submitted_at',
      'eligibility_request.decided_at'
    ])
    .where('eligibility_request.user_id', '=', userId)
    .orderBy('eligibility_request.submitted_at', 'desc')
    .orderBy('eligibility_request.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.name,
    status: r.status,
    schemes: parseCodes(r.schemes),
    isDesk: r.is_desk === 1,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at
  }));
}

/** The scheme codes of a JSON text column (`[]` when unreadable). */
export function parseCodes(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

// ───────────────────────── cards ─────────────────────────

export interface CardRecord {
  id: string;
  userId: string;
  organisationId: string;
  organisationName: string;
  codeCiphertext: string;
  issuedAt: string;
  revokedAt: string | null;
  isDemo: boolean;
}

const cardColumns = [
  'person_card.id',
  'person_card.user_id',
  'person_card.organisation_id',
  'organisation.name',
  'person_card.code_ciphertext',
  'person_card.issued_at',
  'person_card.revoked_at',
  'person_card.is_demo'
] as const;

function toCard(r: {
  id: string;
  user_id: string;
  organisation_id: string;
  name: string;
  code_ciphertext: string;
  issued_at: string;
  revoked_at: string | null;
  is_demo: number;
}): CardRecord {
  return {
    id: r.id,
    userId: r.user_id,
    organisationId: r.organisation_id,
    organisationName: r.name,
    codeCiphertext: r.code_ciphertext,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    isDemo: r.is_demo === 1
  };
}

export async function findCard(db: Kysely<DB>, id: string): Promise<CardRecord | undefined> {
  const r = await db
    .selectFrom('person_card')
    .innerJoin('organisation', 'organisation.id', 'person_card.organisation_id')
    .select(cardColumns)
    .where('person_card.id', '=', id)
    .executeTakeFirst();
  return r ? toCard(r) : undefined;
}

/** The card with this code hash, while it is not revoked. */
export async function findActiveCardByHash(db: Kysely<DB>, codeHash: string): Promise<CardRecord | undefined> {
  const r = await db
    .selectFrom('person_card')
    .innerJoin('organisation', 'organisation.id', 'person_card.organisation_id')
    .select(cardColumns)
    .where('person_card.code_hash', '=', codeHash)
    .where('person_card.revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? toCard(r) : undefined;
}

/** A person's cards, newest first. */
export async function listCards(db: Kysely<DB>, userId: string): Promise<CardRecord[]> {
  const rows = await db
    .selectFrom('person_card')
    .innerJoin('organisation', 'organisation.id', 'person_card.organisation_id')
    .select(cardColumns)
    .where('person_card.user_id', '=', userId)
    .orderBy('person_card.issued_at', 'desc')
    .orderBy('person_card.id', 'desc')
    .execute();
  return rows.map(toCard);
}

/** Revokes every card of a person still active (before issuing a new one); returns how many. */
export async function revokeActiveCards(db: Kysely<DB>, userId: string, at: string, byUserId: string | null): Promise<number> {
  const result = await db
    .updateTable('person_card')
    .set({ revoked_at: at, revoked_by_user_id: byUserId })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes one card if still active (conditional update: two agents at once, one revokes). */
export async function revokeCardRow(db: Kysely<DB>, id: string, at: string, byUserId: string | null): Promise<boolean> {
  const result = await db
    .updateTable('person_card')
    .set({ revoked_at: at, revoked_by_user_id: byUserId })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertCard(
  db: Kysely<DB>,
  c: {
    id: string;
    userId: string;
    organisationId: string;
    codeHash: string;
    codeCiphertext: string;
    issuedByUserId: string | null;
    at: string;
    isDemo?: boolean;
  }
): Promise<void> {
  await db
    .insertInto('person_card')
    .values({
      id: c.id,
      user_id: c.userId,
      organisation_id: c.organisationId,
      code_hash: c.codeHash,
      code_ciphertext: c.codeCiphertext,
      issued_by_user_id: c.issuedByUserId,
      issued_at: c.at,
      revoked_at: null,
      revoked_by_user_id: null,
      is_demo: c.isDemo ? 1 : 0
    })
    .execute();
}

// ───────────────────────── the person's rights ─────────────────────────

export interface FileReadRecord {
  id: string;
  at: string;
  action: string;
  organisationName: string | null;
  agentName: string | null;
}

/**
 * Audit entries about a person (subject_type 'person', subject_id = the person), by others:
 * reads of the file or documents, acts on their behalf, card identifications. Newest first.
 */
export async function listFileReads(db: Kysely<DB>, userId: string, limit: number): Promise<FileReadRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('organisation', 'organisation.id', 'audit_log.organisation_id')
    .leftJoin('user', 'user.id', 'audit_log.actor_user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'organisation.name as organisation_name', 'user.display_name'])
    .where('audit_log.subject_type', '=', 'person')
    .where('audit_log.subject_id', '=', userId)
    .where((eb) => eb.or([eb('audit_log.actor_user_id', 'is', null), eb('audit_log.actor_user_id', '<>', userId)]))
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    organisationName: r.organisation_name,
    agentName: r.display_name
  }));
}

/** Everything stored about a person, as plain rows for the export (no document bytes, no card codes). */
export async function exportRows(db: Kysely<DB>, userId: string) {
  const [user, memberships, accompaniment, requests, documents, decisions] = await Promise.all([
    db
      .selectFrom('user')
      .select(['id', 'display_name', 'email', 'phone', 'locale', 'email_verified_at', 'phone_verified_at', 'created_at', 'updated_at'])
      .where('id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('membership')
      .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
      .select(['organisation.name', 'membership.role', 'membership.created_at'])
      .where('membership.user_id', '=', userId)
      .orderBy('membership.created_at')
      .execute(),
    findAccompaniment(db, userId),
    db
      .selectFrom('eligibility_request')
      .innerJoin('organisation', 'organisation.id', 'eligibility_request.organisation_id')
      .select([
        'eligibility_request.id',
        'organisation.name as organisation_name',
        'eligibility_request.status',
        'eligibility_request.renews_grant_id',
        'eligibility_request.schemes',
        'eligibility_request.household_size',
        'eligibility_request.adults',
        'eligibility_request.children',
        'eligibility_request.is_single_parent',
        'eligibility_request.profile',
        'eligibility_request.commune_insee',
        'eligibility_request.monthly_resources_cents',
        'eligibility_request.monthly_charges_cents',
        'eligibility_request.annual_taxable_income_cents',
        'eligibility_request.monthly_benefits_cents',
        'eligibility_request.message',
        'eligibility_request.missing',
        'eligibility_request.decision_reason',
        'eligibility_request.decided_at',
        'eligibility_request.is_desk',
        'eligibility_request.documents_deleted_at',
        'eligibility_request.documents_deleted_count',
        'eligibility_request.submitted_at',
        'eligibility_request.created_at',
        'eligibility_request.updated_at'
      ])
      .where('eligibility_request.user_id', '=', userId)
      .orderBy('eligibility_request.submitted_at')
      .orderBy('eligibility_request.id')
      .execute(),
    db
      .selectFrom('eligibility_document')
      .innerJoin('eligibility_request', 'eligibility_request.id', 'eligibility_document.request_id')
      .select([
        'eligibility_document.request_id',
        'eligibility_document.label',
        'eligibility_document.media_type',
        'eligibility_document.byte_size',
        'eligibility_document.created_at'
      ])
      .where('eligibility_request.user_id', '=', userId)
      .orderBy('eligibility_document.created_at')
      .orderBy('eligibility_document.id')
      .execute(),
    db
      .selectFrom('eligibility_decision')
      .innerJoin('organisation', 'organisation.id', 'eligibility_decision.organisation_id')
      .select([
        'eligibility_decision.request_id',
        'organisation.name as organisation_name',
        'eligibility_decision.outcome',
        'eligibility_decision.schemes',
        'eligibility_decision.valid_until',
        'eligibility_decision.reason',
        'eligibility_decision.decided_at'
      ])
      .where('eligibility_decision.user_id', '=', userId)
      .orderBy('eligibility_decision.decided_at')
      .orderBy('eligibility_decision.id')
      .execute()
  ]);
  return { user, memberships, accompaniment, requests, documents, decisions };
}

/**
 * Deletes every eligibility row of a person, explicitly and in dependency order (the foreign keys
 * cascade from `user` too; doing it here makes erasure independent of each engine's cascade
 * settings and tells how much went). Pass the transaction of the account deletion.
 */
export async function eraseEligibilityData(db: Kysely<DB>, userId: string): Promise<ErasedCounts> {
  const requestIds = db.selectFrom('eligibility_request').select('id').where('user_id', '=', userId);
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const documents = n(await db.deleteFrom('eligibility_document').where('request_id', 'in', requestIds).executeTakeFirst());
  const grants = n(await db.deleteFrom('eligibility_grant').where('user_id', '=', userId).executeTakeFirst());
  const decisions = n(await db.deleteFrom('eligibility_decision').where('user_id', '=', userId).executeTakeFirst());
  const requests = n(await db.deleteFrom('eligibility_request').where('user_id', '=', userId).executeTakeFirst());
  const cards = n(await db.deleteFrom('person_card').where('user_id', '=', userId).executeTakeFirst());
  const accompaniment = n(await db.deleteFrom('accompaniment').where('user_id', '=', userId).executeTakeFirst());
  const household = n(await db.deleteFrom('household').where('user_id', '=', userId).executeTakeFirst());
  return { household, requests, documents, decisions, grants, cards, accompaniment };
}

// ───────────────────────── retention ─────────────────────────

/**
 * Latest trace of contact per person, per table (`user_id` → ISO time or date). Portable: one
 * grouped query per table, merged by the service.
 */
export async function activityTraces(db: Kysely<DB>): Promise<Map<string, string[]>> {
  const traces = new Map<string, string[]>();
  const add = (rows: { user_id: string; t: string | null }[]) => {
    for (const r of rows) {
      if (r.t === null) continue;
      const list = traces.get(r.user_id) ?? [];
      list.push(String(r.t));
      traces.set(r.user_id, list);
    }
  };
  add(await db.selectFrom('household').select(['user_id', 'last_activity_at as t']).execute());
  add(await db.selectFrom('accompaniment').select(['user_id', 'created_at as t']).execute());
  add(
    await db
      .selectFrom('eligibility_request')
      .select((eb) => ['user_id', eb.fn.max('updated_at').as('t')])
      .groupBy('user_id')
      .execute()
  );
  add(
    await db
      .selectFrom('eligibility_decision')
      .select((eb) => ['user_id', eb.fn.max('decided_at').as('t')])
      .groupBy('user_id')
      .execute()
  );
  add(
    await db
      .selectFrom('eligibility_grant')
      .select((eb) => ['user_id', eb.fn.max('valid_until').as('t')])
      .groupBy('user_id')
      .execute()
  );
  add(
    await db
      .selectFrom('eligibility_grant')
      .select((eb) => ['user_id', eb.fn.max('created_at').as('t')])
      .groupBy('user_id')
      .execute()
  );
  add(
    await db
      .selectFrom('person_card')
      .select((eb) => ['user_id', eb.fn.max('issued_at').as('t')])
      .groupBy('user_id')
      .execute()
  );
  return traces;
}

export interface AccountFacts {
  userId: string;
  email: string | null;
  phone: string | null;
  hasPassword: boolean;
  isPlatformAdmin: boolean;
  isAccompanied: boolean;
  hasMemberships: boolean;
}

export async function accountFacts(db: Kysely<DB>, userId: string): Promise<AccountFacts | undefined> {
  const u = await db
    .selectFrom('user')
    .select(['id', 'email', 'phone', 'password_hash', 'is_platform_admin'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u) return undefined;
  const accompanied = await db.selectFrom('accompaniment').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  const membership = await db.selectFrom('membership').select('id').where('user_id', '=', userId).executeTakeFirst();
  return {
    userId: u.id,
    email: u.email,
    phone: u.phone,
    hasPassword: u.password_hash !== null,
    isPlatformAdmin: u.is_platform_admin === 1,
    isAccompanied: accompanied !== undefined,
    hasMemberships: membership !== undefined
  };
}

export async function deleteUserRow(db: Kysely<DB>, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('user').where('id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Deletes the documents of requests that are decided or withdrawn (whatever their age: none should
 * be left), and those older than `before` of requests still undecided; stamps each request's
 * `documents_deleted_at` and adds to its count. Returns how many documents and requests.
 */
export async function purgeDocuments(db: Kysely<DB>, before: string, at: string): Promise<{ documents: number; requests: number }> {
  const rows = await db
    .selectFrom('eligibility_document')
    .innerJoin('eligibility_request', 'eligibility_request.id', 'eligibility_document.request_id')
    .select(['eligibility_document.id', 'eligibility_document.request_id'])
    .where((eb) =>
      eb.or([
        eb('eligibility_request.status', 'not in', ['submitted', 'incomplete']),
        eb('eligibility_document.created_at', '<', before)
      ])
    )
    .execute();
  const byRequest = new Map<string, string[]>();
  for (const r of rows) {
    const ids = byRequest.get(r.request_id);
    if (ids) ids.push(r.id);
    else byRequest.set(r.request_id, [r.id]);
  }
  let documents = 0;
  for (const [requestId, ids] of byRequest) {
    // A request's documents are not capped in number: deleted in slices, all in the caller's transaction.
    const counts = await inChunks(ids, async (chunk) =>
      Number((await db.deleteFrom('eligibility_document').where('id', 'in', chunk).executeTakeFirst()).numDeletedRows)
    );
    const deleted = counts.reduce((a, b) => a + b, 0);
    if (deleted === 0) continue;
    documents += deleted;
    await db
      .updateTable('eligibility_request')
      .set((eb) => ({
        documents_deleted_at: at,
        documents_deleted_count: eb('documents_deleted_count', '+', deleted)
      }))
      .where('id', '=', requestId)
      .execute();
  }
  return { documents, requests: byRequest.size };
}

// ───────────────────────── reminders ─────────────────────────

export interface ReminderCandidate {
  grantId: string;
  userId: string;
  schemeId: string;
  schemeName: string;
  schemeNameEn: string | null;
  organisationName: string;
  validUntil: string;
  email: string | null;
  phone: string | null;
  locale: string;
}

/** Grants running and ending between `from` and `to` (ISO dates, inclusive) never reminded. */
export async function grantsToRemind(db: Kysely<DB>, from: string, to: string): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('eligibility_grant')
    .innerJoin('scheme', 'scheme.id', 'eligibility_grant.scheme_id')
    .innerJoin('organisation', 'organisation.id', 'eligibility_grant.organisation_id')
    .innerJoin('user', 'user.id', 'eligibility_grant.user_id')
    .select([
      'eligibility_grant.id',
      'eligibility_grant.user_id',
      'eligibility_grant.scheme_id',
      'scheme.name as scheme_name',
      'scheme.name_en',
      'organisation.name as organisation_name',
      'eligibility_grant.valid_until',
      'user.email',
      'user.phone',
      'user.locale'
    ])
    .where('eligibility_grant.revoked_at', 'is', null)
    .where('eligibility_grant.reminded_at', 'is', null)
    .where('eligibility_grant.valid_until', '>=', from)
    .where('eligibility_grant.valid_until', '<=', to)
    .orderBy('eligibility_grant.user_id')
    .orderBy('eligibility_grant.valid_until')
    .orderBy('eligibility_grant.id')
    .execute();
  return rows.map((r) => ({
    grantId: r.id,
    userId: r.user_id,
    schemeId: r.scheme_id,
    schemeName: r.scheme_name,
    schemeNameEn: r.name_en,
    organisationName: r.organisation_name,
    validUntil: r.valid_until,
    email: r.email,
    phone: r.phone,
    locale: r.locale
  }));
}

/** Whether the person holds another running grant of the scheme ending after `after` (a renewal). */
export async function hasLaterGrant(db: Kysely<DB>, userId: string, schemeId: string, after: string): Promise<boolean> {
  const r = await db
    .selectFrom('eligibility_grant')
    .select('id')
    .where('user_id', '=', userId)
    .where('scheme_id', '=', schemeId)
    .where('revoked_at', 'is', null)
    .where('valid_until', '>', after)
    .executeTakeFirst();
  return r !== undefined;
}

export async function markReminded(db: Kysely<DB>, grantIds: string[], at: string): Promise<void> {
  if (grantIds.length === 0) return;
  await db
    .updateTable('eligibility_grant')
    .set({ reminded_at: at })
    .where('id', 'in', grantIds)
    .where('reminded_at', 'is', null)
    .execute();
}

/** Accompanied people of an organisation without contact whose access ends between the dates. */
export async function endingWithoutContact(
  db: Kysely<DB>,
  organisationId: string,
  from: string,
  to: string
): Promise<{ userId: string; validUntil: string }[]> {
  const rows = await db
    .selectFrom('eligibility_grant')
    .innerJoin('accompaniment', 'accompaniment.user_id', 'eligibility_grant.user_id')
    .innerJoin('user', 'user.id', 'eligibility_grant.user_id')
    .select(['eligibility_grant.user_id', 'eligibility_grant.valid_until'])
    .where('accompaniment.organisation_id', '=', organisationId)
    .where('user.email', 'is', null)
    .where('user.phone', 'is', null)
    .where('eligibility_grant.revoked_at', 'is', null)
    .where('eligibility_grant.valid_until', '>=', from)
    .where('eligibility_grant.valid_until', '<=', to)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, validUntil: r.valid_until }));
}

