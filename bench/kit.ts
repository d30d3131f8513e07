/**
 * What every benchmark shares: a seeded random generator (same data and queries on every run and
 * database), latency summaries, and an HTTP load runner with a fixed number of requests in flight.
 */
import { fork } from 'node:child_process';
import { mulberry32 } from '../src/lib/server/random.js';

/** The seeded generator of the benchmarks' data and queries (mulberry32). */
export const prng = mulberry32;

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** The q-quantile (0–1) of an ascending list (nearest rank; NaN when empty). */
export const percentile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export function summary(times: readonly number[]): Summary {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / Math.max(1, times.length);
  return { n: times.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), mean };
}

export const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;
export const fmt = (s: Summary) => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  mean ${ms(s.mean)}`;

/** Runs every URL once (GET, with `headers`) with `concurrency` requests in flight; latencies and overall rate. */
export async function runHttp(base: string, urls: string[], concurrency: number, headers: Record<string, string> = {}) {
  const times: number[] = new Array<number>(urls.length);
  let next = 0;
  let failures = 0;
  let bytes = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      const start = performance.now();
      try {
        const res = await fetch(base + urls[i]!, { headers });
        const body = await res.arrayBuffer();
        bytes += body.byteLength;
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      times[i] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - t0;
  return { times, wall, s: summary(times), rate: (1000 * urls.length) / wall, failures, bytes, avgBytes: bytes / Math.max(1, urls.length) };
}

export type HttpRun = Awaited<ReturnType<typeof runHttp>>;

/**
 * The same load as runHttp, from a client in a second process (bench/http-client.ts): on a two-core
 * machine the server's event loop then spends nothing on the client's side (requests, reading and
 * decoding the answers). Close it when done.
 */
export async function startClientProcess(): Promise<{
  run: (base: string, urls: string[], concurrency: number, headers?: Record<string, string>) => Promise<HttpRun>;
  close: () => void;
}> {
  const child = fork(new URL('./http-client.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (r: { times: number[]; wall: number; failures: number; bytes: number }) => void>();
  child.on('message', (m: { id: number; times: number[]; wall: number; failures: number; bytes: number }) => {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  return {
    run: (base, urls, concurrency, headers = {}) =>
      new Promise<HttpRun>((resolve) => {
        const id = next++;
        pending.set(id, (r) =>
          resolve({
            ...r,
            s: summary(r.times),
            rate: (1000 * urls.length) / r.wall,
            avgBytes: r.bytes / Math.max(1, urls.length)
          })
        );
        child.send({ id, base, urls, concurrency, headers });
      }),
    close: () => child.disconnect()
  };
}
