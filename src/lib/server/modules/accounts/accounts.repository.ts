import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { DB, OneTimeCodeTable, UserTable } from '../../db/schema.js';
import type { Locale } from '../../../schemas/accounts.js';

/** A user row, camelCased; `passwordHash` stays inside the accounts module. */
export interface UserRecord {
  id: string;
  email: string | null;
  phone: string | null;
  passwordHash: string | null;
  displayName: string;
  locale: Locale;
  emailVerifiedAt: string | null;
  phoneVerifiedAt: string | null;
  isPlatformAdmin: boolean;
  failedSignInCount: number;
  lockedUntil: string | null;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CodeRecord {
  id: string;
  purpose: OneTimeCodeTable['purpose'];
  channel: OneTimeCodeTable['channel'];
  destination: string;
  userId: string | null;
  codeHash: string;
  attempts: number;
  expiresAt: string;
  consumedAt: string | null;
  createdAt: string;
}

function toUser(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    passwordHash: row.password_hash,
    displayName: row.display_name,
    locale: row.locale === 'en' ? 'en' : 'fr',
    emailVerifiedAt: row.email_verified_at,
    phoneVerifiedAt: row.phone_verified_at,
    isPlatformAdmin: Number(row.is_platform_admin) === 1,
    failedSignInCount: Number(row.failed_sign_in_count),
    lockedUntil: row.locked_until,
    isDemo: Number(row.is_demo) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  };
}

function toCode(row: Selectable<OneTimeCodeTable>): CodeRecord {
  return {
    id: row.id,
    purpose: row.purpose,
    channel: row.channel,
    destination: row.destination,
    userId: row.user_id,
    codeHash: row.code_hash,
    attempts: Number(row.attempts),
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
    createdAt: row.created_at
  };
}

export interface NewUser {
  id: string;
  email: string | null;
  phone: string | null;
  passwordHash: string | null;
  displayName: string;
  locale: Locale;
  isPlatformAdmin?: boolean;
  isDemo?: boolean;
  emailVerifiedAt?: string | null;
  at: string;
}

/**
 * What makes an account "used", for the purge of accounts never confirmed: a row that points at it in
 * any of these columns (all the columns that reference a user, but the sign-in traces below). An
 * account that joined an organisation, has a household or a request, posted or reserved a donation,
 * saved a preference, received a notice, uploaded a photo, decided or edited anything… is kept.
 * `accounts.repository.test.ts` reads the schema of both databases and fails naming any column that
 * references a user and is in neither list.
 */
export const ACCOUNT_USE_COLUMNS = [
  ['membership', 'user_id'],
  ['invitation', 'invited_by_user_id'],
  ['invitation', 'accepted_by_user_id'],
  ['place_photo', 'uploaded_by_user_id'],
  ['directory_revision', 'actor_user_id'],
  ['setting', 'updated_by_user_id'],
  ['household', 'user_id'],
  ['accompaniment', 'user_id'],
  ['accompaniment', 'created_by_user_id'],
  ['eligibility_request', 'user_id'],
  ['eligibility_request', 'created_by_user_id'],
  ['eligibility_request', 'decided_by_user_id'],
  ['eligibility_document', 'uploaded_by_user_id'],
  ['eligibility_decision', 'user_id'],
  ['eligibility_decision', 'decided_by_user_id'],
  ['eligibility_grant', 'user_id'],
  ['eligibility_grant', 'revoked_by_user_id'],
  ['person_card', 'user_id'],
  ['person_card', 'issued_by_user_id'],
  ['person_card', 'revoked_by_user_id'],
  ['offer_series', 'donor_user_id'],
  ['offer_series', 'created_by_user_id'],
  ['offer', 'donor_user_id'],
  ['offer', 'posted_by_user_id'],
  ['reservation', 'user_id'],
  ['reservation', 'acted_by_user_id'],
  ['feed_preference', 'user_id'],
  ['inbox_item', 'user_id'],
  ['outbox', 'user_id'],
  ['push_subscription', 'user_id']
] as const satisfies readonly (readonly [keyof DB, string])[];

/**
 * Columns that reference a user without making the account "used", and why: signing in (by password,
 * without ever confirming the address) and the messages and log entries of signing up are not a use.
 */
export const SIGN_IN_TRACE_COLUMNS = {
  'session.user_id': 'a session: signing in is not a use (it ends with the account)',
  'one_time_code.user_id': 'the codes sent to open or sign in to the account (they end with it)',
  'audit_log.actor_user_id': "the security log of the account's own sign-up and sign-ins (ids only, kept after deletion)"
} as const;

/**
 * An account none of whose identifiers was ever confirmed (email and phone unconfirmed; at least
 * one of them present, so an accompanied account, which has neither, is never one), not a platform
 * admin nor demo, created before `before`, and not used (`ACCOUNT_USE_COLUMNS`). Written over the
 * bare `user` table so a SELECT and a DELETE share it: the DELETE re-checks it in one statement.
 */
function isUnconfirmedAndUnused(eb: ExpressionBuilder<DB, 'user'>, before: string) {
  return eb.and([
    eb('user.email_verified_at', 'is', null),
    eb('user.phone_verified_at', 'is', null),
    eb.or([eb('user.email', 'is not', null), eb('user.phone', 'is not', null)]),
    eb('user.is_platform_admin', '=', 0),
    eb('user.is_demo', '=', 0),
    eb('user.created_at', '<', before),
    ...ACCOUNT_USE_COLUMNS.map(([table, column]) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom(table)
            .select(sql.lit(1).as('one'))
            .where(sql.ref(`${table}.${column}`), '=', sql.ref('user.id'))
        )
      )
    )
  ]);
}

