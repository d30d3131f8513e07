/**
 * Benchmark of the public directory search (issue 3, item 8) on a realistic volume: 20,000 places
 * and 100,000 services around Lille, generated from a seeded PRNG (same data on every run) and
 * written through the directory repository in batched transactions. Then 2,000 mixed searches
 * (radius, categories, text, open now), first in-process through `services.directorySearch.search`,
 * then over HTTP against the real Hono app on a loopback port (8 requests in flight), next to a
 * trivial endpoint (`/api/health`) measured with the same client in the same run, the two in
 * alternating blocks of 200 requests so that other work on the machine weighs on both alike.
 * Prints figures (with the load average and this process's CPU time per search), asserts nothing.
 *
 *   npm run bench:directory                                   # SQLite file in /tmp
 *   BENCH_DATABASE_URL=postgres://… npm run bench:directory   # also PostgreSQL (throw-away schema)
 *   BENCH_PLACES=2000 BENCH_SERVICES=10000 BENCH_SEARCHES=200 npm run bench:directory   # smaller run
 *
 * "Open now" reads a fixed clock (Tuesday 1 December 2026, 10:30 in Paris), so every run sees the
 * same open places. The HTTP load runs twice: first from a client in the server's process (one event
 * loop for both: the ratio search / health compares like with like, the absolute req/s are a lower
 * bound), then from a client in a second process (bench/http-client.ts, as wrk would send it), where
 * this process's CPU per request is the server's alone; health is then bound by the client process on
 * a two-core machine, so the server's CPU ratio, not the ratio of rates, is what that run judges.
 *
 * Before timing, the in-memory directory index (search.index.ts) is loaded as main.ts does at start
 * (time and heap size printed), and every query is answered by both the index and the SQL path
 * (search.repository.ts): the bench stops unless all 2,000 pages are identical. "CPU per request"
 * counts this process's CPU over the HTTP blocks: server and client share it, so it is the cost the
 * ratio really compares.
 *
 * Figures (targets of the issue: in-process p95 < 10 ms, HTTP search ≥ 40 % of /api/health). Two-core
 * machine shared with other jobs, [load average]; SQLite and PostgreSQL 15 (same host), one run of
 * `BENCH_DATABASE_URL=… npm run bench:directory` each side:
 *
 *                        in-process p50 / p95 / mean     CPU/search   HTTP search   health     ratio  (CPU ratio)
 *   SQLite   SQL path    6.1 / 17.4 / 7.6 ms [1.1]        7.2 ms       100/s         1,093/s    9.1 %
 *            index       0.30 / 1.13 / 0.54 ms [1.1]      0.39 ms      446/s         1,499/s   29.7 % (32.7 %) [1.4]
 *   Postgres SQL path   12.6 / 37.1 / 15.8 ms [3.4]       5.6 ms        71/s                   11.5 % [4.2]
 *            index       0.25 / 0.62 / 0.30 ms [1.3]      0.32 ms      713/s         2,704/s   26.4 % (31.6 %) [1.3]
 *
 * (SQL path figures: the previous header; in this run the SQL path's mean over the 2,000 answers
 * checked was 4.4 ms SQLite, 6.4 ms PostgreSQL. Other runs of the index the same hour: SQLite p95
 * 0.70–2.29 ms, CPU 0.36–0.48 ms per search, ratio 24.9–31.3 %, CPU ratio 31.9–33.5 %: the wall-clock
 * ratio moves with the machine's other jobs, the CPU ratio much less.) Index: 20,000 places, 100,000
 * services, 603 notices loaded in 2.2 s (SQLite) / 2.6 s (PostgreSQL), heap +92 MB (4.8 KB per
 * place: services with tag codes and masks, documents and a word index). Open now is the slowest
 * kind (p95 0.9–2.1 ms: every place of the circle is judged, once per distinct hours and minute).
 *
 * A later run of the whole bench (this header's version; loaded machine [5.7] on SQLite, [1.7] on PostgreSQL):
 * in-process p95 0.93 ms SQLite, 0.57 ms PostgreSQL; client in the server's process: ratio 30.9 % / 27.6 %
 * (CPU ratio 34.7 % / 32.9 %); client in a second process: rates 1,378 vs 409/s (29.7 %) and 2,694 vs 978/s
 * (36.3 %), but there health is bound by the client: the server alone spends 0.16–0.20 ms on a health
 * request and 0.97–1.22 ms on a search (server CPU ratio 16–17 %) — the page's JSON, not the search, is
 * what the server spends most on.
 *
 * Later (a profile of the server under the second-process client): two costs of the HTTP path that grew
 * with the page were removed — every API GET built a full Request to look for a body (body limit), and
 * the API's CSP header, set by c.header() after the handler, rebuilt each JSON answer around a stream of
 * its body. Server CPU per search request 1.99 → 1.28 ms (quiet machine; health 0.24–0.37 ms). Then,
 * with three other jobs on the machine [load 6–7], SQLite: in-process p95 4.9 ms (CPU 0.54 ms per
 * search); client in the server's process 32.2 %; client in a second process: rates 1,239 vs 517/s
 * (41.8 %), server CPU 0.22 vs 1.17 ms (18.8 %). PostgreSQL [load 10]: 31.4 %; 35.8 %; server CPU 17.3 %.
 * So the ratio of rates passes 40 % only where health is bound by a slow client: a client that keeps
 * up with the server (wrk) would measure the server's CPU ratio, ~17–19 %. For 40 % a search request
 * may cost the server 2.5 × a health request (~0.6 ms): the search alone costs 0.3–0.5 ms and its 28.8 KB
 * page ~0.3 ms more to make and write than health's — it needs a lighter page and a faster search.
 *
 * In-process p95 is met (≤ 1.2 ms). The HTTP ratio is not (26–31 %; 9–12 % before). Where the time
 * goes, CPU per request (an earlier run, SQLite): health 0.55 ms, search 1.72 ms = the search itself
 * 0.48 ms + 1.24 ms of HTTP, i.e. ~0.7 ms more than health's: the page is 28.8 KB of JSON
 * (JSON.stringify ~0.19 ms, measured with --cpu-prof), its write and the client's read and decode in
 * the same process, and the garbage of both (GC ~8 % of the HTTP phase); query validation (zod) is
 * ~0.02 ms. At 40 % a search request may cost 1.37 ms: with this payload its HTTP part (1.24 ms)
 * leaves 0.13 ms for the search itself. Tried: JSON made once per place and service and pasted into the page
 * (same text): no gain measured (1.53–1.61 ms vs 1.47–1.66 ms per search request, 5,000 places; few
 * places recur across random searches), reverted. What would reach it: a smaller page (e.g. the
 * place fields a list shows, services by id), or a client in another process (then only the server's
 * share counts). No response cache: every request searches and writes its page.
 * How the index is fast: grid cells of 0.005° for the widening circle (a pass that would read the whole
 * map reads it once and the widening is replayed on its hits), place filters as per-kind tag bit masks
 * with a per-search memo, rare text from a word index (document words → places) and common text marked
 * through it, hours targets per place and day, open answers and opening states per minute.
 */
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { runOnEachDatabase } from './databases.js';
import { fmt, prng, runHttp, startClientProcess, summary, type HttpRun } from './kit.js';
import { buildApp } from '../src/lib/server/app.js';
import { loadConfig } from '../src/lib/server/config.js';
import type { Database } from '../src/lib/server/db/database.js';
import { createLogger } from '../src/lib/server/logger.js';
import {
  indexPlace,
  insertNotice,
  insertPlace,
  insertService,
  replaceStops,
  syncServiceTags,
  type NewPlace,
  type NewService
} from '../src/lib/server/modules/directory/directory.repository.js';
import { parseSearchQuery, type SearchParams } from '../src/lib/server/modules/directory/search.rules.js';
import { insertOrganisation } from '../src/lib/server/modules/organisations/organisations.repository.js';
import { createServices, type Services } from '../src/lib/server/services.js';

