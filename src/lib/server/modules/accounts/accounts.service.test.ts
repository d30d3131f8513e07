import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { LogSmsProvider } from '../../notify/notify.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser } from '../../../../../tests/helpers/session.js';
import { insertTestHousehold } from '../marketplace/marketplace.testing.js';

const START = Date.parse('2026-11-29T10:00:00.000Z');
const MIN = 60 * 1000;

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe.each(DIALECTS)('accounts service on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let t = START;
  const ctx = { ip: '192.0.2.1', userAgent: 'vitest' };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://glane.test' });
    services = createServices(config, database, createLogger('silent'), {
      now: () => new Date(t),
      smsProvider: new LogSmsProvider()
    });
  });
  afterAll(async () => database?.destroy());
  beforeEach(() => {
    t = START;
    services.limiter.clear();
  });

  async function codeSentTo(to: string): Promise<string | undefined> {
    const message = (await services.notify.listCaptured({ limit: 200 })).find((m) => m.recipient === to);
    return message ? /\b(\d{6})\b/.exec(message.body)?.[1] : undefined;
  }

  describe('sign-up', () => {
    it('stores an argon2id hash, never the password, opens no session, and sends a code that opens the account', async () => {
      await expect(
        services.accounts.signUp({ email: 'new@example.org', password: 'a long enough secret', displayName: 'New', locale: 'fr' }, ctx)
      ).resolves.toBeUndefined();
      const row = await services.db.selectFrom('user').selectAll().where('email', '=', 'new@example.org').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain('a long enough secret');
      expect(row.email_verified_at).toBeNull();
      expect(await services.accounts.countSessions(row.id)).toBe(0);
      const sent = (await codeSentTo('new@example.org'))!;
      expect(sent).toMatch(/^\d{6}$/);
      const code = await services.db.selectFrom('one_time_code').selectAll().where('destination', '=', 'new@example.org').executeTakeFirstOrThrow();
      expect(code).toMatchObject({ purpose: 'sign_in', channel: 'email', user_id: row.id });
      expect(code.code_hash).not.toBe(sent);
      const opened = await services.accounts.verifySignInCode({ channel: 'email', destination: 'new@example.org', code: sent }, ctx);
      expect(opened.user).toMatchObject({ id: row.id, emailVerified: true });
      expect(opened.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const session = await services.db.selectFrom('session').selectAll().where('id', '=', opened.session.id).executeTakeFirstOrThrow();
      expect(session.token_hash).not.toBe(opened.token);
      expect(session.token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('answers a taken email like a new one: nothing created, the holder is told with sign-in and reset links', async () => {
      const holder = await createTestUser(services, { email: 'dup@example.org', phone: '+33611111111' });
      const before = await services.db.selectFrom('user').selectAll().where('id', '=', holder.userId).executeTakeFirstOrThrow();
      const input = { email: 'dup@example.org', password: 'another long secret', displayName: 'D', locale: 'en' as const };
      await expect(services.accounts.signUp(input, ctx)).resolves.toBeUndefined();
      expect(await services.db.selectFrom('user').selectAll().where('id', '=', holder.userId).executeTakeFirstOrThrow()).toEqual(before);
      expect(await services.db.selectFrom('user').select('id').where('email', '=', 'dup@example.org').execute()).toHaveLength(1);
      const messages = (await services.notify.listCaptured({ limit: 200 })).filter((m) => m.recipient === 'dup@example.org');
      expect(messages).toHaveLength(1);
      expect(messages[0]!.subject).toBe('Glane : quelqu’un a essayé de créer un compte avec votre adresse'); // the holder's language
      expect(messages[0]!.body).toContain('http://glane.test/connexion');
      expect(messages[0]!.body).toContain('http://glane.test/mot-de-passe-oublie');
      expect(await services.db.selectFrom('one_time_code').select('id').where('destination', '=', 'dup@example.org').execute()).toEqual([]);
      const audit = await services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', holder.userId).execute();
      expect(audit.map((e) => e.action)).toEqual(['account.sign_up_attempt']);
      expect(JSON.stringify(audit)).not.toContain('dup@example.org');

      // A phone number taken by another account is left off the new one, without a word.
      await expect(services.accounts.signUp({ ...input, email: 'other@example.org', phone: '+33611111111' }, ctx)).resolves.toBeUndefined();
      const other = await services.db.selectFrom('user').selectAll().where('email', '=', 'other@example.org').executeTakeFirstOrThrow();
      expect(other.phone).toBeNull();
    });

    it('keeps the limits: per address (shared with sign-in codes) and per client address', async () => {
      const input = { email: 'flood@example.org', password: 'a long enough secret', displayName: 'F', locale: 'fr' as const };
      for (let i = 0; i < 5; i++) await services.accounts.signUp(input, { ...ctx, ip: `192.0.2.${10 + i}` });
      const error = await caught(services.accounts.signUp(input, { ...ctx, ip: '192.0.2.99' }));
      expect(error.code).toBe('rate_limited');
      // The first made the account (its code), the next four told its holder: five messages, and no sixth.
      const told = (await services.notify.listCaptured({ limit: 200 })).filter((m) => m.recipient === 'flood@example.org');
      expect(told).toHaveLength(5);
    });
  });

  describe('sign-up by phone', () => {
    const newcomer = { displayName: 'Nadia', locale: 'fr' as const };

    it('creates an unverified account without email or password and sends a sign-in code by SMS', async () => {
      const phone = '+33640000001';
      await expect(services.accounts.signUpByPhone({ ...newcomer, phone }, ctx)).resolves.toBeUndefined();
      const row = await services.db.selectFrom('user').selectAll().where('phone', '=', phone).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: null, password_hash: null, phone_verified_at: null, display_name: 'Nadia', locale: 'fr' });
      const message = (await services.notify.listCaptured({ limit: 200 })).find((m) => m.recipient === phone)!;
      expect(message.channel).toBe('sms');
      expect(message.subject).toContain('code de connexion');
      const code = await services.db.selectFrom('one_time_code').selectAll().where('destination', '=', phone).executeTakeFirstOrThrow();
      expect(code).toMatchObject({ purpose: 'sign_in', channel: 'sms', user_id: row.id });
      const audit = await services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', row.id).execute();
      expect(audit.map((e) => [e.action, e.details])).toEqual([['account.sign_up', JSON.stringify({ method: 'phone' })]]);
      expect(JSON.stringify(audit)).not.toContain(phone);
    });

    it('signs the person in with the code and marks the phone verified', async () => {
      const phone = '+33740000002';
      await services.accounts.signUpByPhone({ ...newcomer, phone }, ctx);
      t += 2 * MIN;
      const code = (await codeSentTo(phone))!;
      const result = await services.accounts.verifySignInCode({ channel: 'sms', destination: phone, code }, ctx);
      expect(result.user).toMatchObject({ displayName: 'Nadia', email: null, emailVerified: false, phone });
      expect(await services.accounts.authenticate(result.token)).not.toBeNull();
      const row = await services.db.selectFrom('user').select('phone_verified_at').where('phone', '=', phone).executeTakeFirstOrThrow();
      expect(row.phone_verified_at).toBe(new Date(START + 2 * MIN).toISOString());
    });

    it('answers the same for a number that has an account, sending it a sign-in code instead', async () => {
      const phone = '+33640000003';
      const existing = await createTestUser(services, { phone, displayName: 'Already here' });
      await expect(services.accounts.signUpByPhone({ ...newcomer, phone }, ctx)).resolves.toBeUndefined();
      const rows = await services.db.selectFrom('user').select(['id', 'display_name']).where('phone', '=', phone).execute();
      expect(rows).toEqual([{ id: existing.userId, display_name: 'Already here' }]);
      const code = (await codeSentTo(phone))!;
      const result = await services.accounts.verifySignInCode({ channel: 'sms', destination: phone, code }, ctx);
      expect(result.user.id).toBe(existing.userId);
      // The SMS itself reads the same as for a new account.
      await services.accounts.signUpByPhone({ ...newcomer, phone: '+33640000004' }, ctx);
      const [known, fresh] = await Promise.all(
        [phone, '+33640000004'].map(async (to) => (await services.notify.listCaptured({ limit: 200 })).find((m) => m.recipient === to)!)
      );
      expect(known!.subject.replace(/\d{6}/, '')).toBe(fresh!.subject.replace(/\d{6}/, ''));
    });

    it('creates one account when the same new number signs up twice at once', async () => {
      const phone = '+33640000005';
      await Promise.all([
        services.accounts.signUpByPhone({ ...newcomer, phone }, { ip: '203.0.113.1' }),
        services.accounts.signUpByPhone({ ...newcomer, phone }, { ip: '203.0.113.2' })
      ]);
      expect(await services.db.selectFrom('user').select('id').where('phone', '=', phone).execute()).toHaveLength(1);
    });

    it('shares the limits of sign-in codes: 5 per number in 15 minutes', async () => {
      const phone = '+33640000006';
      for (let i = 0; i < 3; i++) await services.accounts.signUpByPhone({ ...newcomer, phone }, { ip: `203.0.113.${i}` });
      for (let i = 3; i < 5; i++) await services.accounts.requestSignInCode({ channel: 'sms', destination: phone }, { ip: `203.0.113.${i}` });
      const error = await caught(services.accounts.signUpByPhone({ ...newcomer, phone }, { ip: '203.0.113.9' }));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retryAfter).toBe(15 * 60);
    });

    it('refuses with `unavailable` and creates nothing when SMS cannot be sent', async () => {
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEV_MAILBOX: 'false', SMS_PROVIDER: 'none' });
      const off = createServices(config, database, createLogger('silent'), { now: () => new Date(t) });
      const error = await caught(off.accounts.signUpByPhone({ ...newcomer, phone: '+33640000007' }, ctx));
      expect(error.code).toBe('unavailable');
      expect(await services.db.selectFrom('user').select('id').where('phone', '=', '+33640000007').execute()).toEqual([]);
    });

    it('sends the code through a real SMS provider when there is no dev mailbox', async () => {
      const sms = new LogSmsProvider();
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEV_MAILBOX: 'false', SMS_PROVIDER: 'log' });
      const live = createServices(config, database, createLogger('silent'), { now: () => new Date(t), smsProvider: sms });
      await live.accounts.signUpByPhone({ ...newcomer, phone: '+33640000008' }, ctx);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sms.sent.map((m) => m.to)).toEqual(['+33640000008']);
      const code = /\b(\d{6})\b/.exec(sms.sent[0]!.text)![1]!;
      const result = await live.accounts.verifySignInCode({ channel: 'sms', destination: '+33640000008', code }, ctx);
      expect(result.user.phone).toBe('+33640000008');
    });

    /** A phone account whose SMS code was entered (signed in): its id. */
    async function phoneAccount(phone: string): Promise<string> {
      await services.accounts.signUpByPhone({ ...newcomer, phone }, { ...ctx, ip: phone });
      const signedIn = await services.accounts.verifySignInCode({ channel: 'sms', destination: phone, code: (await codeSentTo(phone))! }, ctx);
      return signedIn.user.id;
    }
    const messagesTo = async (to: string) => (await services.notify.listCaptured({ limit: 500 })).filter((m) => m.recipient === to);
    const codesFor = (to: string) => services.db.selectFrom('one_time_code').select('id').where('destination', '=', to).execute();

    it('answers adding a free or a taken address alike: the free one gets a code, the holder of the taken one is told', async () => {
      const phone = '+33640000009';
      const id = await phoneAccount(phone);
      const holder = await createTestUser(services, { locale: 'en' });
      const holderBefore = await services.db.selectFrom('user').selectAll().where('id', '=', holder.userId).executeTakeFirstOrThrow();

      await expect(services.accounts.addEmail(id, { email: holder.email }, ctx)).resolves.toBeUndefined();
      await expect(services.accounts.addEmail(id, { email: 'nadia@example.org' }, ctx)).resolves.toBeUndefined();
      // Neither address is on the account yet: it reads the same either way until a code is entered.
      expect(await services.accounts.getAccount(id)).toMatchObject({ email: null, emailVerified: false, phone });

      // The taken address: no code, its holder told in their language, with a sign-in link and what to do.
      expect(await codesFor(holder.email)).toEqual([]);
      const told = await messagesTo(holder.email);
      expect(told).toHaveLength(1);
      expect(told[0]!.subject).toBe('Glane: someone tried to add your address to another account');
      expect(told[0]!.body).toContain('http://glane.test/connexion');
      expect(told[0]!.body).toContain('If it was not you, there is nothing to do');
      expect(told[0]!.body).not.toMatch(/\b\d{6}\b/);
      const audit = await services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', holder.userId).execute();
      expect(audit.map((e) => [e.action, e.actor_user_id])).toEqual([['account.email_add_attempt', id]]);
      expect(JSON.stringify(audit)).not.toContain(holder.email);
      expect(await services.db.selectFrom('user').selectAll().where('id', '=', holder.userId).executeTakeFirstOrThrow()).toEqual(holderBefore);

      // The free address: its code, in the asking account's language; entering it adds the address, confirmed.
      const mail = (await messagesTo('nadia@example.org'))[0]!;
      expect(mail.subject).toBe('Glane : confirmez votre adresse e-mail');
      const verified = await services.accounts.verifyEmail({ email: 'nadia@example.org', code: (await codeSentTo('nadia@example.org'))! }, ctx);
      expect(verified).toMatchObject({ id, email: 'nadia@example.org', emailVerified: true, phone });
      expect((await caught(services.accounts.addEmail(id, { email: 'other@example.org' }, ctx))).code).toBe('conflict');
      const actions = await services.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).execute();
      expect(actions.map((a) => a.action).sort()).toEqual(['account.email_add', 'account.sign_up']);
    });

    it('never confirms a taken address for another account: no code to guess, the holder\'s own code confirms the holder', async () => {
      const id = await phoneAccount('+33640000010');
      const holder = await createTestUser(services, { emailVerified: false });
      await services.accounts.addEmail(id, { email: holder.email }, ctx);
      for (const code of ['000000', '123456', '999999']) {
        const refused = await caught(services.accounts.verifyEmail({ email: holder.email, code }, { ip: `203.0.113.${code[0]}` }));
        expect(refused.code).toBe('validation_failed');
        expect(refused.details?.fields?.[0]?.path).toBe('code');
      }
      // Even the holder's own verification code (were it ever seen) confirms the holder's account, never the other.
      await services.accounts.requestEmailVerification(holder.userId, ctx);
      const mail = (await messagesTo(holder.email)).find((m) => m.subject === 'Glane : confirmez votre adresse e-mail')!;
      const confirmed = await services.accounts.verifyEmail({ email: holder.email, code: /\b(\d{6})\b/.exec(mail.body)![1]! }, ctx);
      expect(confirmed).toMatchObject({ id: holder.userId, emailVerified: true });
      expect(await services.accounts.getAccount(id)).toMatchObject({ email: null });
      expect(await services.db.selectFrom('user').select('id').where('email', '=', holder.email).execute()).toEqual([{ id: holder.userId }]);
    });

    it('refuses a code whose address another account took since it was sent, and leaves both accounts as they were', async () => {
      const id = await phoneAccount('+33640000011');
      await services.accounts.addEmail(id, { email: 'raced@example.org' }, ctx);
      const code = (await codeSentTo('raced@example.org'))!;
      await services.accounts.signUp({ email: 'raced@example.org', password: 'a long enough secret', displayName: 'R', locale: 'fr' }, ctx);
      const refused = await caught(services.accounts.verifyEmail({ email: 'raced@example.org', code }, ctx));
      expect(refused.code).toBe('validation_failed');
      expect(await services.accounts.getAccount(id)).toMatchObject({ email: null });
      const rows = await services.db.selectFrom('user').select(['id', 'email_verified_at']).where('email', '=', 'raced@example.org').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).not.toBe(id);
      expect(rows[0]!.email_verified_at).toBeNull();
    });

    it('keeps the limits of verification codes, whether the address is free or taken', async () => {
      const id = await phoneAccount('+33640000012');
      const holder = await createTestUser(services);
      for (const email of [holder.email, 'free-limited@example.org']) {
        for (let i = 0; i < 5; i++) await services.accounts.addEmail(id, { email }, { ip: `198.51.100.${i}` });
        const error = await caught(services.accounts.addEmail(id, { email }, { ip: '198.51.100.99' }));
        expect(error.code).toBe('rate_limited');
        expect(error.details?.retryAfter).toBe(15 * 60);
        expect(await messagesTo(email)).toHaveLength(5);
      }
    });
  });

  describe('sign-in by password', () => {
    it('gives the same error for a wrong password and an unknown email', async () => {
      const user = await createTestUser(services);
      const wrong = await caught(services.accounts.signIn({ email: user.email, password: 'not the password' }, ctx));
      const unknown = await caught(services.accounts.signIn({ email: 'nobody@example.org', password: 'whatever it is' }, ctx));
      expect(wrong.code).toBe('invalid_credentials');
      expect(unknown.code).toBe('invalid_credentials');
      expect(wrong.message).toBe(unknown.message);
    });

    it('locks the account for 15 minutes on the fifth consecutive failure, then lets the right password in', async () => {
      const user = await createTestUser(services);
      for (let i = 0; i < 4; i++) {
        expect((await caught(services.accounts.signIn({ email: user.email, password: 'wrong password' }, ctx))).code).toBe(
          'invalid_credentials'
        );
      }
      const locked = await caught(services.accounts.signIn({ email: user.email, password: 'wrong password' }, ctx));
      expect(locked.code).toBe('account_locked');
      expect(locked.details?.lockedUntil).toBe(new Date(START + 15 * MIN).toISOString());
      // Even the right password waits for the lock to pass.
      t += 14 * MIN;
      expect((await caught(services.accounts.signIn({ email: user.email, password: user.password }, ctx))).code).toBe('account_locked');
      t += MIN;
      const ok = await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      expect(ok.user.id).toBe(user.userId);
      const row = await services.db.selectFrom('user').selectAll().where('id', '=', user.userId).executeTakeFirstOrThrow();
      expect(Number(row.failed_sign_in_count)).toBe(0);
      expect(row.locked_until).toBeNull();
    });

    it('resets the failure count on success, so failures must be consecutive', async () => {
      const user = await createTestUser(services);
      for (let i = 0; i < 4; i++) await caught(services.accounts.signIn({ email: user.email, password: 'wrong password' }, ctx));
      await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      for (let i = 0; i < 4; i++) {
        expect((await caught(services.accounts.signIn({ email: user.email, password: 'wrong password' }, ctx))).code).toBe(
          'invalid_credentials'
        );
      }
    });

    it('limits failed sign-ins to 10 a minute per address; successes do not count', async () => {
      const user = await createTestUser(services);
      for (let i = 0; i < 12; i++) await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      for (let i = 0; i < 10; i++) {
        const email = `unknown-${i}@example.org`;
        expect((await caught(services.accounts.signIn({ email, password: 'wrong password' }, ctx))).code).toBe('invalid_credentials');
      }
      const error = await caught(services.accounts.signIn({ email: user.email, password: user.password }, ctx));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retryAfter).toBe(60);
      // Another address is not held back.
      await services.accounts.signIn({ email: user.email, password: user.password }, { ip: '192.0.2.2' });
    });

    it('limits failed sign-ins to 20 an hour per account, from any address', async () => {
      const email = 'target@example.org';
      for (let i = 0; i < 20; i++) {
        await caught(services.accounts.signIn({ email, password: 'wrong password' }, { ip: `198.51.100.${i}` }));
      }
      const error = await caught(services.accounts.signIn({ email, password: 'wrong password' }, { ip: '198.51.100.99' }));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retryAfter).toBe(3600);
    });
  });

  describe('sign-in by one-time code', () => {
    it('sends nothing for an unknown address, yet answers the same', async () => {
      await expect(
        services.accounts.requestSignInCode({ channel: 'email', destination: 'ghost@example.org' }, ctx)
      ).resolves.toBeUndefined();
      expect(await codeSentTo('ghost@example.org')).toBeUndefined();
    });

    it('signs in with the emailed code once, and marks the email verified', async () => {
      const user = await createTestUser(services, { emailVerified: false });
      await services.accounts.requestSignInCode({ channel: 'email', destination: user.email }, ctx);
      const code = (await codeSentTo(user.email))!;
      const result = await services.accounts.verifySignInCode({ channel: 'email', destination: user.email, code }, ctx);
      expect(result.user).toMatchObject({ id: user.userId, emailVerified: true });
      const again = await caught(services.accounts.verifySignInCode({ channel: 'email', destination: user.email, code }, ctx));
      expect(again.code).toBe('invalid_credentials');
    });

    it('signs in by SMS to a French number', async () => {
      const user = await createTestUser(services, { phone: '+33622334455' });
      await services.accounts.requestSignInCode({ channel: 'sms', destination: '+33622334455' }, ctx);
      const code = (await codeSentTo('+33622334455'))!;
      expect(code).toMatch(/^\d{6}$/);
      const result = await services.accounts.verifySignInCode({ channel: 'sms', destination: '+33622334455', code }, ctx);
      expect(result.user.id).toBe(user.userId);
    });

    it('delivers a code by a real SMS provider when there is no dev mailbox', async () => {
      const sms = new LogSmsProvider();
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEV_MAILBOX: 'false', SMS_PROVIDER: 'log' });
      const live = createServices(config, database, createLogger('silent'), { now: () => new Date(t), smsProvider: sms });
      const user = await createTestUser(live, { phone: '+33633445566' });
      await live.accounts.requestSignInCode({ channel: 'sms', destination: '+33633445566' }, ctx);
      await live.accounts.requestSignInCode({ channel: 'sms', destination: '+33699999999' }, ctx);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sms.sent.map((m) => m.to)).toEqual(['+33633445566']);
      const code = /\b(\d{6})\b/.exec(sms.sent[0]!.text)![1]!;
      const result = await live.accounts.verifySignInCode({ channel: 'sms', destination: '+33633445566', code }, ctx);
      expect(result.user.id).toBe(user.userId);
      expect((await caught(live.accounts.requestSignInCode({ channel: 'email', destination: user.email }, ctx))).code).toBe(
        'unavailable'
      );
    });

    it('kills a code after five wrong attempts', async () => {
      const user = await createTestUser(services);
      await services.accounts.requestSignInCode({ channel: 'email', destination: user.email }, ctx);
      const code = (await codeSentTo(user.email))!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        await caught(services.accounts.verifySignInCode({ channel: 'email', destination: user.email, code: wrong }, { ip: `203.0.113.${i}` }));
      }
      const error = await caught(services.accounts.verifySignInCode({ channel: 'email', destination: user.email, code }, ctx));
      expect(error.code).toBe('invalid_credentials');
    });

    it('expires a code after 10 minutes', async () => {
      const user = await createTestUser(services);
      await services.accounts.requestSignInCode({ channel: 'email', destination: user.email }, ctx);
      const code = (await codeSentTo(user.email))!;
      t += 10 * MIN;
      const error = await caught(services.accounts.verifySignInCode({ channel: 'email', destination: user.email, code }, ctx));
      expect(error.code).toBe('invalid_credentials');
    });

    it('purges expired sessions and codes expired over a day ago', async () => {
      const user = await createTestUser(services);
      await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      await services.accounts.requestSignInCode({ channel: 'email', destination: user.email }, ctx);
      t += 2 * MIN;
      expect(await services.accounts.purgeExpired()).toMatchObject({ sessions: 0 });
      expect(await services.accounts.countSessions(user.userId)).toBe(1);
      t += 31 * 24 * 60 * MIN;
      const purged = await services.accounts.purgeExpired();
      expect(purged.sessions).toBeGreaterThanOrEqual(1);
      expect(purged.codes).toBeGreaterThanOrEqual(1);
      expect(await services.accounts.countSessions(user.userId)).toBe(0);
      const left = await services.db.selectFrom('one_time_code').select('id').where('destination', '=', user.email).execute();
      expect(left).toEqual([]);
    });

    it('purges phone sign-ups whose code was never entered after the configured delay, never a verified or used account', async () => {
      const HOUR = 60 * MIN;
      const idOf = async (phone: string) =>
        (await services.db.selectFrom('user').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
      const exists = async (id: string) => (await services.db.selectFrom('user').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
      const signUp = (phone: string) => services.accounts.signUpByPhone({ phone, displayName: 'Nadia', locale: 'fr' }, { ...ctx, ip: phone });
      await signUp('+33650100001'); // never enters the code
      await signUp('+33650100002'); // enters it
      await signUp('+33650100003'); // never enters it, yet has a session: signing in is not a use
      await signUp('+33650100004'); // never enters it; its household only (used)
      const abandoned = await idOf('+33650100001');
      const verified = await idOf('+33650100002');
      const withSession = await idOf('+33650100003');
      const withHousehold = await idOf('+33650100004');
      const code = await codeSentTo('+33650100002');
      await services.accounts.verifySignInCode({ channel: 'sms', destination: '+33650100002', code: code! }, ctx);
      await insertTestHousehold(services.db, withHousehold, 'Nadia');
      await services.db.insertInto('session').values({
        id: 'purge-test-session',
        user_id: withSession,
        token_hash: 'f'.repeat(64),
        csrf_token: 'x',
        user_agent: null,
        created_at: new Date(t).toISOString(),
        last_seen_at: new Date(t).toISOString(),
        rotated_at: new Date(t).toISOString(),
        expires_at: new Date(t + 400 * 24 * HOUR).toISOString()
      }).execute();
      const emailUser = await createTestUser(services); // an email account whose address is confirmed

      t += 23 * HOUR;
      await signUp('+33650100005'); // a fresh one, 1 hour before the others are due
      const fresh = await idOf('+33650100005');
      await services.accounts.purgeExpired();
      for (const kept of [abandoned, verified, withSession, withHousehold, fresh]) expect(await exists(kept)).toBe(true);

      t += 1 * HOUR + MIN; // the first ones are now 24 h old
      // (Other tests' abandoned sign-ups of this database may go in the same run: the count is at least one.)
      expect((await services.accounts.purgeExpired()).unverifiedAccounts).toBeGreaterThanOrEqual(1);
      expect(await exists(abandoned)).toBe(false);
      expect(await exists(withSession)).toBe(false);
      for (const kept of [verified, withHousehold, fresh, emailUser.userId]) expect(await exists(kept)).toBe(true);
      const codes = await services.db.selectFrom('one_time_code').select('id').where('user_id', '=', abandoned).execute();
      expect(codes).toEqual([]);
      const audit = await services.db
        .selectFrom('audit_log')
        .select('subject_id')
        .where('action', '=', 'account.purge_unverified')
        .where('subject_id', 'in', [abandoned, verified, withSession, withHousehold, fresh])
        .execute();
      expect(audit.map((a) => a.subject_id).sort()).toEqual([abandoned, withSession].sort());

      t += 24 * HOUR;
      expect((await services.accounts.purgeExpired()).unverifiedAccounts).toBeGreaterThanOrEqual(1); // the fresh one, now due
      expect(await exists(fresh)).toBe(false);
      // The number can sign up again.
      await signUp('+33650100001');
      expect(await idOf('+33650100001')).not.toBe(abandoned);
      expect(loadConfig({ UNVERIFIED_ACCOUNT_PURGE_HOURS: '48' }).UNVERIFIED_ACCOUNT_PURGE_HOURS).toBe(48);
      expect(loadConfig({}).UNVERIFIED_ACCOUNT_PURGE_HOURS).toBe(24);
    });

    it('limits code requests to 5 per destination in 15 minutes', async () => {
      const destination = 'limited@example.org';
      for (let i = 0; i < 5; i++) await services.accounts.requestSignInCode({ channel: 'email', destination }, { ip: `203.0.113.${i}` });
      const error = await caught(services.accounts.requestSignInCode({ channel: 'email', destination }, { ip: '203.0.113.50' }));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retryAfter).toBe(15 * 60);
    });
  });

  describe('purge of email sign-ups never confirmed', () => {
    const HOUR = 60 * MIN;
    const password = 'a long enough secret';
    const exists = async (id: string) => (await services.db.selectFrom('user').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    /** Signs up by email (a client address of its own, so limits stay out of the way); the new account's id. */
    async function emailSignUp(email: string, phone?: string): Promise<string> {
      await services.accounts.signUp({ email, password, displayName: 'Eve', locale: 'fr', ...(phone ? { phone } : {}) }, { ...ctx, ip: email });
      return (await services.db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    }
    const iso = () => new Date(t).toISOString();
    const purgedIds = async (ids: string[]) =>
      (
        await services.db
          .selectFrom('audit_log')
          .select('subject_id')
          .where('action', '=', 'account.purge_unverified')
          .where('subject_id', 'in', ids)
          .execute()
      )
        .map((a) => a.subject_id)
        .sort();

    it('deletes an email sign-up never confirmed after the delay, even one signed in by password; never a confirmed one', async () => {
      const abandoned = await emailSignUp('abandoned@example.org');
      const opening = (await services.notify.listCaptured({ limit: 500 })).find((m) => m.recipient === 'abandoned@example.org')!;
      expect(opening.body).toContain('un compte jamais confirmé est supprimé au bout de 24 heures');
      const withPhone = await emailSignUp('with-phone@example.org', '+33650200001'); // neither confirmed
      const passwordOnly = await emailSignUp('password-only@example.org');
      const signedIn = await services.accounts.signIn({ email: 'password-only@example.org', password }, ctx);
      const confirmed = await emailSignUp('confirmed@example.org');
      await services.accounts.verifySignInCode({ channel: 'email', destination: 'confirmed@example.org', code: (await codeSentTo('confirmed@example.org'))! }, ctx);
      const reset = await emailSignUp('reset@example.org'); // a password reset proves the address too
      await services.accounts.requestPasswordReset({ email: 'reset@example.org' }, ctx);
      const resetCode = (await services.notify.listCaptured({ limit: 500 })).find((m) => m.recipient === 'reset@example.org' && /mot de passe/.test(m.subject))!;
      await services.accounts.completePasswordReset({ email: 'reset@example.org', code: /\b(\d{6})\b/.exec(resetCode.body)![1]!, password }, ctx);
      const phoneConfirmed = await emailSignUp('phone-confirmed@example.org', '+33650200002'); // its phone is confirmed by an SMS code
      await services.accounts.requestSignInCode({ channel: 'sms', destination: '+33650200002' }, ctx);
      await services.accounts.verifySignInCode({ channel: 'sms', destination: '+33650200002', code: (await codeSentTo('+33650200002'))! }, ctx);
      const admin = await createTestUser(services, { emailVerified: false, isPlatformAdmin: true });
      const all = [abandoned, withPhone, passwordOnly, confirmed, reset, phoneConfirmed, admin.userId];

      t += 24 * HOUR - MIN;
      await services.accounts.purgeExpired();
      for (const id of all) expect(await exists(id)).toBe(true);
      expect(await services.accounts.confirmationDeadline(abandoned)).toBe(new Date(START + 24 * HOUR).toISOString());
      expect(await services.accounts.confirmationDeadline(confirmed)).toBeNull();
      expect(await services.accounts.confirmationDeadline(phoneConfirmed)).toBeNull();

      t += 2 * MIN;
      expect((await services.accounts.purgeExpired()).unverifiedAccounts).toBeGreaterThanOrEqual(3);
      for (const gone of [abandoned, withPhone, passwordOnly]) expect(await exists(gone)).toBe(false);
      for (const kept of [confirmed, reset, phoneConfirmed, admin.userId]) expect(await exists(kept)).toBe(true);
      expect(await purgedIds(all)).toEqual([abandoned, withPhone, passwordOnly].sort());
      // The session of the password sign-in ended with the account.
      expect(await services.accounts.authenticate(signedIn.token)).toBeNull();
      // The address is free again: signing up with it makes a new account (its holder is not told "someone tried").
      const again = await emailSignUp('abandoned@example.org');
      expect(again).not.toBe(abandoned);
      const mails = (await services.notify.listCaptured({ limit: 500 })).filter((m) => m.recipient === 'abandoned@example.org');
      expect(mails.map((m) => m.subject).filter((s) => /essayé/.test(s))).toEqual([]);
    });

    it('keeps an account never confirmed that was used after a password sign-in: a household, a saved preference, a setting it changed', async () => {
      const withHousehold = await emailSignUp('used-household@example.org');
      const withPreference = await emailSignUp('used-preference@example.org');
      const withSetting = await emailSignUp('used-setting@example.org');
      const idle = await emailSignUp('idle@example.org');
      for (const email of ['used-household@example.org', 'used-preference@example.org', 'used-setting@example.org', 'idle@example.org']) {
        await services.accounts.signIn({ email, password }, ctx);
      }
      await insertTestHousehold(services.db, withHousehold, 'Eve');
      await services.db
        .insertInto('feed_preference')
        .values({
          user_id: withPreference,
          lat: 48.85,
          lng: 2.35,
          radius_km: 2,
          categories: '[]',
          diet_mask: 0,
          excluded_allergen_mask: 0,
          notify_new_offers: 0,
          quiet_start: null,
          quiet_end: null,
          daily_cap: 3,
          updated_at: iso()
        })
        .execute();
      // A column that would only be emptied (ON DELETE SET NULL) counts as a use too.
      await services.db
        .insertInto('setting')
        .values({ key: `purge-test-${kind}`, value: '1', updated_by_user_id: withSetting, updated_at: iso() })
        .execute();

      t += 48 * HOUR;
      await services.accounts.purgeExpired();
      expect(await exists(idle)).toBe(false);
      for (const kept of [withHousehold, withPreference, withSetting]) expect(await exists(kept)).toBe(true);
      expect(await purgedIds([withHousehold, withPreference, withSetting, idle])).toEqual([idle]);
    });
  });

  describe('password reset', () => {
    it('sets the new password, ends every session and lifts a lock', async () => {
      const user = await createTestUser(services);
      const a = await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      for (let i = 0; i < 5; i++) await caught(services.accounts.signIn({ email: user.email, password: 'wrong password' }, ctx));
      services.limiter.clear();

      await services.accounts.requestPasswordReset({ email: user.email }, ctx);
      const code = (await codeSentTo(user.email))!;
      await services.accounts.completePasswordReset({ email: user.email, code, password: 'a brand new secret' }, ctx);

      expect(await services.accounts.authenticate(a.token)).toBeNull();
      expect(await services.accounts.countSessions(user.userId)).toBe(0);
      expect((await caught(services.accounts.signIn({ email: user.email, password: user.password }, ctx))).code).toBe(
        'invalid_credentials'
      );
      const ok = await services.accounts.signIn({ email: user.email, password: 'a brand new secret' }, ctx);
      expect(ok.user.id).toBe(user.userId);

      const entries = await services.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id', 'details'])
        .where('subject_id', '=', user.userId)
        .orderBy('action')
        .execute();
      expect(entries.map((e) => e.action)).toEqual(['account.lock', 'account.password_reset']);
      expect(JSON.parse(entries[1]!.details!)).toEqual({ sessionsEnded: 2 });
      expect(JSON.stringify(entries)).not.toContain(user.email);
    });

    it('refuses a wrong code naming the field, and changes nothing', async () => {
      const user = await createTestUser(services);
      await services.accounts.requestPasswordReset({ email: user.email }, ctx);
      const wrong = (await codeSentTo(user.email)) === '999999' ? '888888' : '999999';
      const error = await caught(
        services.accounts.completePasswordReset({ email: user.email, code: wrong, password: 'a brand new secret' }, ctx)
      );
      expect(error.code).toBe('validation_failed');
      expect(error.details?.fields?.[0]?.path).toBe('code');
      await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
    });

    it('limits reset requests to 5 per email in 15 minutes, known or not', async () => {
      const user = await createTestUser(services);
      for (const email of [user.email, 'nobody3@example.org']) {
        for (let i = 0; i < 5; i++) await services.accounts.requestPasswordReset({ email }, { ip: `203.0.113.${i}` });
        const error = await caught(services.accounts.requestPasswordReset({ email }, { ip: '203.0.113.99' }));
        expect(error.code).toBe('rate_limited');
        expect(error.details?.retryAfter).toBe(900);
      }
    });

    it('answers the same for an unknown email, sending nothing', async () => {
      await expect(services.accounts.requestPasswordReset({ email: 'nobody2@example.org' }, ctx)).resolves.toBeUndefined();
      expect(await codeSentTo('nobody2@example.org')).toBeUndefined();
    });
  });

  describe('email verification and account', () => {
    it('verifies an email with the code sent on request', async () => {
      const user = await createTestUser(services, { emailVerified: false });
      await services.accounts.requestEmailVerification(user.userId, ctx);
      const code = (await codeSentTo(user.email))!;
      const verified = await services.accounts.verifyEmail({ email: user.email, code }, ctx);
      expect(verified.emailVerified).toBe(true);
      const row = await services.db.selectFrom('user').select('email_verified_at').where('id', '=', user.userId).executeTakeFirstOrThrow();
      expect(row.email_verified_at).toBe(new Date(START).toISOString());
    });

    it('updates display name and locale, and deletes the account with its sessions', async () => {
      const user = await createTestUser(services);
      const signedIn = await services.accounts.signIn({ email: user.email, password: user.password }, ctx);
      expect(await services.accounts.updateAccount(user.userId, { displayName: 'Renamed', locale: 'en' })).toMatchObject({
        displayName: 'Renamed',
        locale: 'en'
      });
      await services.accounts.deleteAccount(user.userId);
      expect(await services.accounts.authenticate(signedIn.token)).toBeNull();
      expect((await caught(services.accounts.getAccount(user.userId))).code).toBe('unauthenticated');
    });
  });
});
