import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Notify } from '../../notify/notify.js';
import { PushDeliveryError, type PushSender } from '../../notify/push.js';
import * as repo from './outbox.repository.js';
import {
  absoluteLink,
  afterFailure,
  messageText,
  OUTBOX_LEASE_MS,
  OUTBOX_MAX_ATTEMPTS,
  pushPayload
} from './outbox.rules.js';

/**
 * The outbox worker: delivers what `enqueueNotification` wrote (email and SMS through `notify`, so
 * the dev mailbox captures them; Web Push through the push sender), with exponential backoff and a
 * final `failed` after OUTBOX_MAX_ATTEMPTS. Logs carry the outbox id, channel and error kind only.
 */

export interface OutboxDeps {
  db: Kysely<DB>;
  notify: Notify;
  push: PushSender;
  publicUrl: string;
  now: () => Date;
  logger?: Logger;
  maxAttempts?: number;
}

export interface DeliveryRun {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Rows another tick took first. */
  lost: number;
}

type Outcome = { kind: 'sent' } | { kind: 'skipped'; reason: string } | { kind: 'error'; error: string };

export interface OutboxService {
  /** Delivers the due rows (at most `limit` per run). */
  deliverDue(options?: { limit?: number }): Promise<DeliveryRun>;
}

/** A short, recipient-free description of a delivery error, kept as `last_error`. */
function describe(err: unknown): string {
  if (err instanceof PushDeliveryError) return err.statusCode === null ? 'push: network error' : `push: HTTP ${err.statusCode}`;
  if (err instanceof AppError) return `${err.code}: ${err.message}`.slice(0, 200);
  return `error: ${(err as Error)?.name ?? 'unknown'}`;
}

export function createOutboxService(deps: OutboxDeps): OutboxService {
  const { db, notify, push, now, logger } = deps;
  const maxAttempts = deps.maxAttempts ?? OUTBOX_MAX_ATTEMPTS;

  async function deliverPush(row: repo.DueDelivery, content: repo.DeliveryContent): Promise<Outcome> {
    const subscriptions = await repo.pushSubscriptionsOf(db, row.userId);
    if (subscriptions.length === 0) return { kind: 'skipped', reason: 'no push subscription' };
    const payload = pushPayload(content);
    let delivered = 0;
    let lastError: string | null = null;
    for (const s of subscriptions) {
      try {
        await push.send({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload);
        delivered += 1;
      } catch (err) {
        if (err instanceof PushDeliveryError && err.isGone) {
          // The browser unsubscribed or the subscription expired: forget it.
          await repo.deletePushSubscription(db, s.id);
          logger?.info({ outboxId: row.id, status: err.statusCode }, 'push subscription gone: deleted');
        } else {
          lastError = describe(err);
        }
      }
    }
    if (delivered > 0) return { kind: 'sent' };
    if (lastError) return { kind: 'error', error: lastError };
    return { kind: 'skipped', reason: 'push subscriptions gone' };
  }

  async function deliver(row: repo.DueDelivery): Promise<Outcome> {
    const content = await repo.loadContent(db, row.id);
    if (!content) return { kind: 'skipped', reason: 'inbox item gone' };
    if (row.channel === 'push') return deliverPush(row, content);
    const to = row.channel === 'email' ? content.email : content.phone;
    if (!to) return { kind: 'skipped', reason: `no ${row.channel === 'email' ? 'email address' : 'phone number'}` };
    if (!notify.canSend(row.channel)) return { kind: 'skipped', reason: `${row.channel} not configured` };
    try {
      await notify.send({
        channel: row.channel,
        to,
        subject: content.title,
        text: messageText(content.body, absoluteLink(deps.publicUrl, content.link))
      });
      return { kind: 'sent' };
    } catch (err) {
      return { kind: 'error', error: describe(err) };
    }
  }

  return {
    async deliverDue(options = {}) {
      const run: DeliveryRun = { sent: 0, retried: 0, failed: 0, skipped: 0, lost: 0 };
      const at = now();
      const due = await repo.findDue(db, at.toISOString(), Math.min(Math.max(options.limit ?? 100, 1), 1000));
      for (const row of due) {
        const leaseUntil = new Date(at.getTime() + OUTBOX_LEASE_MS).toISOString();
        if (!(await repo.claim(db, row, leaseUntil))) {
          run.lost += 1;
          continue;
        }
        const attempts = row.attempts + 1;
        let outcome: Outcome;
        try {
          outcome = await deliver(row);
        } catch (err) {
          outcome = { kind: 'error', error: describe(err) };
        }
        const doneAt = now();
        if (outcome.kind === 'sent') {
          await repo.markSent(db, row.id, doneAt.toISOString());
          run.sent += 1;
        } else if (outcome.kind === 'skipped') {
          await repo.markSkipped(db, row.id, outcome.reason);
          run.skipped += 1;
        } else {
          const next = afterFailure(attempts, doneAt, maxAttempts);
          if (next.status === 'failed') {
            await repo.markFailed(db, row.id, outcome.error);
            run.failed += 1;
            logger?.warn({ outboxId: row.id, channel: row.channel, attempts }, 'notification delivery failed for good');
          } else {
            await repo.markRetry(db, row.id, next.nextAttemptAt, outcome.error);
            run.retried += 1;
            logger?.info({ outboxId: row.id, channel: row.channel, attempts }, 'notification delivery retried later');
          }
        }
      }
      return run;
    }
  };
}
