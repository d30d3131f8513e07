import type { MembershipRole } from '../../../schemas/organisations.js';

/**
 * Who may do what in an organisation: pure functions of the caller's standing, tested for every
 * role × action. Platform admins may do everything. The one rule no one bypasses (not even an admin)
 * is "an organisation keeps an owner": that is a data rule (`leavesNoOwner`, 409), not a permission.
 *
 * Role changes, decided: the owner changes any role. A manager may only promote a member to
 * manager (they can already invite managers, so this adds no power); demoting a manager or touching
 * an owner is for an owner, who arbitrates between peers. Nobody but an owner (or admin) makes owners.
 */

/** The caller as policies see them: platform admin or not, and their role here (null: not a member). */
export interface Standing {
  isPlatformAdmin: boolean;
  role: MembershipRole | null;
}

/** Public fields (name, kind, address…) are the directory's: anyone may read them. */
export function canViewOrganisation(_s: Standing): boolean {
  return true;
}

/** Private parts (members, invitations' existence, audit of the organisation): members only. */
export function canViewPrivate(s: Standing): boolean {
  return s.isPlatformAdmin || s.role !== null;
}

export function canUpdateOrganisation(s: Standing): boolean {
  return s.isPlatformAdmin || s.role === 'owner' || s.role === 'manager';
}

export function canDeleteOrganisation(s: Standing): boolean {
  return s.isPlatformAdmin || s.role === 'owner';
}

export function canListMembers(s: Standing): boolean {
  return canViewPrivate(s);
}

/** Invite with `role` (omitted: whether the caller may invite at all). A manager never invites an owner. */
export function canInvite(s: Standing, role?: MembershipRole): boolean {
  if (s.isPlatformAdmin || s.role === 'owner') return true;
  if (s.role === 'manager') return role !== 'owner';
  return false;
}

/** List pending invitations and revoke them: whoever may invite. */
export function canManageInvitations(s: Standing): boolean {
  return canInvite(s);
}

/**
 * Change a member's role from `from` to `to`. Without `from`/`to`: whether the caller may change
 * some role at all (for the UI's permissions).
 */
export function canChangeRole(s: Standing, from?: MembershipRole, to?: MembershipRole): boolean {
  if (s.isPlatformAdmin || s.role === 'owner') return true;
  if (s.role === 'manager') {
    if (from === undefined || to === undefined) return true;
    return from === 'member' && to === 'manager';
  }
  return false;
}

/**
 * Remove the member whose role is `targetRole`; `isSelf` when the caller leaves. Anyone may leave;
 * a manager may remove plain members; an owner anyone. Without `targetRole`: whether the caller may
 * remove others at all.
 */
export function canRemoveMember(s: Standing, targetRole?: MembershipRole, isSelf = false): boolean {
  if (isSelf && s.role !== null) return true;
  if (s.isPlatformAdmin || s.role === 'owner') return true;
  if (s.role === 'manager') return targetRole === undefined || targetRole === 'member';
  return false;
}

/** What the caller may do here, sent with every organisation so the UI never guesses. */
export interface OrganisationPermissions {
  canViewPrivate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  canListMembers: boolean;
  canInvite: boolean;
  canInviteOwner: boolean;
  canManageInvitations: boolean;
  canChangeRoles: boolean;
  canRemoveMembers: boolean;
  canLeave: boolean;
}

/** All permissions of a standing at once. */
export function permissionsFor(s: Standing): OrganisationPermissions {
  return {
    canViewPrivate: canViewPrivate(s),
    canUpdate: canUpdateOrganisation(s),
    canDelete: canDeleteOrganisation(s),
    canListMembers: canListMembers(s),
    canInvite: canInvite(s),
    canInviteOwner: canInvite(s, 'owner'),
    canManageInvitations: canManageInvitations(s),
    canChangeRoles: canChangeRole(s),
    canRemoveMembers: canRemoveMember(s),
    canLeave: s.role !== null
  };
}
