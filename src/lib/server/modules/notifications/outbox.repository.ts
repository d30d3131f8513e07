import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * All SQL of the outbox worker. A row is taken by a conditional UPDATE on the values just read
 * (status, attempts, next_attempt_at): of two overlapping ticks only one changes the row, so a
 * message is never sent twice by Glane (a crash after sending and before `markSent` may still repeat it).
 */

export interface DueDelivery {
  id: string;
  userId: string;
  channel: 'email' | 'sms' | 'push';
  attempts: number;
  nextAttemptAt: string;
}

/** Pending rows whose time has come, oldest first. */
export async function findDue(db: Kysely<DB>, nowIso: string, limit: number): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'user_id', 'channel', 'attempts', 'next_attempt_at'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIso)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    channel: r.channel,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at
  }));
}

/**
 * Claims a row for one attempt: counts the attempt and moves `next_attempt_at` to the end of the
 * lease. True when this caller won the row (nobody changed it since it was read).
 */
export async function claim(db: Kysely<DB>, row: DueDelivery, leaseUntilIso: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ attempts: row.attempts + 1, next_attempt_at: leaseUntilIso })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', row.attempts)
    .where('next_attempt_at', '=', row.nextAttemptAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What a delivery needs: the inbox item's texts and the person's addresses. */
export interface DeliveryContent {
  title: string;
  body: string;
  link: string | null;
  email: string | null;
  phone: string | null;
}

export async function loadContent(db: Kysely<DB>, outboxId: string): Promise<DeliveryContent | undefined> {
  const row = await db
    .selectFrom('outbox')
    .innerJoin('user', 'user.id', 'outbox.user_id')
    .leftJoin('inbox_item', 'inbox_item.id', 'outbox.inbox_item_id')
    .select(['inbox_item.title', 'inbox_item.body', 'inbox_item.link', 'user.email', 'user.phone'])
    .where('outbox.id', '=', outboxId)
    .executeTakeFirst();
  if (!row || row.title === null || row.body === null) return undefined;
  return { title: row.title, body: row.body, link: row.link, email: row.email, phone: row.phone };
}

export interface StoredPushSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export async function pushSubscriptionsOf(db: Kysely<DB>, userId: string): Promise<StoredPushSubscription[]> {
  return db
    .selectFrom('push_subscription')
    .select(['id', 'endpoint', 'p256dh', 'auth'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function deletePushSubscription(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('push_subscription').where('id', '=', id).execute();
}

/** Final states and retries, each conditional on the row still being pending (it was claimed). */
export async function markSent(db: Kysely<DB>, id: string, atIso: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: atIso, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function markSkipped(db: Kysely<DB>, id: string, reason: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'skipped', last_error: reason })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function markRetry(db: Kysely<DB>, id: string, nextAttemptAtIso: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ next_attempt_at: nextAttemptAtIso, last_error: error })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function markFailed(db: Kysely<DB>, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: error })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}
