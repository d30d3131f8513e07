import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  changeRoleSchema,
  createInvitationSchema,
  createOrganisationSchema,
  DONOR_KINDS,
  MEMBERSHIP_ROLES,
  ORGANISATION_KINDS,
  updateOrganisationSchema
} from '../../../schemas/organisations.js';
import { createRouter } from '../../http/router.js';
import { requireActor, type Actor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';

/**
 * HTTP for organisations (`/api/v1/organisations`) and invitation links (`/api/v1/invitations`).
 * Thin: validate, call one service function (which checks the policy), present.
 */

const tags = ['organisations'];

const Permissions = z
  .object({
    canViewPrivate: z.boolean(),
    canUpdate: z.boolean(),
    canDelete: z.boolean(),
    canListMembers: z.boolean(),
    canInvite: z.boolean(),
    canInviteOwner: z.boolean(),
    canManageInvitations: z.boolean(),
    canChangeRoles: z.boolean(),
    canRemoveMembers: z.boolean(),
    canLeave: z.boolean()
  })
  .openapi('OrganisationPermissions', { description: "What the caller may do here: the UI shows only what these allow" });

const Role = z.enum(MEMBERSHIP_ROLES).openapi('MembershipRole');

const Organisation = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    donorKind: z.enum(DONOR_KINDS).nullable(),
    network: z.string().nullable().openapi({ description: 'data·inclusion `reseaux-porteurs` value' }),
    siret: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z
      .object({
        line: z.string(),
        postalCode: z.string(),
        city: z.string(),
        inseeCode: z.string().nullable(),
        lat: z.number().nullable(),
        lng: z.number().nullable()
      })
      .nullable(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    myRole: Role.nullable().openapi({ description: "The caller's role, null when not a member" }),
    permissions: Permissions
  })
  .openapi('Organisation');

const Member = z
  .object({
    userId: z.string(),
    displayName: z.string(),
    email: z.string().nullable().openapi({ description: 'Shown only to owners, managers and platform admins' }),
    role: Role,
    joinedAt: z.string(),
    isMe: z.boolean()
  })
  .openapi('Member');

const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);

const Invitation = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    email: z.string().nullable(),
    role: Role,
    status: InvitationStatus,
    invitedByUserId: z.string().nullable(),
    expiresAt: z.string(),
    createdAt: z.string()
  })
  .openapi('Invitation');

const CreatedInvitation = z
  .object({
    invitation: Invitation,
    token: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
    link: z.string().openapi({ description: '`${PUBLIC_URL}/invitations/<token>`, to share' }),
    emailSent: z.boolean()
  })
  .openapi('CreatedInvitation');

const InvitationPreview = z
  .object({
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) }),
    role: Role,
    status: InvitationStatus,
    expiresAt: z.string()
  })
  .openapi('InvitationPreview');

const idParam = z.string().min(1).max(100);
const OrgParams = z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' } }) });
const MemberParams = OrgParams.extend({ userId: idParam.openapi({ param: { name: 'userId', in: 'path' } }) });
const InvitationParams = OrgParams.extend({
  invitationId: idParam.openapi({ param: { name: 'invitationId', in: 'path' } })
});
const TokenParams = z.object({ token: z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' } }) });

const createOrganisationRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create an organisation; the caller becomes its owner',
  request: jsonBody(createOrganisationSchema.openapi('OrganisationCreate')),
  responses: {
    201: jsonResponse(Organisation, 'Created'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429)
  }
});

const mineRoute = createRoute({
  method: 'get',
  path: '/mine',
  tags,
  summary: 'The organisations the caller belongs to',
  responses: {
    200: jsonResponse(z.object({ items: z.array(Organisation) }), 'By name'),
    ...errorResponses(401)
  }
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: "One organisation's public fields, with the caller's role and permissions (no sign-in needed)",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(Organisation, 'The organisation'), ...errorResponses(400, 404) }
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Update fields (owners, managers); null clears an optional field',
  request: { params: OrgParams, ...jsonBody(updateOrganisationSchema.openapi('OrganisationUpdate')) },
  responses: {
    200: jsonResponse(Organisation, 'Updated'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429)
  }
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete an organisation with its memberships and invitations (owners)',
  request: { params: OrgParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) }
});

const listMembersRoute = createRoute({
  method: 'get',
  path: '/{id}/members',
  tags,
  summary: 'Members, owners first (members only)',
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Member) }), 'Members'),
    ...errorResponses(400, 401, 403, 404)
  }
});

