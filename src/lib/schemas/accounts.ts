import { z } from 'zod';

/**
 * Account inputs shared by the API routes and the pages: one definition of what a valid email,
 * phone number and password are, so a form and the API refuse the same things with the same field names.
 */

import { EMAIL_MAX, LOCALES, PASSWORD_MAX, PASSWORD_MIN } from './vocabulary.js';

export { EMAIL_MAX, LOCALES, PASSWORD_MAX, PASSWORD_MIN, type Locale } from './vocabulary.js';

/** Trims and lower-cases an email address: the one spelling stored and compared. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A phone number in E.164 (`+33612345678`), or null when it cannot be one. French national
 * spellings (`06 12 34 56 78`, `06.12.34.56.78`, `0033 6…`) become +33; other numbers must carry
 * their `+` country code.
 */
export function normalisePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.\-()/]/g, '');
  let e164: string;
  if (/^0[1-9]\d{8}$/.test(compact)) e164 = `+33${compact.slice(1)}`;
  else if (compact.startsWith('00')) e164 = `+${compact.slice(2)}`;
  else e164 = compact;
  if (e164.startsWith('+330')) e164 = `+33${e164.slice(4)}`; // "+33 (0)6…"
  if (e164.startsWith('+33')) return /^\+33[1-9]\d{8}$/.test(e164) ? e164 : null;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}

/** An email address, trimmed and lower-cased before it is checked. */
export const emailSchema = z.preprocess(
  (value) => (typeof value === 'string' ? normaliseEmail(value) : value),
  z.email({ message: 'not a valid email address' }).max(EMAIL_MAX, { message: `at most ${EMAIL_MAX} characters` })
);

export const phoneSchema = z
  .string()
  .max(40, { message: 'at most 40 characters' })
  .transform((value, ctx) => {
    const phone = normalisePhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'not a valid phone number (e.g. 06 12 34 56 78 or +33 6 12 34 56 78)' });
      return z.NEVER;
    }
    return phone;
  });

