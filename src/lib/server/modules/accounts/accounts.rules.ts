import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Pure rules of accounts and sessions: no I/O, no clock (times are passed in), tested without mocks.
 * Pages may import this file (it holds the cookie name and options they must set identically).
 */

/** The session cookie's name, for the API and the pages alike. */
export const SESSION_COOKIE = 'glane_session';

/** A session's token is re-issued on first use after this long since the last rotation. */
export const SESSION_ROTATE_MS = 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often, so reads don't write on every request. */
export const SESSION_TOUCH_MS = 60 * 1000;

export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MS = 15 * 60 * 1000;

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

/** Rate limits: [limit, window in ms]. */
export const LIMITS = {
  signInPerIp: [10, 60 * 1000],
  signInPerAccount: [20, 60 * 60 * 1000],
  codePerDestination: [5, 15 * 60 * 1000],
  codePerIp: [20, 60 * 60 * 1000],
  // Generous: at a CCAS desk, a social worker may open accounts for many people from one address.
  signUpPerIp: [50, 60 * 60 * 1000]
} as const satisfies Record<string, readonly [number, number]>;

export interface CookieConfig {
  isHttps: boolean;
  SESSION_TTL_DAYS: number;
}

/**
 * Options of the session cookie, in the shape SvelteKit's `cookies.set` and Hono's `setCookie`
 * both accept: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site writes),
 * Secure behind HTTPS, lasting as long as the session.
 */
export function sessionCookieOptions(config: CookieConfig) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: config.isHttps,
    maxAge: config.SESSION_TTL_DAYS * 24 * 60 * 60
  };
}

/** sha256 hex of a secret: what is stored instead of a session token or a one-time code. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The stored form of a one-time code: bound to its row id, so equal codes hash differently. */
export function hashCode(codeId: string, code: string): string {
  return sha256(`${codeId}:${code}`);
}

/** Constant-time string equality (for CSRF tokens and code hashes). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** When a session used at `now` expires (sliding expiry). */
export function sessionExpiry(now: Date, ttlDays: number): string {
  return new Date(now.getTime() + ttlDays * 24 * 60 * 60 * 1000).toISOString();
}

export type SessionDecision = 'expired' | 'rotate' | 'touch' | 'fresh';

/**
 * What to do with a session presented at `now`: refuse it when expired, re-issue its token
 * when the last rotation is older than a day, extend it when last seen over a minute ago.
 */
export function decideSession(
  session: { expiresAt: string; rotatedAt: string; lastSeenAt: string },
  now: Date
): SessionDecision {
  const t = now.getTime();
  if (Date.parse(session.expiresAt) <= t) return 'expired';
  if (t - Date.parse(session.rotatedAt) >= SESSION_ROTATE_MS) return 'rotate';
  if (t - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_MS) return 'touch';
  return 'fresh';
}

/** The lock still running at `now`, or null. */
export function activeLock(lockedUntil: string | null, now: Date): string | null {
  return lockedUntil && Date.parse(lockedUntil) > now.getTime() ? lockedUntil : null;
}

/**
 * The lock to set after a failed sign-in that brought the consecutive-failure count to `failedCount`:
 * 15 minutes from `now` on the fifth failure, else none. The counter restarts when a lock is set,
 * so the next lock also takes five failures.
 */
export function lockAfterFailures(failedCount: number, now: Date): string | null {
  return failedCount >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCK_MS).toISOString() : null;
}

/** Whether a one-time code row can still be tried at `now`. */
export function isCodeUsable(code: { expiresAt: string; consumedAt: string | null; attempts: number }, now: Date): boolean {
  return code.consumedAt === null && code.attempts < MAX_CODE_ATTEMPTS && Date.parse(code.expiresAt) > now.getTime();
}

/** Masks an address for logs and answers: `a***@example.org`, `+33******78`. */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@');
  if (at > 0) return `${destination[0]}***${destination.slice(at)}`;
  if (destination.length <= 5) return '***';
  return `${destination.slice(0, 3)}${'*'.repeat(destination.length - 5)}${destination.slice(-2)}`;
}

/** Argon2id cost: OWASP's minimum (19 MiB, 2 passes) in production, cheap in tests. */
export function passwordHashOptions(nodeEnv: string) {
  return nodeEnv === 'test'
    ? { memoryCost: 1024, timeCost: 1, parallelism: 1 }
    : { memoryCost: 19456, timeCost: 2, parallelism: 1 };
}