const changeRoleRoute = createRoute({
  method: 'patch',
  path: '/{id}/members/{userId}',
  tags,
  summary: "Change a member's role (owners; managers may promote a member to manager). The last owner stays (409)",
  request: { params: MemberParams, ...jsonBody(changeRoleSchema.openapi('ChangeRole')) },
  responses: {
    200: jsonResponse(Member, 'The member with the new role'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429)
  }
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/{id}/members/{userId}',
  tags,
  summary: 'Remove a member, or leave (your own userId). The last owner stays (409)',
  request: { params: MemberParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404, 409) }
});

const createInvitationRoute = createRoute({
  method: 'post',
  path: '/{id}/invitations',
  tags,
  summary: 'Invite by link and optionally by email (owners, managers); the link is returned once',
  request: { params: OrgParams, ...jsonBody(createInvitationSchema.openapi('InvitationCreate')) },
  responses: {
    201: jsonResponse(CreatedInvitation, 'Created; valid 7 days'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429)
  }
});

const listInvitationsRoute = createRoute({
  method: 'get',
  path: '/{id}/invitations',
  tags,
  summary: 'Pending invitations, newest first (owners, managers)',
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Invitation) }), 'Pending invitations'),
    ...errorResponses(400, 401, 403, 404)
  }
});

const revokeInvitationRoute = createRoute({
  method: 'delete',
  path: '/{id}/invitations/{invitationId}',
  tags,
  summary: 'Revoke a pending invitation: its link stops working',
  request: { params: InvitationParams },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404, 410) }
});

const previewInvitationRoute = createRoute({
  method: 'get',
  path: '/{token}',
  tags,
  summary: 'What an invitation link offers (no sign-in needed): organisation, role, status',
  request: { params: TokenParams },
  responses: { 200: jsonResponse(InvitationPreview, 'The invitation'), ...errorResponses(400, 404) }
});

const acceptInvitationRoute = createRoute({
  method: 'post',
  path: '/{token}/accept',
  tags,
  summary: 'Join the organisation with the invited role',
  request: { params: TokenParams },
  responses: {
    200: jsonResponse(Organisation, 'Joined: the organisation with your role'),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429)
  }
});

/** The caller when signed in, else null (public reads). */
function optionalActor(c: Context<AppEnv>): Actor | null {
  return c.get('auth') ? requireActor(c) : null;
}

/** `/api/v1/organisations`. */
export function organisationsRoutes() {
  const router = createRouter();
  const svc = (c: Context<AppEnv>) => c.get('services').organisations;

  router.openapi(createOrganisationRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).createOrganisation(actor, c.req.valid('json')), 201);
  });
  router.openapi(mineRoute, async (c) => {
    const actor = requireActor(c);
    return c.json({ items: await svc(c).listMyOrganisations(actor) }, 200);
  });
  router.openapi(getRoute, async (c) => {
    return c.json(await svc(c).getOrganisation(optionalActor(c), c.req.valid('param').id), 200);
  });
  router.openapi(updateRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).updateOrganisation(actor, c.req.valid('param').id, c.req.valid('json')), 200);
  });
  router.openapi(deleteRoute, async (c) => {
    const actor = requireActor(c);
    await svc(c).deleteOrganisation(actor, c.req.valid('param').id);
    return c.body(null, 204);
  });
  router.openapi(listMembersRoute, async (c) => {
    const actor = requireActor(c);
    return c.json({ items: await svc(c).listMembers(actor, c.req.valid('param').id) }, 200);
  });
  router.openapi(changeRoleRoute, async (c) => {
    const actor = requireActor(c);
    const { id, userId } = c.req.valid('param');
    return c.json(await svc(c).changeMemberRole(actor, id, userId, c.req.valid('json')), 200);
  });
  router.openapi(removeMemberRoute, async (c) => {
    const actor = requireActor(c);
    const { id, userId } = c.req.valid('param');
    await svc(c).removeMember(actor, id, userId);
    return c.body(null, 204);
  });
  router.openapi(createInvitationRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await svc(c).createInvitation(actor, c.req.valid('param').id, c.req.valid('json')), 201);
  });
  router.openapi(listInvitationsRoute, async (c) => {
    const actor = requireActor(c);
    return c.json({ items: await svc(c).listInvitations(actor, c.req.valid('param').id) }, 200);
  });
  router.openapi(revokeInvitationRoute, async (c) => {
    const actor = requireActor(c);
    const { id, invitationId } = c.req.valid('param');
    await svc(c).revokeInvitation(actor, id, invitationId);
    return c.body(null, 204);
  });
  return router;
}

/** `/api/v1/invitations`: what an invitation link opens. */
export function invitationsRoutes() {
  const router = createRouter();
  router.openapi(previewInvitationRoute, async (c) => {
    return c.json(await c.get('services').organisations.previewInvitation(c.req.valid('param').token), 200);
  });
  router.openapi(acceptInvitationRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await c.get('services').organisations.acceptInvitation(actor, c.req.valid('param').token), 200);
  });
  return router;
}
