import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { buildApp } from '../app.js';
import type { Job } from '../jobs/jobs.js';
import { createTestClock, testControlRoutes } from './test-clock.js';

describe('test clock', () => {
  it('flows on from where it is set or moved', () => {
    let real = Date.parse('2026-11-29T10:00:00Z');
    const clock = createTestClock(() => real);
    expect(clock.now().toISOString()).toBe('2026-11-29T10:00:00.000Z');
    clock.advance(90 * 60_000);
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-29T11:30:01.000Z');
    clock.set(new Date('2026-12-01T08:00:00Z'));
    real += 5_000;
    expect(clock.now().toISOString()).toBe('2026-12-01T08:00:05.000Z');
  });
});

describe('/api/test (TEST_CLOCK=1, NODE_ENV=test)', () => {
  let t: TestServices;
  const clock = createTestClock();
  const seen: string[] = [];
  const jobs: Job[] = [{ name: 'probe', everyMs: 60_000, run: async (s) => seen.push(s.now().toISOString()) }];
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    t = await createTestServices('sqlite', { TEST_CLOCK: '1' });
    // The services read this clock, as main.ts wires them.
    const services = { ...t.services, now: clock.now };
    app = buildApp(services, { testControl: { clock, jobs } });
  });
  afterAll(async () => t.destroy());

  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('moves the clock forward or to an instant and tells the time', async () => {
    const before = Date.parse((await (await app.request('/api/test/clock')).json()).now);
    const moved = await post('/api/test/clock', { advanceMinutes: 120 });
    expect(moved.status).toBe(200);
    const after = Date.parse((await moved.json()).now);
    expect(after - before).toBeGreaterThanOrEqual(120 * 60_000);
    expect(after - before).toBeLessThan(121 * 60_000);
    const set = await post('/api/test/clock', { at: '2027-01-15T12:00:00Z' });
    expect((await set.json()).now).toMatch(/^2027-01-15T12:00:0/);
  });

  it('names the problem of a bad body (400) and refuses both fields at once', async () => {
    for (const body of [{ advanceMinutes: 'soon' }, { at: 'tomorrow' }, { advanceMinutes: 1, at: '2027-01-15T12:00:00Z' }, {}]) {
      const res = await post('/api/test/clock', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
  });

  it('runs a job now with the services (which read the moved clock); unknown job → 404', async () => {
    await post('/api/test/clock', { at: '2027-03-01T09:00:00Z' });
    const res = await post('/api/test/jobs/probe', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ job: 'probe', result: 1 });
    expect(seen[0]).toMatch(/^2027-03-01T09:00:0/);
    const missing = await post('/api/test/jobs/nope', {});
    expect(missing.status).toBe(404);
  });

  it('does not exist without a test clock, and cannot be built outside tests', async () => {
    const plain = buildApp(t.services);
    expect((await plain.request('/api/test/clock')).status).toBe(404);
    const other = await createTestServices('sqlite');
    try {
      expect(() => testControlRoutes(other.services, clock, jobs)).toThrow(/only with NODE_ENV=test and TEST_CLOCK=1/);
    } finally {
      await other.destroy();
    }
  });
});
