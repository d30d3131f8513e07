import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { JOBS, jobsOnTimers, startJobs, type Job } from './jobs.js';

describe('startJobs', () => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices('sqlite');
  });
  afterAll(async () => t.destroy());

  it('runs each job after start and at its interval, survives a failing run, and stops', async () => {
    vi.useFakeTimers();
    try {
      const ok = vi.fn(async () => 'done');
      const failing = vi.fn(async () => {
        throw new Error('boom');
      });
      const jobs: Job[] = [
        { name: 'ok', everyMs: 60_000, run: ok },
        { name: 'failing', everyMs: 60_000, run: failing }
      ];
      const stop = startJobs(t.services, jobs);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(ok).toHaveBeenCalledTimes(1);
      expect(failing).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(ok).toHaveBeenCalledTimes(2);
      expect(failing).toHaveBeenCalledTimes(2);
      stop();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(ok).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('skips a tick while the previous run of a short job is still going', async () => {
    vi.useFakeTimers();
    try {
      let release: () => void = () => undefined;
      const slow = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
      const stop = startJobs(t.services, [{ name: 'slow', everyMs: 15_000, run: slow }]);
      await vi.advanceTimersByTimeAsync(5_000 + 15_000 * 2);
      expect(slow).toHaveBeenCalledTimes(1);
      release();
      await vi.advanceTimersByTimeAsync(15_000);
      expect(slow).toHaveBeenCalledTimes(2);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('delivers notifications every 15 seconds and writes marketplace alerts', async () => {
    const { JOBS } = await import('./jobs.js');
    expect(JOBS.find((j) => j.name === 'deliver-notifications')?.everyMs).toBe(15_000);
    expect(await JOBS.find((j) => j.name === 'deliver-notifications')?.run(t.services)).toMatchObject({ sent: 0, failed: 0 });
    expect(await JOBS.find((j) => j.name === 'marketplace-alerts')?.run(t.services)).toEqual({
      reminders: { reminded: 0 },
      newOffers: { alerted: 0, quiet: 0, capped: 0 }
    });
  });

  it('purges expired sessions through the default job', async () => {
    const { JOBS } = await import('./jobs.js');
    const purge = JOBS.find((j) => j.name === 'purge-expired-sessions-and-codes');
    expect(await purge?.run(t.services)).toEqual({ sessions: 0, codes: 0, unverifiedAccounts: 0 });
  });

  it('under the test clock, starts only the jobs that keep their timer: the outbox worker', async () => {
    expect(jobsOnTimers(JOBS, { testClock: true }).map((j) => j.name)).toEqual(['deliver-notifications']);
    expect(jobsOnTimers(JOBS, { testClock: false })).toHaveLength(JOBS.length);
    vi.useFakeTimers();
    try {
      const byTime = vi.fn(async () => 'expired');
      const queue = vi.fn(async () => 'sent');
      const jobs: Job[] = [
        { name: 'by-time', everyMs: 60_000, run: byTime },
        { name: 'queue', everyMs: 15_000, run: queue, timerUnderTestClock: true }
      ];
      const stop = startJobs(t.services, jobsOnTimers(jobs, { testClock: true }));
      await vi.advanceTimersByTimeAsync(5_000 + 60_000 * 3);
      expect(byTime).not.toHaveBeenCalled();
      expect(queue).toHaveBeenCalledTimes(1 + 12);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