const N_PLACES = Number(process.env.BENCH_PLACES ?? 20_000);
const N_SERVICES = Math.max(N_PLACES, Number(process.env.BENCH_SERVICES ?? 100_000));
const N_SEARCHES = Number(process.env.BENCH_SEARCHES ?? 2_000);
const N_ORGANISATIONS = Math.max(1, Math.round(N_PLACES / 10));
const CONCURRENCY = 8;
/** Requests per block when health and search alternate (runInterleaved). */
const HTTP_BLOCK = 200;
const WARMUP = 100;
/** Places (with their services) per transaction. */
const BATCH = 250;
const SEED = 20261201;
/** The clock "open now" reads: Tuesday 1 December 2026, 10:30 in Paris. */
const BENCH_NOW = new Date('2026-12-01T09:30:00.000Z');
const CREATED_AT = '2026-06-01T08:00:00.000Z';

/** Reset to the seed at the start of each database's run: both get the same data and queries. */
let rand = prng(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const chance = (p: number) => rand() < p;
/** `k` distinct items of `list` (k ≥ 1). */
function some<T>(list: readonly T[], k: number): T[] {
  const out = new Set<T>();
  while (out.size < Math.min(k, list.length)) out.add(pick(list));
  return [...out];
}
const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// ---------------------------------------------------------------- the territory: Lille and around

const TOWNS = [
  { name: 'Lille', insee: '59350', lat: 50.6292, lng: 3.0573, weight: 10, spreadKm: 2.5 },
  { name: 'Roubaix', insee: '59512', lat: 50.6942, lng: 3.1746, weight: 4, spreadKm: 1.8 },
  { name: 'Tourcoing', insee: '59599', lat: 50.7236, lng: 3.1612, weight: 4, spreadKm: 1.8 },
  { name: "Villeneuve-d'Ascq", insee: '59009', lat: 50.6233, lng: 3.145, weight: 3, spreadKm: 2.2 },
  { name: 'Marcq-en-Barœul', insee: '59378', lat: 50.6711, lng: 3.0972, weight: 2, spreadKm: 1.5 },
  { name: 'Lambersart', insee: '59328', lat: 50.65, lng: 3.025, weight: 2, spreadKm: 1.2 },
  { name: 'Wattrelos', insee: '59650', lat: 50.7018, lng: 3.215, weight: 1, spreadKm: 1.2 },
  { name: 'Loos', insee: '59360', lat: 50.613, lng: 3.014, weight: 1, spreadKm: 1 },
  { name: 'Mons-en-Barœul', insee: '59410', lat: 50.6415, lng: 3.105, weight: 1, spreadKm: 0.8 },
  { name: 'Armentières', insee: '59017', lat: 50.6881, lng: 2.8808, weight: 1, spreadKm: 1.2 },
  { name: 'Seclin', insee: '59560', lat: 50.5486, lng: 3.0295, weight: 1, spreadKm: 1 },
  { name: 'Lomme', insee: '59350', lat: 50.6436, lng: 2.9875, weight: 1, spreadKm: 1.2 }
];
const TOTAL_WEIGHT = TOWNS.reduce((s, t) => s + t.weight, 0);
const AREA = { minLat: 50.5, maxLat: 50.78, minLng: 2.85, maxLng: 3.3 };

function pickTown() {
  let r = rand() * TOTAL_WEIGHT;
  for (const town of TOWNS) if ((r -= town.weight) < 0) return town;
  return TOWNS[0]!;
}

/** 85 % around towns (gaussian), 15 % anywhere in the metropolitan area. */
function randomPoint(): { lat: number; lng: number; town: (typeof TOWNS)[number] } {
  const town = pickTown();
  if (chance(0.15)) {
    return {
      lat: round6(AREA.minLat + rand() * (AREA.maxLat - AREA.minLat)),
      lng: round6(AREA.minLng + rand() * (AREA.maxLng - AREA.minLng)),
      town
    };
  }
  const lat = town.lat + (gaussian() * town.spreadKm) / 111.2;
  const lng = town.lng + (gaussian() * town.spreadKm) / (111.2 * Math.cos((town.lat * Math.PI) / 180));
  return { lat: round6(lat), lng: round6(lng), town };
}

// ---------------------------------------------------------------- what places offer

const FOOD = 'equipement-et-alimentation--alimentation';

/** Kinds of places, with the categories their services mostly carry and a relative frequency. */
const PLACE_KINDS = [
  { label: 'Épicerie sociale', categories: ['epicerie-sociale', 'atelier-cuisine'], weight: 5 },
  { label: 'Restos du Cœur', categories: ['distribution-alimentaire', 'colis-bebe', 'repas-solidaire'], weight: 4 },
  { label: 'Secours populaire', categories: ['colis-alimentaire', 'vetements', 'distribution-alimentaire'], weight: 4 },
  { label: 'Croix-Rouge', categories: ['epicerie-sociale', 'repas-solidaire', 'hygiene'], weight: 3 },
  { label: 'Banque alimentaire', categories: ['colis-alimentaire', 'distribution-alimentaire'], weight: 1 },
  { label: 'CCAS', categories: ['colis-alimentaire', 'bons-alimentaires', 'colis-bebe'], weight: 3 },
  { label: 'Frigo solidaire', categories: ['frigo-solidaire'], weight: 2 },
  { label: 'Jardin partagé', categories: ['jardin-partage', 'atelier-cuisine'], weight: 2 },
  { label: 'Centre social', categories: ['cuisine-partagee', 'atelier-cuisine', 'repas-solidaire'], weight: 3 },
  { label: 'Paroisse', categories: ['repas-solidaire', 'colis-alimentaire'], weight: 2 },
  { label: 'Emmaüs', categories: ['vetements', 'electromenager'], weight: 1 },
  { label: 'Accueil de jour', categories: ['repas-solidaire', 'hygiene', 'vetements'], weight: 2 }
] as const;
const KIND_WEIGHT = PLACE_KINDS.reduce((s, k) => s + k.weight, 0);
function pickKind() {
  let r = rand() * KIND_WEIGHT;
  for (const k of PLACE_KINDS) if ((r -= k.weight) < 0) return k;
  return PLACE_KINDS[0]!;
}

const SERVICE_NAMES: Record<string, string[]> = {
  'distribution-alimentaire': ['Distribution alimentaire', 'Distribution de denrées', 'Panier solidaire'],
  'colis-alimentaire': ['Colis alimentaire', "Colis d'urgence", 'Colis hebdomadaire'],
  'epicerie-sociale': ['Épicerie sociale', 'Épicerie solidaire', 'Libre-service solidaire'],
  'frigo-solidaire': ['Frigo solidaire', 'Frigo partagé'],
  'cuisine-partagee': ['Cuisine partagée', 'Cuisine ouverte'],
  'atelier-cuisine': ['Atelier cuisine', 'Atelier anti-gaspi', 'Atelier nutrition'],
  'colis-bebe': ['Colis bébé', 'Espace bébés'],
  'bons-alimentaires': ['Bons alimentaires', "Chèques d'accompagnement"],
  'jardin-partage': ['Jardin partagé', 'Potager solidaire'],
  'repas-solidaire': ['Repas solidaire', 'Petit-déjeuner solidaire', 'Repas chaud du soir'],
  vetements: ['Vestiaire solidaire', 'Vêtements à petit prix'],
  electromenager: ['Électroménager révisé', 'Équipement de la maison'],
  hygiene: ["Kits d'hygiène", 'Douches et hygiène']
};
const WORDS = ['produits frais', 'fruits et légumes', 'conserves', 'pâtes et riz', 'produits laitiers', 'pain',
  'viennoiseries', 'surgelés', 'lait infantile', 'couches', "produits d'hygiène", 'café', 'soupe', 'plats cuisinés',
  'écoute', 'orientation', 'accompagnement budgétaire', 'bénévoles', 'étudiants', 'familles monoparentales',
  'seniors', 'personnes seules', 'travailleurs précaires', 'sans justificatif', 'sur orientation', 'inscription',
  'participation symbolique', 'livraison à domicile', 'halal', 'végétarien', 'bio', 'producteurs locaux'];

const PUBLICS = ['familles', 'etudiants', 'jeunes', 'seniors', 'personnes-en-situation-durgence', 'femmes',
  'beneficiaires-des-minimas-sociaux', 'personnes-exilees', 'actifs', 'residents-qpv-frr', 'demandeurs-emploi'];
const MODALITIES = ['sans-condition', 'sur-rendez-vous', 'sur-inscription', 'sur-orientation', 'participation-financiere'];
const LANGUAGE_SETS = [['fr'], ['fr'], ['fr'], ['fr', 'en'], ['fr', 'ar'], ['fr', 'en', 'ar'], ['fr', 'uk'],
  ['fr', 'en', 'uk'], ['fr', 'es', 'pt'], ['fr', 'tr', 'ar']];
const PRODUCTS = ['frais', 'sec', 'surgele', 'bebe'];
const DIETS = ['vegetarien', 'halal', 'casher', 'sans-gluten', 'sans-lactose'];

// Opening hours: day sets × time ranges (± public holidays off), plus a few special values.
const DAY_SETS = ['Mo-Fr', 'Tu,Th', 'We', 'Mo,We,Fr', 'Sa', 'Tu-Sa', 'Mo-Sa', 'Th', 'Fr', 'Mo,Th', 'Tu,Fr'];
const TIME_RANGES = ['09:00-12:00', '14:00-17:00', '09:00-12:00,14:00-17:00', '08:30-12:30', '13:30-17:30',
  '10:00-16:00', '17:00-19:30', '11:30-13:30'];
const SPECIAL_HOURS = ['24/7', 'We 09:00-12:00; Sa 10:00-12:00', 'Mo-Fr 08:30-12:00,13:30-17:00; PH off',
  'Apr-Oct Mo-Su 08:00-20:00; Nov-Mar Sa 10:00-16:00', 'Mo,We,Fr 19:30-22:30', 'Sa 08:30-10:00; Su 12:00-14:00',
  'Mo-Su 07:00-22:00', 'Tu 09:00-12:00; Th 14:00-17:00'];
function randomHours(): string {
  if (chance(0.15)) return pick(SPECIAL_HOURS);
  return `${pick(DAY_SETS)} ${pick(TIME_RANGES)}${chance(0.5) ? '; PH off' : ''}`;
}

// ---------------------------------------------------------------- generation

interface GeneratedPlace {
  place: NewPlace & { id: string };
  services: (NewService & { id: string })[];
  notice?: Parameters<typeof insertNotice>[1];
  stops?: { name: string; lat: number; lng: number; hours: string }[];
}

const hexId = (prefix: string, i: number) => `${prefix}-${String(i).padStart(8, '0')}`;

function generateOrganisations() {
  return Array.from({ length: N_ORGANISATIONS }, (_, i) => {
    const town = pickTown();
    return {
      id: hexId('org', i),
      slug: `bench-organisation-${i}`,
      name: `${pickKind().label} — ${town.name} ${i}`,
      kind: (i % 10 === 0 ? 'ccas' : 'association') as 'ccas' | 'association',
      donorKind: null,
      network: null,
      siret: null,
      email: null,
      phone: null,
      address: null,
      at: CREATED_AT
    };
  });
}

/** Services per place: one each, the rest spread at random (mean N_SERVICES / N_PLACES). */
function serviceCounts(): number[] {
  const counts = new Array<number>(N_PLACES).fill(1);
  for (let k = N_PLACES; k < N_SERVICES; k++) counts[Math.floor(rand() * N_PLACES)]! += 1;
  return counts;
}

function generatePlace(i: number, organisationId: string, nServices: number, firstService: number): GeneratedPlace {
  const kind = pickKind();
  const { lat, lng, town } = randomPoint();
  const languages = pick(LANGUAGE_SETS);
  const id = hexId('place', i);
  const mobile = chance(0.01);
  const place: GeneratedPlace['place'] = {
    id,
    organisationId,
    slug: `bench-place-${i}`,
    name: `${kind.label} ${town.name} n°${i}`,
    description: `${kind.label} à ${town.name} : ${some(WORDS, 4).join(', ')}.`,
    addressLine: `${1 + Math.floor(rand() * 200)} rue ${pick(['de Paris', 'Nationale', 'du Molinel', 'Gambetta', 'Solférino', 'de Lannoy', 'Pasteur', 'Jean-Jaurès'])}`,
    postalCode: '59000',
    city: town.name,
    inseeCode: town.insee,
    lat,
    lng,
    isAccessible: chance(0.5) ? true : chance(0.5) ? false : null,
    languages,
    openingHours: chance(0.05) ? null : randomHours(),
    saturation: pick(['low', 'medium', 'high', null] as const),
    isMobile: mobile,
    verifiedAt: new Date(BENCH_NOW.getTime() - Math.floor(rand() * 400) * 86_400_000).toISOString(),
    createdAt: CREATED_AT
  };
  const services: GeneratedPlace['services'] = [];
  for (let k = 0; k < nServices; k++) {
    const category = chance(0.8) ? pick(kind.categories) : pick(Object.keys(SERVICE_NAMES));
    const secondary = chance(0.25) ? [pick(kind.categories)] : [];
    const categories = [...new Set([category, ...secondary])];
    const everyone = chance(0.3);
    const modalities = some(MODALITIES, 1 + Math.floor(rand() * 2));
    services.push({
      id: hexId('service', firstService + k),
      placeId: id,
      organisationId,
      name: pick(SERVICE_NAMES[category]!),
      description: `${pick(SERVICE_NAMES[category]!)} : ${some(WORDS, 5).join(', ')}. Renseignements à l'accueil de ${town.name}.`,
      type: category.startsWith('atelier') || category === 'jardin-partage' ? 'atelier' : 'aide-materielle',
      thematiques: [category === 'vetements' ? 'equipement-et-alimentation--habillement' : category === 'electromenager' ? 'equipement-et-alimentation--electromenager' : FOOD],
      categories,
      frais: modalities.includes('participation-financiere') ? 'payant' : 'gratuit',
      publics: everyone ? ['tous-publics'] : some(PUBLICS, 1 + Math.floor(rand() * 3)),
      access: everyone ? 'unconditional' : pick(['unconditional', 'preferential', 'exclusive'] as const),
      modalities,
      modesAccueil: ['en-presentiel'],
      modesMobilisation: some(['se-presenter', 'telephoner', 'envoyer-un-courriel'], 1 + Math.floor(rand() * 2)),
      mobilisablePar: some(['usagers', 'professionnels'], 1 + Math.floor(rand() * 2)),
      food: { products: some(PRODUCTS, 1 + Math.floor(rand() * 3)), diets: chance(0.4) ? some(DIETS, 2) : [] },
      openingHours: chance(0.3) ? randomHours() : null,
      createdAt: CREATED_AT
    });
  }
  const generated: GeneratedPlace = { place, services };
  const r = rand();
  if (r < 0.03) {
    // Temporary closure around the bench date (some in force, some upcoming) or winter hours.
    const start = new Date(BENCH_NOW.getTime() + Math.floor(rand() * 30 - 15) * 86_400_000);
    const end = new Date(start.getTime() + (3 + Math.floor(rand() * 20)) * 86_400_000);
    const closure = r < 0.02;
    generated.notice = {
      placeId: id,
      serviceId: null,
      kind: closure ? 'closure' : 'hours',
      startsOn: start.toISOString().slice(0, 10),
      endsOn: end.toISOString().slice(0, 10),
      openingHours: closure ? null : randomHours(),
      message: closure ? 'Fermeture exceptionnelle.' : 'Horaires d’hiver.',
      createdAt: CREATED_AT
    };
  }
  if (mobile) {
    generated.stops = [0, 1, 2].map((s) => ({
      name: `Arrêt ${s + 1}`,
      lat: round6(lat + (rand() - 0.5) * 0.01),
      lng: round6(lng + (rand() - 0.5) * 0.015),
      hours: `Mo,We,Fr ${19 + s}:00-${19 + s}:45`
    }));
  }
  return generated;
}

// ---------------------------------------------------------------- queries

type QueryKind = 'radius' | 'categories' | 'text' | 'openNow';
interface BenchQuery {
  kind: QueryKind;
  raw: Record<string, string>;
  params: SearchParams;
  url: string;
}
const TEXTS = ['restos', 'colis', 'epicerie', 'frigo', 'repas', 'banque alimentaire', 'secours pop', 'jardin',
  'vetements', 'croix rouge', 'bebe', 'épicerie solidaire', 'roubaix', 'atelier cuisine', 'halal', 'étudiants'];
const CATEGORY_VALUES = Object.keys(SERVICE_NAMES);

function generateQueries(): BenchQuery[] {
  const out: BenchQuery[] = [];
  for (let i = 0; i < N_SEARCHES; i++) {
    const { lat, lng } = randomPoint();
    const raw: Record<string, string> = { lat: lat.toFixed(5), lng: lng.toFixed(5) };
    const r = rand();
    let kind: QueryKind;
    if (r < 0.3) {
      kind = 'radius';
      raw.radiusKm = String(pick([1, 2, 5, 10]));
      if (chance(0.3)) raw.categories = pick(CATEGORY_VALUES);
    } else if (r < 0.55) {
      kind = 'categories';
      raw.categories = some(CATEGORY_VALUES, 1 + Math.floor(rand() * 2)).join(',');
      if (chance(0.4)) raw.publics = pick(PUBLICS);
      if (chance(0.2)) raw.modalities = pick(MODALITIES);
    } else if (r < 0.8) {
      kind = 'text';
      raw.q = pick(TEXTS);
      if (chance(0.3)) raw.radiusKm = '10';
    } else {
      kind = 'openNow';
      raw.openNow = 'true';
      if (chance(0.5)) raw.categories = pick(CATEGORY_VALUES);
      if (chance(0.2)) raw.languages = pick(['ar', 'en', 'uk']);
    }
    const parsed = parseSearchQuery(raw);
    if (!parsed.ok) throw new Error(`bench bug: invalid query ${JSON.stringify(raw)}: ${JSON.stringify(parsed.fields)}`);
    out.push({ kind, raw, params: parsed.params, url: `/api/v1/directory/search?${new URLSearchParams(raw)}` });
  }
  return out;
}

// ---------------------------------------------------------------- measuring

/** Requests of one kind (HTTP_BLOCK at a time) gathered over an interleaved run. */
interface HttpTally {
  times: number[];
  wall: number;
  /** This process's CPU time (server and client: one process), ms. */
  cpu: number;
  failures: number;
  bytes: number;
}

/**
 * Runs two URL lists in alternating blocks of HTTP_BLOCK requests (a, b, a, b …), each block with
 * `concurrency` in flight, and sums each list's time. The machine's load then weighs on both alike:
 * run one after the other, a burst of other work during one of them skewed the ratio by half.
 */
async function runInterleaved(
  base: string,
  a: string[],
  b: string[],
  concurrency: number,
  run: (base: string, urls: string[], concurrency: number) => Promise<HttpRun> = runHttp
) {
  const tally = (): HttpTally => ({ times: [], wall: 0, cpu: 0, failures: 0, bytes: 0 });
  const ta = tally();
  const tb = tally();
  const add = (t: HttpTally, r: HttpRun) => {
    t.times.push(...r.times);
    t.wall += r.wall;
    t.failures += r.failures;
    t.bytes += r.bytes;
  };
  const block = async (t: HttpTally, urls: string[]) => {
    const cpu0 = process.cpuUsage();
    add(t, await run(base, urls, concurrency));
    const cpu = process.cpuUsage(cpu0);
    t.cpu += (cpu.user + cpu.system) / 1000;
  };
  for (let i = 0; i < Math.max(a.length, b.length); i += HTTP_BLOCK) {
    if (i < a.length) await block(ta, a.slice(i, i + HTTP_BLOCK));
    if (i < b.length) await block(tb, b.slice(i, i + HTTP_BLOCK));
  }
  const done = (t: HttpTally, n: number) => ({
    s: summary(t.times),
    rate: (1000 * n) / t.wall,
    cpuPerRequest: t.cpu / Math.max(1, n),
    failures: t.failures,
    avgBytes: t.bytes / Math.max(1, n)
  });
  return [done(ta, a.length), done(tb, b.length)] as const;
}

type Interleaved = Awaited<ReturnType<typeof runInterleaved>>[number];

// ---------------------------------------------------------------- one database

async function load(database: Database) {
  const { db, kind } = database;
  const organisations = generateOrganisations();
  let t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    for (const o of organisations) await insertOrganisation(trx, o);
  });
  const counts = serviceCounts();
  let serviceNo = 0;
  for (let start = 0; start < N_PLACES; start += BATCH) {
    const batch: GeneratedPlace[] = [];
    for (let i = start; i < Math.min(N_PLACES, start + BATCH); i++) {
      batch.push(generatePlace(i, organisations[i % organisations.length]!.id, counts[i]!, serviceNo));
      serviceNo += counts[i]!;
    }
    await db.transaction().execute(async (trx) => {
      for (const g of batch) {
        await insertPlace(trx, g.place);
        for (const s of g.services) {
          await insertService(trx, s);
          await syncServiceTags(trx, s.id);
        }
        if (g.notice) await insertNotice(trx, g.notice);
        if (g.stops) {
          await replaceStops(
            trx,
            g.place.id,
            g.stops.map((s) => ({ name: s.name, addressLine: null, postalCode: null, city: null, lat: s.lat, lng: s.lng, openingHours: s.hours }))
          );
        }
        await indexPlace(trx, kind, g.place.id);
      }
    });
    if ((start / BATCH) % 20 === 19) process.stdout.write(`  … ${start + BATCH} places\n`);
  }
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  // Fresh statistics, as a live database would have; on PostgreSQL also the visibility map that
  // autovacuum keeps after such a load (without it no index-only scan is possible). The bench's own
  // tables only: the server may hold other schemas.
  await (kind === 'postgres'
    ? sql`VACUUM ANALYZE organisation, place, service, service_tag, place_notice, place_stop, geo_point, search_document`
    : sql`ANALYZE`
  ).execute(db);
  const tagRows = await db.selectFrom('service_tag').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const tags = Number(tagRows?.n ?? 0);
  console.log(
    `  loaded ${N_ORGANISATIONS} organisations, ${N_PLACES} places, ${serviceNo} services, ${tags} tags in ` +
      `${(loadMs / 1000).toFixed(1)} s (${((1000 * serviceNo) / loadMs).toFixed(0)} services/s; ${kind === 'postgres' ? 'VACUUM ' : ''}ANALYZE ${(performance.now() - t0).toFixed(0)} ms)`
  );
}

