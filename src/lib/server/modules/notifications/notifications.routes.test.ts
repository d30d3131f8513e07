import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { enqueueNotification } from './inbox.repository.js';

interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

const P256DH = 'B' + 'A'.repeat(86);
const AUTH = 'x'.repeat(22);

describe.each(DIALECTS)('notifications HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let t = Date.parse('2026-11-29T10:00:00.000Z');
  let alice: Session;
  let bob: Session;

  async function session(): Promise<Session> {
    const user = await createTestUser(services);
    services.limiter.clear();
    return { userId: user.userId, ...(await signInForTest(app, user.email, user.password)) };
  }

  function call(method: string, path: string, as?: Session, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (as) {
      headers.Cookie = as.cookie;
      if (method !== 'GET') headers['X-CSRF-Token'] = as.csrfToken;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return Promise.resolve(
      app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    );
  }

  async function notify(userId: string, title: string): Promise<string> {
    t += 1000;
    return enqueueNotification(database.db, new Date(t), { userId, kind: 'offer.new', title, body: `${title} (corps)`, link: '/dons', channels: [] });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test', DEMO_DATA: 'false' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date(t) });
    app = buildApp(services);
    alice = await session();
    bob = await session();
  });
  afterAll(async () => database?.destroy());

  it('lists the inbox newest first, paged, with the unread count', async () => {
    for (let i = 1; i <= 3; i++) await notify(alice.userId, `Don ${i}`);
    await notify(bob.userId, 'Pour Bob');
    const res = await call('GET', '/me/inbox?limit=2', alice);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ page: 1, limit: 2, total: 3, unreadCount: 3, hasMore: true });
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(['Don 3', 'Don 2']);
    expect(body.items[0]).toMatchObject({ kind: 'offer.new', body: 'Don 3 (corps)', link: '/dons', isRead: false, readAt: null });
    const page2 = await (await call('GET', '/me/inbox?limit=2&page=2', alice)).json();
    expect(page2).toMatchObject({ hasMore: false });
    expect(page2.items.map((i: { title: string }) => i.title)).toEqual(['Don 1']);
  });

  it('marks one item read, and refuses another person’s item with 404', async () => {
    const mine = await notify(alice.userId, 'À lire');
    const bobs = await notify(bob.userId, 'Privé');
    expect((await call('POST', `/me/inbox/${mine}/read`, alice)).status).toBe(204);
    expect((await call('POST', `/me/inbox/${mine}/read`, alice)).status).toBe(204);
    const res = await call('POST', `/me/inbox/${bobs}/read`, alice);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const list = await (await call('GET', '/me/inbox', alice)).json();
    expect(list.items.find((i: { id: string }) => i.id === mine)).toMatchObject({ isRead: true });
    expect(await services.inbox.countUnread(bob.userId)).toBe(2);
  });

  it('marks all read', async () => {
    const before = await services.inbox.countUnread(alice.userId);
    expect(before).toBeGreaterThan(0);
    const res = await call('POST', '/me/inbox/read-all', alice);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: before });
    expect(await services.inbox.countUnread(alice.userId)).toBe(0);
  });

  it('answers 401 signed out, 403 without CSRF, 400 naming a bad query field', async () => {
    expect((await call('GET', '/me/inbox')).status).toBe(401);
    const noCsrf = await app.request('/api/v1/me/inbox/read-all', { method: 'POST', headers: { Cookie: alice.cookie } });
    expect(noCsrf.status).toBe(403);
    const bad = await call('GET', '/me/inbox?limit=1000', alice);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit');
  });

  it('gives the VAPID public key to anyone', async () => {
    const res = await call('GET', '/push/public-key');
    expect(res.status).toBe(200);
    const { publicKey } = await res.json();
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    expect((await (await call('GET', '/push/public-key')).json()).publicKey).toBe(publicKey);
  });

  it('saves and deletes a push subscription, validating the endpoint and keys', async () => {
    const sub = { endpoint: 'https://push.example/abc', keys: { p256dh: P256DH, auth: AUTH } };
    expect((await call('POST', '/me/push-subscriptions', alice, sub)).status).toBe(204);
    // Saving again is harmless (same endpoint).
    expect((await call('POST', '/me/push-subscriptions', alice, sub)).status).toBe(204);
    expect(await services.inbox.countPushSubscriptions(alice.userId)).toBe(1);

    const http = await call('POST', '/me/push-subscriptions', alice, { ...sub, endpoint: 'http://push.example/abc' });
    expect(http.status).toBe(400);
    expect(JSON.stringify(await http.json())).toContain('endpoint');
    const badKey = await call('POST', '/me/push-subscriptions', alice, { ...sub, keys: { p256dh: 'not base64!', auth: AUTH } });
    expect(badKey.status).toBe(400);
    expect(JSON.stringify(await badKey.json())).toContain('keys.p256dh');
    expect((await call('POST', '/me/push-subscriptions', undefined, sub)).status).toBe(401);

    // Bob cannot delete Alice's subscription.
    expect((await call('DELETE', '/me/push-subscriptions', bob, { endpoint: sub.endpoint })).status).toBe(404);
    expect((await call('DELETE', '/me/push-subscriptions', alice, { endpoint: sub.endpoint })).status).toBe(204);
    expect(await services.inbox.countPushSubscriptions(alice.userId)).toBe(0);
  });

  it('reads and saves the alert settings through the service the page uses, keeping the saved feed area', async () => {
    const carol = await session();
    // Defaults: off, the territory's daily cap, no area yet — as the page shows them.
    const first = await call('GET', '/me/alert-settings', carol);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(await services.alerts.getAlertSettings(carol.userId));

    const area = { lat: 48.85, lng: 2.35, radiusKm: 4, categories: [], diets: [], excludeAllergens: [] };
    expect((await call('PUT', '/me/feed-preferences', carol, area)).status).toBe(200);
    const input = { notifyNewOffers: true, quietStart: '21:30', quietEnd: '08:00', dailyCap: 3 };
    const saved = await call('PUT', '/me/alert-settings', carol, input);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ ...input, hasArea: true, radiusKm: 4 });
    expect(await (await call('GET', '/me/alert-settings', carol)).json()).toEqual({ ...input, hasArea: true, radiusKm: 4 });
    // The feed's own area is untouched.
    expect(await (await call('GET', '/me/feed-preferences', carol)).json()).toMatchObject({ lat: 48.85, lng: 2.35, radiusKm: 4, notifyNewOffers: true, dailyCap: 3 });
    // Another person's settings are their own.
    expect(await (await call('GET', '/me/alert-settings', bob)).json()).toMatchObject({ notifyNewOffers: false, hasArea: false });
  });

  it('refuses alert settings the page refuses: 400 naming the field, 401 signed out, 403 without CSRF', async () => {
    const input = { notifyNewOffers: true, quietStart: null, quietEnd: null, dailyCap: 3 };
    const field = async (res: Response) => {
      expect(res.status).toBe(400);
      return ((await res.json()).error.details.fields as { path: string }[]).map((f) => f.path);
    };
    // A cap of 50 a day is beyond the page's 1 to 20 (PUT /me/feed-preferences would take it).
    expect(await field(await call('PUT', '/me/alert-settings', alice, { ...input, dailyCap: 50 }))).toEqual(['dailyCap']);
    expect(await field(await call('PUT', '/me/alert-settings', alice, { ...input, quietStart: '25:00', quietEnd: '08:00' }))).toEqual(['quietStart']);
    // One end of the quiet hours without the other: the service's rule names the missing end.
    expect(await field(await call('PUT', '/me/alert-settings', alice, { ...input, quietStart: '21:30' }))).toEqual(['quietEnd']);
    expect(await field(await call('PUT', '/me/alert-settings', alice, { dailyCap: 3 }))).toContain('notifyNewOffers');
    expect((await services.alerts.getAlertSettings(alice.userId)).notifyNewOffers).toBe(false);

    expect((await call('GET', '/me/alert-settings')).status).toBe(401);
    expect((await call('PUT', '/me/alert-settings', undefined, input)).status).toBe(401);
    const noCsrf = await app.request('/api/v1/me/alert-settings', {
      method: 'PUT',
      headers: { Cookie: alice.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify(input)
    });
    expect(noCsrf.status).toBe(403);
  });

  it('documents its routes and their errors in OpenAPI', async () => {
    const doc = await (await app.request('/api/v1/openapi.json')).json();
    for (const [path, method] of [
      ['/v1/me/inbox', 'get'],
      ['/v1/me/inbox/{id}/read', 'post'],
      ['/v1/me/inbox/read-all', 'post'],
      ['/v1/me/push-subscriptions', 'post'],
      ['/v1/me/push-subscriptions', 'delete'],
      ['/v1/me/alert-settings', 'get'],
      ['/v1/me/alert-settings', 'put'],
      ['/v1/push/public-key', 'get']
    ] as const) {
      expect(doc.paths[path]?.[method]?.responses?.['500'], `${method} ${path}`).toBeDefined();
    }
  });
});
