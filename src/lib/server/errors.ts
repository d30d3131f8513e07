/**
 * The one error type services throw. It knows nothing of HTTP: `http/errors.ts` maps each code
 * to a status. Messages are safe to show to the caller (no stack, no internal detail).
 */
export const ERROR_CODES = [
  'validation_failed',
  'bad_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'invalid_credentials',
  'account_locked',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'gone',
  'rate_limited',
  'unavailable',
  'internal'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field: `path` is dotted (`address.postalCode`). */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export interface ErrorDetails {
  fields?: FieldIssue[];
  /** ISO date-time until which an account or a key stays locked. */
  lockedUntil?: string;
  /** Seconds before the caller may try again. */
  retryAfter?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Shorthand for a validation error on a single field. */
export function fieldError(path: string, message: string, code?: string): AppError {
  return new AppError('validation_failed', message, { fields: [{ path, message, code }] });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
