/**
 * Benchmark of the shared search helpers (geosearch and text search) on a realistic volume:
 * 50,000 points and 50,000 documents generated from a seeded PRNG (same data on every run),
 * then 1,000 queries of each kind. Prints figures, asserts nothing.
 *
 *   npm run bench                                   # SQLite file in /tmp
 *   BENCH_DATABASE_URL=postgres://… npm run bench   # also PostgreSQL (in a throw-away schema)
 *   BENCH_N=10000 BENCH_QUERIES=200 npm run bench   # smaller run
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { runOnEachDatabase } from './databases.js';
import { prng } from './kit.js';
import type { Database } from '../src/lib/server/db/database.js';
import { findNearby, upsertGeoPoint } from '../src/lib/server/db/geosearch.js';
import { searchDocuments, upsertSearchDocument } from '../src/lib/server/db/text-search.js';

const N = Number(process.env.BENCH_N ?? 50_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const SEED = 20261129;

/** Standard normal variate (Box–Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

// Region: Hauts-de-France, about 200 × 170 km. Points cluster around towns like real places do.
const REGION = { minLat: 49.9, maxLat: 51.1, minLng: 1.6, maxLng: 4.2 };
const TOWNS = [
  { name: 'Lille', lat: 50.63, lng: 3.06, weight: 8, spreadKm: 6 },
  { name: 'Roubaix', lat: 50.69, lng: 3.18, weight: 3, spreadKm: 3 },
  { name: 'Tourcoing', lat: 50.72, lng: 3.16, weight: 3, spreadKm: 3 },
  { name: 'Dunkerque', lat: 51.03, lng: 2.37, weight: 3, spreadKm: 5 },
  { name: 'Arras', lat: 50.29, lng: 2.78, weight: 2, spreadKm: 4 },
  { name: 'Lens', lat: 50.43, lng: 2.83, weight: 2, spreadKm: 4 },
  { name: 'Valenciennes', lat: 50.36, lng: 3.52, weight: 2, spreadKm: 4 },
  { name: 'Douai', lat: 50.37, lng: 3.08, weight: 2, spreadKm: 3 },
  { name: 'Calais', lat: 50.95, lng: 1.86, weight: 2, spreadKm: 4 },
  { name: 'Boulogne-sur-Mer', lat: 50.73, lng: 1.61, weight: 1, spreadKm: 3 }
];
const TOTAL_WEIGHT = TOWNS.reduce((s, t) => s + t.weight, 0);

function pickTown(rand: () => number) {
  let r = rand() * TOTAL_WEIGHT;
  for (const town of TOWNS) if ((r -= town.weight) < 0) return town;
  return TOWNS[0]!;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** 70 % of points around towns (gaussian), 30 % spread over the countryside. */
function randomPoint(rand: () => number): { lat: number; lng: number } {
  if (rand() < 0.3) {
    return {
      lat: REGION.minLat + rand() * (REGION.maxLat - REGION.minLat),
      lng: REGION.minLng + rand() * (REGION.maxLng - REGION.minLng)
    };
  }
  const town = pickTown(rand);
  const dLat = (gaussian(rand) * town.spreadKm) / 111.2;
  const dLng = (gaussian(rand) * town.spreadKm) / (111.2 * Math.cos((town.lat * Math.PI) / 180));
  return {
    lat: clamp(town.lat + dLat, REGION.minLat, REGION.maxLat),
    lng: clamp(town.lng + dLng, REGION.minLng, REGION.maxLng)
  };
}

const KINDS = ['Épicerie sociale', 'Épicerie solidaire', 'Restos du Cœur', 'Secours populaire', 'Banque alimentaire',
  'Boulangerie', 'Restaurant', 'EHPAD', 'Cantine scolaire', 'Producteur', 'Maraîcher', 'Friperie', 'Ressourcerie',
  'Jardin partagé', 'Maraude', 'Accueil de jour', 'Centre social', 'Croix-Rouge', 'Panier solidaire', 'Café associatif'];
const WORDS = ['pain', 'viennoiseries', 'légumes', 'fruits', 'fromage', 'yaourts', 'lait', 'œufs', 'conserves',
  'pâtes', 'riz', 'café', 'thé', 'chocolat', 'gâteaux', 'soupe', 'plats', 'cuisinés', 'bébé', 'couches',
  'hygiène', 'vêtements', 'chaussures', 'vaisselle', 'électroménager', 'jouets', 'livres', 'colis', 'repas',
  'chaud', 'froid', 'frais', 'surgelés', 'bio', 'local', 'saison', 'étudiants', 'familles', 'monoparentales',
  'seniors', 'accueil', 'écoute', 'orientation', 'douche', 'laverie', 'domiciliation', 'atelier', 'cuisine',
  'nutrition', 'santé', 'emploi', 'insertion', 'bénévoles', 'collecte', 'distribution', 'sandwichs', 'boissons',
  'céréales', 'compote', 'jambon', 'poulet', 'poisson', 'salade', 'tomates', 'pommes', 'poires', 'carottes'];

