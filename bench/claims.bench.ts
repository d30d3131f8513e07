/**
 * Benchmark of reserving donations under contention (issue 5, item 8): many signed-in eligible
 * people (created by the bench: accounts, anti-gaspi grants and real sessions) reserve over HTTP
 * from a few scarce offers, many requests in flight, against the real Hono app on a loopback port.
 * Some calls are retried with the same Idempotency-Key (as a client would after a timeout).
 * Prints reservations made, units reserved vs available, oversold (must be 0), the answers by
 * status, reserve calls per second and latency percentiles, on SQLite and (BENCH_DATABASE_URL) PostgreSQL.
 *
 *   npm run bench:claims                                   # SQLite file in /tmp
 *   BENCH_DATABASE_URL=postgres://… npm run bench:claims   # also PostgreSQL (throw-away schema)
 *   BENCH_PEOPLE=200 BENCH_OFFERS=3 BENCH_UNITS=15 BENCH_IN_FLIGHT=32 npm run bench:claims
 *
 * The HTTP clients run in the server's process (one event loop for both): calls/s are a lower bound.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { runOnEachDatabase } from './databases.js';
import { percentile, prng } from './kit.js';
import { buildApp } from '../src/lib/server/app.js';
import { loadConfig } from '../src/lib/server/config.js';
import type { Database } from '../src/lib/server/db/database.js';
import { createLogger } from '../src/lib/server/logger.js';
import { createSessionsService } from '../src/lib/server/modules/accounts/sessions.service.js';
import { insertTestOrganisation, insertTestScheme } from '../src/lib/server/modules/eligibility/requests.testing.js';
import { grantAntiGaspi, insertTestOffer, insertTestPerson } from '../src/lib/server/modules/marketplace/marketplace.testing.js';
import { createServices } from '../src/lib/server/services.js';

const N_PEOPLE = Number(process.env.BENCH_PEOPLE ?? 400);
const N_OFFERS = Number(process.env.BENCH_OFFERS ?? 4);
const UNITS = Number(process.env.BENCH_UNITS ?? 25);
/** Reserve attempts per person (each on an offer drawn at random). */
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 3);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
/** Share of calls repeated with the same Idempotency-Key. */
const RETRY_SHARE = 0.1;

const pct = percentile;
const ms = (v: number) => `${v.toFixed(1)} ms`;

interface Call {
  cookie: string;
  csrf: string;
  offerId: string;
  quantity: number;
  key: string;
}

