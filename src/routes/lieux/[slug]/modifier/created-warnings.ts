import type { Cookies } from '@sveltejs/kit';

/**
 * The warnings of a place's creation (sloppy opening hours corrected…), carried across the
 * redirect to its editing page in a short-lived HttpOnly cookie scoped to that page and tied to
 * the user who created it: nothing in the URL, read once, never shown to anyone else.
 */
const COOKIE = 'glane_place_created';
const MAX_AGE_S = 120;
const MAX_WARNINGS = 5;
const MAX_LENGTH = 300;

/** The editing page of a place, the only path the cookie is sent to. */
export const editPath = (slug: string) => `/lieux/${encodeURIComponent(slug)}/modifier`;

export function rememberCreationWarnings(cookies: Cookies, slug: string, userId: string, warnings: string[], secure: boolean): void {
  if (warnings.length === 0) return;
  const value = JSON.stringify({ u: userId, w: warnings.slice(0, MAX_WARNINGS).map((w) => w.slice(0, MAX_LENGTH)) });
  cookies.set(COOKIE, value, { path: editPath(slug), httpOnly: true, sameSite: 'lax', secure, maxAge: MAX_AGE_S });
}

/** The warnings left for `userId` on this place's editing page (then forgotten); [] when none or not theirs. */
export function takeCreationWarnings(cookies: Cookies, slug: string, userId: string): string[] {
  const raw = cookies.get(COOKIE);
  if (raw === undefined) return [];
  cookies.delete(COOKIE, { path: editPath(slug) });
  try {
    const value = JSON.parse(raw) as { u?: unknown; w?: unknown };
    if (value.u !== userId || !Array.isArray(value.w)) return [];
    return value.w
      .filter((w): w is string => typeof w === 'string')
      .slice(0, MAX_WARNINGS)
      .map((w) => w.slice(0, MAX_LENGTH));
  } catch {
    // A tampered cookie is ignored.
    return [];
  }
}
