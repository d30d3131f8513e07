import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE, safeRedirect } from '$lib/i18n/locale';
import type { RequestHandler } from './$types';

/**
 * The language switch: `/langue?l=en&redirect=/page` remembers the language for a year and goes
 * back to the page (same site only). A link, so it works without JavaScript.
 */
export const GET: RequestHandler = ({ url, cookies }) => {
  const locale = url.searchParams.get('l');
  if (isLocale(locale)) {
    cookies.set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 60 * 60, sameSite: 'lax', httpOnly: false });
  }
  redirect(303, safeRedirect(url.searchParams.get('redirect')));
};
