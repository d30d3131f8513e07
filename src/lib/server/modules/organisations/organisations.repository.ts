import type { Kysely, Selectable } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB, InvitationTable, OrganisationTable } from '../../db/schema.js';
import type { DonorKind, MembershipRole, OrganisationKind } from '../../../schemas/organisations.js';

/** All SQL of organisations, memberships and invitations. Rows leave as camelCase records. */

export interface Address {
  line: string;
  postalCode: string;
  city: string;
  inseeCode: string | null;
  lat: number | null;
  lng: number | null;
}

export interface OrganisationRecord {
  id: string;
  slug: string;
  name: string;
  kind: OrganisationKind;
  donorKind: DonorKind | null;
  network: string | null;
  siret: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The stored fields of an organisation, as the service writes them. */
export interface OrganisationFields {
  name: string;
  kind: OrganisationKind;
  donorKind: DonorKind | null;
  network: string | null;
  siret: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
}

function toOrganisation(r: Selectable<OrganisationTable>): OrganisationRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    donorKind: r.donor_kind,
    network: r.network,
    siret: r.siret,
    email: r.email,
    phone: r.phone,
    address:
      r.address_line !== null && r.postal_code !== null && r.city !== null
        ? {
            line: r.address_line,
            postalCode: r.postal_code,
            city: r.city,
            inseeCode: r.insee_code,
            lat: r.lat === null ? null : Number(r.lat),
            lng: r.lng === null ? null : Number(r.lng)
          }
        : null,
    isDemo: r.is_demo === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  };
}

function fieldsToRow(f: OrganisationFields) {
  return {
    name: f.name,
    kind: f.kind,
    donor_kind: f.donorKind,
    network: f.network,
    siret: f.siret,
    email: f.email,
    phone: f.phone,
    address_line: f.address?.line ?? null,
    postal_code: f.address?.postalCode ?? null,
    city: f.address?.city ?? null,
    insee_code: f.address?.inseeCode ?? null,
    lat: f.address?.lat ?? null,
    lng: f.address?.lng ?? null
  };
}

/** True when `err` is a unique-constraint violation, on SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export async function findOrganisation(db: Kysely<DB>, id: string): Promise<OrganisationRecord | undefined> {
  const row = await db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

/**
 * Serialises membership changes of one organisation until the transaction ends (PostgreSQL row
 * lock; SQLite transactions are already serial), so two owners demoting each other cannot leave none.
 */
