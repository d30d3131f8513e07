import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors.js';

/** The error model, as documented in the OpenAPI document. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .object({
          fields: z
            .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
            .optional(),
          lockedUntil: z.string().optional(),
          retryAfter: z.number().optional()
        })
        .catchall(z.unknown())
        .optional(),
      requestId: z.string()
    })
  })
  .openapi('Error');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `details.fields` names each bad field',
  401: 'Not signed in, or wrong credentials',
  403: 'Signed in but not allowed, or CSRF check failed',
  404: 'Not found',
  409: 'Conflict with existing data',
  410: 'Expired or already used',
  413: 'Request body too large',
  415: 'Content-Type must be application/json',
  423: 'Account temporarily locked: `details.lockedUntil` says until when',
  429: 'Too many attempts: `details.retryAfter` in seconds',
  500: 'Unexpected error (no detail is given)',
  503: 'Service unavailable'
};

/** Error responses for a route's OpenAPI definition: `...errorResponses(400, 401)`. */
export function errorResponses(...statuses: number[]) {
  const all = new Set([...statuses, 500]);
  return Object.fromEntries(
    [...all].map((status) => [
      status,
      { description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } }
    ])
  ) as Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
}

/** Errors every JSON write may answer (validation, content type, size, CSRF when cookie-authenticated). */
export const WRITE_ERRORS = [400, 403, 413, 415, 429] as const;

/** A required JSON request body for a route definition. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    body: { required: true, description, content: { 'application/json': { schema } } }
  } as const;
}

/** A JSON response for a route definition. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}
