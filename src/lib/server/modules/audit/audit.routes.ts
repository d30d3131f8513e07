import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/router.js';
import { requireActor } from '../../http/auth.js';
import { errorResponses, jsonResponse } from '../../http/openapi.js';

/** HTTP for platform admins (`/api/v1/admin`): the audit log. */

const AuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorUserId: z.string().nullable(),
    organisationId: z.string().nullable(),
    action: z.string().openapi({ example: 'membership.role_change' }),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable()
  })
  .openapi('AuditEntry');

const filter = z.string().min(1).max(100).optional();
const AuditQuery = z.strictObject({
  actorUserId: filter,
  organisationId: filter,
  subjectType: filter,
  subjectId: filter,
  action: filter,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional().openapi({ description: '`nextCursor` of the previous page' })
});

const listAuditRoute = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['admin'],
  summary: 'The audit log, newest first, filtered and paginated (platform admins)',
  request: { query: AuditQuery },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }).openapi('AuditPage'),
      'One page'
    ),
    ...errorResponses(400, 401, 403)
  }
});

/** `/api/v1/admin`. */
export function adminRoutes() {
  const router = createRouter();
  router.openapi(listAuditRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(await c.get('services').audit.list(actor, c.req.valid('query')), 200);
  });
  return router;
}
