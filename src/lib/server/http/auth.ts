import type { Context } from 'hono';
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