function randomBody(rand: () => number, i: number): string {
  const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
  const town = pickTown(rand).name;
  const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, () => WORDS[Math.floor(rand() * WORDS.length)]!);
  return `${kind} de ${town} n°${i} — ${words.join(', ')}`;
}

function randomQuery(rand: () => number): string {
  const pick = <T,>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const r = rand();
  if (r < 0.3) return pick(WORDS); // one whole word
  if (r < 0.6) return pick(WORDS).slice(0, 4); // a prefix, as typed
  if (r < 0.85) return `${pick(KINDS).split(' ')[0]} ${pick(TOWNS).name}`; // kind + town
  return `${pick(WORDS)} ${pick(WORDS)}`; // two words, often no hit
}

interface Stats {
  p50: number;
  p95: number;
  mean: number;
  qps: number;
}

function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const total = times.reduce((s, t) => s + t, 0);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: total / times.length, qps: (1000 * times.length) / total };
}

function line(label: string, s: Stats, extra = ''): string {
  const f = (v: number) => v.toFixed(3).padStart(8);
  return `  ${label.padEnd(38)} p50 ${f(s.p50)} ms  p95 ${f(s.p95)} ms  mean ${f(s.mean)} ms  ${s.qps.toFixed(0).padStart(6)} q/s${extra}`;
}

async function timeQueries<T>(count: number, run: (i: number) => Promise<T[]>): Promise<{ s: Stats; avgHits: number }> {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const rows = await run(i);
    times.push(performance.now() - t0);
    hits += rows.length;
  }
  return { s: stats(times), avgHits: hits / count };
}

async function bench(label: string, database: Database): Promise<void> {
  const { db, kind } = database;
  console.log(`\n${label}: ${N} points, ${N} documents, ${QUERIES} queries each`);

  const rand = prng(SEED);
  const points = Array.from({ length: N }, (_, i) => ({ entityId: `place-${i}`, ...randomPoint(rand) }));
  let t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    for (const p of points) await upsertGeoPoint(trx, kind, { entityType: 'place', ...p });
  });
  let ms = performance.now() - t0;
  await sql`ANALYZE`.execute(db); // fresh statistics, as a live database would have
  console.log(`  load geo points                        ${ms.toFixed(0)} ms (${((1000 * N) / ms).toFixed(0)} upserts/s)`);

  const centres = Array.from({ length: QUERIES }, () => randomPoint(rand));
  const ids = points.filter((_, i) => i % 10 === 0).map((p) => p.entityId); // a 10 % subset, as "available offers"
  const fewIds = points.filter((_, i) => i % 500 === 0).map((p) => p.entityId); // 0.2 %: one partner's places
  const warm = (i: number) => centres[i % centres.length]!;
  for (let i = 0; i < 50; i++) await findNearby(db, kind, { entityType: 'place', ...warm(i), limit: 20, radiusKm: 5 });

  for (const [name, query] of [
    ['findNearby radius 2 km, limit 20', { radiusKm: 2, limit: 20 }],
    ['findNearby radius 10 km, limit 20', { radiusKm: 10, limit: 20 }],
    ['findNearby widening, limit 20', { limit: 20 }],
    ['findNearby widening, limit 100', { limit: 100 }],
    ['findNearby widening, limit 20, 10% ids', { limit: 20, entityIds: ids }],
    ['findNearby widening, limit 20, 0.2% ids', { limit: 20, entityIds: fewIds }]
  ] as const) {
    const r = await timeQueries(QUERIES, (i) => findNearby(db, kind, { entityType: 'place', ...warm(i), ...query }));
    console.log(line(name, r.s, `  avg ${r.avgHits.toFixed(1)} hits`));
  }

  t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < N; i++)
      await upsertSearchDocument(trx, kind, { entityType: 'place', entityId: `place-${i}`, body: randomBody(rand, i) });
  });
  ms = performance.now() - t0;
  await sql`ANALYZE`.execute(db);
  console.log(`  load search documents                  ${ms.toFixed(0)} ms (${((1000 * N) / ms).toFixed(0)} upserts/s)`);

  const queries = Array.from({ length: QUERIES }, () => randomQuery(rand));
  for (let i = 0; i < Math.min(50, QUERIES); i++)
    await searchDocuments(db, kind, { entityType: 'place', query: queries[i]!, limit: 20 });
  const r = await timeQueries(QUERIES, (i) =>
    searchDocuments(db, kind, { entityType: 'place', query: queries[i]!, limit: 20 })
  );
  console.log(line('searchDocuments limit 20 (mixed)', r.s, `  avg ${r.avgHits.toFixed(1)} hits`));
  for (const [name, query] of [
    ['searchDocuments "pain" (common word)', 'pain'],
    ['searchDocuments "epic lille" (prefix+AND)', 'epic lille'],
    ['searchDocuments "coeur roubaix"', 'coeur roubaix']
  ] as const) {
    const q = await timeQueries(Math.min(200, QUERIES), () =>
      searchDocuments(db, kind, { entityType: 'place', query, limit: 20 })
    );
    console.log(line(name, q.s, `  avg ${q.avgHits.toFixed(1)} hits`));
  }
}

await runOnEachDatabase('bench', bench);