/** The heap after a full garbage collection (gc exposed at run time), in bytes. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Loads the in-memory directory index (as main.ts does at start) and prints its time and heap size. */
async function loadIndex(services: Services) {
  const index = services.directorySearch.index;
  if (!index) throw new Error('bench: the directory index is off');
  const before = heapAfterGc();
  const t0 = performance.now();
  await index.load();
  const ms = performance.now() - t0;
  const bytes = heapAfterGc() - before;
  const st = index.stats();
  console.log(
    `  index: ${st.places} places, ${st.services} services, ${st.notices} notices loaded in ${(ms / 1000).toFixed(2)} s, ` +
      `heap +${(bytes / 1024 / 1024).toFixed(1)} MB (${(bytes / st.places).toFixed(0)} bytes per place)`
  );
}

/** Every bench query answered by the index and by the SQL path: the same page (else the bench stops). */
async function sameAnswers(services: Services, queries: BenchQuery[]) {
  const t0 = performance.now();
  let sqlMs = 0;
  for (const q of queries) {
    const fromIndex = await services.directorySearch.search(q.params);
    const start = performance.now();
    const fromSql = await services.directorySearch.searchSql(q.params);
    sqlMs += performance.now() - start;
    if (JSON.stringify(fromIndex) !== JSON.stringify(fromSql)) {
      throw new Error(`bench: index and SQL differ for ${q.url}`);
    }
  }
  console.log(
    `  index and SQL give the same answers to all ${queries.length} queries (SQL path mean ${(sqlMs / queries.length).toFixed(2)} ms; ` +
      `check ${((performance.now() - t0) / 1000).toFixed(1)} s)`
  );
}

