import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/lib/server/db/schema.js';

/** The page routes of src/routes, and how to fill their parameters with rows of the demo town. */

const ROUTES_DIR = join(process.cwd(), 'src/routes');

/** Every page route of the app, as its pattern (`/lieux/[slug]/modifier`…), groups left out. */
export function pageRoutes(dir = ROUTES_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pageRoutes(full));
    else if (name === '+page.svelte') out.push(`/${relative(ROUTES_DIR, dir)}`.replace(/\/$/, '') || '/');
  }
  return out.map((r) => r.replace(/\/\([^)]+\)/g, '')).sort();
}

/** The demo accounts whose rows the ids below belong to. */
export const DEMO_BENEFICIARY = 'beneficiaire1@demo.glane.localhost';
export const DEMO_BAKER = 'boulangerie@demo.glane.localhost';

/** Ids of the demo town for each route parameter (the first row of each kind, or one the visitor owns). */
export type RouteIds = Record<string, string>;

async function first(db: Kysely<DB>, query: string): Promise<string> {
  return String((await sql<{ v: string }>`${sql.raw(query)}`.execute(db)).rows[0]?.v ?? 'aucun');
}

export async function demoRouteIds(db: Kysely<DB>): Promise<RouteIds> {
  // A place with stops (a mobile service), so that its stop and service pages open too.
  const placeId = await first(db, 'SELECT place_id AS v FROM place_stop ORDER BY place_id LIMIT 1');
  return {
    slug: await first(db, `SELECT slug AS v FROM place WHERE id = '${placeId}'`),
    offerId: await first(db, "SELECT id AS v FROM offer WHERE status = 'published' ORDER BY id LIMIT 1"),
    userId: await first(db, 'SELECT user_id AS v FROM accompaniment ORDER BY user_id LIMIT 1'),
    // A request of the first demo beneficiary (their own page opens it; the CCAS's page too when it was sent there).
    requestId: await first(
      db,
      `SELECT r.id AS v FROM eligibility_request r JOIN "user" u ON u.id = r.user_id WHERE u.email = '${DEMO_BENEFICIARY}' ORDER BY r.id LIMIT 1`
    ),
    // A recurring offer of the demo baker's shop.
    seriesId: await first(
      db,
      `SELECT s.id AS v FROM offer_series s JOIN membership m ON m.organisation_id = s.organisation_id JOIN "user" u ON u.id = m.user_id WHERE u.email = '${DEMO_BAKER}' ORDER BY s.id LIMIT 1`
    ),
    serviceId: await first(db, `SELECT id AS v FROM service WHERE place_id = '${placeId}' ORDER BY id LIMIT 1`),
    stopId: await first(db, `SELECT id AS v FROM place_stop WHERE place_id = '${placeId}' ORDER BY id LIMIT 1`),
    schemeId: await first(db, 'SELECT id AS v FROM scheme ORDER BY id LIMIT 1'),
    ccasId: await first(db, "SELECT id AS v FROM organisation WHERE kind = 'ccas' ORDER BY id LIMIT 1"),
    token: 'jeton-inconnu'
  };
}

/** The organisation a demo account is a member of (the CCAS for anyone else). */
export async function organisationOf(db: Kysely<DB>, ids: RouteIds, email: string | undefined): Promise<string> {
  if (!email) return ids.ccasId!;
  const row = await sql<{ v: string }>`SELECT m.organisation_id AS v FROM membership m JOIN "user" u ON u.id = m.user_id WHERE u.email = ${email} LIMIT 1`.execute(db);
  return row.rows[0]?.v ?? ids.ccasId!;
}

/**
 * The route with its parameters filled: `[id]` is the visitor's organisation under /organisations, the
 * scheme under /admin/dispositifs, the request under /mon-dossier; `odd` replaces every parameter.
 */
export function fillRoute(route: string, ids: RouteIds, orgId: string, odd?: string): string {
  return route.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    if (odd !== undefined) return encodeURIComponent(odd);
    if (name === 'id') return route.startsWith('/admin/dispositifs') ? ids.schemeId! : route.startsWith('/mon-dossier') ? ids.requestId! : orgId;
    return encodeURIComponent(ids[name] ?? 'aucun');
  });
}
