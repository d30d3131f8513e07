import { randomInt, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type {
  AccountUpdateInput,
  AccountUser,
  CodeChannel,
  CodeRequestInput,
  CodeVerifyInput,
  EmailAddInput,
  EmailVerificationInput,
  Locale,
  PasswordResetCompleteInput,
  PasswordResetRequestInput,
  SignInInput,
  SignUpWithEmailInput,
  SignUpWithPhoneInput
} from '../../../schemas/accounts.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Notify } from '../../notify/notify.js';
import type { RateLimiter } from '../../rate-limiter.js';
import { recordAudit, type AuditDetails } from '../audit/audit.repository.js';
import { eraseEligibilityData } from '../eligibility/people.repository.js';
import { erasureReport, type ErasureReport } from '../eligibility/people.rules.js';
import {
  CODE_TTL_MS,
  LIMITS,
  activeLock,
  hashCode,
  isCodeUsable,
  lockAfterFailures,
  passwordHashOptions,
  safeEqual
} from './accounts.rules.js';
import { createAccountsRepository, type CodeRecord, type UserRecord } from './accounts.repository.js';
import { createSessionsService, type SessionsService } from './sessions.service.js';
import type { SessionRecord } from './sessions.repository.js';

export interface AccountsDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'NODE_ENV' | 'SESSION_TTL_DAYS' | 'PUBLIC_URL' | 'UNVERIFIED_ACCOUNT_PURGE_HOURS'>;
  now: () => Date;
  notify: Notify;
  limiter: RateLimiter;
  logger: Logger;
}

/** Where a request comes from: the client address for rate limits, the user agent for the session list. */
export interface RequestContext {
  ip?: string;
  userAgent?: string | null;
  /** For the audit log entries of security events. */
  requestId?: string;
}

/** A signed-in result: the session's token goes into the cookie, never into a response body. */
export interface SignedIn {
  user: AccountUser;
  session: SessionRecord;
  token: string;
}

/** The public shape of a user (no hash, no counters). */
export function presentUser(user: UserRecord): AccountUser {
  return {
    id: user.id,
    displayName: user.displayName,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    phone: user.phone,
    locale: user.locale,
    isPlatformAdmin: user.isPlatformAdmin
  };
}

const invalidCredentials = () => new AppError('invalid_credentials', 'Wrong email or password');
const invalidCode = (field = 'code') =>
  new AppError('validation_failed', 'Invalid or expired code', { fields: [{ path: field, message: 'invalid or expired code' }] });

type Purpose = CodeRecord['purpose'];

const MESSAGES: Record<Purpose, Record<Locale, (code: string, link?: string) => { subject: string; text: string }>> = {
  sign_in: {
    fr: (code) => ({
      subject: `Glane : votre code de connexion ${code}`,
      text: `Votre code de connexion à Glane : ${code}\nIl est valable 10 minutes. Si vous n'avez rien demandé, ignorez ce message.`
    }),
    en: (code) => ({
      subject: `Glane: your sign-in code ${code}`,
      text: `Your Glane sign-in code: ${code}\nIt is valid for 10 minutes. If you did not ask for it, ignore this message.`
    })
  },
  reset_password: {
    fr: (code, link) => ({
      subject: 'Glane : réinitialiser votre mot de passe',
      text: `Votre code pour choisir un nouveau mot de passe : ${code}\nOu ouvrez ce lien : ${link}\nIl est valable 10 minutes. Si vous n'avez rien demandé, ignorez ce message.`
    }),
    en: (code, link) => ({
      subject: 'Glane: reset your password',
      text: `Your code to choose a new password: ${code}\nOr open this link: ${link}\nIt is valid for 10 minutes. If you did not ask for it, ignore this message.`
    })
  },
  verify_email: {
    fr: (code, link) => ({
      subject: 'Glane : confirmez votre adresse e-mail',
      text: `Votre code de confirmation : ${code}\nOu ouvrez ce lien : ${link}\nIl est valable 10 minutes.`
    }),
    en: (code, link) => ({
      subject: 'Glane: confirm your email address',
      text: `Your confirmation code: ${code}\nOr open this link: ${link}\nIt is valid for 10 minutes.`
    })
  }
};

