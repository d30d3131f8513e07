import { error } from '@sveltejs/kit';
import { INVITATION_TTL_DAYS } from '$lib/server/modules/organisations/organisations.rules';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, optionalString, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const organisations = servicesOf(event).organisations;
  try {
    const organisation = await organisations.getOrganisation(actor, event.params.id);
    if (!organisation.permissions.canListMembers) error(403, 'Members only');
    const [members, invitations] = await Promise.all([
      organisations.listMembers(actor, organisation.id),
      organisation.permissions.canManageInvitations ? organisations.listInvitations(actor, organisation.id) : Promise.resolve([])
    ]);
    return {
      organisation: { id: organisation.id, name: organisation.name, permissions: organisation.permissions, myRole: organisation.myRole },
      members,
      invitations,
      invitationDays: INVITATION_TTL_DAYS
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};

export const actions: Actions = {
  /** Changes one member's role (the service checks who may). */
  changeRole: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).organisations.changeMemberRole(actor, event.params.id, stringField(data, 'userId'), {
        role: stringField(data, 'role')
      });
    } catch (err) {
      return failWith(err, data, { form: 'members' });
    }
    return { done: 'roleChanged' as const };
  },

  /** Removes a member, or lets the caller leave. */
  remove: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).organisations.removeMember(actor, event.params.id, stringField(data, 'userId'));
    } catch (err) {
      return failWith(err, data, { form: 'members' });
    }
    return { done: 'removed' as const };
  },

  /** Invites by email or by link; the link is returned once, never stored in clear. */
  invite: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      const created = await servicesOf(event).organisations.createInvitation(actor, event.params.id, {
        email: optionalString(data, 'email'),
        role: stringField(data, 'role') || 'member'
      });
      return { done: 'invited' as const, link: created.link, email: created.invitation.email, emailSent: created.emailSent };
    } catch (err) {
      return failWith(err, data, { form: 'invite', fieldOnConflict: 'email' });
    }
  },

  /** Cancels a pending invitation: its link stops working. */
  revoke: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).organisations.revokeInvitation(actor, event.params.id, stringField(data, 'invitationId'));
    } catch (err) {
      return failWith(err, data, { form: 'invitations' });
    }
    return { done: 'revoked' as const };
  }
};
