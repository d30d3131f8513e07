/**
 * The HTTP load client of the benchmarks in a process of its own (forked by kit.ts's
 * startClientProcess): it runs runHttp on what it is sent and answers the measurements, so the
 * server's event loop does only the server's work — as wrk or autocannon would measure it.
 */
import { runHttp } from './kit.js';

interface Job {
  id: number;
  base: string;
  urls: string[];
  concurrency: number;
  headers: Record<string, string>;
}

if (!process.send) throw new Error('bench/http-client.ts runs forked by bench/kit.ts (startClientProcess)');
process.on('message', (job: Job) => {
  void runHttp(job.base, job.urls, job.concurrency, job.headers).then((r) =>
    process.send!({ id: job.id, times: r.times, wall: r.wall, failures: r.failures, bytes: r.bytes })
  );
});
process.on('disconnect', () => process.exit(0));