/** The sign-in code that opens an account made by email sign-up (it also confirms the address). */
const SIGN_UP_CODE: Record<Locale, (code: string, hours: number) => { subject: string; text: string }> = {
  fr: (code, hours) => ({
    subject: `Glane : votre code pour ouvrir votre compte ${code}`,
    text: `Bienvenue sur Glane. Pour ouvrir votre compte et confirmer votre adresse, saisissez ce code : ${code}\nIl est valable 10 minutes. Si vous n'avez rien demandé, ignorez ce message : un compte jamais confirmé est supprimé au bout de ${hours} heures.`
  }),
  en: (code, hours) => ({
    subject: `Glane: your code to open your account ${code}`,
    text: `Welcome to Glane. To open your account and confirm your address, enter this code: ${code}\nIt is valid for 10 minutes. If you did not ask for it, ignore this message: an account never confirmed is deleted after ${hours} hours.`
  })
};

/** To the holder of an address someone tried to sign up with: no account was created. */
const SIGN_UP_ATTEMPT: Record<Locale, (signIn: string, reset: string) => { subject: string; text: string }> = {
  fr: (signIn, reset) => ({
    subject: 'Glane : quelqu’un a essayé de créer un compte avec votre adresse',
    text:
      `Quelqu'un vient d'essayer de créer un compte Glane avec cette adresse e-mail. Vous avez déjà un compte : aucun autre n'a été créé.\n` +
      `Si c'était vous, connectez-vous : ${signIn}\nMot de passe oublié ? Choisissez-en un nouveau : ${reset}\n` +
      `Si ce n'était pas vous, ignorez ce message : votre compte n'a pas changé.`
  }),
  en: (signIn, reset) => ({
    subject: 'Glane: someone tried to sign up with your address',
    text:
      `Someone just tried to create a Glane account with this email address. You already have an account: no other was created.\n` +
      `If it was you, sign in: ${signIn}\nForgot your password? Choose a new one: ${reset}\n` +
      `If it was not you, ignore this message: your account has not changed.`
  })
};

/**
 * To the holder of an address someone tried to add to another account (signed up by phone): no code
 * was sent, the address stays with its account; what to do if it was them, and if it was not.
 */
const EMAIL_ADD_ATTEMPT: Record<Locale, (signIn: string) => { subject: string; text: string }> = {
  fr: (signIn) => ({
    subject: 'Glane : quelqu’un a essayé d’ajouter votre adresse à un autre compte',
    text:
      `Quelqu'un vient d'essayer d'ajouter cette adresse e-mail à un autre compte Glane. Elle est déjà celle d'un compte Glane : ` +
      `elle n'a pas été ajoutée, aucun code n'a été envoyé et ce compte n'a pas changé.\n` +
      `Si c'était vous (par exemple depuis un compte ouvert avec votre numéro de téléphone) : une adresse ne sert qu'à un seul compte. ` +
      `Connectez-vous au compte qui l'utilise, avec un code reçu à cette adresse ou votre mot de passe : ${signIn}\n` +
      `Si vous préférez garder l'autre compte, supprimez d'abord celui-ci (Mon compte, Supprimer mon compte), puis ajoutez-y l'adresse.\n` +
      `Si ce n'était pas vous, vous n'avez rien à faire : sans le code, personne ne peut utiliser votre adresse.`
  }),
  en: (signIn) => ({
    subject: 'Glane: someone tried to add your address to another account',
    text:
      `Someone just tried to add this email address to another Glane account. It already belongs to a Glane account: ` +
      `it was not added, no code was sent and that account has not changed.\n` +
      `If it was you (for instance from an account opened with your phone number): an address serves one account only. ` +
      `Sign in to the account that uses it, with a code sent to this address or your password: ${signIn}\n` +
      `If you would rather keep the other account, first delete this one (My account, Delete my account), then add the address there.\n` +
      `If it was not you, there is nothing to do: without the code nobody can use your address.`
  })
};

