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

/** Ids of the demo town for each route parameter (the first row of each kind). */
export type RouteIds = Record<string, string>;

async function first(db: Kysely<DB>, query: string): Promise<string> {
  return String((await sql<{ v: string }>`${sql.raw(query)}`.execute(db)).rows[0]?.v ?? 'aucun');
}

export async function demoRouteIds(db: Kysely<DB>): Promise<RouteIds> {
  return {
    slug: await first(db, 'SELECT slug AS v FROM place ORDER BY slug LIMIT 1'),
    offerId: await first(db, "SELECT id AS v FROM offer WHERE status = 'published' ORDER BY id LIMIT 1"),
    userId: await first(db, 'SELECT user_id AS v FROM accompaniment ORDER BY user_id LIMIT 1'),
    requestId: await first(db, 'SELECT id AS v FROM eligibility_request ORDER BY id LIMIT 1'),
    seriesId: await first(db, 'SELECT id AS v FROM offer_series ORDER BY id LIMIT 1'),
    serviceId: await first(db, 'SELECT id AS v FROM service ORDER BY id LIMIT 1'),
    stopId: await first(db, 'SELECT id AS v FROM place_stop ORDER BY id LIMIT 1'),
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
