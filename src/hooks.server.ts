import '$lib/i18n/all';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { LOCALE_COOKIE, resolveLocale } from '$lib/i18n/locale';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/modules/accounts/accounts.rules';
import { isWidgetPath } from '$lib/server/http/frame-ancestors';

/**
 * Every page request: the signed-in user from the session cookie (through the accounts service
 * handed over by Hono as `platform.services`), re-setting the cookie when the token was rotated;
 * then the interface language; then `<html lang>` and a no-store cache rule for signed-in pages
 * (the service worker must never keep a page that shows someone's data).
 */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.requestId = event.platform?.requestId ?? 'none';
  event.locals.user = null;
  event.locals.sessionId = null;

  // The embeddable widget works without cookies (a third-party frame): no session, no language cookie.
  const embedded = isWidgetPath(event.url.pathname);
  const services = event.platform?.services;
  const token = embedded ? undefined : event.cookies.get(SESSION_COOKIE);
  if (services && token) {
    const auth = await services.accounts.authenticate(token);
    if (auth) {
      const { user } = auth;
      event.locals.user = {
        id: user.id,
        displayName: user.displayName,
        email: user.email,
        emailVerified: user.emailVerified,
        locale: user.locale,
        isPlatformAdmin: user.isPlatformAdmin
      };
      event.locals.sessionId = auth.session.id;
      if (auth.rotatedToken) {
        event.cookies.set(SESSION_COOKIE, auth.rotatedToken, sessionCookieOptions(services.config));
      }
    } else {
      event.cookies.delete(SESSION_COOKIE, { path: '/' });
    }
  }

  event.locals.locale = resolveLocale({
    cookie: embedded ? event.url.searchParams.get('langue') : event.cookies.get(LOCALE_COOKIE),
    userLocale: event.locals.user?.locale,
    acceptLanguage: event.request.headers.get('accept-language')
  });

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
  });
  try {
    if (event.locals.user && !response.headers.has('cache-control')) {
      response.headers.set('cache-control', 'private, no-store');
    }
    response.headers.set('vary', embedded ? 'Accept-Language' : 'Cookie, Accept-Language');
  } catch {
    // Some responses (a fetch passed through) have immutable headers: they are not pages.
  }
  return response;
};

/** Unexpected errors: logged with the request id (shown on the error page for support), never the stack. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  const requestId = event.platform?.requestId ?? 'none';
  if (status >= 500) {
    const logger = event.platform?.services.logger;
    if (logger) logger.error({ err: error, requestId, path: event.url.pathname }, 'page error');
    else console.error(error); // prerendering and `vite dev` without services
  }
  return { message: status === 404 ? 'Not found' : 'Internal error', requestId };
};