async function bench(label: string, database: Database) {
  console.log(`\n${label}`);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', PUBLIC_URL: 'http://127.0.0.1' });
  const services = createServices(config, database, createLogger('silent'));
  const { db } = database;
  const sessions = createSessionsService({ db, config, now: () => new Date() });

  // The territory: a CCAS that grants anti-gaspi access, a donor with a few scarce offers.
  const t0 = performance.now();
  const ccas = await insertTestOrganisation(db, 'ccas', 'CCAS du banc');
  const donor = await insertTestOrganisation(db, 'donor', 'Boulangerie du banc');
  const scheme = await insertTestScheme(db, 'anti-gaspi', [ccas]);
  const now = new Date();
  const offers: string[] = [];
  for (let i = 0; i < N_OFFERS; i += 1) {
    offers.push(
      await insertTestOffer(db, {
        organisationId: donor,
        title: `Invendus ${i + 1}`,
        quantity: UNITS,
        at: now.toISOString(),
        pickup_starts_at: new Date(now.getTime() + 3600_000).toISOString(),
        pickup_ends_at: new Date(now.getTime() + 3 * 3600_000).toISOString()
      })
    );
  }
  const people: { cookie: string; csrf: string }[] = [];
  for (let i = 0; i < N_PEOPLE; i += 1) {
    const userId = await insertTestPerson(db, `Personne ${i}`);
    await grantAntiGaspi(db, userId, scheme, ccas, { from: '2000-01-01', until: '2099-12-31' });
    const { token, session } = await sessions.createSession(userId, 'bench');
    people.push({ cookie: `glane_session=${token}`, csrf: session.csrfToken });
  }
  console.log(`  setup: ${N_PEOPLE} eligible people with sessions, ${N_OFFERS} offers × ${UNITS} units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The calls: each person tries ATTEMPTS offers (1 or 2 units); some calls are sent twice with one key.
  const rand = prng(20261129);
  const calls: Call[] = [];
  for (const p of people) {
    for (let a = 0; a < ATTEMPTS; a += 1) {
      const call = {
        cookie: p.cookie,
        csrf: p.csrf,
        offerId: offers[Math.floor(rand() * offers.length)]!,
        quantity: rand() < 0.7 ? 1 : 2,
        key: randomUUID()
      };
      calls.push(call);
      if (rand() < RETRY_SHARE) calls.push({ ...call });
    }
  }
  for (let i = calls.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [calls[i], calls[j]] = [calls[j]!, calls[i]!];
  }

  const app = buildApp(services);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const times: number[] = [];
  const byAnswer = new Map<string, number>();
  let next = 0;
  try {
    // Baseline in the same run: a trivial endpoint with the same client and the same requests in flight.
    const healthTimes: number[] = [];
    let h = 0;
    const healthStart = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (h < calls.length) {
          h += 1;
          const t = performance.now();
          await (await fetch(`${base}/api/health`)).arrayBuffer();
          healthTimes.push(performance.now() - t);
        }
      })
    );
    const healthWall = performance.now() - healthStart;
    const hs = [...healthTimes].sort((a, b) => a - b);
    console.log(
      `  baseline GET /api/health ×${calls.length}: ${((1000 * calls.length) / healthWall).toFixed(0)} req/s, ` +
        `p50 ${ms(pct(hs, 0.5))}  p99 ${ms(pct(hs, 0.99))}`
    );

    const start = performance.now();
    const worker = async () => {
      while (next < calls.length) {
        const c = calls[next++]!;
        const t = performance.now();
        let answer: string;
        try {
          const res = await fetch(`${base}/api/v1/offers/${c.offerId}/reservations`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Cookie: c.cookie,
              'X-CSRF-Token': c.csrf,
              'Idempotency-Key': c.key
            },
            body: JSON.stringify({ quantity: c.quantity })
          });
          const body = (await res.json()) as { error?: { code: string; details?: { limit?: string } } };
          answer = String(res.status);
          if (res.status === 201 && res.headers.get('Idempotent-Replayed')) answer = '201 replayed';
          if (res.status === 409) answer = body.error?.details?.limit ? `409 ${body.error.details.limit}` : '409 remaining';
        } catch (e) {
          answer = `network error ${(e as Error).message}`;
        }
        times.push(performance.now() - t);
        byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const wall = performance.now() - start;

    // What the database says.
    let made = 0;
    let reserved = 0;
    let oversold = 0;
    let inconsistent = 0;
    for (const offerId of offers) {
      const rows = await db
        .selectFrom('reservation')
        .select(['quantity'])
        .where('offer_id', '=', offerId)
        .where('status', '=', 'confirmed')
        .execute();
      const units = rows.reduce((s, r) => s + Number(r.quantity), 0);
      const offer = await db.selectFrom('offer').select(['remaining', 'quantity']).where('id', '=', offerId).executeTakeFirstOrThrow();
      made += rows.length;
      reserved += units;
      oversold += Math.max(0, units - Number(offer.quantity));
      if (units + Number(offer.remaining) !== Number(offer.quantity)) inconsistent += 1;
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`  reserve calls: ${calls.length} (${IN_FLIGHT} in flight) in ${(wall / 1000).toFixed(2)} s → ${((1000 * calls.length) / wall).toFixed(0)} calls/s`);
    console.log(`  latency: p50 ${ms(pct(sorted, 0.5))}  p95 ${ms(pct(sorted, 0.95))}  p99 ${ms(pct(sorted, 0.99))}  max ${ms(sorted[sorted.length - 1] ?? NaN)}`);
    console.log(`  answers: ${[...byAnswer].sort().map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    console.log(`  reservations made: ${made}; units reserved ${reserved} of ${N_OFFERS * UNITS} available`);
    console.log(`  oversold: ${oversold} ${oversold === 0 ? '(ok)' : '(FAILED)'}; offers whose remaining ≠ quantity − reserved: ${inconsistent}`);
    if (oversold > 0 || inconsistent > 0) process.exitCode = 1;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

console.log(
  `claims bench: ${N_PEOPLE} people × ${ATTEMPTS} attempts (+${RETRY_SHARE * 100} % retried with the same key) on ` +
    `${N_OFFERS} offers of ${UNITS} units; node ${process.version}`
);
await runOnEachDatabase('claims-bench', bench, { postgresPoolMax: IN_FLIGHT + 2 });
