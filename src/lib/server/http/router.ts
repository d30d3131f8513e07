import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { validationHook } from './errors.js';

/**
 * A sub-app for one module; every module's routes are built with this so errors share one hook.
 * (Its own file so module routers never import api.ts, which imports them: no import cycle.)
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
