/**
 * What every benchmark shares: a seeded random generator (same data and queries on every run and
 * database), latency summaries, and an HTTP load runner with a fixed number of requests in flight.
 */
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
