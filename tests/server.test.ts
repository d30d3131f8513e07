import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/net.js';

function startGlane(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/lib/server/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitReady(port: number, exited: Promise<number | null>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 150 && !done; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready');
}

describe('the Glane process', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('refuses to start on a bad configuration, one line per bad variable', async () => {
    const run = startGlane({ PORT: 'seventy', LOG_LEVEL: 'chatty' });
    children.push(run.child);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('PORT=');
    expect(run.output()).toContain('LOG_LEVEL=');
  });

  it('refuses the test clock outside NODE_ENV=test', async () => {
    const run = startGlane({ TEST_CLOCK: '1', NODE_ENV: 'production' });
    children.push(run.child);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/TEST_CLOCK="1": only accepted when NODE_ENV=test/);
  });

  it('migrates a new SQLite file, serves, and stops cleanly on SIGTERM closing the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glane-proc-'));
    const dbPath = join(dir, 'glane.db');
    const port = await freePort();
    const run = startGlane({ PORT: String(port), HOST: '127.0.0.1', SQLITE_PATH: dbPath });
    children.push(run.child);
    await waitReady(port, run.exited);
    expect(existsSync(dbPath)).toBe(true);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    // No test clock without TEST_CLOCK: the route does not exist.
    expect((await fetch(`http://127.0.0.1:${port}/api/test/clock`, { method: 'POST' })).status).toBe(404);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopped');
    // better-sqlite3 checkpoints and removes the WAL file when the database is closed.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('under the test clock, runs on timers only the outbox worker; the other jobs run when a test asks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glane-proc-'));
    const port = await freePort();
    const run = startGlane({
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dir, 'glane.db'),
      NODE_ENV: 'test',
      TEST_CLOCK: '1',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'debug'
    });
    children.push(run.child);
    await waitReady(port, run.exited);
    expect(run.output()).toContain('"jobsOnTimers":["deliver-notifications"]');
    // Every job's first timed run comes 5 s after start: wait past it.
    const ranOnTimer = (name: string) => run.output().includes(`"job":"${name}"`);
    for (let i = 0; i < 40 && !ranOnTimer('deliver-notifications'); i++) await new Promise((r) => setTimeout(r, 250));
    expect(ranOnTimer('deliver-notifications')).toBe(true);
    await fetch(`http://127.0.0.1:${port}/api/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMinutes: 60 * 24 * 30 })
    });
    await new Promise((r) => setTimeout(r, 1_000));
    for (const name of ['purge-expired-sessions-and-codes', 'eligibility-expiry-reminders', 'marketplace-pooling-lottery', 'marketplace-no-shows', 'marketplace-alerts']) {
      expect(ranOnTimer(name), name).toBe(false);
    }
    const asked = await fetch(`http://127.0.0.1:${port}/api/test/jobs/marketplace-pooling-lottery`, { method: 'POST' });
    expect(await asked.json()).toEqual({ job: 'marketplace-pooling-lottery', result: 0 });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