export function createAccountsRepository(db: Kysely<DB>) {
  return {
    async insertUser(user: NewUser): Promise<UserRecord> {
      const row = await db
        .insertInto('user')
        .values({
          id: user.id,
          email: user.email,
          phone: user.phone,
          password_hash: user.passwordHash,
          display_name: user.displayName,
          locale: user.locale,
          email_verified_at: user.emailVerifiedAt ?? null,
          phone_verified_at: null,
          is_platform_admin: user.isPlatformAdmin ? 1 : 0,
          failed_sign_in_count: 0,
          locked_until: null,
          is_demo: user.isDemo ? 1 : 0,
          created_at: user.at,
          updated_at: user.at
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },

    async findUserById(id: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    async findUserByEmail(email: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('user').selectAll().where('email', '=', email).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    async findUserByPhone(phone: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('user').selectAll().where('phone', '=', phone).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    /** Counts one more failed sign-in atomically; returns the new count. */
    async incrementFailedSignIns(id: string, at: string): Promise<number> {
      const row = await db
        .updateTable('user')
        .set((eb) => ({ failed_sign_in_count: eb('failed_sign_in_count', '+', 1), updated_at: at }))
        .where('id', '=', id)
        .returning('failed_sign_in_count')
        .executeTakeFirst();
      return Number(row?.failed_sign_in_count ?? 0);
    },

    async setLock(id: string, failedCount: number, lockedUntil: string | null, at: string): Promise<void> {
      await db
        .updateTable('user')
        .set({ failed_sign_in_count: failedCount, locked_until: lockedUntil, updated_at: at })
        .where('id', '=', id)
        .execute();
    },

    async updateUser(
      id: string,
      changes: Partial<{
        displayName: string;
        locale: Locale;
        passwordHash: string;
        emailVerifiedAt: string;
        phoneVerifiedAt: string;
      }>,
      at: string
    ): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('user')
        .set({
          ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
          ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
          ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
          ...(changes.emailVerifiedAt !== undefined ? { email_verified_at: changes.emailVerifiedAt } : {}),
          ...(changes.phoneVerifiedAt !== undefined ? { phone_verified_at: changes.phoneVerifiedAt } : {}),
          updated_at: at
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    /**
     * Gives a confirmed email address to an account that has none (an address added to a phone
     * account, once its code is entered); a conditional update, so two concurrent confirmations
     * cannot both win. Undefined when the account has an address by now; a unique violation when
     * another account holds this one.
     */
    async attachConfirmedEmail(id: string, email: string, at: string): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('user')
        .set({ email, email_verified_at: at, updated_at: at })
        .where('id', '=', id)
        .where('email', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    async deleteUser(id: string): Promise<boolean> {
      const result = await db.deleteFrom('user').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async insertCode(code: Omit<CodeRecord, 'attempts' | 'consumedAt'>): Promise<void> {
      await db
        .insertInto('one_time_code')
        .values({
          id: code.id,
          purpose: code.purpose,
          channel: code.channel,
          destination: code.destination,
          user_id: code.userId,
          code_hash: code.codeHash,
          attempts: 0,
          expires_at: code.expiresAt,
          consumed_at: null,
          created_at: code.createdAt
        })
        .execute();
    },

    /** The newest unconsumed code for a destination and purpose. */
    async findLatestCode(destination: string, purpose: CodeRecord['purpose']): Promise<CodeRecord | undefined> {
      const row = await db
        .selectFrom('one_time_code')
        .selectAll()
        .where('destination', '=', destination)
        .where('purpose', '=', purpose)
        .where('consumed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toCode(row) : undefined;
    },

    /** Counts a wrong attempt on a code. */
    async incrementCodeAttempts(id: string): Promise<void> {
      await db
        .updateTable('one_time_code')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    /** Marks a code used, only if nobody did first; returns whether this call consumed it. */
    async consumeCode(id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('one_time_code')
        .set({ consumed_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Deletes codes that expired before `before` (housekeeping); returns how many. */
    async deleteCodesExpiredBefore(before: string): Promise<number> {
      const result = await db.deleteFrom('one_time_code').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Accounts whose sign-up was never confirmed (by phone or by email: no code ever entered, no
     * password reset) and that were never used, created before `before`, oldest first.
     */
    async findUnconfirmedAccounts(before: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('user')
        .select('user.id')
        .where((eb) => isUnconfirmedAndUnused(eb, before))
        .orderBy('user.created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * Deletes one account found by `findUnconfirmedAccounts` (its sessions and codes follow), re-checking
     * every condition in the same statement (a code entered or a use made since is seen); true if deleted.
     */
    async deleteUnconfirmedAccount(id: string, before: string): Promise<boolean> {
      const result = await db
        .deleteFrom('user')
        .where('user.id', '=', id)
        .where((eb) => isUnconfirmedAndUnused(eb, before))
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** Voids every open code of a destination and purpose (a new one replaces them). */
    async voidCodes(destination: string, purpose: CodeRecord['purpose'], at: string): Promise<void> {
      await db
        .updateTable('one_time_code')
        .set({ consumed_at: at })
        .where('destination', '=', destination)
        .where('purpose', '=', purpose)
        .where('consumed_at', 'is', null)
        .execute();
    }
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
