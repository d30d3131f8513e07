import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import type { EmailTransport, SmsProvider } from '../../notify/notify.js';
import { PushDeliveryError, type PushSender, type PushTarget } from '../../notify/push.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { testClock } from '../../../../../tests/helpers/services.js';
import { createTestUser } from '../../../../../tests/helpers/session.js';
import { enqueueNotification } from './inbox.repository.js';
import { claim, findDue } from './outbox.repository.js';
import { OUTBOX_MAX_ATTEMPTS, retryDelayMs } from './outbox.rules.js';

/** An email transport that records, or fails while `failing` is true. */
function fakeTransport() {
  const sent: { to: string; subject: string; text: string }[] = [];
  const state = { failing: false, delayMs: 0 };
  const transport: EmailTransport = {
    async sendMail(m) {
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      if (state.failing) throw new Error(`connection refused for ${m.to}`);
      sent.push({ to: m.to, subject: m.subject, text: m.text });
    }
  };
  return { transport, sent, state };
}

/** A push sender that records; endpoints in `answers` reject with that status. */
function fakePush() {
  const sent: { target: PushTarget; payload: string }[] = [];
  const answers = new Map<string, number>();
  const sender: PushSender = {
    async send(target, payload) {
      const status = answers.get(target.endpoint);
      if (status !== undefined) throw new PushDeliveryError(status);
      sent.push({ target, payload });
    }
  };
  return { sender, sent, answers };
}

const P256DH = 'B' + 'A'.repeat(86);
const AUTH = 'x'.repeat(22);

