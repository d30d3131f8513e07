import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A stored session, as the service sees it (the token itself is never stored). */
export interface SessionRecord {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  rotatedAt: string;
  expiresAt: string;
}

const COLUMNS = ['id', 'user_id', 'csrf_token', 'created_at', 'last_seen_at', 'rotated_at', 'expires_at'] as const;

function toSession(row: {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  rotated_at: string;
  expires_at: string;
}): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    rotatedAt: row.rotated_at,
    expiresAt: row.expires_at
  };
}

/** SQL of the `session` table. */
export function createSessionsRepository(db: Kysely<DB>) {
  return {
    /** Stores a new session under the hash of its token. */
    async insert(session: SessionRecord & { tokenHash: string; userAgent: string | null }): Promise<void> {
      await db
        .insertInto('session')
        .values({
          id: session.id,
          token_hash: session.tokenHash,
          user_id: session.userId,
          csrf_token: session.csrfToken,
          created_at: session.createdAt,
          last_seen_at: session.lastSeenAt,
          rotated_at: session.rotatedAt,
          expires_at: session.expiresAt,
          user_agent: session.userAgent
        })
        .execute();
    },

    /** The session whose token hashes to `tokenHash`, or undefined. */
    async findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined> {
      const row = await db.selectFrom('session').select(COLUMNS).where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? toSession(row) : undefined;
    },

    /** Extends a session (sliding expiry). */
    async touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
      await db.updateTable('session').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
    },

    /**
     * Replaces the token of a session, only if it still has `oldHash` (two requests racing to
     * rotate: the second changes nothing). Returns whether this call rotated it.
     */
    async rotate(id: string, oldHash: string, newHash: string, at: string, expiresAt: string): Promise<boolean> {
      const result = await db
        .updateTable('session')
        .set({ token_hash: newHash, rotated_at: at, last_seen_at: at, expires_at: expiresAt })
        .where('id', '=', id)
        .where('token_hash', '=', oldHash)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deleteById(id: string): Promise<void> {
      await db.deleteFrom('session').where('id', '=', id).execute();
    },

    /** Deletes every session of a user; returns how many. */
    async deleteByUser(userId: string): Promise<number> {
      const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Deletes sessions expired at `now` (housekeeping). */
    async deleteExpired(now: string): Promise<number> {
      const result = await db.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async countByUser(userId: string): Promise<number> {
      const row = await db
        .selectFrom('session')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