async function inProcess(services: Services, queries: BenchQuery[]) {
  for (let i = 0; i < Math.min(WARMUP, queries.length); i++) await services.directorySearch.search(queries[i]!.params);
  const times: number[] = [];
  const byKind = new Map<QueryKind, number[]>();
  let results = 0;
  let total = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const q of queries) {
    const start = performance.now();
    const page = await services.directorySearch.search(q.params);
    const t = performance.now() - start;
    times.push(t);
    results += page.results.length;
    total += page.total;
    const list = byKind.get(q.kind) ?? [];
    list.push(t);
    byKind.set(q.kind, list);
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const s = summary(times);
  console.log(`  in-process search (${queries.length}, sequential)   ${fmt(s)}  ${((1000 * queries.length) / wall).toFixed(0)} searches/s`);
  // CPU time of this process: less swayed than wall time by other work on the machine (PostgreSQL's own is not in it).
  console.log(
    `    CPU ${((cpu.user + cpu.system) / 1000 / queries.length).toFixed(2)} ms per search` +
      `  [load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}]`
  );
  for (const [kind, list] of byKind) console.log(`    ${kind.padEnd(11)} (${String(list.length).padStart(4)})             ${fmt(summary(list))}`);
  console.log(`    avg ${(results / queries.length).toFixed(1)} results per page, avg total ${(total / queries.length).toFixed(0)} matches`);
  return s;
}