describe.each(DIALECTS)('outbox worker on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let mailbox: Services;
  const clock = testClock();
  const mail = fakeTransport();
  const push = fakePush();
  const sms: SmsProvider & { sent: { to: string; text: string }[] } = {
    name: 'fake',
    sent: [],
    async send(to, text) {
      this.sent.push({ to, text });
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      PUBLIC_URL: 'http://glane.test',
      SMTP_URL: 'smtp://mail.invalid:2525',
      DEV_MAILBOX: 'false'
    });
    services = createServices(config, database, createLogger('silent'), {
      now: clock.now,
      emailTransport: mail.transport,
      smsProvider: sms,
      pushSender: push.sender
    });
    // The same database with the development mailbox on (the default without SMTP_URL).
    const devConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', PUBLIC_URL: 'http://glane.test' });
    mailbox = createServices(devConfig, database, createLogger('silent'), { now: clock.now, pushSender: push.sender });
  });
  afterAll(async () => database?.destroy());
  beforeEach(async () => {
    clock.set('2026-11-29T10:00:00.000Z');
    mail.sent.length = 0;
    mail.state.failing = false;
    mail.state.delayMs = 0;
    push.sent.length = 0;
    push.answers.clear();
    sms.sent.length = 0;
    await database.db.deleteFrom('outbox').execute();
  });

  async function outboxRows(userId: string) {
    return database.db.selectFrom('outbox').selectAll().where('user_id', '=', userId).orderBy('channel').execute();
  }

  it('emails a notification with its absolute link and marks it sent', async () => {
    const user = await createTestUser(services);
    await enqueueNotification(database.db, clock.now(), {
      userId: user.userId,
      kind: 'reservation.confirmed',
      title: 'Réservation confirmée',
      body: 'Votre code : 4F7K',
      link: '/mes-reservations'
    });
    const run = await services.outbox.deliverDue();
    expect(run).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    expect(mail.sent).toEqual([
      { to: user.email, subject: 'Réservation confirmée', text: 'Votre code : 4F7K\n\nhttp://glane.test/mes-reservations' }
    ]);
    const [row] = await outboxRows(user.userId);
    expect(row).toMatchObject({ channel: 'email', status: 'sent', attempts: 1, last_error: null });
    expect(row!.sent_at).toBe(clock.now().toISOString());
    // Nothing left to do.
    expect(await services.outbox.deliverDue()).toMatchObject({ sent: 0, retried: 0 });
    expect(mail.sent).toHaveLength(1);
  });

  it('keeps emails in the development mailbox when it is on', async () => {
    const user = await createTestUser(mailbox);
    await enqueueNotification(database.db, clock.now(), {
      userId: user.userId,
      kind: 'offer.cancelled',
      title: 'Don annulé',
      body: 'Le don « Pain » a été annulé.',
      link: '/mes-reservations'
    });
    expect(await mailbox.outbox.deliverDue()).toMatchObject({ sent: 1 });
    const captured = await mailbox.notify.listCaptured();
    expect(captured.find((m) => m.recipient === user.email)).toMatchObject({
      channel: 'email',
      subject: 'Don annulé',
      body: 'Le don « Pain » a été annulé.\n\nhttp://glane.test/mes-reservations'
    });
    expect(mail.sent).toHaveLength(0);
  });

  it('texts people without an email address', async () => {
    const user = await createTestUser(services, { phone: '+33612345678' });
    await database.db.updateTable('user').set({ email: null }).where('id', '=', user.userId).execute();
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'reservation.reminder', title: 'Rappel', body: 'Retrait avant 20 h' });
    expect(await services.outbox.deliverDue()).toMatchObject({ sent: 1 });
    expect(sms.sent).toEqual([{ to: '+33612345678', text: 'Rappel\nRetrait avant 20 h' }]);
  });

  it('retries with exponential backoff, then fails for good keeping the last error without the address', async () => {
    const user = await createTestUser(services);
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'offer.new', title: 'Nouveau don', body: 'Pain' });
    mail.state.failing = true;
    expect(await services.outbox.deliverDue()).toMatchObject({ retried: 1 });
    let [row] = await outboxRows(user.userId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.next_attempt_at).toBe(new Date(clock.now().getTime() + retryDelayMs(1)).toISOString());
    expect(row!.last_error).toBeTruthy();
    expect(row!.last_error).not.toContain(user.email);

    // Not due yet: untouched.
    clock.advance(retryDelayMs(1) - 1000);
    expect(await services.outbox.deliverDue()).toMatchObject({ retried: 0, failed: 0 });
    clock.advance(1000);
    expect(await services.outbox.deliverDue()).toMatchObject({ retried: 1 });
    [row] = await outboxRows(user.userId);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row!.next_attempt_at).toBe(new Date(clock.now().getTime() + retryDelayMs(2)).toISOString());
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));

    for (let attempt = 3; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
      clock.advance(retryDelayMs(attempt - 1));
      await services.outbox.deliverDue();
    }
    [row] = await outboxRows(user.userId);
    expect(row).toMatchObject({ status: 'failed', attempts: OUTBOX_MAX_ATTEMPTS, sent_at: null });
    expect(row!.last_error).toMatch(/unavailable/);
    clock.advance(24 * 60 * 60 * 1000);
    mail.state.failing = false;
    expect(await services.outbox.deliverDue()).toMatchObject({ sent: 0 });
    expect(mail.sent).toHaveLength(0);
  });

  it('sends once when two ticks overlap', async () => {
    const users = await Promise.all([createTestUser(services), createTestUser(services), createTestUser(services)]);
    for (const u of users) {
      await enqueueNotification(database.db, clock.now(), { userId: u.userId, kind: 'offer.new', title: 'Nouveau don', body: 'Pain' });
    }
    mail.state.delayMs = 5;
    const [a, b] = await Promise.all([services.outbox.deliverDue(), services.outbox.deliverDue()]);
    expect(a.sent + b.sent).toBe(3);
    // How many rows the later tick still saw as due depends on the interleaving (a pooled
    // PostgreSQL connection may read after the other tick claimed): each one it saw, it lost.
    expect(a.lost + b.lost).toBeLessThanOrEqual(3);
    expect(a.retried + b.retried + a.failed + b.failed + a.skipped + b.skipped).toBe(0);
    expect(mail.sent).toHaveLength(3);
    expect(new Set(mail.sent.map((m) => m.to)).size).toBe(3);
    for (const u of users) expect(await outboxRows(u.userId)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('lets only one of two ticks that read the same due row claim it', async () => {
    const user = await createTestUser(services);
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'offer.new', title: 'Nouveau don', body: 'Pain' });
    const nowIso = clock.now().toISOString();
    const [seenByA, seenByB] = [await findDue(database.db, nowIso, 10), await findDue(database.db, nowIso, 10)];
    expect(seenByA).toEqual(seenByB);
    expect(seenByA).toHaveLength(1);
    const leaseUntil = new Date(clock.now().getTime() + 60_000).toISOString();
    const [wonA, wonB] = await Promise.all([claim(database.db, seenByA[0]!, leaseUntil), claim(database.db, seenByB[0]!, leaseUntil)]);
    expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
    expect(await outboxRows(user.userId)).toMatchObject([{ status: 'pending', attempts: 1, next_attempt_at: leaseUntil }]);
    // While the lease runs, the row is not due for a third tick.
    expect(await findDue(database.db, nowIso, 10)).toEqual([]);
  });

  it('pushes to every subscription and deletes the ones the push service says are gone', async () => {
    const user = await createTestUser(services);
    await services.inbox.subscribePush(user, { endpoint: 'https://push.example/live', keys: { p256dh: P256DH, auth: AUTH } });
    await services.inbox.subscribePush(user, { endpoint: 'https://push.example/gone', keys: { p256dh: P256DH, auth: AUTH } });
    push.answers.set('https://push.example/gone', 410);
    await enqueueNotification(database.db, clock.now(), {
      userId: user.userId,
      kind: 'reservation.promoted',
      title: 'Place obtenue',
      body: 'Vous passez de la liste d’attente à une réservation.',
      link: '/mes-reservations',
      channels: ['push']
    });
    expect(await services.outbox.deliverDue()).toMatchObject({ sent: 1 });
    expect(push.sent).toHaveLength(1);
    expect(push.sent[0]!.target).toEqual({ endpoint: 'https://push.example/live', keys: { p256dh: P256DH, auth: AUTH } });
    expect(JSON.parse(push.sent[0]!.payload)).toEqual({
      title: 'Place obtenue',
      body: 'Vous passez de la liste d’attente à une réservation.',
      link: '/mes-reservations'
    });
    expect(await services.inbox.countPushSubscriptions(user.userId)).toBe(1);

    // Only a gone subscription left: the delivery is skipped, the subscription deleted (404 too).
    push.answers.set('https://push.example/live', 404);
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'offer.new', title: 'T', body: 'B', channels: ['push'] });
    expect(await services.outbox.deliverDue()).toMatchObject({ skipped: 1, sent: 0 });
    expect(await services.inbox.countPushSubscriptions(user.userId)).toBe(0);
  });

  it('retries a push the push service could not take, and skips people without a subscription', async () => {
    const user = await createTestUser(services);
    await services.inbox.subscribePush(user, { endpoint: 'https://push.example/busy', keys: { p256dh: P256DH, auth: AUTH } });
    push.answers.set('https://push.example/busy', 503);
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'offer.new', title: 'T', body: 'B', channels: ['push'] });
    expect(await services.outbox.deliverDue()).toMatchObject({ retried: 1 });
    const [row] = await outboxRows(user.userId);
    expect(row).toMatchObject({ status: 'pending', last_error: 'push: HTTP 503' });
    expect(await services.inbox.countPushSubscriptions(user.userId)).toBe(1);

    const other = await createTestUser(services);
    await enqueueNotification(database.db, clock.now(), { userId: other.userId, kind: 'offer.new', title: 'T', body: 'B', channels: ['push'] });
    expect(await services.outbox.deliverDue()).toMatchObject({ skipped: 1 });
  });

  it('adds push to the default channels of a subscribed person', async () => {
    const user = await createTestUser(services);
    await services.inbox.subscribePush(user, { endpoint: 'https://push.example/default', keys: { p256dh: P256DH, auth: AUTH } });
    await enqueueNotification(database.db, clock.now(), { userId: user.userId, kind: 'offer.new', title: 'T', body: 'B' });
    expect(await services.outbox.deliverDue()).toMatchObject({ sent: 2 });
    expect((await outboxRows(user.userId)).map((r) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['push', 'sent']
    ]);
  });
});