/** The password policy: length only (NIST 800-63B), plus "not your email" checked with the email. */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, { message: `at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { message: `at most ${PASSWORD_MAX} characters` });

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'required' })
  .max(100, { message: 'at most 100 characters' });

export const localeSchema = z.enum(LOCALES);

/** A 6-digit one-time code as typed (spaces tolerated). */
export const codeSchema = z
  .string()
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { message: 'must be 6 digits' }));

function passwordNotEmail<T extends { email: string }>(key: string & keyof T) {
  return (value: T, ctx: z.RefinementCtx) => {
    const password = value[key];
    if (typeof password === 'string' && normaliseEmail(password) === value.email) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must not be your email address' });
    }
  };
}

/**
 * A French mobile number (06 or 07), normalised to E.164 like `phoneSchema`: the numbers that can
 * receive the SMS code of a sign-up by phone.
 */
export const mobilePhoneSchema = phoneSchema.refine((phone) => /^\+33[67]\d{8}$/.test(phone), {
  message: 'must be a French mobile phone number (06 or 07)'
});

/** Sign-up by email and password (a phone number may be added for sign-in codes by SMS). */
export const signUpWithEmailInput = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema,
    displayName: displayNameSchema,
    locale: localeSchema.default('fr'),
    phone: phoneSchema.optional()
  })
  .superRefine(passwordNotEmail('password'))
  .describe('Sign-up by email and password (answers 202: a code to open the account is sent to the address)');
export type SignUpWithEmailInput = z.output<typeof signUpWithEmailInput>;

/** Sign-up by phone alone: no email, no password; the account is confirmed by a code sent by SMS. */
export const signUpWithPhoneInput = z
  .strictObject({
    phone: mobilePhoneSchema,
    displayName: displayNameSchema,
    locale: localeSchema.default('fr')
  })
  .describe('Sign-up by a French mobile number alone, 06 or 07 (answers 202: a sign-in code is sent by SMS)');
export type SignUpWithPhoneInput = z.output<typeof signUpWithPhoneInput>;

/**
 * Chooses the shape of a sign-up body and reports its problems field by field, before the union
 * runs (a failed union names no field): a body with `email` is the email shape (a password is
 * required), else the phone shape (a password is refused: the code by SMS replaces it).
 */
function signUpShape(value: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const body: Record<string, unknown> = { ...value };
  const given = (key: string) => body[key] !== undefined;
  if (!given('email') && !given('phone')) {
    const message = 'give an email address (with a password) or a mobile phone number';
    ctx.addIssue({ code: 'custom', path: ['email'], message });
    ctx.addIssue({ code: 'custom', path: ['phone'], message });
    return value;
  }
  if (!given('email') && given('password')) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      message: 'not taken with a phone number alone: a code sent by SMS replaces it'
    });
    delete body.password;
  }
  const parsed = (given('email') ? signUpWithEmailInput : signUpWithPhoneInput).safeParse(body);
  // Issues reported here stop the pipe: the union below only runs on a body that fits its shape.
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  return value;
}

/** Either shape of sign-up: `email` + `password` (a code by email), or `phone` alone (a code by SMS). */
export const signUpInput = z.preprocess(signUpShape, z.union([signUpWithEmailInput, signUpWithPhoneInput]));
export type SignUpInput = z.output<typeof signUpInput>;

/** Whether a parsed sign-up is the email-and-password one. */
export function isEmailSignUp(input: SignUpInput): input is SignUpWithEmailInput {
  return 'email' in input;
}

export const signInInput = z.strictObject({
  email: emailSchema,
  // No policy on sign-in: an old password that predates a policy change must still be checked.
  password: z.string().min(1, { message: 'required' }).max(PASSWORD_MAX, { message: `at most ${PASSWORD_MAX} characters` })
});
export type SignInInput = z.output<typeof signInInput>;

export const codeChannelSchema = z.enum(['email', 'sms']);
export type CodeChannel = z.infer<typeof codeChannelSchema>;

/** A destination for a one-time code: an email for `email`, a phone number for `sms`. */
const destinationFor = <T extends { channel: CodeChannel; destination: string }>(value: T, ctx: z.RefinementCtx) => {
  if (value.channel === 'email') {
    const parsed = emailSchema.safeParse(value.destination);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['destination'], message: 'not a valid email address' });
    else value.destination = parsed.data;
  } else {
    const phone = normalisePhone(value.destination);
    if (!phone) ctx.addIssue({ code: 'custom', path: ['destination'], message: 'not a valid phone number' });
    else value.destination = phone;
  }
};

export const codeRequestInput = z
  .strictObject({
    channel: codeChannelSchema.default('email'),
    destination: z.string().min(1, { message: 'required' }).max(EMAIL_MAX)
  })
  .superRefine(destinationFor);
export type CodeRequestInput = z.output<typeof codeRequestInput>;

export const codeVerifyInput = z
  .strictObject({
    channel: codeChannelSchema.default('email'),
    destination: z.string().min(1, { message: 'required' }).max(EMAIL_MAX),
    code: codeSchema
  })
  .superRefine(destinationFor);
export type CodeVerifyInput = z.output<typeof codeVerifyInput>;

export const passwordResetRequestInput = z.strictObject({ email: emailSchema });
export type PasswordResetRequestInput = z.output<typeof passwordResetRequestInput>;

export const passwordResetCompleteInput = z
  .strictObject({ email: emailSchema, code: codeSchema, password: passwordSchema })
  .superRefine(passwordNotEmail('password'));
export type PasswordResetCompleteInput = z.output<typeof passwordResetCompleteInput>;

/** An email address added to an account that has none (signed up by phone). */
export const emailAddInput = z.strictObject({ email: emailSchema });
export type EmailAddInput = z.output<typeof emailAddInput>;

export const emailVerificationInput = z.strictObject({ email: emailSchema, code: codeSchema });
export type EmailVerificationInput = z.output<typeof emailVerificationInput>;

export const accountUpdateInput = z
  .strictObject({ displayName: displayNameSchema.optional(), locale: localeSchema.optional() })
  .refine((v) => v.displayName !== undefined || v.locale !== undefined, {
    message: 'give displayName or locale',
    path: ['displayName']
  });
export type AccountUpdateInput = z.output<typeof accountUpdateInput>;

/** The signed-in user as the API and pages show it (never a hash). */
export const accountUserSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
  phone: z.string().nullable(),
  locale: localeSchema,
  isPlatformAdmin: z.boolean()
});
export type AccountUser = z.infer<typeof accountUserSchema>;

export const sessionView = z.object({ user: accountUserSchema, csrfToken: z.string() });
export type SessionView = z.infer<typeof sessionView>;
