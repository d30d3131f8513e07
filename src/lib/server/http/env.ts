import type { Logger } from 'pino';
import type { Services } from '../services.js';

/** What the authentication middleware puts on the context for a signed-in caller. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  csrfToken: string;
  isPlatformAdmin: boolean;
}

/** Hono's environment for every API route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    services: Services;
    auth: AuthContext | null;
    /** The caller's address (socket, or X-Forwarded-For behind a trusted proxy): for rate limits. */
    clientIp: string;
  };
}
