import { randomUUID } from 'node:crypto';
import type { Services } from '../../src/lib/server/services.js';

/** Anything with Hono's `request` (the root app from `buildApp`, or the API app). */
interface RequestableApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
}

/**
 * Creates an account directly through the accounts service (no HTTP, no message, no rate limit).
 * Defaults: a unique email, password `correct horse battery`, French locale.
 */
export async function createTestUser(
  services: Services,
  overrides: Partial<{
    email: string;
    password: string;
    displayName: string;
    locale: 'fr' | 'en';
    phone: string;
    isPlatformAdmin: boolean;
    emailVerified: boolean;
  }> = {}
): Promise<TestUser> {
  const email = (overrides.email ?? `user-${randomUUID().slice(0, 8)}@example.org`).toLowerCase();
  const password = overrides.password ?? 'correct horse battery';
  const user = await services.accounts.createUser({
    email,
    password,
    displayName: overrides.displayName ?? 'Test User',
    locale: overrides.locale ?? 'fr',
    phone: overrides.phone ?? null,
    isPlatformAdmin: overrides.isPlatformAdmin ?? false,
    emailVerified: overrides.emailVerified ?? true
  });
  return { userId: user.id, email, password };
}

/** The `name=value` pair of a Set-Cookie header for `name`, or undefined. */
export function cookieFrom(response: Response, name = 'glane_session'): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0] ?? '';
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return undefined;
}

/**
 * Signs in through `POST /api/v1/auth/sign-in` and returns what a browser would then send:
 * `cookie` ('glane_session=…', for the Cookie header) and `csrfToken` (for X-CSRF-Token on writes).
 */
export async function signInForTest(
  app: RequestableApp,
  email: string,
  password: string
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.request('/api/v1/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password })
  });
  if (response.status !== 200) {
    throw new Error(`signInForTest: sign-in answered ${response.status}: ${await response.text()}`);
  }
  const body = (await response.json()) as { csrfToken: string };
  const cookie = cookieFrom(response);
  if (!cookie) throw new Error('signInForTest: no glane_session cookie in the answer');
  return { cookie, csrfToken: body.csrfToken };
}
