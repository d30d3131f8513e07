import { describe, expect, it } from 'vitest';
import {
  codeRequestInput,
  codeVerifyInput,
  isEmailSignUp,
  normalisePhone,
  passwordResetCompleteInput,
  signUpInput
} from '../../../schemas/accounts.js';
import { fieldMessage } from '../../../i18n/fields.js';
import {
  activeLock,
  decideSession,
  hashCode,
  isCodeUsable,
  lockAfterFailures,
  maskDestination,
  passwordHashOptions,
  safeEqual,
  sessionCookieOptions,
  sessionExpiry,
  sha256
} from './accounts.rules.js';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const MIN = 60 * 1000;
const DAY = 24 * 60 * MIN;

describe('sessionCookieOptions', () => {
  it('is HttpOnly, SameSite=Lax, on every path, as long as the session', () => {
    expect(sessionCookieOptions({ isHttps: false, SESSION_TTL_DAYS: 30 })).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: false,
      maxAge: 30 * 24 * 3600
    });
  });
  it('is Secure behind HTTPS', () => {
    expect(sessionCookieOptions({ isHttps: true, SESSION_TTL_DAYS: 7 }).secure).toBe(true);
  });
});

describe('decideSession', () => {
  const fresh = { expiresAt: at(30 * DAY), rotatedAt: at(0), lastSeenAt: at(0) };
  it('keeps a session just used as it is', () => {
    expect(decideSession(fresh, new Date(NOW.getTime() + 10_000))).toBe('fresh');
  });
  it('extends a session last seen over a minute ago', () => {
    expect(decideSession(fresh, new Date(NOW.getTime() + MIN))).toBe('touch');
  });
  it('rotates the token a day after the last rotation', () => {
    expect(decideSession(fresh, new Date(NOW.getTime() + DAY - 1))).toBe('touch');
    expect(decideSession(fresh, new Date(NOW.getTime() + DAY))).toBe('rotate');
  });
  it('refuses a session at its expiry', () => {
    expect(decideSession(fresh, new Date(NOW.getTime() + 30 * DAY))).toBe('expired');
  });
  it('computes the sliding expiry from the time of use', () => {
    expect(sessionExpiry(NOW, 30)).toBe(at(30 * DAY));
  });
});

describe('lock after failed sign-ins', () => {
  it('locks for 15 minutes on the fifth consecutive failure only', () => {
    expect(lockAfterFailures(4, NOW)).toBeNull();
    expect(lockAfterFailures(5, NOW)).toBe(at(15 * MIN));
  });
  it('reports a lock until it has passed', () => {
    expect(activeLock(null, NOW)).toBeNull();
    expect(activeLock(at(1), NOW)).toBe(at(1));
    expect(activeLock(at(0), NOW)).toBeNull();
  });
});

describe('one-time codes', () => {
  const code = { expiresAt: at(10 * MIN), consumedAt: null, attempts: 0 };
  it('is usable before expiry, unused, under five attempts', () => {
    expect(isCodeUsable(code, NOW)).toBe(true);
    expect(isCodeUsable({ ...code, attempts: 4 }, NOW)).toBe(true);
    expect(isCodeUsable({ ...code, attempts: 5 }, NOW)).toBe(false);
    expect(isCodeUsable({ ...code, consumedAt: at(0) }, NOW)).toBe(false);
    expect(isCodeUsable(code, new Date(NOW.getTime() + 10 * MIN))).toBe(false);
  });
  it('hashes a code bound to its id, never storing the code itself', () => {
    expect(hashCode('a', '123456')).not.toBe(hashCode('b', '123456'));
    expect(hashCode('a', '123456')).not.toContain('123456');
    expect(hashCode('a', '123456')).toBe(sha256('a:123456'));
  });
  it('compares in constant time and refuses different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });
});

describe('masking and hashing cost', () => {
  it('masks emails and phone numbers', () => {
    expect(maskDestination('alice@example.org')).toBe('a***@example.org');
    expect(maskDestination('+33612345678')).toBe('+33*******78');
  });
  it('uses OWASP argon2id cost outside tests', () => {
    expect(passwordHashOptions('production')).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(passwordHashOptions('test').memoryCost).toBeLessThan(19456);
  });
});

describe('phone numbers', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['01-23-45-67-89', '+33123456789'],
    ['+262 692 12 34 56', '+262692123456'],
    ['+44 20 7946 0958', '+442079460958']
  ])('normalises %s to %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });
  it.each(['612345678', '06 12 34 56', '+33 6 12 34 56 78 90', 'abc', '', '+0612345678'])('refuses %j', (input) => {
    expect(normalisePhone(input)).toBeNull();
  });
});

