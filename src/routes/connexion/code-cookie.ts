import type { Cookies } from '@sveltejs/kit';

/**
 * Where a sign-in code was sent, remembered for the code page in a short-lived HttpOnly cookie
 * (so the address never sits in a URL, a log or the browser history).
 */
const CODE_DESTINATION_COOKIE = 'glane_code_to';

export function rememberCodeDestination(cookies: Cookies, channel: string, destination: string, secure: boolean): void {
  cookies.set(CODE_DESTINATION_COOKIE, JSON.stringify({ channel, destination }), {
    path: '/connexion',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: 15 * 60
  });
}

export function readCodeDestination(cookies: Cookies): { channel: 'email' | 'sms'; destination: string } | null {
  const raw = cookies.get(CODE_DESTINATION_COOKIE);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { channel?: unknown; destination?: unknown };
    if ((value.channel === 'email' || value.channel === 'sms') && typeof value.destination === 'string') {
      return { channel: value.channel, destination: value.destination.slice(0, 254) };
    }
  } catch {
    // A tampered cookie is ignored: the page asks for the address again.
  }
  return null;
}

export function forgetCodeDestination(cookies: Cookies): void {
  cookies.delete(CODE_DESTINATION_COOKIE, { path: '/connexion' });
}
