import { loadConfig, type Config } from '../../src/lib/server/config.js';
import type { DatabaseKind } from '../../src/lib/server/db/database.js';
import { createLogger } from '../../src/lib/server/logger.js';
import { createServices, type Services } from '../../src/lib/server/services.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** A controllable clock for tests: starts at `start`, moves with `advance(ms)`. */
export function testClock(start = '2026-11-29T10:00:00.000Z') {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
    set: (iso: string) => {
      current = new Date(iso).getTime();
    }
  };
}

export interface TestServices {
  services: Services;
  database: TestDatabase;
  clock: ReturnType<typeof testClock>;
  config: Config;
  destroy(): Promise<void>;
}

/** Services over a fresh migrated database, with a test clock and silent logs. */
export async function createTestServices(
  kind: DatabaseKind,
  env: Record<string, string> = {}
): Promise<TestServices> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', ...env });
  const clock = testClock();
  const services = createServices(config, database, createLogger('silent'), { now: clock.now, searchIndex: 'wait' });
  return { services, database, clock, config, destroy: () => database.destroy() };
}