export async function lockOrganisation(db: Kysely<DB>, kind: DatabaseKind, id: string): Promise<boolean> {
  let query = db.selectFrom('organisation').select('id').where('id', '=', id);
  if (kind === 'postgres') query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Slugs equal to `base` or starting with `base-`, to pick a free one. */
export async function slugsLike(db: Kysely<DB>, base: string): Promise<string[]> {
  const rows = await db
    .selectFrom('organisation')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  return rows.map((r) => r.slug);
}

export async function insertOrganisation(
  db: Kysely<DB>,
  o: OrganisationFields & { id: string; slug: string; isDemo?: boolean; at: string }
): Promise<void> {
  await db
    .insertInto('organisation')
    .values({ id: o.id, slug: o.slug, ...fieldsToRow(o), is_demo: o.isDemo ? 1 : 0, created_at: o.at, updated_at: o.at })
    .execute();
}

export async function updateOrganisationFields(db: Kysely<DB>, id: string, f: OrganisationFields, at: string): Promise<void> {
  await db
    .updateTable('organisation')
    .set({ ...fieldsToRow(f), updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Deletes an organisation; memberships and invitations go with it (foreign keys cascade). */
export async function deleteOrganisationRow(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('organisation').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface MembershipRecord {
  id: string;
  organisationId: string;
  userId: string;
  role: MembershipRole;
  createdAt: string;
}

export async function findMembership(
  db: Kysely<DB>,
  organisationId: string,
  userId: string
): Promise<MembershipRecord | undefined> {
  const r = await db
    .selectFrom('membership')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r ? { id: r.id, organisationId: r.organisation_id, userId: r.user_id, role: r.role, createdAt: r.created_at } : undefined;
}

/** Which of `userIds` belong to which of `organisationIds`, as `organisationId userId` keys (one query for a batch). */
export async function membershipKeys(db: Kysely<DB>, organisationIds: readonly string[], userIds: readonly string[]): Promise<Set<string>> {
  if (organisationIds.length === 0 || userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('membership')
    .select(['organisation_id', 'user_id'])
    .where('organisation_id', 'in', [...organisationIds])
    .where('user_id', 'in', [...userIds])
    .execute();
  return new Set(rows.map((r) => `${r.organisation_id} ${r.user_id}`));
}

export async function countOwners(db: Kysely<DB>, organisationId: string): Promise<number> {
  const r = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertMembership(db: Kysely<DB>, m: MembershipRecord): Promise<void> {
  await db
    .insertInto('membership')
    .values({ id: m.id, organisation_id: m.organisationId, user_id: m.userId, role: m.role, created_at: m.createdAt })
    .execute();
}

export async function updateMembershipRole(
  db: Kysely<DB>,
  organisationId: string,
  userId: string,
  role: MembershipRole
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ role })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Kysely<DB>, organisationId: string, userId: string): Promise<void> {
  await db.deleteFrom('membership').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
}

/** True when a member of the organisation has this (lower-cased) email. */
export async function hasMemberWithEmail(db: Kysely<DB>, organisationId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select('membership.id')
    .where('membership.organisation_id', '=', organisationId)
    .where('user.email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

export interface MemberRecord {
  userId: string;
  displayName: string;
  email: string | null;
  role: MembershipRole;
  joinedAt: string;
}

/** Members with their display name and email, owners first, then by name. */
export async function listMembers(db: Kysely<DB>, organisationId: string): Promise<MemberRecord[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select(['membership.user_id', 'membership.role', 'membership.created_at', 'user.display_name', 'user.email'])
    .where('membership.organisation_id', '=', organisationId)
    .orderBy('user.display_name')
    .orderBy('membership.user_id')
    .execute();
  const rank: Record<MembershipRole, number> = { owner: 0, manager: 1, member: 2 };
  return rows
    .map((r) => ({ userId: r.user_id, displayName: r.display_name, email: r.email, role: r.role, joinedAt: r.created_at }))
    .sort((a, b) => rank[a.role] - rank[b.role]);
}

/** The organisations `userId` belongs to, with their role, by name. */
export async function listOrganisationsOfUser(
  db: Kysely<DB>,
  userId: string
): Promise<Array<{ organisation: OrganisationRecord; role: MembershipRole }>> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .selectAll('organisation')
    .select('membership.role as member_role')
    .where('membership.user_id', '=', userId)
    .orderBy('organisation.name')
    .orderBy('organisation.id')
    .execute();
  return rows.map(({ member_role, ...org }) => ({ organisation: toOrganisation(org), role: member_role }));
}

export interface InvitationRecord {
  id: string;
  organisationId: string;
  email: string | null;
  role: MembershipRole;
  invitedByUserId: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  acceptedByUserId: string | null;
  revokedAt: string | null;
  createdAt: string;
}

function toInvitation(r: Selectable<InvitationTable>): InvitationRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    email: r.email,
    role: r.role,
    invitedByUserId: r.invited_by_user_id,
    expiresAt: r.expires_at,
    acceptedAt: r.accepted_at,
    acceptedByUserId: r.accepted_by_user_id,
    revokedAt: r.revoked_at,
    createdAt: r.created_at
  };
}

export async function insertInvitation(
  db: Kysely<DB>,
  i: Pick<InvitationRecord, 'id' | 'organisationId' | 'email' | 'role' | 'invitedByUserId' | 'expiresAt' | 'createdAt'> & {
    tokenHash: string;
  }
): Promise<void> {
  await db
    .insertInto('invitation')
    .values({
      id: i.id,
      organisation_id: i.organisationId,
      email: i.email,
      role: i.role,
      token_hash: i.tokenHash,
      invited_by_user_id: i.invitedByUserId,
      expires_at: i.expiresAt,
      created_at: i.createdAt
    })
    .execute();
}

export async function findInvitationByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<InvitationRecord | undefined> {
  const r = await db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? toInvitation(r) : undefined;
}

export async function findInvitation(
  db: Kysely<DB>,
  organisationId: string,
  id: string
): Promise<InvitationRecord | undefined> {
  const r = await db
    .selectFrom('invitation')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toInvitation(r) : undefined;
}

/** Invitations neither accepted, revoked nor expired at `nowIso`, newest first. */
export async function listPendingInvitations(db: Kysely<DB>, organisationId: string, nowIso: string): Promise<InvitationRecord[]> {
  const rows = await db
    .selectFrom('invitation')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toInvitation);
}

/** Revokes a pending invitation; false when it was no longer pending (accepted or revoked meanwhile). */
export async function markInvitationRevoked(db: Kysely<DB>, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('invitation')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Marks an invitation accepted only if it is still pending at `at` (conditional update: two
 * concurrent accepts cannot both win). False when it was used, revoked or expired meanwhile.
 */
export async function markInvitationAccepted(db: Kysely<DB>, id: string, userId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('invitation')
    .set({ accepted_at: at, accepted_by_user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
