import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DB } from './db/schema.js';

/**
 * Everything built once at start and shared by the API and the pages (as `event.platform.services`).
 * Modules are plain functions closed over their dependencies; no container.
 */
export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  db: Kysely<DB>;
  /** The current time; tests replace it to move through expiries. */
  now: () => Date;
}

export interface ServiceOptions {
  now?: () => Date;
}

/** Builds every module's service over one database and one configuration. */
export function createServices(
  config: Config,
  database: Database,
  logger: Logger,
  options: ServiceOptions = {}
): Services {
  const now = options.now ?? (() => new Date());
  return {
    config,
    logger,
    database,
    db: database.db,
    now
  };
}
