import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inChunks } from '../../db/in-chunks.js';
import { isLocale, type Locale } from '../../../i18n/locale.js';

/**
 * The notification outbox, written in the SAME transaction as the event it tells about (a
 * reservation confirmed, an offer cancelled…): an inbox item (the in-app list) and one outbox row
 * per delivery channel, which a worker delivers with retries. If the event's transaction rolls
 * back, nothing is told; if delivery fails, the event still stands and the worker retries.
 */

export type DeliveryChannel = 'email' | 'sms' | 'push';

export interface NotificationInput {
  userId: string;
  /** Machine kind, e.g. `reservation.confirmed`, `offer.cancelled`, `offer.new`. */
  kind: string;
  /** Short French-first title and body, already in the person's language. No personal data of others. */
  title: string;
  body: string;
  /** Path inside Glane the notification opens (e.g. `/mes-reservations`). */
  link?: string | null;
  /**
   * Channels to deliver on besides the in-app list. Default: email when the account has one, else
   * SMS when it has a phone; plus push when it has push subscriptions. `[]`: in-app only.
   */
  channels?: DeliveryChannel[];
}

/** Writes the inbox item and its outbox rows; returns the inbox item's id. Call inside a transaction. */
export async function enqueueNotification(db: Kysely<DB>, at: Date, input: NotificationInput): Promise<string> {
  const id = randomUUID();
  const iso = at.toISOString();
  await db
    .insertInto('inbox_item')
    .values({
      id,
      user_id: input.userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      link: input.link ?? null,
      read_at: null,
      created_at: iso
    })
    .execute();
  const channels = input.channels ?? (await defaultChannels(db, input.userId));
  for (const channel of channels) {
    await db
      .insertInto('outbox')
      .values({
        id: randomUUID(),
        user_id: input.userId,
        inbox_item_id: id,
        channel,
        status: 'pending',
        attempts: 0,
        next_attempt_at: iso,
        last_error: null,
        created_at: iso,
        sent_at: null
      })
      .execute();
  }
  return id;
}

async function defaultChannels(db: Kysely<DB>, userId: string): Promise<DeliveryChannel[]> {
  const user = await db.selectFrom('user').select(['email', 'phone']).where('id', '=', userId).executeTakeFirst();
  if (!user) return [];
  const out: DeliveryChannel[] = [];
  if (user.email) out.push('email');
  else if (user.phone) out.push('sms');
  const push = await db.selectFrom('push_subscription').select('id').where('user_id', '=', userId).executeTakeFirst();
  if (push) out.push('push');
  return out;
}

// ---- Reading the inbox and keeping push subscriptions (M4) ----

export interface InboxItemRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  created_at: string;
}

/** One page of a person's inbox, newest first. */
export async function listInbox(db: Kysely<DB>, userId: string, offset: number, limit: number): Promise<InboxItemRow[]> {
  return db
    .selectFrom('inbox_item')
    .select(['id', 'kind', 'title', 'body', 'link', 'read_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
}

/** Total and unread items of a person, in one query (the header badge uses it on every page). */
export async function countInbox(db: Kysely<DB>, userId: string): Promise<{ total: number; unread: number }> {
  const row = await db
    .selectFrom('inbox_item')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('total'),
      eb.fn.count<string | number>('id').filterWhere('read_at', 'is', null).as('unread')
    ])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), unread: Number(row?.unread ?? 0) };
}

/** Unread items only (cheap: the header badge). */
export async function countUnread(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('inbox_item')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks one of the person's items read; false when it is not theirs (or does not exist). */
export async function markRead(db: Kysely<DB>, userId: string, id: string, atIso: string): Promise<boolean> {
  const exists = await db
    .selectFrom('inbox_item')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!exists) return false;
  await db
    .updateTable('inbox_item')
    .set({ read_at: atIso })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .execute();
  return true;
}

/** Marks every unread item of the person read; returns how many changed. */
export async function markAllRead(db: Kysely<DB>, userId: string, atIso: string): Promise<number> {
  const result = await db
    .updateTable('inbox_item')
    .set({ read_at: atIso })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Saves a browser's push subscription for a person. The endpoint is unique: a browser that was
 * subscribed for someone else (a shared computer) now belongs to this person.
 */
export async function savePushSubscription(
  db: Kysely<DB>,
  input: { userId: string; endpoint: string; p256dh: string; auth: string },
  atIso: string
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('push_subscription').where('endpoint', '=', input.endpoint).execute();
    await trx
      .insertInto('push_subscription')
      .values({
        id: randomUUID(),
        user_id: input.userId,
        endpoint: input.endpoint,
        p256dh: input.p256dh,
        auth: input.auth,
        created_at: atIso
      })
      .execute();
  });
}

/** Removes one of the person's subscriptions; false when it was not theirs. */
export async function removePushSubscription(db: Kysely<DB>, userId: string, endpoint: string): Promise<boolean> {
  const result = await db
    .deleteFrom('push_subscription')
    .where('endpoint', '=', endpoint)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countPushSubscriptions(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('push_subscription')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The language each person reads Glane in (French when unset or unknown); people not found are left
 * out. Read in slices (inChunks): the people told of a cancelled offer are all its reservations.
 */
export async function localesOf(db: Kysely<DB>, userIds: readonly string[]): Promise<Map<string, Locale>> {
  const slices = await inChunks(userIds, (chunk) => db.selectFrom('user').select(['id', 'locale']).where('id', 'in', chunk).execute());
  return new Map(slices.flat().map((r) => [r.id, isLocale(r.locale) ? r.locale : 'fr']));
}