describe('account schemas', () => {
  const ok = { email: ' Bob@Example.org ', password: 'a long enough secret', displayName: ' Bob ' };
  it('normalises email and display name, defaults the locale to French', () => {
    expect(signUpInput.parse(ok)).toEqual({ email: 'bob@example.org', password: 'a long enough secret', displayName: 'Bob', locale: 'fr' });
  });
  it('enforces 10 to 256 characters', () => {
    expect(signUpInput.safeParse({ ...ok, password: '123456789' }).success).toBe(false);
    expect(signUpInput.safeParse({ ...ok, password: '1234567890' }).success).toBe(true);
    expect(signUpInput.safeParse({ ...ok, password: 'x'.repeat(257) }).success).toBe(false);
  });
  it('refuses a password equal to the email, whatever its case', () => {
    const r = signUpInput.safeParse({ ...ok, email: 'someone@example.org', password: 'SomeOne@example.org' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['password']);
    expect(passwordResetCompleteInput.safeParse({ email: 'someone@example.org', code: '123456', password: 'someone@example.org' }).success).toBe(false);
  });
  it('refuses unknown fields and bad locales', () => {
    expect(signUpInput.safeParse({ ...ok, role: 'admin' }).success).toBe(false);
    expect(signUpInput.safeParse({ ...ok, locale: 'de' }).success).toBe(false);
  });
  it('takes a French mobile number alone as the phone shape of sign-up', () => {
    const parsed = signUpInput.parse({ phone: '07 12 34 56 78', displayName: ' Nadia ' });
    expect(parsed).toEqual({ phone: '+33712345678', displayName: 'Nadia', locale: 'fr' });
    expect(isEmailSignUp(parsed)).toBe(false);
    expect(isEmailSignUp(signUpInput.parse(ok))).toBe(true);
  });
  it('names the field when a sign-up fits neither shape', () => {
    const paths = (value: unknown) => signUpInput.safeParse(value).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ displayName: 'N' })).toEqual(['email', 'phone']);
    expect(paths({ phone: '0612345678', displayName: 'N', password: 'a long enough secret' })).toEqual(['password']);
    expect(paths({ email: 'n@example.org', displayName: 'N' })).toEqual(['password']);
    expect(paths({ email: 'n@example.org', displayName: 'N', password: 'short', phone: 'nope' })).toEqual(['password', 'phone']);
    expect(paths({ phone: '0612345678', displayName: 'N', role: 'admin' })).toEqual(['']);
  });
  it('takes only French mobile numbers (06, 07) for a sign-up by phone, with a message of its own', () => {
    for (const phone of ['01 23 45 67 89', '09 12 34 56 78', '+44 7700 900123']) {
      const issue = signUpInput.safeParse({ phone, displayName: 'N' }).error?.issues[0];
      expect(issue?.path).toEqual(['phone']);
      expect(fieldMessage({ path: 'phone', message: issue!.message, code: issue!.code }).key).toBe('phoneSignUp.mobileOnly');
    }
    // Beside an email, the optional phone keeps today's wider rule.
    expect(signUpInput.safeParse({ ...ok, phone: '01 23 45 67 89' }).success).toBe(true);
  });
  it('normalises a code destination by channel', () => {
    expect(codeRequestInput.parse({ channel: 'sms', destination: '06 12 34 56 78' })).toEqual({ channel: 'sms', destination: '+33612345678' });
    expect(codeRequestInput.parse({ destination: 'A@B.fr' })).toEqual({ channel: 'email', destination: 'a@b.fr' });
    const bad = codeRequestInput.safeParse({ channel: 'sms', destination: 'a@b.fr' });
    expect(bad.error?.issues[0]?.path).toEqual(['destination']);
  });
  it('accepts a code typed with spaces, refuses other lengths', () => {
    expect(codeVerifyInput.parse({ destination: 'a@b.fr', code: '123 456' }).code).toBe('123456');
    expect(codeVerifyInput.safeParse({ destination: 'a@b.fr', code: '12345' }).success).toBe(false);
  });
});
