import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { DatabaseKind } from '../../db/database.js';
import { removeGeoPoint, upsertGeoPoint } from '../../db/geosearch.js';
import type { DB } from '../../db/schema.js';
import { removeSearchDocument, upsertSearchDocument } from '../../db/text-search.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import type { Notify } from '../../notify/notify.js';
import {
  changeRoleSchema,
  createInvitationSchema,
  createOrganisationSchema,
  donorKindProblem,
  updateOrganisationSchema,
  type MembershipRole,
  type OrganisationKind
} from '../../../schemas/organisations.js';
import { recordAudit } from '../audit/audit.repository.js';
import {
  canChangeRole,
  canDeleteOrganisation,
  canInvite,
  canListMembers,
  canManageInvitations,
  canRemoveMember,
  canUpdateOrganisation,
  permissionsFor,
  type OrganisationPermissions,
  type Standing
} from './organisations.policy.js';
import * as repo from './organisations.repository.js';
import type { InvitationRecord, MemberRecord, OrganisationFields, OrganisationRecord } from './organisations.repository.js';
import { invitationExpiresAt, invitationStatus, leavesNoOwner, searchBody, slugify, uniqueSlug, type InvitationStatus } from './organisations.rules.js';

/** The entity type of organisations in the shared geo and text indexes. */
export const ORGANISATION_ENTITY = 'organisation';

/** An organisation as the caller sees it: its fields, the caller's role and permissions. */
export interface OrganisationView extends OrganisationRecord {
  myRole: MembershipRole | null;
  permissions: OrganisationPermissions;
}

/** A member as listed; `email` only for those who manage members (owners, managers, admins). */
export interface MemberView {
  userId: string;
  displayName: string;
  email: string | null;
  role: MembershipRole;
  joinedAt: string;
  isMe: boolean;
}

/** A pending invitation as listed to those who manage them. Never carries the token. */
export interface InvitationView {
  id: string;
  organisationId: string;
  email: string | null;
  role: MembershipRole;
  status: InvitationStatus;
  invitedByUserId: string | null;
  expiresAt: string;
  createdAt: string;
}

/** What an invitation link shows before signing in: no email, no inviter. */
export interface InvitationPreview {
  organisation: { id: string; slug: string; name: string; kind: OrganisationKind };
  role: MembershipRole;
  status: InvitationStatus;
  expiresAt: string;
}

export interface CreatedInvitation {
  invitation: InvitationView;
  /** The secret of the link, shown once: only its sha256 is stored. */
  token: string;
  /** `${PUBLIC_URL}/invitations/<token>`. */
  link: string;
  /** True when an email was given and handed to the notify layer. */
  emailSent: boolean;
}

export interface OrganisationsDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  config: Pick<Config, 'PUBLIC_URL'>;
  now: () => Date;
  /** Sends invitation emails; without it, invitations are links only (`emailSent: false`). */
  notify?: Pick<Notify, 'send'>;
}

/** sha256 of an invitation token, hex: what the database keeps. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Parses input with a shared schema; a failure is a `validation_failed` naming each field. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      path: [...issue.path.map(String), ...(key === undefined ? [] : [key])].join('.') || '(root)',
      message: issue.message,
      code: issue.code
    }));
  });
  const first = fields[0];
  throw new AppError('validation_failed', first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid input', {
    fields
  });
}

const notFound = () => new AppError('not_found', 'Organisation not found');

/**
 * Organisations, memberships and invitations. Every function takes the acting `Actor` explicitly
 * (null where signed-out callers are allowed), checks the policy, and writes in one transaction
 * with its audit entry, so a failure leaves nothing half-done.
 */
