import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { fieldMessage, type FieldMessage } from '../i18n/fields';
import type { FormFailure } from './forms';
import { PASSWORD_MIN } from '../schemas/accounts';
import type { z } from 'zod';
import { AppError, type ErrorCode, type ErrorDetails } from '../server/errors';
import { HTTP_STATUS, zodFields } from '../server/http/errors';

export type { FormFailure };

interface AppErrorLike {
  name: 'AppError';
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

/**
 * Whether `error` is an AppError. Checked by shape, not `instanceof`: the services run from the
 * server's own module graph while the pages are bundled by Vite, so the two `AppError` classes differ.
 */
export function isAppErrorLike(error: unknown): error is AppErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AppError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code in HTTP_STATUS
  );
}

/** A page load's refusal as the page's HTTP error: 404 for `not_found`, 403 for `forbidden`; anything else is thrown as is. */
export function throwAsPageError(err: unknown): never {
  if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
  if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
  throw err;
}

const SECRET_FIELDS = /password|code|token/i;

/** The typed values of a form, as strings, without secrets (passwords, codes, tokens). */
export function keptValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of data) {
    if (typeof value === 'string' && !SECRET_FIELDS.test(key)) values[key] = value.slice(0, 1000);
  }
  return values;
}

/**
 * Turns a service's AppError into `fail(status, FormFailure)`; anything else is rethrown (an
 * unexpected error: the error page shows the request id). `form` names which form of the page failed.
 */
export function failWith(
  error: unknown,
  data: FormData,
  options: { form?: string; fieldOnConflict?: string } = {}
): ActionFailure<FormFailure> {
  if (!isAppErrorLike(error)) throw error;
  const fields: Record<string, FieldMessage> = {};
  for (const issue of error.details?.fields ?? []) {
    if (typeof issue?.path !== 'string' || fields[issue.path]) continue;
    fields[issue.path] = fieldMessage(issue, PASSWORD_MIN);
  }
  if (error.code === 'conflict' && options.fieldOnConflict && !fields[options.fieldOnConflict]) {
    fields[options.fieldOnConflict] =
      options.fieldOnConflict === 'email' ? { key: 'fieldErrors.emailTaken' } : { key: 'fieldErrors.invalid' };
  }
  return fail(HTTP_STATUS[error.code], {
    form: options.form,
    code: error.code,
    fields,
    values: keptValues(data),
    lockedUntil: typeof error.details?.lockedUntil === 'string' ? error.details.lockedUntil : undefined,
    retryAfter: typeof error.details?.retryAfter === 'number' ? error.details.retryAfter : undefined
  });
}

/** A string field of a form: trimmed, or undefined when empty (so optional fields stay absent). */
export function optionalString(data: FormData, name: string): string | undefined {
  const value = data.get(name);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A string field of a form, as typed ('' when absent). */
export function stringField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Parses a form's values with a shared schema (the same one the API uses); a failure throws
 * `validation_failed` naming each field, which `failWith` turns into messages next to the fields.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('validation_failed', 'Invalid input', { fields: zodFields(result.error) });
}
