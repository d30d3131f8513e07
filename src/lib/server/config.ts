import { z } from 'zod';

/**
 * The only reader of process.env. Every variable is parsed by zod; a bad configuration stops the
 * start with one line per bad variable (see `ConfigError`). The result is frozen.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine(
      (v) => {
        if (v === undefined) return true;
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.join(' or ')}` }
    );

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  SQLITE_PATH: z.string().min(1).default('./data/glane.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: bool.default(true),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * Hours after which an account made by phone sign-up whose SMS code was never entered (phone
   * unverified, no email, no password, nothing else attached) is deleted by the hourly job.
   */
  UNVERIFIED_ACCOUNT_PURGE_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10240).default(100),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    )
    .refine((list) => list.every((o) => /^https?:\/\/[^/]+$/.test(o)), {
      message: 'must be a comma-separated list of origins like https://ville.example'
    }),
  TRUST_PROXY: bool.default(false),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).default('Glane <no-reply@glane.localhost>'),
  SMS_PROVIDER: z.enum(['none', 'log']).default('none'),
  DEV_MAILBOX: bool.optional(),
  TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** National address API (api-adresse.data.gouv.fr format), called by the server only. */
  ADDRESS_API_URL: z
    .string()
    .trim()
    .default('https://api-adresse.data.gouv.fr')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: 'must be a URL starting with http: or https:' })
    .transform((v) => v.replace(/\/+$/, '')),
  /** Months after which a place not verified is shown as "information à vérifier". */
  DIRECTORY_STALE_MONTHS: z.coerce.number().int().min(1).max(120).default(6),
  /** Largest photo of a place accepted for upload, in MB (it is stored resized, far smaller). */
  PHOTO_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(32).default(8),
  /**
   * Key that encrypts proof documents and card codes at rest (AES-256-GCM): 32 bytes in base64.
   * When unset, a key is created once in DOCUMENT_KEY_FILE (keep that file with the backups).
   */
  DOCUMENT_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes in base64 (openssl rand -base64 32)'
    }),
  DOCUMENT_KEY_FILE: z.string().min(1).default('./data/document.key'),
  /**
   * Web Push (VAPID) keys, base64url as `npx web-push generate-vapid-keys` prints them. When unset,
   * a pair is generated once into vapid.json beside DOCUMENT_KEY_FILE. VAPID_SUBJECT: a contact
   * (mailto: or https:) for the push services; default mailto:no-reply@<PUBLIC_URL's host>.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || (/^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, 'base64url').length === 65), {
      message: 'must be an uncompressed P-256 public key in base64url (npx web-push generate-vapid-keys)'
    }),
  VAPID_PRIVATE_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || (/^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, 'base64url').length === 32), {
      message: 'must be a P-256 private key in base64url (npx web-push generate-vapid-keys)'
    }),
  VAPID_SUBJECT: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || /^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s]+)$/.test(v), {
      message: 'must be mailto:address or an https: URL'
    }),
  /**
   * Browser tests only: the services read a clock the test harness moves (`POST /api/test/clock`) and
   * jobs that decide by the time run only on demand (`POST /api/test/jobs/<name>`; the outbox worker
   * keeps its timer). Refused unless NODE_ENV=test.
   */
  TEST_CLOCK: bool.default(false),
  /** Largest proof document accepted, in kilobytes. */
  DOCUMENT_MAX_KB: z.coerce.number().int().min(100).max(20480).default(5120),
  /** Days after which the documents of a request still undecided are deleted anyway. */
  DOCUMENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * Days after an offer ended (its pickup window) or was cancelled before its photos are deleted
   * (data minimisation; its donor alone sees them meanwhile).
   */
  OFFER_PHOTO_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Months without activity after which a person's file (requests, decisions, household) is purged. */
  PERSON_FILE_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /** Days before the end of an access when the person is reminded (once). */
  ELIGIBILITY_REMINDER_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /**
   * Origins allowed to show the directory widget (`/widget`) in a frame: `*` (default: any city or
   * association website, without configuring anything), `none` (only Glane itself), or a
   * comma-separated list of origins. Every other page refuses to be framed.
   */
  WIDGET_FRAME_ORIGINS: z
    .string()
    .trim()
    .default('*')
    .transform((v) =>
      v.toLowerCase() === 'none'
        ? []
        : v
            .split(',')
            .map((s) => s.trim().replace(/\/+$/, ''))
            .filter(Boolean)
    )
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(o)), {
      message: 'must be *, none, or a comma-separated list of origins like https://ville.example'
    })
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'PUBLIC_URL' | 'DEV_MAILBOX'> & {
    PUBLIC_URL: string;
    /** True when messages are kept in the database and shown at /dev/boite-mail instead of sent. */
    DEV_MAILBOX: boolean;
    /** True when PUBLIC_URL is https: cookies get the Secure flag. */
    isHttps: boolean;
    databaseKind: 'sqlite' | 'postgres';
  }
>;

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default). Throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      const shown = key === 'DATABASE_URL' || key === 'SMTP_URL' || key === 'DOCUMENT_KEY' || key === 'VAPID_PRIVATE_KEY' ? '(hidden)' : JSON.stringify(input[key]);
      return `${key}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(lines);
  }
  const c = parsed.data;
  if (c.TEST_CLOCK && c.NODE_ENV !== 'test') {
    // The test clock lets any caller move the server's time and run jobs: never outside tests.
    throw new ConfigError([
      `TEST_CLOCK=${JSON.stringify(input.TEST_CLOCK)}: only accepted when NODE_ENV=test (NODE_ENV is ${c.NODE_ENV}); remove it`
    ]);
  }
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    ...c,
    PUBLIC_URL: publicUrl,
    // Captured messages hold sign-in codes: never a default on a public (https) deployment.
    DEV_MAILBOX: c.DEV_MAILBOX ?? (!c.SMTP_URL && !publicUrl.startsWith('https:')),
    isHttps: publicUrl.startsWith('https:'),
    databaseKind: c.DATABASE_URL ? 'postgres' : 'sqlite'
  });
}
