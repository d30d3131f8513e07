import type { Migration } from 'kysely';
import * as foundation from './2026-11-29-001-foundation.js';
import * as directory from './2026-11-29-002-directory.js';

/**
 * Every migration, by dated name. Listed statically (no directory scan) so the same list works
 * under tsx, vitest and a bundle. Names sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-29-001-foundation': foundation,
  '2026-11-29-002-directory': directory
};