async function overHttp(services: Services, queries: BenchQuery[]) {
  const app = buildApp(services);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  try {
    const health = Array.from({ length: queries.length }, () => '/api/health');
    const urls = queries.map((q) => q.url);
    await runHttp(base, health.slice(0, WARMUP), CONCURRENCY);
    await runHttp(base, urls.slice(0, WARMUP), CONCURRENCY);
    // Health and search in alternating blocks, so both meet the same load (see runInterleaved).
    const report = (client: string, h: Interleaved, search: Interleaved, serverOnly: boolean) => {
      console.log(`  ${client}:`);
      console.log(`    HTTP /api/health (${health.length}, ${CONCURRENCY} in flight)    ${fmt(h.s)}  ${h.rate.toFixed(0)} req/s`);
      console.log(
        `    HTTP search (${urls.length}, ${CONCURRENCY} in flight)       ${fmt(search.s)}  ${search.rate.toFixed(0)} searches/s` +
          `  (${(search.avgBytes / 1024).toFixed(1)} KB avg, ${search.failures} non-200)`
      );
      const cpuRatio = h.cpuPerRequest / search.cpuPerRequest;
      console.log(
        `    CPU per request of ${serverOnly ? 'the server (alone in this process)' : 'this process (server and client)'}: ` +
          `health ${h.cpuPerRequest.toFixed(3)} ms, search ${search.cpuPerRequest.toFixed(3)} ms (ratio ${(100 * cpuRatio).toFixed(1)} %)`
      );
      const ratio = search.rate / h.rate;
      if (serverOnly) {
        // Health is then bound by the client process, not the server: the rates flatter search. The
        // server's CPU per request is what its throughput ratio would be when it is the bottleneck.
        console.log(
          `    ratio of rates ${(100 * ratio).toFixed(1)} % (health bound by the client); server CPU ratio ${(100 * cpuRatio).toFixed(1)} % ` +
            `(aim ≥ 40 %: ${cpuRatio >= 0.4 ? 'met' : 'NOT met'})  [load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}]`
        );
      } else {
        console.log(
          `    ratio HTTP search / trivial endpoint: ${(100 * ratio).toFixed(1)} % (aim ≥ 40 %: ${ratio >= 0.4 ? 'met' : 'NOT met'})` +
            `  [load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}]`
        );
      }
      if (h.failures > 0) console.log(`    (${h.failures} health requests failed)`);
    };
    const [h, search] = await runInterleaved(base, health, urls, CONCURRENCY);
    report('client in the server\'s process (its work counts against the server: a lower bound)', h, search, false);
    // The same load from a second process, as wrk would send it: the server's event loop serves only.
    const client = await startClientProcess();
    try {
      await client.run(base, health.slice(0, WARMUP), CONCURRENCY);
      await client.run(base, urls.slice(0, WARMUP), CONCURRENCY);
      const [h2, search2] = await runInterleaved(base, health, urls, CONCURRENCY, client.run);
      report('client in a second process (as wrk would load it)', h2, search2, true);
    } finally {
      client.close();
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function bench(label: string, database: Database) {
  console.log(`\n${label}`);
  rand = prng(SEED);
  await load(database);
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
  const services = createServices(config, database, createLogger('silent'), { now: () => BENCH_NOW });
  const queries = generateQueries();
  await loadIndex(services);
  await sameAnswers(services, queries);
  const s = await inProcess(services, queries);
  console.log(`  in-process p95 < 10 ms: ${s.p95 < 10 ? 'yes' : 'NO'} (${s.p95.toFixed(2)} ms)`);
  await overHttp(services, queries);
}

// ---------------------------------------------------------------- main

console.log(
  `directory bench: ${N_PLACES} places, ${N_SERVICES} services around Lille, ${N_SEARCHES} mixed searches; ` +
    `"now" = ${BENCH_NOW.toISOString()}; node ${process.version}`
);
await runOnEachDatabase('directory-bench', bench, { postgresPoolMax: CONCURRENCY + 2 });
