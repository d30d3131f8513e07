import { sql, type Kysely, type Selectable } from 'kysely';
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

/** SQL of the `user` and `one_time_code` tables. */
/** Tables whose `user_id` rows belong to a user (they follow it on delete). */
type UserRowTable =
  | 'session'
  | 'membership'
  | 'household'
  | 'accompaniment'
  | 'eligibility_request'
  | 'eligibility_decision'
  | 'eligibility_grant'
  | 'person_card'
  | 'reservation'
  | 'feed_preference'
  | 'inbox_item'
  | 'outbox'
  | 'push_subscription';

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
     * Gives an email address, unverified, to an account that has none; a conditional update, so
     * two concurrent additions cannot both win. Undefined when the account already has one.
     */
    async setEmailIfNone(id: string, email: string, at: string): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('user')
        .set({ email, email_verified_at: null, updated_at: at })
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
     * Accounts made by phone sign-up whose code was never entered, created before `before`: phone
     * unverified, no email, no password, not a platform admin nor demo, and nothing else attached
     * (no session, membership, household, accompaniment, request, decision, grant, card, offer,
     * reservation, preference, inbox, outbox or push subscription). Every table whose rows would
     * follow the user on delete is listed here: an account with any of them is "used" and kept.
     */
    async findUnverifiedPhoneAccounts(before: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('user as u')
        .select('u.id')
        .where('u.phone', 'is not', null)
        .where('u.phone_verified_at', 'is', null)
        .where('u.email', 'is', null)
        .where('u.email_verified_at', 'is', null)
        .where('u.password_hash', 'is', null)
        .where('u.is_platform_admin', '=', 0)
        .where('u.is_demo', '=', 0)
        .where('u.created_at', '<', before)
        .where(({ and, not, exists, selectFrom }) => {
          const none = (table: UserRowTable) =>
            not(exists(selectFrom(table).select(sql.lit(1).as('one')).whereRef(`${table}.user_id`, '=', 'u.id')));
          return and([
            none('session'),
            none('membership'),
            none('household'),
            none('accompaniment'),
            none('eligibility_request'),
            none('eligibility_decision'),
            none('eligibility_grant'),
            none('person_card'),
            none('reservation'),
            none('feed_preference'),
            none('inbox_item'),
            none('outbox'),
            none('push_subscription'),
            not(exists(selectFrom('offer').select(sql.lit(1).as('one')).whereRef('offer.donor_user_id', '=', 'u.id'))),
            not(exists(selectFrom('offer_series').select(sql.lit(1).as('one')).whereRef('offer_series.donor_user_id', '=', 'u.id')))
          ]);
        })
        .orderBy('u.created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * Deletes one account found by `findUnverifiedPhoneAccounts` (its codes follow), re-checking in
     * the same statement that it is still unverified and without password or email; true if deleted.
     */
    async deleteUnverifiedPhoneAccount(id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('user')
        .where('id', '=', id)
        .where('phone_verified_at', 'is', null)
        .where('email', 'is', null)
        .where('password_hash', 'is', null)
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
