import type { Kysely } from 'kysely';
import type { PushSubscriptionInput, InboxQuery } from '../../../schemas/notifications.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { VapidKeys } from '../../notify/push.js';
import * as repo from './inbox.repository.js';

/**
 * A person's in-app notifications (the inbox) and their browsers' Web Push subscriptions. Every
 * use case acts on the caller's own data only: another person's item answers 404.
 */

export interface InboxItemView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  isRead: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface InboxPage {
  items: InboxItemView[];
  page: number;
  limit: number;
  total: number;
  unreadCount: number;
  hasMore: boolean;
}

export interface InboxService {
  listInbox(actor: { userId: string }, query?: Partial<InboxQuery>): Promise<InboxPage>;
  /** The header badge: one count query. */
  countUnread(userId: string): Promise<number>;
  markRead(actor: { userId: string }, id: string): Promise<void>;
  markAllRead(actor: { userId: string }): Promise<{ updated: number }>;
  /** The VAPID public key browsers subscribe with (applicationServerKey). */
  pushPublicKey(): string;
  subscribePush(actor: { userId: string }, input: PushSubscriptionInput): Promise<void>;
  unsubscribePush(actor: { userId: string }, endpoint: string): Promise<void>;
  countPushSubscriptions(userId: string): Promise<number>;
}

export interface InboxDeps {
  db: Kysely<DB>;
  now: () => Date;
  vapid: () => VapidKeys;
}

function present(row: repo.InboxItemRow): InboxItemView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    isRead: row.read_at !== null,
    readAt: row.read_at,
    createdAt: row.created_at
  };
}

export function createInboxService(deps: InboxDeps): InboxService {
  const { db, now } = deps;
  return {
    async listInbox(actor, query = {}) {
      const page = query.page ?? 1;
      const limit = query.limit ?? 20;
      const [rows, counts] = await Promise.all([
        repo.listInbox(db, actor.userId, (page - 1) * limit, limit),
        repo.countInbox(db, actor.userId)
      ]);
      return {
        items: rows.map(present),
        page,
        limit,
        total: counts.total,
        unreadCount: counts.unread,
        hasMore: page * limit < counts.total
      };
    },
    countUnread: (userId) => repo.countUnread(db, userId),
    async markRead(actor, id) {
      if (!(await repo.markRead(db, actor.userId, id, now().toISOString()))) {
        throw new AppError('not_found', 'No such notification');
      }
    },
    async markAllRead(actor) {
      return { updated: await repo.markAllRead(db, actor.userId, now().toISOString()) };
    },
    pushPublicKey: () => deps.vapid().publicKey,
    async subscribePush(actor, input) {
      await repo.savePushSubscription(
        db,
        { userId: actor.userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth },
        now().toISOString()
      );
    },
    async unsubscribePush(actor, endpoint) {
      if (!(await repo.removePushSubscription(db, actor.userId, endpoint))) {
        throw new AppError('not_found', 'No such push subscription');
      }
    },
    countPushSubscriptions: (userId) => repo.countPushSubscriptions(db, userId)
  };
}
