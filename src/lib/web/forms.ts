import type { FieldMessage } from '../i18n/fields';

/**
 * What a form action returns when a service refused the input: the error code (translated by
 * the page as `errors.<code>`), one message per field (shown next to the field), and the values
 * typed (never a password or a code) so the form comes back filled. `form` names which form of a
 * page with several failed.
 */
export interface FormFailure {
  form?: string;
  code: string;
  fields: Record<string, FieldMessage>;
  values: Record<string, string>;
  lockedUntil?: string;
  retryAfter?: number;
}

/** The failure of the form named `name` (or of the page's only form), else null. */
export function failureOf(form: unknown, name?: string): FormFailure | null {
  if (!form || typeof form !== 'object' || !('code' in form) || !('fields' in form)) return null;
  const failure = form as FormFailure;
  if (name !== undefined && failure.form !== name) return null;
  return failure;
}
