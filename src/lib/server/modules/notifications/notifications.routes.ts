import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  alertSettingsSchema,
  alertSettingsViewSchema,
  inboxQuerySchema,
  pushSubscriptionSchema,
  unsubscribePushSchema
} from '../../../schemas/notifications.js';
import { requireActor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP for notifications: the caller's inbox (`/api/v1/me/inbox`), their browsers' Web Push
 * subscriptions (`/api/v1/me/push-subscriptions`), their "new offers near me" alert settings
 * (`/api/v1/me/alert-settings`, as on the page /compte/notifications) and the VAPID public key
 * (`/api/v1/push/public-key`).
 */

const tags = ['notifications'];

const InboxItem = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ description: 'offer.new, reservation.confirmed, reservation.promoted, reservation.reminder, offer.cancelled…' }),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().openapi({ description: 'A path inside Glane' }),
    isRead: z.boolean(),
    readAt: z.string().nullable(),
    createdAt: z.string()
  })
  .openapi('InboxItem');

const InboxPage = z
  .object({
    items: z.array(InboxItem),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    unreadCount: z.number().int(),
    hasMore: z.boolean()
  })
  .openapi('InboxPage');

const ItemParams = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const inboxRoute = createRoute({
  method: 'get',
  path: '/inbox',
  tags,
  summary: "The caller's notifications, newest first, with the unread count",
  request: { query: inboxQuerySchema },
  responses: { 200: jsonResponse(InboxPage, 'One page'), ...errorResponses(400, 401) }
});

const readRoute = createRoute({
  method: 'post',
  path: '/inbox/{id}/read',
  tags,
  summary: 'Mark one notification read',
  request: { params: ItemParams },
  responses: { 204: { description: 'Read' }, ...errorResponses(400, 401, 403, 404, 429) }
});

const readAllRoute = createRoute({
  method: 'post',
  path: '/inbox/read-all',
  tags,
  summary: 'Mark every notification read',
  responses: {
    200: jsonResponse(z.object({ updated: z.number().int() }), 'How many were unread'),
    ...errorResponses(401, 403, 429)
  }
});

const subscribeRoute = createRoute({
  method: 'post',
  path: '/push-subscriptions',
  tags,
  summary: "Register this browser's Web Push subscription (PushSubscription.toJSON())",
  request: jsonBody(pushSubscriptionSchema.openapi('PushSubscription')),
  responses: { 204: { description: 'Saved' }, ...errorResponses(400, 401, 403, 413, 415, 429) }
});

const unsubscribeRoute = createRoute({
  method: 'delete',
  path: '/push-subscriptions',
  tags,
  summary: "Forget one of the caller's push subscriptions, by endpoint",
  request: jsonBody(unsubscribePushSchema.openapi('PushUnsubscribe')),
  responses: { 204: { description: 'Forgotten' }, ...errorResponses(400, 401, 403, 404, 413, 415, 429) }
});

const AlertSettingsView = alertSettingsViewSchema.openapi('AlertSettings', {
  description:
    '"New offers near me" alerts: on/off, quiet hours (Europe/Paris, delayed not dropped), at most `dailyCap` a day; ' +
    '`hasArea` and `radiusKm` come from the saved feed area (PUT /api/v1/me/feed-preferences), without which no alert is sent'
});

const getAlertsRoute = createRoute({
  method: 'get',
  path: '/alert-settings',
  tags,
  summary: 'My "new offers near me" alert settings (defaults when none saved: off, the territory\'s daily cap)',
  responses: { 200: jsonResponse(AlertSettingsView, 'Saved or default'), ...errorResponses(401) }
});

const putAlertsRoute = createRoute({
  method: 'put',
  path: '/alert-settings',
  tags,
  summary: 'Save my "new offers near me" alert settings (the saved feed area stays as it is)',
  description:
    'As the form of /compte/notifications: `dailyCap` 1 to 20, `quietStart` and `quietEnd` as HH:MM, both or neither ' +
    '(400 naming the missing end). The area alerts look at is the feed\'s saved area.',
  request: jsonBody(alertSettingsSchema.openapi('AlertSettingsInput')),
  responses: { 200: jsonResponse(AlertSettingsView, 'Saved'), ...errorResponses(400, 401, 403, 413, 415, 429) }
});

const publicKeyRoute = createRoute({
  method: 'get',
  path: '/public-key',
  tags,
  summary: 'The VAPID public key browsers subscribe with (applicationServerKey, base64url)',
  responses: { 200: jsonResponse(z.object({ publicKey: z.string() }), 'The key'), ...errorResponses() }
});

const svc = (c: Context<AppEnv>) => c.get('services').inbox;
const alerts = (c: Context<AppEnv>) => c.get('services').alerts;

/** `/api/v1/me`: inbox, push subscriptions and alert settings of the caller. */
export function meNotificationsRoutes() {
  const router = createRouter();
  router.openapi(inboxRoute, async (c) => c.json(await svc(c).listInbox(requireActor(c), c.req.valid('query')), 200));
  router.openapi(readRoute, async (c) => {
    await svc(c).markRead(requireActor(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  router.openapi(readAllRoute, async (c) => c.json(await svc(c).markAllRead(requireActor(c)), 200));
  router.openapi(subscribeRoute, async (c) => {
    await svc(c).subscribePush(requireActor(c), c.req.valid('json'));
    return c.body(null, 204);
  });
  router.openapi(unsubscribeRoute, async (c) => {
    await svc(c).unsubscribePush(requireActor(c), c.req.valid('json').endpoint);
    return c.body(null, 204);
  });
  router.openapi(getAlertsRoute, async (c) => c.json(await alerts(c).getAlertSettings(requireActor(c).userId), 200));
  router.openapi(putAlertsRoute, async (c) => c.json(await alerts(c).saveAlertSettings(requireActor(c).userId, c.req.valid('json')), 200));
  return router;
}

/** `/api/v1/push`: public. */
export function pushRoutes() {
  const router = createRouter();
  router.openapi(publicKeyRoute, (c) => c.json({ publicKey: svc(c).pushPublicKey() }, 200));
  return router;
}
