import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { loadDemoIfEmpty } from './demo/demo.js';
import { JOBS, jobsOnTimers, startJobs } from './jobs/jobs.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import { loadPages } from './sveltekit.js';
import { createTestClock } from './testing/test-clock.js';

/** The caller's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
function clientAddress(config: Config) {
  return (c: Context) => {
    if (config.TRUST_PROXY) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return getConnInfo(c).remote.address ?? 'unknown';
  };
}

/** Start: config → database → migrations → demo data → services → Hono app (API + SvelteKit) → listen. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // Exit only once the message is flushed (stderr is asynchronous on pipes).
      process.stderr.write(`Glane cannot start, bad configuration:\n${err.lines.map((l) => `  ${l}`).join('\n')}\n`, () =>
        process.exit(1)
      );
      return;
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const database = openDatabase(config);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  // Browser tests only (config refuses TEST_CLOCK outside NODE_ENV=test): one movable clock for every service and job.
  const testClock = config.TEST_CLOCK ? createTestClock() : undefined;
  const services = createServices(config, database, logger, { now: testClock?.now });
  if (config.DEMO_DATA && (await loadDemoIfEmpty(services))) logger.info('demo territory loaded');
  // The directory's in-memory index loads in the background; searches use SQL until it is ready.
  services.directorySearch.index
    ?.load()
    .then(() => logger.info(services.directorySearch.index?.stats(), 'directory index loaded'))
    .catch((err: unknown) => logger.warn({ err }, 'directory index not loaded: searches use SQL'));

  const pages = await loadPages();
  if (!pages) logger.warn('web app not built (run `npm run build`): serving the API only');
  const app = buildApp(services, {
    pages,
    clientAddress: clientAddress(config),
    testControl: testClock ? { clock: testClock, jobs: JOBS } : undefined
  });

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info(
      { port: info.port, database: database.kind, url: config.PUBLIC_URL },
      `Glane listening on ${config.PUBLIC_URL}`
    );
  });

  // Under the test clock, jobs that decide by the time run only when a test asks (/api/test/jobs/<name>).
  const timed = jobsOnTimers(JOBS, { testClock: testClock !== undefined });
  if (testClock) {
    logger.warn(
      { jobsOnTimers: timed.map((j) => j.name) },
      'TEST_CLOCK: the clock and jobs are controlled through /api/test (tests only); other jobs run only through POST /api/test/jobs/<name>'
    );
  }
  const stopJobs = startJobs(services, timed);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    stopJobs();
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in 10 s: closing anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(async (err) => {
      await database.close().catch((e: unknown) => logger.error({ err: e }, 'database close failed'));
      logger.info('stopped');
      process.exit(err ? 1 : 0);
    });
    if ('closeIdleConnections' in server) (server as { closeIdleConnections(): void }).closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Glane failed to start: ${err instanceof Error ? err.message : String(err)}\n`, () => process.exit(1));
});
