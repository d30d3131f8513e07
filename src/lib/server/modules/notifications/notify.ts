import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { enqueueNotification, localesOf } from './inbox.repository.js';
import { messageFor, type MarketplaceMessageKind, type MessageParams } from './messages.js';

/**
 * Telling people of a marketplace event in their own language: their locales are read in one query,
 * the text written by `messageFor`, then the inbox item and outbox rows by `enqueueNotification`.
 * Call inside the event's transaction, so that nothing is told if it rolls back.
 */

export interface MarketplaceNotice {
  kind: MarketplaceMessageKind;
  params: MessageParams;
  /** Path inside Glane the notification opens. */
  link: string;
}

/** Tells each of `userIds` (once each) the same event, each in their language. */
export async function notifyUsers(db: Kysely<DB>, at: Date, userIds: readonly string[], notice: MarketplaceNotice): Promise<void> {
  const people = [...new Set(userIds)];
  const locales = await localesOf(db, people);
  for (const userId of people) {
    const text = messageFor(notice.kind, locales.get(userId), notice.params);
    await enqueueNotification(db, at, { userId, kind: notice.kind, ...text, link: notice.link });
  }
}

/** Tells one person of an event, in their language. */
export function notifyUser(db: Kysely<DB>, at: Date, userId: string, notice: MarketplaceNotice): Promise<void> {
  return notifyUsers(db, at, [userId], notice);
}
