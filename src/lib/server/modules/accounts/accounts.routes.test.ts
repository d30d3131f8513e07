import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { cookieFrom, createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { putSetting } from '../eligibility/schemes.repository.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';

const START = Date.parse('2026-11-29T10:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

describe.each(DIALECTS)('accounts HTTP on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let t = START;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test' });
    services = createServices(config, database, createLogger('silent'), { now: () => new Date(t) });
    app = buildApp(services);
  });
  afterAll(async () => database?.destroy());
  beforeEach(() => {
    t = START;
    services.limiter.clear();
  });

  async function latestMessage(to: string) {
    const messages = await services.notify.listCaptured({ limit: 100 });
    const message = messages.find((m) => m.recipient === to);
    if (!message) throw new Error(`no message to ${to}`);
    return { ...message, code: /\b(\d{6})\b/.exec(message.body)?.[1] ?? '' };
  }

  describe('sign-up', () => {
    it('answers 202 without a cookie; the code sent to a new address opens the account with a hardened cookie', async () => {
      const res = await app.request(
        '/api/v1/auth/sign-up',
        json({ email: '  Alice@Example.ORG ', password: 'a long enough secret', displayName: 'Alice', locale: 'en' })
      );
      expect(res.status).toBe(202);
      expect((await res.json()).status).toBe('accepted');
      expect(cookieFrom(res)).toBeUndefined();
      const message = await latestMessage('alice@example.org');
      expect(message.code).toMatch(/^\d{6}$/);
      expect(message.subject).toContain('your code to open your account');

      const open = await app.request('/api/v1/auth/sign-in/code/verify', json({ channel: 'email', destination: 'alice@example.org', code: message.code }));
      expect(open.status).toBe(200);
      const body = await open.json();
      expect(body.user).toMatchObject({ email: 'alice@example.org', displayName: 'Alice', locale: 'en', emailVerified: true });
      expect(typeof body.csrfToken).toBe('string');
      // The random CSRF token may spell "hash" by chance: look at the user only.
      expect(JSON.stringify(body.user)).not.toMatch(/argon|hash/i);
      const setCookie = open.headers.getSetCookie().find((h) => h.startsWith('glane_session='))!;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).toMatch(/Path=\//);
      expect(setCookie).toMatch(/Max-Age=2592000/);
      expect(setCookie).not.toMatch(/Secure/);
      // The password chosen at sign-up works too.
      const signIn = await app.request('/api/v1/auth/sign-in', json({ email: 'alice@example.org', password: 'a long enough secret' }));
      expect(signIn.status).toBe(200);
    });

    it('answers a taken email exactly like a new one, creates nothing and tells the holder', async () => {
      const holder = await createTestUser(services, { email: 'taken@example.org' });
      const taken = await app.request('/api/v1/auth/sign-up', json({ email: 'TAKEN@example.org', password: 'another long secret', displayName: 'Bob' }));
      const fresh = await app.request('/api/v1/auth/sign-up', json({ email: 'free@example.org', password: 'another long secret', displayName: 'Bob' }));
      expect(taken.status).toBe(202);
      expect(fresh.status).toBe(202);
      expect(await taken.json()).toEqual(await fresh.json());
      expect(cookieFrom(taken)).toBeUndefined();
      const accounts = await services.db.selectFrom('user').select('id').where('email', '=', 'taken@example.org').execute();
      expect(accounts.map((a) => a.id)).toEqual([holder.userId]);
      const told = await latestMessage('taken@example.org');
      expect(told.subject).toContain('quelqu’un a essayé de créer un compte');
      expect(told.body).toContain('http://glane.test/connexion');
      expect(told.body).toContain('http://glane.test/mot-de-passe-oublie');
      expect(told.code).toBe(''); // no code: nothing to open
      // The holder's password is unchanged: the attempt's one does not sign in.
      expect((await app.request('/api/v1/auth/sign-in', json({ email: 'taken@example.org', password: 'another long secret' }))).status).toBe(401);
    });

    it('names the bad fields: short password, password equal to email, unknown field', async () => {
      let res = await app.request('/api/v1/auth/sign-up', json({ email: 'c@example.org', password: 'short', displayName: 'C' }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.details.fields.map((f: { path: string }) => f.path)).toEqual(['password']);

      res = await app.request(
        '/api/v1/auth/sign-up',
        json({ email: 'longer.address@example.org', password: 'Longer.Address@example.org', displayName: 'C' })
      );
      expect(res.status).toBe(400);
      expect((await res.json()).error.details.fields[0].path).toBe('password');

      res = await app.request(
        '/api/v1/auth/sign-up',
        json({ email: 'c@example.org', password: 'a long enough secret', displayName: 'C', isPlatformAdmin: true })
      );
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.fields[0].path).toBe('isPlatformAdmin');
    });

    it('answers malformed JSON with 400 and a wrong content type with 415', async () => {
      let res = await app.request('/api/v1/auth/sign-up', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"email": '
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
      res = await app.request('/api/v1/auth/sign-up', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'Content-Length': '7' },
        body: 'email=a'
      });
      expect(res.status).toBe(415);
    });
  });

  describe('sign-up by phone', () => {
    it('answers 202 without a cookie, the same for a new and a known number; the SMS code signs in', async () => {
      await createTestUser(services, { phone: '+33650000002' });
      const fresh = await app.request('/api/v1/auth/sign-up', json({ phone: '06 50 00 00 01', displayName: 'Nadia' }));
      const known = await app.request('/api/v1/auth/sign-up', json({ phone: '+33 6 50 00 00 02', displayName: 'Nadia' }));
      expect(fresh.status).toBe(202);
      expect(known.status).toBe(202);
      const body = await fresh.json();
      expect(body).toEqual(await known.json());
      expect(body.status).toBe('accepted');
      expect(cookieFrom(fresh)).toBeUndefined();
      expect(cookieFrom(known)).toBeUndefined();

      const message = await latestMessage('+33650000001');
      expect(message.channel).toBe('sms');
      const res = await app.request(
        '/api/v1/auth/sign-in/code/verify',
        json({ channel: 'sms', destination: '06 50 00 00 01', code: message.code })
      );
      expect(res.status).toBe(200);
      expect((await res.json()).user).toMatchObject({ displayName: 'Nadia', email: null, phone: '+33650000001', locale: 'fr' });
      expect(cookieFrom(res)).toMatch(/^glane_session=/);
    });

    it('names the field when a body fits neither shape', async () => {
      const paths = async (body: unknown) => {
        const res = await app.request('/api/v1/auth/sign-up', json(body));
        expect(res.status).toBe(400);
        const error = (await res.json()).error;
        expect(error.code).toBe('validation_failed');
        return error.details.fields.map((f: { path: string }) => f.path);
      };
      expect(await paths({ displayName: 'N' })).toEqual(['email', 'phone']);
      expect(await paths({ phone: '0650000003', displayName: 'N', password: 'a long enough secret' })).toEqual(['password']);
      expect(await paths({ email: 'n@example.org', displayName: 'N' })).toEqual(['password']);
      expect(await paths({ phone: '01 50 00 00 03', displayName: 'N' })).toEqual(['phone']);
      expect(await paths({ phone: 'not a number', displayName: '' })).toEqual(['phone', 'displayName']);
      expect(await paths({ phone: '0650000003', displayName: 'N', isPlatformAdmin: true })).toEqual(['isPlatformAdmin']);
    });

    it('documents both shapes and both answers', async () => {
      const doc = await (await app.request('/api/v1/openapi.json')).json();
      const op = doc.paths['/v1/auth/sign-up'].post;
      for (const status of ['202', '400', '429', '503', '500']) expect(op.responses[status], status).toBeDefined();
      // Neither a created account (201) nor a taken address (409) is answered any more.
      expect(op.responses['201']).toBeUndefined();
      expect(op.responses['409']).toBeUndefined();
      const input = doc.components.schemas.SignUpInput;
      const shapes = (input.anyOf ?? input.oneOf) as { required: string[]; properties: Record<string, unknown> }[];
      expect(shapes.map((shape) => shape.required.slice().sort())).toEqual([
        ['displayName', 'email', 'password'],
        ['displayName', 'phone']
      ]);
      expect(Object.keys(shapes[1]!.properties)).not.toContain('password');
      // Adding an address answers 202 whatever the address; 409 only when the account already has one.
      const addEmail = doc.paths['/v1/account/email'].post;
      expect(addEmail.responses['202']).toBeDefined();
      expect(addEmail.responses['200']).toBeUndefined();
      expect(addEmail.description).toContain('409 only when this account already has an address');
    });

    it('answers adding a free or a taken address to a phone-only account alike (202); the code adds the free one', async () => {
      await app.request('/api/v1/auth/sign-up', json({ phone: '0650000004', displayName: 'Nadia' }));
      const signIn = await app.request(
        '/api/v1/auth/sign-in/code/verify',
        json({ channel: 'sms', destination: '0650000004', code: (await latestMessage('+33650000004')).code })
      );
      const cookie = cookieFrom(signIn)!;
      const { csrfToken } = await signIn.json();
      const auth = { Cookie: cookie, 'X-CSRF-Token': csrfToken };
      expect((await app.request('/api/v1/account/email', json({ email: 'nadia@example.org' }))).status).toBe(401);
      const holder = await createTestUser(services, { email: 'holder@example.org' });

      const taken = await app.request('/api/v1/account/email', json({ email: 'Holder@Example.org' }, auth));
      const free = await app.request('/api/v1/account/email', json({ email: 'Nadia@Example.org' }, auth));
      expect(taken.status).toBe(202);
      expect(free.status).toBe(202);
      const answer = await free.json();
      expect(await taken.json()).toEqual(answer);
      expect(answer).toMatchObject({ status: 'accepted' });
      expect(answer.message).toContain('If this address can be used');
      // The account reads the same either way until a code is entered.
      const account = await (await app.request('/api/v1/account', { headers: { Cookie: cookie } })).json();
      expect(account.user).toMatchObject({ email: null, phone: '+33650000004' });

      expect((await latestMessage('holder@example.org')).subject).toBe('Glane : quelqu’un a essayé d’ajouter votre adresse à un autre compte');
      expect((await latestMessage('holder@example.org')).code).toBe('');
      const guess = await app.request('/api/v1/auth/email-verification/verify', json({ email: 'holder@example.org', code: '123456' }));
      expect(guess.status).toBe(400);
      expect((await guess.json()).error.details.fields[0].path).toBe('code');

      const mail = await latestMessage('nadia@example.org');
      expect(mail.subject).toContain('confirmez votre adresse');
      const verify = await app.request('/api/v1/auth/email-verification/verify', json({ email: 'nadia@example.org', code: mail.code }));
      expect(verify.status).toBe(200);
      expect((await verify.json()).user).toMatchObject({ email: 'nadia@example.org', emailVerified: true, phone: '+33650000004' });
      const again = await app.request('/api/v1/account/email', json({ email: 'other@example.org' }, auth));
      expect(again.status).toBe(409);
      expect(await services.db.selectFrom('user').select('id').where('email', '=', 'holder@example.org').execute()).toEqual([{ id: holder.userId }]);
    });
  });

  describe('sessions and CSRF', () => {
    it('GET /auth/session answers the user and CSRF token, 401 without a cookie', async () => {
      const user = await createTestUser(services, { displayName: 'Sam' });
      const { cookie, csrfToken } = await signInForTest(app, user.email, user.password);
      expect(cookie).toMatch(/^glane_session=[A-Za-z0-9_-]{43}$/);
      const res = await app.request('/api/v1/auth/session', { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toEqual({
        user: {
          id: user.userId,
          displayName: 'Sam',
          email: user.email,
          emailVerified: true,
          phone: null,
          locale: 'fr',
          isPlatformAdmin: false
        },
        csrfToken
      });
      const anonymous = await app.request('/api/v1/auth/session');
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error.code).toBe('unauthenticated');
    });

    it('refuses a cookie-authenticated write without the right X-CSRF-Token (403 csrf_failed)', async () => {
      const user = await createTestUser(services);
      const { cookie, csrfToken } = await signInForTest(app, user.email, user.password);
      const patch = (headers: Record<string, string>) =>
        app.request('/api/v1/account', {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
          body: JSON.stringify({ displayName: 'Changed' })
        });
      let res = await patch({});
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf_failed');
      res = await patch({ 'X-CSRF-Token': `${csrfToken}x` });
      expect(res.status).toBe(403);
      res = await patch({ 'X-CSRF-Token': csrfToken });
      expect(res.status).toBe(200);
      expect((await res.json()).user.displayName).toBe('Changed');
    });

    it('refuses a cross-site sign-in by Origin, accepts our own origin', async () => {
      const user = await createTestUser(services);
      const body = { email: user.email, password: user.password };
      let res = await app.request('/api/v1/auth/sign-in', json(body, { Origin: 'https://evil.example' }));
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf_failed');
      res = await app.request('/api/v1/auth/sign-in', json(body, { Origin: 'http://glane.test' }));
      expect(res.status).toBe(200);
    });

    it('signs out this session only, and everywhere', async () => {
      const user = await createTestUser(services);
      const a = await signInForTest(app, user.email, user.password);
      const b = await signInForTest(app, user.email, user.password);
      const c = await signInForTest(app, user.email, user.password);
      let res = await app.request('/api/v1/auth/sign-out', {
        method: 'POST',
        headers: { Cookie: a.cookie, 'X-CSRF-Token': a.csrfToken }
      });
      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie().join()).toMatch(/glane_session=;.*Max-Age=0/);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: a.cookie } })).status).toBe(401);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: b.cookie } })).status).toBe(200);

      res = await app.request('/api/v1/auth/sign-out-everywhere', {
        method: 'POST',
        headers: { Cookie: b.cookie, 'X-CSRF-Token': b.csrfToken }
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ revoked: 2 });
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: b.cookie } })).status).toBe(401);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: c.cookie } })).status).toBe(401);
    });

    it('rotates the token after a day and keeps sliding the expiry; refuses an expired session', async () => {
      const user = await createTestUser(services);
      const { cookie } = await signInForTest(app, user.email, user.password);
      t += DAY + 1000;
      const res = await app.request('/api/v1/auth/session', { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      const rotated = cookieFrom(res);
      expect(rotated).toBeDefined();
      expect(rotated).not.toBe(cookie);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: cookie } })).status).toBe(401);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: rotated! } })).status).toBe(200);

      // 30 days after the last use, the session is gone.
      t += 30 * DAY + 1000;
      const expired = await app.request('/api/v1/auth/session', { headers: { Cookie: rotated! } });
      expect(expired.status).toBe(401);
      expect(expired.headers.getSetCookie().join()).toMatch(/glane_session=;/);
    });
  });

  describe('sign-in', () => {
    it('answers a wrong password exactly like an unknown email (401)', async () => {
      const user = await createTestUser(services);
      const wrong = await app.request('/api/v1/auth/sign-in', json({ email: user.email, password: 'not the password' }));
      const unknown = await app.request('/api/v1/auth/sign-in', json({ email: 'nobody@example.org', password: 'not the password' }));
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const strip = (b: { error: { requestId?: string } }) => ({ ...b.error, requestId: undefined });
      expect(strip(await wrong.json())).toEqual(strip(await unknown.json()));
      expect(cookieFrom(wrong)).toBeUndefined();
    });

    it('locks after five failures: 423 with lockedUntil', async () => {
      const user = await createTestUser(services);
      const attempt = () => app.request('/api/v1/auth/sign-in', json({ email: user.email, password: 'wrong password' }));
      for (let i = 0; i < 4; i++) expect((await attempt()).status).toBe(401);
      const res = await attempt();
      expect(res.status).toBe(423);
      const body = await res.json();
      expect(body.error.code).toBe('account_locked');
      expect(body.error.details.lockedUntil).toBe(new Date(START + 15 * 60 * 1000).toISOString());
      const right = await app.request('/api/v1/auth/sign-in', json({ email: user.email, password: user.password }));
      expect(right.status).toBe(423);
    });

    it('answers 429 with Retry-After past 10 sign-ins a minute from one address', async () => {
      const body = { email: 'flood@example.org', password: 'whatever it is' };
      for (let i = 0; i < 10; i++) expect((await app.request('/api/v1/auth/sign-in', json(body))).status).toBe(401);
      const res = await app.request('/api/v1/auth/sign-in', json(body));
      expect(res.status).toBe(429);
      expect(res.headers.get('Retry-After')).toBe('60');
      const error = (await res.json()).error;
      expect(error.code).toBe('rate_limited');
      expect(error.details.retryAfter).toBe(60);
    });
  });

  describe('codes, reset, verification', () => {
    it('signs in with a code end to end, reading the captured message; same answer for unknown addresses', async () => {
      const user = await createTestUser(services);
      const known = await app.request('/api/v1/auth/sign-in/code', json({ channel: 'email', destination: user.email.toUpperCase() }));
      const unknown = await app.request('/api/v1/auth/sign-in/code', json({ channel: 'email', destination: 'nobody@example.org' }));
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(await known.json()).toEqual(await unknown.json());

      const { code } = await latestMessage(user.email);
      const res = await app.request('/api/v1/auth/sign-in/code/verify', json({ destination: user.email, code }));
      expect(res.status).toBe(200);
      const cookie = cookieFrom(res)!;
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: cookie } })).status).toBe(200);
      const reused = await app.request('/api/v1/auth/sign-in/code/verify', json({ destination: user.email, code }));
      expect(reused.status).toBe(401);
    });

    it('names the destination when it does not fit the channel', async () => {
      const res = await app.request('/api/v1/auth/sign-in/code', json({ channel: 'sms', destination: '12' }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.details.fields[0].path).toBe('destination');
    });

    it('resets a password by code, ending every session', async () => {
      const user = await createTestUser(services);
      const session = await signInForTest(app, user.email, user.password);
      const requested = await app.request('/api/v1/auth/password-reset', json({ email: user.email }));
      expect(requested.status).toBe(202);
      const message = await latestMessage(user.email);
      expect(message.body).toContain('http://glane.test/mot-de-passe/nouveau?');
      const done = await app.request(
        '/api/v1/auth/password-reset/complete',
        json({ email: user.email, code: message.code, password: 'a brand new secret' })
      );
      expect(done.status).toBe(204);
      expect((await app.request('/api/v1/auth/session', { headers: { Cookie: session.cookie } })).status).toBe(401);
      await signInForTest(app, user.email, 'a brand new secret');
    });

    it('verifies the email of a signed-in user', async () => {
      const user = await createTestUser(services, { emailVerified: false });
      const { cookie, csrfToken } = await signInForTest(app, user.email, user.password);
      const requested = await app.request('/api/v1/auth/email-verification', {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken }
      });
      expect(requested.status).toBe(202);
      const { code } = await latestMessage(user.email);
      const res = await app.request(
        '/api/v1/auth/email-verification/verify',
        json({ email: user.email, code }, { Cookie: cookie, 'X-CSRF-Token': csrfToken })
      );
      expect(res.status).toBe(200);
      expect((await res.json()).user.emailVerified).toBe(true);
    });

    it('asks to sign in before requesting a verification', async () => {
      const res = await app.request('/api/v1/auth/email-verification', { method: 'POST' });
      expect(res.status).toBe(401);
    });
  });

  describe('account', () => {
    it('reads, changes and deletes the account; PATCH names a bad locale', async () => {
      const user = await createTestUser(services, { displayName: 'Before' });
      const { cookie, csrfToken } = await signInForTest(app, user.email, user.password);
      const headers = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrfToken };
      const unconfirmed = await createTestUser(services, { emailVerified: false });
      const its = await signInForTest(app, unconfirmed.email, unconfirmed.password);
      const pending = await (await app.request('/api/v1/account', { headers: { Cookie: its.cookie } })).json();
      // Never confirmed: kept until the purge's deadline, as /compte says (the same service call).
      expect(pending.confirmBefore).toBe(await services.accounts.confirmationDeadline(unconfirmed.userId));
      expect(Date.parse(pending.confirmBefore)).toBeGreaterThan(t);
      const read = await app.request('/api/v1/account', { headers: { Cookie: cookie } });
      // A confirmed email: no deletion deadline. Nothing but their own account open to them.
      expect(await read.json()).toMatchObject({
        user: { displayName: 'Before' },
        confirmBefore: null,
        permissions: { canRunCampaigns: false, canManageSchemes: false, mayPostOffers: false }
      });
      // A CCAS manager runs campaigns and manages schemes; private offers once the territory allows them (as /compte).
      const ccas = await insertTestOrganisation(services.db, 'ccas', 'CCAS');
      await insertTestMembership(services.db, ccas, unconfirmed.userId, 'manager');
      await putSetting(services.db, {
        key: 'marketplace.settings',
        value: JSON.stringify({ individualsMayPost: true }),
        updatedByUserId: null,
        updatedAt: new Date(t).toISOString()
      });
      const manager = await (await app.request('/api/v1/account', { headers: { Cookie: its.cookie } })).json();
      expect(manager.permissions).toEqual({ canRunCampaigns: true, canManageSchemes: true, mayPostOffers: true });
      const bad = await app.request('/api/v1/account', { method: 'PATCH', headers, body: JSON.stringify({ locale: 'de' }) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.details.fields[0].path).toBe('locale');
      const ok = await app.request('/api/v1/account', { method: 'PATCH', headers, body: JSON.stringify({ locale: 'en' }) });
      expect((await ok.json()).user.locale).toBe('en');
      const deleted = await app.request('/api/v1/account', { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken } });
      expect(deleted.status).toBe(200);
      expect((await deleted.json()).kept[0].what).toBe('audit_log');
      expect((await app.request('/api/v1/account', { headers: { Cookie: cookie } })).status).toBe(401);
    });

    it('documents every accounts route with its error responses', async () => {
      const doc = await (await app.request('/api/v1/openapi.json')).json();
      const paths = [
        ['/v1/auth/sign-up', 'post', ['400', '415', '429', '503']],
        ['/v1/auth/sign-in', 'post', ['400', '401', '423', '429']],
        ['/v1/auth/sign-in/code', 'post', ['400', '429']],
        ['/v1/auth/sign-in/code/verify', 'post', ['400', '401']],
        ['/v1/auth/sign-out', 'post', ['403']],
        ['/v1/auth/sign-out-everywhere', 'post', ['401', '403']],
        ['/v1/auth/session', 'get', ['401']],
        ['/v1/auth/password-reset', 'post', ['400', '429']],
        ['/v1/auth/password-reset/complete', 'post', ['400']],
        ['/v1/auth/email-verification', 'post', ['401']],
        ['/v1/auth/email-verification/verify', 'post', ['400']],
        ['/v1/account', 'get', ['401']],
        ['/v1/account', 'patch', ['400', '401', '403']],
        ['/v1/account', 'delete', ['401']],
        ['/v1/account/email', 'post', ['400', '401', '403', '409', '429']]
      ] as const;
      for (const [path, method, errors] of paths) {
        const op = doc.paths[path]?.[method];
        expect(op, `${method} ${path}`).toBeDefined();
        for (const status of [...errors, '500']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
      }
      expect(JSON.stringify(doc.components.schemas.AccountUser)).not.toMatch(/hash/i);
    });
  });
});