export function createOrganisationsService(deps: OrganisationsDeps) {
  const { db, kind, config, now } = deps;

  async function standingIn(actor: Actor | null, organisationId: string, d: Kysely<DB> = db): Promise<Standing> {
    if (!actor) return { isPlatformAdmin: false, role: null };
    const m = await repo.findMembership(d, organisationId, actor.userId);
    return { isPlatformAdmin: actor.isPlatformAdmin, role: m?.role ?? null };
  }

  function view(org: OrganisationRecord, s: Standing): OrganisationView {
    return { ...org, myRole: s.role, permissions: permissionsFor(s) };
  }

  async function loadWithStanding(actor: Actor | null, id: string) {
    const org = await repo.findOrganisation(db, id);
    if (!org) throw notFound();
    return { org, standing: await standingIn(actor, id) };
  }

  /** Keeps the shared geo and text indexes in step with an organisation (same transaction). */
  async function index(trx: Kysely<DB>, id: string, f: OrganisationFields): Promise<void> {
    const a = f.address;
    if (a && a.lat !== null && a.lng !== null) {
      await upsertGeoPoint(trx, kind, { entityType: ORGANISATION_ENTITY, entityId: id, lat: a.lat, lng: a.lng });
    } else {
      await removeGeoPoint(trx, kind, ORGANISATION_ENTITY, id);
    }
    await upsertSearchDocument(trx, kind, {
      entityType: ORGANISATION_ENTITY,
      entityId: id,
      body: searchBody({ name: f.name, city: a?.city ?? null, network: f.network })
    });
  }

  function invitationView(i: InvitationRecord): InvitationView {
    return {
      id: i.id,
      organisationId: i.organisationId,
      email: i.email,
      role: i.role,
      status: invitationStatus(i, now()),
      invitedByUserId: i.invitedByUserId,
      expiresAt: i.expiresAt,
      createdAt: i.createdAt
    };
  }

  /**
   * Creates an organisation; the creator becomes its owner. Only platform admins create the
   * `platform` (operator) organisation. The slug comes from the name, suffixed `-2`, `-3`… when taken.
   */
  async function createOrganisation(actor: Actor, input: unknown): Promise<OrganisationView> {
    const data = parse(createOrganisationSchema, input);
    if (data.kind === 'platform' && !actor.isPlatformAdmin) {
      throw new AppError('forbidden', 'Only platform admins create the platform organisation', {
        fields: [{ path: 'kind', message: 'reserved to platform admins' }]
      });
    }
    const fields: OrganisationFields = {
      name: data.name,
      kind: data.kind,
      donorKind: data.donorKind ?? null,
      network: data.network ?? null,
      siret: data.siret ?? null,
      email: data.email ?? null,
      phone: data.phone ?? null,
      address: data.address
        ? {
            line: data.address.line,
            postalCode: data.address.postalCode,
            city: data.address.city,
            inseeCode: data.address.inseeCode ?? null,
            lat: data.address.lat ?? null,
            lng: data.address.lng ?? null
          }
        : null
    };
    const base = slugify(data.name);
    // A concurrent create may take the same slug between our read and our insert: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        const id = randomUUID();
        await db.transaction().execute(async (trx) => {
          const at = now();
          const slug = uniqueSlug(base, await repo.slugsLike(trx, base));
          await repo.insertOrganisation(trx, { ...fields, id, slug, at: at.toISOString() });
          await repo.insertMembership(trx, {
            id: randomUUID(),
            organisationId: id,
            userId: actor.userId,
            role: 'owner',
            createdAt: at.toISOString()
          });
          await index(trx, id, fields);
          await recordAudit(trx, {
            at,
            actorUserId: actor.userId,
            organisationId: id,
            action: 'organisation.create',
            subjectType: 'organisation',
            subjectId: id,
            requestId: actor.requestId,
            details: { kind: fields.kind, slug }
          });
        });
        const org = await repo.findOrganisation(db, id);
        if (!org) throw notFound();
        return view(org, { isPlatformAdmin: actor.isPlatformAdmin, role: 'owner' });
      } catch (err) {
        if (repo.isUniqueViolation(err) && attempt < 3) continue;
        if (repo.isUniqueViolation(err)) throw new AppError('conflict', 'Could not pick a unique slug, try again');
        throw err;
      }
    }
  }

  /** One organisation with the caller's role and permissions (public: `actor` may be null). */
  async function getOrganisation(actor: Actor | null, id: string): Promise<OrganisationView> {
    const { org, standing } = await loadWithStanding(actor, id);
    return view(org, standing);
  }

  /** The organisations the actor belongs to, by name. */
  async function listMyOrganisations(actor: Actor): Promise<OrganisationView[]> {
    const rows = await repo.listOrganisationsOfUser(db, actor.userId);
    return rows.map(({ organisation, role }) => view(organisation, { isPlatformAdmin: actor.isPlatformAdmin, role }));
  }

  /**
   * Updates the given fields (null clears an optional one). Owners, managers and admins; moving to
   * or from the `platform` kind is for admins. Leaving the donor kind clears `donorKind`.
   */
  async function updateOrganisation(actor: Actor, id: string, input: unknown): Promise<OrganisationView> {
    const patch = parse(updateOrganisationSchema, input);
    const { org, standing } = await loadWithStanding(actor, id);
    if (!canUpdateOrganisation(standing)) throw new AppError('forbidden', 'Only owners and managers may update the organisation');
    const nextKind = patch.kind ?? org.kind;
    if ((nextKind === 'platform') !== (org.kind === 'platform') && !actor.isPlatformAdmin) {
      throw new AppError('forbidden', 'Only platform admins change the platform kind', {
        fields: [{ path: 'kind', message: 'reserved to platform admins' }]
      });
    }
    let donorKind = patch.donorKind === undefined ? org.donorKind : patch.donorKind;
    if (nextKind !== 'donor' && patch.donorKind === undefined) donorKind = null;
    const problem = donorKindProblem(nextKind, donorKind);
    if (problem) throw fieldError('donorKind', problem);
    const fields: OrganisationFields = {
      name: patch.name ?? org.name,
      kind: nextKind,
      donorKind,
      network: patch.network === undefined ? org.network : patch.network,
      siret: patch.siret === undefined ? org.siret : patch.siret,
      email: patch.email === undefined ? org.email : patch.email,
      phone: patch.phone === undefined ? org.phone : patch.phone,
      address:
        patch.address === undefined
          ? org.address
          : patch.address === null
            ? null
            : {
                line: patch.address.line,
                postalCode: patch.address.postalCode,
                city: patch.address.city,
                inseeCode: patch.address.inseeCode ?? null,
                lat: patch.address.lat ?? null,
                lng: patch.address.lng ?? null
              }
    };
    const changed = (Object.keys(fields) as Array<keyof OrganisationFields>).filter(
      (k) => JSON.stringify(fields[k]) !== JSON.stringify(org[k])
    );
    if (changed.length > 0) {
      await db.transaction().execute(async (trx) => {
        const at = now();
        await repo.updateOrganisationFields(trx, id, fields, at.toISOString());
        await index(trx, id, fields);
        await recordAudit(trx, {
          at,
          actorUserId: actor.userId,
          organisationId: id,
          action: 'organisation.update',
          subjectType: 'organisation',
          subjectId: id,
          requestId: actor.requestId,
          details: { fields: changed }
        });
      });
    }
    const updated = await repo.findOrganisation(db, id);
    if (!updated) throw notFound();
    return view(updated, standing);
  }

  /** Deletes an organisation with its memberships, invitations and index entries. Owners and admins. */
  async function deleteOrganisation(actor: Actor, id: string): Promise<void> {
    const { standing } = await loadWithStanding(actor, id);
    if (!canDeleteOrganisation(standing)) throw new AppError('forbidden', 'Only owners may delete the organisation');
    await db.transaction().execute(async (trx) => {
      await removeGeoPoint(trx, kind, ORGANISATION_ENTITY, id);
      await removeSearchDocument(trx, kind, ORGANISATION_ENTITY, id);
      await repo.deleteOrganisationRow(trx, id);
      await recordAudit(trx, {
        at: now(),
        actorUserId: actor.userId,
        organisationId: id,
        action: 'organisation.delete',
        subjectType: 'organisation',
        subjectId: id,
        requestId: actor.requestId
      });
    });
  }

  /** Members of an organisation (members and admins only); emails only for those who manage members. */
  async function listMembers(actor: Actor, organisationId: string): Promise<MemberView[]> {
    const { standing } = await loadWithStanding(actor, organisationId);
    if (!canListMembers(standing)) throw new AppError('forbidden', 'Only members may list the members');
    const showEmail = canManageInvitations(standing);
    const members: MemberRecord[] = await repo.listMembers(db, organisationId);
    return members.map((m) => ({ ...m, email: showEmail ? m.email : null, isMe: m.userId === actor.userId }));
  }

  async function findMemberOr404(organisationId: string, userId: string) {
    const m = await repo.findMembership(db, organisationId, userId);
    if (!m) throw new AppError('not_found', 'Member not found', { fields: [{ path: 'userId', message: 'not a member' }] });
    return m;
  }

  /**
   * Changes a member's role (see organisations.policy for who may). The last owner cannot be
   * demoted (409): promote another owner first.
   */
  async function changeMemberRole(actor: Actor, organisationId: string, userId: string, input: unknown): Promise<MemberView> {
    const { role } = parse(changeRoleSchema, input);
    const { standing } = await loadWithStanding(actor, organisationId);
    if (!canListMembers(standing)) throw new AppError('forbidden', 'Only members may manage members');
    const target = await findMemberOr404(organisationId, userId);
    if (!canChangeRole(standing, target.role, role)) {
      throw new AppError('forbidden', `Your role may not change a ${target.role} into a ${role}`);
    }
    if (target.role !== role) {
      await db.transaction().execute(async (trx) => {
        await repo.lockOrganisation(trx, kind, organisationId);
        const current = await repo.findMembership(trx, organisationId, userId);
        if (!current) throw new AppError('not_found', 'Member not found');
        if (leavesNoOwner(await repo.countOwners(trx, organisationId), current.role, role)) {
          throw new AppError('conflict', 'The last owner cannot be demoted: make someone else owner first', {
            fields: [{ path: 'role', message: 'last owner' }]
          });
        }
        await repo.updateMembershipRole(trx, organisationId, userId, role);
        await recordAudit(trx, {
          at: now(),
          actorUserId: actor.userId,
          organisationId,
          action: 'membership.role_change',
          subjectType: 'membership',
          subjectId: current.id,
          requestId: actor.requestId,
          details: { userId, from: current.role, to: role }
        });
      });
    }
    const members = await listMembers(actor, organisationId);
    const member = members.find((m) => m.userId === userId);
    if (!member) throw new AppError('not_found', 'Member not found');
    return member;
  }

  /**
   * Removes a member, or lets the actor leave (`userId` = the actor). The last owner cannot leave
   * nor be removed (409).
   */
  async function removeMember(actor: Actor, organisationId: string, userId: string): Promise<void> {
    const { standing } = await loadWithStanding(actor, organisationId);
    const isSelf = userId === actor.userId;
    if (!canListMembers(standing)) throw new AppError('forbidden', 'Only members may manage members');
    const target = await findMemberOr404(organisationId, userId);
    if (!canRemoveMember(standing, target.role, isSelf)) {
      throw new AppError('forbidden', `Your role may not remove a ${target.role}`);
    }
    await db.transaction().execute(async (trx) => {
      await repo.lockOrganisation(trx, kind, organisationId);
      const current = await repo.findMembership(trx, organisationId, userId);
      if (!current) throw new AppError('not_found', 'Member not found');
      if (leavesNoOwner(await repo.countOwners(trx, organisationId), current.role, null)) {
        throw new AppError('conflict', 'The last owner cannot leave: make someone else owner first');
      }
      await repo.deleteMembership(trx, organisationId, userId);
      await recordAudit(trx, {
        at: now(),
        actorUserId: actor.userId,
        organisationId,
        action: isSelf ? 'membership.leave' : 'membership.remove',
        subjectType: 'membership',
        subjectId: current.id,
        requestId: actor.requestId,
        details: { userId, role: current.role }
      });
    });
  }

  /**
   * Creates an invitation valid 7 days and returns its link once (only the token's sha256 is kept).
   * With an email, the link is also sent through notify (when configured); a failed send does not
   * undo the invitation: the link is returned either way and `emailSent` says what happened.
   */
  async function createInvitation(actor: Actor, organisationId: string, input: unknown): Promise<CreatedInvitation> {
    const data = parse(createInvitationSchema, input);
    const { org, standing } = await loadWithStanding(actor, organisationId);
    if (!canInvite(standing, data.role)) {
      throw new AppError(
        'forbidden',
        data.role === 'owner' && standing.role === 'manager' ? 'A manager cannot invite an owner' : 'Only owners and managers may invite',
        data.role === 'owner' && standing.role === 'manager' ? { fields: [{ path: 'role', message: 'owner not allowed' }] } : undefined
      );
    }
    if (data.email) {
      if (await repo.hasMemberWithEmail(db, organisationId, data.email)) {
        throw new AppError('conflict', 'This person is already a member', { fields: [{ path: 'email', message: 'already a member' }] });
      }
    }
    const token = randomBytes(32).toString('base64url');
    const at = now();
    const record: InvitationRecord = {
      id: randomUUID(),
      organisationId,
      email: data.email ?? null,
      role: data.role,
      invitedByUserId: actor.userId,
      expiresAt: invitationExpiresAt(at).toISOString(),
      acceptedAt: null,
      acceptedByUserId: null,
      revokedAt: null,
      createdAt: at.toISOString()
    };
    await db.transaction().execute(async (trx) => {
      await repo.insertInvitation(trx, { ...record, tokenHash: hashInvitationToken(token) });
      await recordAudit(trx, {
        at,
        actorUserId: actor.userId,
        organisationId,
        action: 'invitation.create',
        subjectType: 'invitation',
        subjectId: record.id,
        requestId: actor.requestId,
        details: { role: record.role, byEmail: record.email !== null }
      });
    });
    const link = `${config.PUBLIC_URL.replace(/\/+$/, '')}/invitations/${token}`;
    let emailSent = false;
    if (record.email && deps.notify) {
      try {
        await deps.notify.send({
          channel: 'email',
          to: record.email,
          subject: `Invitation à rejoindre ${org.name} sur Glane / Invitation to join ${org.name} on Glane`,
          text:
            `Bonjour,\n\nVous êtes invité·e à rejoindre « ${org.name} » sur Glane (rôle : ${record.role}).\n` +
            `Ouvrez ce lien avant le ${record.expiresAt.slice(0, 10)} :\n${link}\n\n` +
            `—\n\nHello,\n\nYou are invited to join "${org.name}" on Glane (role: ${record.role}).\n` +
            `Open this link before ${record.expiresAt.slice(0, 10)}:\n${link}\n`
        });
        emailSent = true;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    return { invitation: invitationView(record), token, link, emailSent };
  }

  /** Pending invitations of an organisation (owners, managers, admins), newest first. */
  async function listInvitations(actor: Actor, organisationId: string): Promise<InvitationView[]> {
    const { standing } = await loadWithStanding(actor, organisationId);
    if (!canManageInvitations(standing)) throw new AppError('forbidden', 'Only owners and managers see invitations');
    const rows = await repo.listPendingInvitations(db, organisationId, now().toISOString());
    return rows.map(invitationView);
  }

  /** Revokes a pending invitation: its link stops working (410). */
  async function revokeInvitation(actor: Actor, organisationId: string, invitationId: string): Promise<void> {
    const { standing } = await loadWithStanding(actor, organisationId);
    if (!canManageInvitations(standing)) throw new AppError('forbidden', 'Only owners and managers revoke invitations');
    const invitation = await repo.findInvitation(db, organisationId, invitationId);
    if (!invitation) throw new AppError('not_found', 'Invitation not found');
    if (!canInvite(standing, invitation.role)) throw new AppError('forbidden', 'A manager cannot revoke an owner invitation');
    const status = invitationStatus(invitation, now());
    if (status === 'accepted' || status === 'revoked') {
      throw new AppError('gone', `Invitation already ${status}`, { status });
    }
    await db.transaction().execute(async (trx) => {
      const at = now();
      if (!(await repo.markInvitationRevoked(trx, invitationId, at.toISOString()))) {
        throw new AppError('gone', 'Invitation no longer pending');
      }
      await recordAudit(trx, {
        at,
        actorUserId: actor.userId,
        organisationId,
        action: 'invitation.revoke',
        subjectType: 'invitation',
        subjectId: invitationId,
        requestId: actor.requestId
      });
    });
  }

  async function findByToken(token: string) {
    const invitation = await repo.findInvitationByTokenHash(db, hashInvitationToken(token));
    if (!invitation) throw new AppError('not_found', 'Invitation not found');
    const org = await repo.findOrganisation(db, invitation.organisationId);
    if (!org) throw new AppError('not_found', 'Invitation not found');
    return { invitation, org };
  }

  /** What a link shows to anyone holding it: organisation, role, status. 404 for an unknown token. */
  async function previewInvitation(token: string): Promise<InvitationPreview> {
    const { invitation, org } = await findByToken(token);
    return {
      organisation: { id: org.id, slug: org.slug, name: org.name, kind: org.kind },
      role: invitation.role,
      status: invitationStatus(invitation, now()),
      expiresAt: invitation.expiresAt
    };
  }

  /**
   * Accepts an invitation for the signed-in actor: the token is the credential (an email invitation
   * may be accepted from any account its recipient uses). 410 when expired, revoked or used; 409 when
   * the actor is already a member (the invitation stays usable).
   */
  async function acceptInvitation(actor: Actor, token: string): Promise<OrganisationView> {
    const { invitation, org } = await findByToken(token);
    const status = invitationStatus(invitation, now());
    if (status !== 'pending') throw new AppError('gone', `Invitation ${status}`, { status });
    await db.transaction().execute(async (trx) => {
      await repo.lockOrganisation(trx, kind, org.id);
      if (await repo.findMembership(trx, org.id, actor.userId)) {
        throw new AppError('conflict', 'You are already a member of this organisation');
      }
      const at = now();
      if (!(await repo.markInvitationAccepted(trx, invitation.id, actor.userId, at.toISOString()))) {
        throw new AppError('gone', 'Invitation no longer pending');
      }
      const membershipId = randomUUID();
      await repo.insertMembership(trx, {
        id: membershipId,
        organisationId: org.id,
        userId: actor.userId,
        role: invitation.role,
        createdAt: at.toISOString()
      });
      await recordAudit(trx, {
        at,
        actorUserId: actor.userId,
        organisationId: org.id,
        action: 'invitation.accept',
        subjectType: 'invitation',
        subjectId: invitation.id,
        requestId: actor.requestId,
        details: { membershipId, role: invitation.role }
      });
    });
    return view(org, { isPlatformAdmin: actor.isPlatformAdmin, role: invitation.role });
  }

  return {
    createOrganisation,
    getOrganisation,
    listMyOrganisations,
    updateOrganisation,
    deleteOrganisation,
    listMembers,
    changeMemberRole,
    removeMember,
    createInvitation,
    listInvitations,
    revokeInvitation,
    previewInvitation,
    acceptInvitation
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
