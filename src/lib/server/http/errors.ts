import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { output, ZodError, ZodType } from 'zod';
import { AppError, type ErrorCode, type FieldIssue } from '../errors.js';
import type { AppEnv } from './env.js';

/** The one table from error codes to HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation_failed: 400,
  bad_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  unavailable: 503,
  internal: 500
};

/** Turns zod issues into field issues; `prefix` names where the input came from (query, param…). */
export function zodFields(error: ZodError, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    // An unknown key is reported on the object: name the key itself.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const parts = key === undefined ? base : [...base, key];
      const path = [prefix, ...parts].filter(Boolean).join('.') || prefix || '(root)';
      return { path, message: issue.message, code: issue.code };
    });
  });
}

/**
 * Validates a service's input with its zod schema: the data, or AppError validation_failed naming
 * every bad field (`prefix.` before each path), the same shape as a bad request at the HTTP edge.
 */
export function parseInput<S extends ZodType>(schema: S, input: unknown, prefix = ''): output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = zodFields(result.error, prefix || undefined);
  const first = fields[0];
  throw new AppError('validation_failed', first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid input', { fields });
}

/** zod-openapi's defaultHook: every invalid input becomes one `validation_failed` error. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string }
): void {
  if (!result.success) {
    const prefix = result.target === 'json' || result.target === 'form' ? undefined : result.target;
    const fields = zodFields(result.error, prefix);
    const first = fields[0];
    throw new AppError(
      'validation_failed',
      first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid input',
      { fields }
    );
  }
}

/** The JSON body of every error answer. */
export function errorBody(error: AppError, requestId: string) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      requestId
    }
  };
}

/** Maps anything thrown to the error model; unknown errors are logged and answered with a plain 500. */
export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  let error: AppError;
  if (err instanceof AppError) {
    error = err;
  } else if (err instanceof HTTPException) {
    if (err.status === 413) error = new AppError('payload_too_large', 'Request body too large');
    else if (err.status === 400 && /json/i.test(err.message))
      error = new AppError('bad_request', 'Malformed JSON in request body', { fields: [{ path: '(body)', message: 'not valid JSON' }] });
    else if (err.status < 500) error = new AppError('bad_request', err.message || 'Bad request');
    else error = new AppError('internal', 'Internal error');
  } else {
    c.get('logger')?.error({ err }, 'unhandled error');
    error = new AppError('internal', 'Internal error');
  }
  if (error.code === 'internal' && err instanceof AppError) c.get('logger')?.error({ err }, 'internal error');
  const status = HTTP_STATUS[error.code];
  if (error.details?.retryAfter) c.header('Retry-After', String(error.details.retryAfter));
  return c.json(errorBody(error, requestId), status);
}