/** Page paths the links in messages point to (the pages read `email` and `code` from the query). */
export const LINK_PATHS = {
  reset_password: '/mot-de-passe/nouveau',
  verify_email: '/compte/verifier-email'
} as const;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique/i.test(e?.message ?? '');
}

/**
 * The accounts use cases: sign-up, sign-in (password or one-time code), sessions, password reset,
 * email verification, account settings. Pages and API routes both call these; routes only add HTTP.
 */
export function createAccountsService(deps: AccountsDeps) {
  const { db, config, now, notify, limiter, logger } = deps;
  const repo = createAccountsRepository(db);
  const sessions: SessionsService = createSessionsService({ db, config, now });
  const argon = passwordHashOptions(config.NODE_ENV);
  let dummyHash: Promise<string> | undefined;

  /** Hashes a password with argon2id (the library's default algorithm). */
  function hashPassword(password: string): Promise<string> {
    return hash(password, argon);
  }

  async function checkPassword(passwordHash: string | null, password: string): Promise<boolean> {
    // Without an account, verify against a dummy hash anyway so both answers take as long.
    dummyHash ??= hashPassword(randomUUID());
    try {
      return await verify(passwordHash ?? (await dummyHash), password);
    } catch {
      return false;
    }
  }

  function limit(key: string, [max, windowMs]: readonly [number, number]) {
    limiter.consume(key, max, windowMs);
  }

  async function send(purpose: Purpose, channel: CodeChannel, to: string, locale: Locale, code: string, signingUp = false) {
    const path = purpose === 'sign_in' ? undefined : LINK_PATHS[purpose];
    const link = path
      ? `${config.PUBLIC_URL}${path}?${new URLSearchParams({ email: to, code }).toString()}`
      : undefined;
    const { subject, text } = signingUp
      ? SIGN_UP_CODE[locale](code, config.UNVERIFIED_ACCOUNT_PURGE_HOURS)
      : MESSAGES[purpose][locale](code, link);
    await deliver({ channel, to, subject, text }, purpose);
  }

  async function deliver(message: { channel: CodeChannel; to: string; subject: string; text: string }, what: string) {
    try {
      await notify.send(message);
    } catch (err) {
      // The answer must not depend on delivery (it would tell whether the account exists).
      logger.warn({ purpose: what, channel: message.channel, code: (err as AppError)?.code }, 'message not delivered');
    }
  }

  /** Sends `deliver(...)` after the answer when it must not tell anything (real SMTP is slow), else awaits it. */
  async function deliverQuietly(delivery: Promise<void>) {
    if (notify.captures) await delivery;
  }

  /**
   * Creates a fresh code (voiding older ones of the same purpose) and sends it. For requests whose
   * answer must not tell whether the account exists, real delivery (SMTP, SMS: slow network calls)
   * runs after the answer, so both answers take about as long.
   */
  async function issueCode(
    purpose: Purpose,
    channel: CodeChannel,
    destination: string,
    user: UserRecord,
    secret = false,
    signingUp = false
  ) {
    const at = now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    await db.transaction().execute(async (trx) => {
      const r = createAccountsRepository(trx);
      await r.voidCodes(destination, purpose, at.toISOString());
      await r.insertCode({
        id,
        purpose,
        channel,
        destination,
        userId: user.id,
        codeHash: hashCode(id, code),
        expiresAt: new Date(at.getTime() + CODE_TTL_MS).toISOString(),
        createdAt: at.toISOString()
      });
    });
    const delivery = send(purpose, channel, destination, user.locale, code, signingUp);
    if (secret) await deliverQuietly(delivery);
    else await delivery;
  }

  /**
   * Checks a code for a destination and consumes it (single use). A wrong code counts an attempt;
   * after five the code is dead. Returns the code's row, or null when nothing matched.
   */
  async function consumeCode(destination: string, purpose: Purpose, code: string): Promise<CodeRecord | null> {
    const at = now();
    const row = await repo.findLatestCode(destination, purpose);
    if (!row || !isCodeUsable(row, at)) return null;
    if (!safeEqual(hashCode(row.id, code), row.codeHash)) {
      await repo.incrementCodeAttempts(row.id);
      return null;
    }
    return (await repo.consumeCode(row.id, at.toISOString())) ? row : null;
  }

  async function openSession(user: UserRecord, ctx: RequestContext): Promise<SignedIn> {
    const { token, session } = await sessions.createSession(user.id, ctx.userAgent ?? null);
    return { user: presentUser(user), session, token };
  }

  /** Records a security event of an account in the audit log (ids only, never the email). */
  function audit(
    executor: Kysely<DB>,
    action: string,
    userId: string,
    actorUserId: string | null,
    ctx: RequestContext,
    details?: AuditDetails
  ) {
    return recordAudit(executor, {
      at: now(),
      actorUserId,
      action,
      subjectType: 'user',
      subjectId: userId,
      requestId: ctx.requestId ?? null,
      details
    });
  }

  /**
   * Deletes the accounts whose sign-up was never confirmed (no code entered, by SMS or email, and no
   * password reset), created more than UNVERIFIED_ACCOUNT_PURGE_HOURS ago and never used (the
   * repository's ACCOUNT_USE_COLUMNS: a session is not a use, so signing in by password without
   * confirming does not keep an account), each with an audit entry (ids only).
   */
  async function purgeUnconfirmedAccounts(at: Date): Promise<number> {
    const before = new Date(at.getTime() - config.UNVERIFIED_ACCOUNT_PURGE_HOURS * 60 * 60 * 1000).toISOString();
    let purged = 0;
    for (;;) {
      const ids = await repo.findUnconfirmedAccounts(before, 200);
      let deleted = 0;
      for (const id of ids) {
        const done = await db.transaction().execute(async (trx) => {
          if (!(await createAccountsRepository(trx).deleteUnconfirmedAccount(id, before))) return false;
          await audit(trx, 'account.purge_unverified', id, null, {}, { hours: config.UNVERIFIED_ACCOUNT_PURGE_HOURS });
          return true;
        });
        if (done) deleted++;
      }
      purged += deleted;
      if (ids.length < 200 || deleted === 0) return purged;
    }
  }

  /** Tells the holder of an address that someone tried to sign up with it (audited, ids only). */
  async function tellSignUpAttempt(user: UserRecord, ctx: RequestContext) {
    if (!user.email) return;
    await audit(db, 'account.sign_up_attempt', user.id, null, ctx);
    const signIn = `${config.PUBLIC_URL}/connexion`;
    const reset = `${config.PUBLIC_URL}/mot-de-passe-oublie`;
    const { subject, text } = SIGN_UP_ATTEMPT[user.locale](signIn, reset);
    await deliverQuietly(deliver({ channel: 'email', to: user.email, subject, text }, 'sign_up_attempt'));
  }

  /**
   * Tells the holder of an address that someone tried to add it to another account (audited on the
   * holder, with the account that tried as actor; ids only). Delivery runs after the answer.
   */
  async function tellEmailAddAttempt(holder: UserRecord, actorUserId: string, ctx: RequestContext) {
    if (!holder.email) return;
    await audit(db, 'account.email_add_attempt', holder.id, actorUserId, ctx);
    const { subject, text } = EMAIL_ADD_ATTEMPT[holder.locale](`${config.PUBLIC_URL}/connexion`);
    await deliverQuietly(deliver({ channel: 'email', to: holder.email, subject, text }, 'email_add_attempt'));
  }

  async function requireUser(userId: string): Promise<UserRecord> {
    const user = await repo.findUserById(userId);
    if (!user) throw new AppError('unauthenticated', 'Sign in first');
    return user;
  }

  return {
    hashPassword,

    /**
     * Creates an account without a session or a message: for seeds, scripts and tests.
     * Throws `conflict` naming `email` (or `phone`) when taken.
     */
    async createUser(input: {
      email: string;
      password?: string | null;
      displayName: string;
      locale?: Locale;
      phone?: string | null;
      isPlatformAdmin?: boolean;
      isDemo?: boolean;
      emailVerified?: boolean;
    }): Promise<AccountUser> {
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      const at = now().toISOString();
      const email = input.email.trim().toLowerCase();
      if (await repo.findUserByEmail(email)) {
        throw new AppError('conflict', 'An account already uses this email', { fields: [{ path: 'email', message: 'already used' }] });
      }
      const user = await repo.insertUser({
        id: randomUUID(),
        email,
        phone: input.phone ?? null,
        passwordHash,
        displayName: input.displayName,
        locale: input.locale ?? 'fr',
        isPlatformAdmin: input.isPlatformAdmin,
        isDemo: input.isDemo,
        emailVerifiedAt: input.emailVerified ? at : null,
        at
      });
      return presentUser(user);
    },

    /**
     * Sign-up by email and password. The answer is the same whether the address already has an
     * account or not (no account enumeration): for a new address, the account is created with its
     * email unverified and a sign-in code is sent there (`verifySignInCode` opens the account,
     * signs in and marks the address verified); for a taken address, nothing is created and its
     * holder is told by email that someone tried, with a sign-in and a password-reset link. A phone
     * number already used by another account is not attached (the answer says nothing either).
     * Shares the limits of sign-in codes per address, so sign-up cannot flood an inbox.
     */
    async signUp(input: SignUpWithEmailInput, ctx: RequestContext = {}): Promise<void> {
      limit(`sign-up:ip:${ctx.ip ?? '?'}`, LIMITS.signUpPerIp);
      limit(`code:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`code:dest:${input.email}`, LIMITS.codePerDestination);
      // Hashed either way, so both answers take as long.
      const passwordHash = await hashPassword(input.password);
      const existing = await repo.findUserByEmail(input.email);
      if (existing) {
        await tellSignUpAttempt(existing, ctx);
        return;
      }
      const phone = input.phone && !(await repo.findUserByPhone(input.phone)) ? input.phone : null;
      let user: UserRecord;
      try {
        user = await db.transaction().execute(async (trx) => {
          const created = await createAccountsRepository(trx).insertUser({
            id: randomUUID(),
            email: input.email,
            phone,
            passwordHash,
            displayName: input.displayName,
            locale: input.locale,
            at: now().toISOString()
          });
          await audit(trx, 'account.sign_up', created.id, created.id, ctx);
          return created;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Lost a race with the same address (or number): the other request's account stands.
        const other = await repo.findUserByEmail(input.email);
        if (other) await tellSignUpAttempt(other, ctx);
        return;
      }
      await issueCode('sign_in', 'email', input.email, user, true, true);
    },

    /**
     * Sign-up by phone alone, for people without an email: creates the account unverified, without
     * email or password, and sends a sign-in code by SMS; `verifySignInCode` then signs the person in
     * and marks the phone verified. When the number already has an account, a sign-in code is sent to
     * it instead: the caller gets the same answer either way (no account enumeration), under the
     * limits of sign-in codes (which it shares, so sign-up cannot be used to flood a number).
     */
    async signUpByPhone(input: SignUpWithPhoneInput, ctx: RequestContext = {}): Promise<void> {
      if (!notify.canSend('sms')) throw new AppError('unavailable', 'Codes by sms are not available on this server');
      limit(`sign-up:ip:${ctx.ip ?? '?'}`, LIMITS.signUpPerIp);
      limit(`code:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`code:dest:${input.phone}`, LIMITS.codePerDestination);
      let user = await repo.findUserByPhone(input.phone);
      if (!user) {
        try {
          user = await db.transaction().execute(async (trx) => {
            const created = await createAccountsRepository(trx).insertUser({
              id: randomUUID(),
              email: null,
              phone: input.phone,
              passwordHash: null,
              displayName: input.displayName,
              locale: input.locale,
              at: now().toISOString()
            });
            await audit(trx, 'account.sign_up', created.id, created.id, ctx, { method: 'phone' });
            return created;
          });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // Lost a race with the same number: the other request's account gets the code.
          user = await repo.findUserByPhone(input.phone);
          if (!user) throw err;
        }
      }
      await issueCode('sign_in', 'sms', input.phone, user, true);
    },

    /**
     * Sign-in by email and password. Wrong email or wrong password give the same 401; five
     * consecutive failures lock the account for 15 minutes (423 with `lockedUntil`).
     */
    async signIn(input: SignInInput, ctx: RequestContext = {}): Promise<SignedIn> {
      const ipKey = `sign-in:ip:${ctx.ip ?? '?'}`;
      const accountKey = `sign-in:account:${input.email}`;
      limit(ipKey, LIMITS.signInPerIp);
      limit(accountKey, LIMITS.signInPerAccount);
      const at = now();
      const user = await repo.findUserByEmail(input.email);
      if (!user || !user.passwordHash) {
        await checkPassword(null, input.password);
        throw invalidCredentials();
      }
      const lock = activeLock(user.lockedUntil, at);
      if (lock) throw new AppError('account_locked', 'Account locked after repeated failures', { lockedUntil: lock });
      if (!(await checkPassword(user.passwordHash, input.password))) {
        const count = await repo.incrementFailedSignIns(user.id, at.toISOString());
        const lockedUntil = lockAfterFailures(count, at);
        if (lockedUntil) {
          await db.transaction().execute(async (trx) => {
            await createAccountsRepository(trx).setLock(user.id, 0, lockedUntil, at.toISOString());
            await audit(trx, 'account.lock', user.id, null, ctx, { lockedUntil });
          });
          throw new AppError('account_locked', 'Account locked after repeated failures', { lockedUntil });
        }
        throw invalidCredentials();
      }
      if (user.failedSignInCount > 0 || user.lockedUntil) await repo.setLock(user.id, 0, null, at.toISOString());
      // Limits are against guessing: a successful sign-in gives its hits back.
      limiter.release(ipKey);
      limiter.release(accountKey);
      return openSession(user, ctx);
    },

    /**
     * Sends a 6-digit sign-in code to an email or phone number when an account has it. The
     * caller gets the same answer either way.
     */
    async requestSignInCode(input: CodeRequestInput, ctx: RequestContext = {}): Promise<void> {
      if (!notify.canSend(input.channel)) {
        throw new AppError('unavailable', `Codes by ${input.channel} are not available on this server`);
      }
      limit(`code:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`code:dest:${input.destination}`, LIMITS.codePerDestination);
      const user =
        input.channel === 'email' ? await repo.findUserByEmail(input.destination) : await repo.findUserByPhone(input.destination);
      if (user) await issueCode('sign_in', input.channel, input.destination, user, true);
    },

    /** Signs in with a code received by email or SMS; proves the destination, so marks it verified. */
    async verifySignInCode(input: CodeVerifyInput, ctx: RequestContext = {}): Promise<SignedIn> {
      const ipKey = `sign-in:ip:${ctx.ip ?? '?'}`;
      limit(ipKey, LIMITS.signInPerIp);
      const row = await consumeCode(input.destination, 'sign_in', input.code);
      const user = row?.userId ? await repo.findUserById(row.userId) : undefined;
      if (!row || !user) throw new AppError('invalid_credentials', 'Invalid or expired code');
      limiter.release(ipKey);
      const at = now().toISOString();
      const verified =
        row.channel === 'email' && !user.emailVerifiedAt && user.email === row.destination
          ? await repo.updateUser(user.id, { emailVerifiedAt: at }, at)
          : row.channel === 'sms' && !user.phoneVerifiedAt && user.phone === row.destination
            ? await repo.updateUser(user.id, { phoneVerifiedAt: at }, at)
            : user;
      return openSession(verified ?? user, ctx);
    },

    /** Sends a password-reset code and link when the email has an account; same answer either way. */
    async requestPasswordReset(input: PasswordResetRequestInput, ctx: RequestContext = {}): Promise<void> {
      limit(`reset:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`reset:dest:${input.email}`, LIMITS.codePerDestination);
      const user = await repo.findUserByEmail(input.email);
      if (user) await issueCode('reset_password', 'email', input.email, user, true);
    },

    /**
     * Sets a new password with a reset code; ends every session of the account and lifts a lock.
     * A wrong or expired code → `validation_failed` naming `code`.
     */
    async completePasswordReset(input: PasswordResetCompleteInput, ctx: RequestContext = {}): Promise<void> {
      const ipKey = `reset-complete:ip:${ctx.ip ?? '?'}`;
      limit(ipKey, LIMITS.signInPerIp);
      const passwordHash = await hashPassword(input.password);
      const at = now().toISOString();
      const row = await consumeCode(input.email, 'reset_password', input.code);
      if (!row?.userId) throw invalidCode();
      const userId = row.userId;
      await db.transaction().execute(async (trx) => {
        const r = createAccountsRepository(trx);
        await r.updateUser(userId, { passwordHash, emailVerifiedAt: at }, at);
        await r.setLock(userId, 0, null, at);
        const sessionsEnded = await createSessionsService({ db: trx, config, now }).revokeAllSessions(userId);
        await audit(trx, 'account.password_reset', userId, userId, ctx, { sessionsEnded });
      });
      limiter.release(ipKey);
    },

    /** Sends a new email-verification code to the signed-in user's address. */
    async requestEmailVerification(userId: string, ctx: RequestContext = {}): Promise<void> {
      const user = await requireUser(userId);
      if (!user.email) throw new AppError('bad_request', 'This account has no email address');
      if (user.emailVerifiedAt) return;
      limit(`verify:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`verify:dest:${user.email}`, LIMITS.codePerDestination);
      await issueCode('verify_email', 'email', user.email, user);
    },

    /**
     * Asks to add an email address to an account that has none (signed up by phone). The answer is the
     * same whatever the address (no account enumeration), and the account does not change yet: for a
     * free address, a verification code is sent to it, and `verifyEmail` with that code attaches the
     * address, confirmed; for an address another account holds, no code is sent and the holder is told
     * by email that someone tried (audited). Limits as for verification codes. `conflict` only when
     * this account already has an address (changing an address is not offered).
     */
    async addEmail(userId: string, input: EmailAddInput, ctx: RequestContext = {}): Promise<void> {
      const user = await requireUser(userId);
      if (user.email) throw new AppError('conflict', 'This account already has an email address');
      limit(`verify:ip:${ctx.ip ?? '?'}`, LIMITS.codePerIp);
      limit(`verify:dest:${input.email}`, LIMITS.codePerDestination);
      const holder = await repo.findUserByEmail(input.email);
      if (holder) {
        await tellEmailAddAttempt(holder, userId, ctx);
        return;
      }
      await issueCode('verify_email', 'email', input.email, user, true);
    },

    /**
     * Confirms an email address with its code (from the form or the link): marks the account's
     * unconfirmed address verified or, for an address asked for by `addEmail`, attaches it to the
     * account that asked. A wrong or expired code, an account that has another address by now, or
     * an address another account took meanwhile → `validation_failed` naming `code`.
     */
    async verifyEmail(input: EmailVerificationInput, ctx: RequestContext = {}): Promise<AccountUser> {
      const ipKey = `verify-complete:ip:${ctx.ip ?? '?'}`;
      limit(ipKey, LIMITS.signInPerIp);
      const row = await consumeCode(input.email, 'verify_email', input.code);
      const user = row?.userId ? await repo.findUserById(row.userId) : undefined;
      if (!user || (user.email !== null && user.email !== input.email)) throw invalidCode();
      limiter.release(ipKey);
      const at = now().toISOString();
      if (user.email === input.email) {
        const updated = await db.transaction().execute(async (trx) => {
          await audit(trx, 'account.email_verify', user.id, user.id, ctx);
          return createAccountsRepository(trx).updateUser(user.id, { emailVerifiedAt: at }, at);
        });
        return presentUser(updated ?? user);
      }
      let attached: UserRecord | undefined;
      try {
        attached = await db.transaction().execute(async (trx) => {
          const done = await createAccountsRepository(trx).attachConfirmedEmail(user.id, input.email, at);
          if (done) await audit(trx, 'account.email_add', user.id, user.id, ctx);
          return done;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        attached = undefined; // another account took the address since the code was sent
      }
      if (!attached) throw invalidCode();
      return presentUser(attached);
    },

    /**
     * The user and session of a cookie token, or null. `rotatedToken`, when present, must be set
     * in the cookie (the old token no longer works). Used by the API middleware and hooks.server.ts.
     */
    async authenticate(
      token: string
    ): Promise<{ user: AccountUser; session: SessionRecord; rotatedToken?: string } | null> {
      const found = await sessions.authenticateToken(token);
      if (!found) return null;
      const user = await repo.findUserById(found.session.userId);
      if (!user) return null;
      return { user: presentUser(user), session: found.session, rotatedToken: found.rotatedToken };
    },

    /** Ends one session. */
    signOut: (sessionId: string) => sessions.revokeSession(sessionId),

    /** Ends every session of the user; returns how many. */
    async signOutEverywhere(userId: string, ctx: RequestContext = {}): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const sessionsEnded = await createSessionsService({ db: trx, config, now }).revokeAllSessions(userId);
        await audit(trx, 'account.sign_out_everywhere', userId, userId, ctx, { sessionsEnded });
        return sessionsEnded;
      });
    },

    /**
     * Housekeeping for a periodic job: deletes expired sessions, codes expired over a day ago (kept a
     * day so a late attempt still reads as "expired", not as "never sent"), and the accounts never
     * confirmed nor used after UNVERIFIED_ACCOUNT_PURGE_HOURS (`unverifiedAccounts`).
     */
    async purgeExpired(): Promise<{ sessions: number; codes: number; unverifiedAccounts: number }> {
      const at = now();
      const dayAgo = new Date(at.getTime() - 24 * 60 * 60 * 1000).toISOString();
      const result = { sessions: await sessions.purgeExpiredSessions(), codes: await repo.deleteCodesExpiredBefore(dayAgo) };
      return { ...result, unverifiedAccounts: await purgeUnconfirmedAccounts(at) };
    },

    /** How many sessions a user has open. */
    countSessions: (userId: string) => sessions.countSessions(userId),

    /** The signed-in user's account. */
    async getAccount(userId: string): Promise<AccountUser> {
      return presentUser(await requireUser(userId));
    },

    /**
     * When the hourly purge deletes this account unless an identifier is confirmed (or the account is
     * used) by then: its creation plus UNVERIFIED_ACCOUNT_PURGE_HOURS; null once one is confirmed, and
     * for accounts the purge never touches (platform admins, demo, accompanied accounts). For /compte.
     */
    async confirmationDeadline(userId: string): Promise<string | null> {
      const user = await requireUser(userId);
      if (user.emailVerifiedAt || user.phoneVerifiedAt || user.isPlatformAdmin || user.isDemo) return null;
      if (!user.email && !user.phone) return null;
      return new Date(Date.parse(user.createdAt) + config.UNVERIFIED_ACCOUNT_PURGE_HOURS * 60 * 60 * 1000).toISOString();
    },

    /** Changes the display name or locale. */
    async updateAccount(userId: string, input: AccountUpdateInput): Promise<AccountUser> {
      await requireUser(userId);
      const at = now().toISOString();
      const user = await repo.updateUser(userId, input, at);
      if (!user) throw new AppError('unauthenticated', 'Sign in first');
      return presentUser(user);
    },

    /**
     * Deletes the account with its eligibility data (household, requests and documents, decisions,
     * grants, cards, accompaniment: deleted explicitly) and, through foreign keys, its sessions,
     * codes and memberships. Answers what was erased and what is kept, and why (the audit log).
     */
    async deleteAccount(userId: string, ctx: RequestContext = {}): Promise<ErasureReport> {
      try {
        return await db.transaction().execute(async (trx) => {
          const erased = await eraseEligibilityData(trx, userId);
          await createAccountsRepository(trx).deleteUser(userId);
          await audit(trx, 'account.delete', userId, userId, ctx);
          return erasureReport(erased);
        });
      } catch (err) {
        const code = (err as { code?: string })?.code;
        if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new AppError('conflict', 'The account is still referenced and cannot be deleted yet');
        }
        throw err;
      }
    }
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
