import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { decideSession, sessionExpiry, sha256 } from './accounts.rules.js';
import { createSessionsRepository, type SessionRecord } from './sessions.repository.js';

export interface SessionsDeps {
  db: Kysely<DB>;
  config: { SESSION_TTL_DAYS: number };
  now: () => Date;
}

/** A new random session token: 32 bytes, base64url. Only its sha256 is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new CSRF token for a session. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Server-side sessions: create, authenticate (with sliding expiry and daily token rotation),
 * revoke one or all of a user's.
 */
export function createSessionsService({ db, config, now }: SessionsDeps) {
  const repo = createSessionsRepository(db);

  return {
    /** Opens a session for a user; the caller sets `token` in the cookie. */
    async createSession(userId: string, userAgent: string | null = null): Promise<{ token: string; session: SessionRecord }> {
      const at = now();
      const token = newSessionToken();
      const session: SessionRecord = {
        id: randomUUID(),
        userId,
        csrfToken: newCsrfToken(),
        createdAt: at.toISOString(),
        lastSeenAt: at.toISOString(),
        rotatedAt: at.toISOString(),
        expiresAt: sessionExpiry(at, config.SESSION_TTL_DAYS)
      };
      await repo.insert({ ...session, tokenHash: sha256(token), userAgent: userAgent?.slice(0, 300) ?? null });
      return { token, session };
    },

    /**
     * The session of a cookie token, or null when unknown or expired (an expired one is deleted).
     * Extends the expiry as the session is used and, once a day, issues a new token
     * (`rotatedToken`: the caller must set it in the cookie).
     */
    async authenticateToken(token: string): Promise<{ session: SessionRecord; rotatedToken?: string } | null> {
      if (!token || token.length > 100) return null;
      const hash = sha256(token);
      const session = await repo.findByTokenHash(hash);
      if (!session) return null;
      const at = now();
      const decision = decideSession(session, at);
      if (decision === 'expired') {
        await repo.deleteById(session.id);
        return null;
      }
      const iso = at.toISOString();
      const expiresAt = sessionExpiry(at, config.SESSION_TTL_DAYS);
      if (decision === 'rotate') {
        const rotatedToken = newSessionToken();
        if (await repo.rotate(session.id, hash, sha256(rotatedToken), iso, expiresAt)) {
          return { session: { ...session, lastSeenAt: iso, rotatedAt: iso, expiresAt }, rotatedToken };
        }
        return { session };
      }
      if (decision === 'touch') {
        await repo.touch(session.id, iso, expiresAt);
        return { session: { ...session, lastSeenAt: iso, expiresAt } };
      }
      return { session };
    },

    /** Ends one session (sign out). */
    async revokeSession(sessionId: string): Promise<void> {
      await repo.deleteById(sessionId);
    },

    /** Ends every session of a user (sign out everywhere, password reset); returns how many. */
    async revokeAllSessions(userId: string): Promise<number> {
      return repo.deleteByUser(userId);
    },

    /** Deletes expired sessions (for a periodic job). */
    async purgeExpiredSessions(): Promise<number> {
      return repo.deleteExpired(now().toISOString());
    },

    countSessions: (userId: string) => repo.countByUser(userId)
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
