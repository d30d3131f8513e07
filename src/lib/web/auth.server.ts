import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { safeRedirect } from '$lib/i18n/locale';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/modules/accounts/accounts.rules';
import type { Services } from '$lib/server/services';

/** Who acts, for the organisations service's policies and the audit log. */
export interface PageActor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId: string;
}

/** The services Hono handed over; a page without them (a prerender) cannot act. */
export function servicesOf(event: Pick<RequestEvent, 'platform'>): Services {
  const services = event.platform?.services;
  if (!services) error(503, 'Services unavailable');
  return services;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): App.User {
  if (!event.locals.user) {
    redirect(303, `/connexion?redirect=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  }
  return event.locals.user;
}

/** The signed-in actor (redirects to sign-in when signed out). */
export function actorOf(event: Pick<RequestEvent, 'locals' | 'url'>): PageActor {
  const user = requireUser(event);
  return { userId: user.id, isPlatformAdmin: user.isPlatformAdmin, requestId: event.locals.requestId };
}

/** The actor when signed in, else null (for pages that signed-out visitors may see). */
export function optionalActor(event: Pick<RequestEvent, 'locals'>): PageActor | null {
  const user = event.locals.user;
  return user ? { userId: user.id, isPlatformAdmin: user.isPlatformAdmin, requestId: event.locals.requestId } : null;
}

/** Where the request comes from, for rate limits and the session list. */
export function requestContext(event: Pick<RequestEvent, 'getClientAddress' | 'request'>) {
  let ip: string | undefined;
  try {
    ip = event.getClientAddress();
  } catch {
    ip = undefined;
  }
  return { ip, userAgent: event.request.headers.get('user-agent') };
}

/** Sets the session cookie exactly as the API does (name and options from accounts.rules). */
export function setSessionCookie(cookies: Cookies, services: Services, token: string): void {
  cookies.set(SESSION_COOKIE, token, sessionCookieOptions(services.config));
}

export function clearSessionCookie(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The page to go to after signing in: `?redirect=` when it stays on this site, else `fallback`. */
export function afterSignIn(url: URL, fallback = '/compte'): string {
  return safeRedirect(url.searchParams.get('redirect'), fallback);
}
