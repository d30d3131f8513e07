import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import {
  SESSION_COOKIE,
  safeEqual,
  sessionCookieOptions,
  type CookieConfig
} from '../modules/accounts/accounts.rules.js';
import { AppError } from '../errors.js';
import type { AppEnv, AuthContext } from './env.js';

/**
 * The signed-in caller, or a 401. The session middleware (accounts) fills `c.get('auth')`
 * from the session cookie and checks CSRF on cookie-authenticated writes.
 */
export function requireAuth(c: Context<AppEnv>): AuthContext {
  const auth = c.get('auth');
  if (!auth) throw new AppError('unauthenticated', 'Sign in first');
  return auth;
}

/** Who is acting, from which request: what services need for policies and the audit log. */
export interface Actor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId: string;
}

/** The actor of a signed-in request (401 when signed out). */
export function requireActor(c: Context<AppEnv>): Actor {
  const auth = requireAuth(c);
  return { userId: auth.userId, isPlatformAdmin: auth.isPlatformAdmin, requestId: c.get('requestId') };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Hono's cookie options for the session cookie (the same as the pages set). */
export function honoSessionCookie(config: CookieConfig): CookieOptions {
  const o = sessionCookieOptions(config);
  return { httpOnly: o.httpOnly, sameSite: 'Lax', path: o.path, secure: o.secure, maxAge: o.maxAge };
}

/** Sets the session cookie on an API answer. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, honoSessionCookie(c.get('services').config));
}

/** Clears the session cookie on an API answer. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.get('services').config.isHttps });
}

/**
 * A write must come from Glane's own pages (or an allowed cross-origin client without a cookie):
 * when the browser sends `Origin`, it must be PUBLIC_URL's origin or the request's own.
 * This stops cross-site forms from signing someone in to an attacker's account (login CSRF).
 */
function checkOrigin(c: Context<AppEnv>, hasCookie: boolean): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const { config } = c.get('services');
  const allowed = new Set([new URL(config.PUBLIC_URL).origin, new URL(c.req.url).origin]);
  if (!hasCookie) for (const o of config.CORS_ORIGINS) allowed.add(o);
  if (!allowed.has(origin)) throw new AppError('csrf_failed', 'Cross-site request refused');
}

/**
 * Session middleware for `/api/v1/*`: reads the `glane_session` cookie, puts the caller in
 * `c.get('auth')`, re-sets the cookie when the token was rotated, clears a dead cookie, and on
 * every write with a live session requires `X-CSRF-Token` equal to the session's token (403 `csrf_failed`).
 */
export function sessionMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const isWrite = !SAFE_METHODS.has(c.req.method);
    const token = getCookie(c, SESSION_COOKIE);
    if (isWrite) checkOrigin(c, token !== undefined);
    if (token) {
      const found = await c.get('services').accounts.authenticate(token);
      if (found) {
        c.set('auth', {
          userId: found.user.id,
          sessionId: found.session.id,
          csrfToken: found.session.csrfToken,
          isPlatformAdmin: found.user.isPlatformAdmin
        });
        if (found.rotatedToken) setSessionCookie(c, found.rotatedToken);
        if (isWrite && !safeEqual(c.req.header('x-csrf-token') ?? '', found.session.csrfToken)) {
          throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header');
        }
      } else {
        clearSessionCookie(c);
      }
    }
    await next();
  };
}
