import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { zodFields } from '../http/errors.js';
import type { Job } from '../jobs/jobs.js';
import type { Services } from '../services.js';

/**
 * The test clock of browser tests (TEST_CLOCK=1, accepted only with NODE_ENV=test: see config.ts).
 * Time keeps flowing from where it was set, so sessions and rate limits behave as in real life; the
 * harness moves it forward (or to an instant) and runs a job when it asks: under the test clock the
 * jobs that decide by the time have no timer (jobsOnTimers in jobs.ts), so none fires between the
 * harness moving the clock and asking; only the outbox worker keeps its timer.
 */
export interface TestClock {
  now(): Date;
  /** Moves the clock to `at`; it flows on from there. */
  set(at: Date): void;
  /** Moves the clock forward (or back, when negative) by `ms`. */
  advance(ms: number): void;
}

export function createTestClock(realNow: () => number = Date.now): TestClock {
  let offset = 0;
  return {
    now: () => new Date(realNow() + offset),
    set: (at) => {
      offset = at.getTime() - realNow();
    },
    advance: (ms) => {
      offset += ms;
    }
  };
}

const clockInput = z.union([
  z.object({ advanceMinutes: z.number().int().min(-525_600).max(525_600) }).strict(),
  z.object({ at: z.iso.datetime({ offset: true }) }).strict()
]);

/**
 * `/api/test/*` (not under /api/v1, not in OpenAPI; mounted only with a test clock):
 * `GET /clock` → `{ now }`; `POST /clock` `{ advanceMinutes }` or `{ at }` → `{ now }`;
 * `POST /jobs/:name` runs that job once now with the application's services → `{ job, result }`.
 */
export function testControlRoutes(services: Services, clock: TestClock, jobs: Job[]) {
  if (services.config.NODE_ENV !== 'test' || !services.config.TEST_CLOCK) {
    throw new Error('The test control routes exist only with NODE_ENV=test and TEST_CLOCK=1');
  }
  const app = new Hono<AppEnv>();
  app.get('/clock', (c) => c.json({ now: clock.now().toISOString() }));
  app.post('/clock', async (c) => {
    const parsed = clockInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      throw new AppError('validation_failed', 'Give { advanceMinutes: integer } or { at: ISO date-time }', {
        fields: zodFields(parsed.error)
      });
    }
    if ('at' in parsed.data) clock.set(new Date(parsed.data.at));
    else clock.advance(parsed.data.advanceMinutes * 60_000);
    return c.json({ now: clock.now().toISOString() });
  });
  app.post('/jobs/:name', async (c) => {
    const job = jobs.find((j) => j.name === c.req.param('name'));
    if (!job) throw new AppError('not_found', `No job ${c.req.param('name')}; jobs: ${jobs.map((j) => j.name).join(', ')}`);
    return c.json({ job: job.name, result: (await job.run(services)) ?? null });
  });
  return app;
}
