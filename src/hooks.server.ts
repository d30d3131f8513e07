import type { Handle } from '@sveltejs/kit';

/** Reads the locale (and, once accounts land, the session) for every page request. */
export const handle: Handle = async ({ event, resolve }) => {
  const cookie = event.cookies.get('glane_locale');
  const accept = event.request.headers.get('accept-language') ?? '';
  event.locals.locale = cookie === 'en' || cookie === 'fr' ? cookie : /^en\b/i.test(accept) ? 'en' : 'fr';
  event.locals.requestId = event.platform?.requestId ?? 'none';
  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
  });
};
