import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { upsertGeoPoint } from '../db/geosearch.js';
import type { DB } from '../db/schema.js';
import { upsertSearchDocument } from '../db/text-search.js';
import { AppError } from '../errors.js';
import {
  indexPlace,
  insertNotice,
  insertPlace,
  insertService,
  PLACE_ENTITY,
  replaceStops,
  syncServiceTags
} from '../modules/directory/directory.repository.js';
import { passwordHashOptions } from '../modules/accounts/accounts.rules.js';
import { searchBody } from '../modules/organisations/organisations.rules.js';
import { ORGANISATION_ENTITY } from '../modules/organisations/organisations.service.js';
import type { Services } from '../services.js';
import { buildDemoDirectory, type DemoDirectory } from './directory-territory.js';
import { buildDemoEligibility, type DemoEligibility } from './eligibility-territory.js';
import { buildDemoPeople, insertDemoPeople } from './people-territory.js';
import { buildDemoMarketplaceGrants, insertDemoMarketplaceGrants } from './reservations-territory.js';
import { buildDemoRequests, insertDemoRequests } from './requests-territory.js';
import { buildDemoOffers, insertDemoOffers } from './offers-territory.js';
import { parisDate } from '../modules/eligibility/people.rules.js';
import type { SealingKey } from '../modules/eligibility/sealed.js';
import { getSetting, insertScheme, putSetting, replaceDeciders } from '../modules/eligibility/schemes.repository.js';
import { buildDemoTerritory, DEMO_PASSWORD, DEMO_SEED, type DemoTerritory } from './territory.js';

/**
 * Writes the demo territory (territory.ts) to the database, and removes it. Every demo row carries
 * `is_demo = 1`; removal touches nothing else and refuses when real data is tied to demo data.
 */

/** Rows per INSERT: keeps every statement far below SQLite's bound-parameter limit. */
const CHUNK = 100;

export interface DemoCounts {
  organisations: number;
  users: number;
  memberships: number;
  invitations: number;
  /** Directory places (lieux) and their services. */
  places: number;
  services: number;
  /** Eligibility schemes (dispositifs). */
  schemes: number;
}

export interface LoadDemoOptions {
  seed?: number;
  /** argon2id cost; defaults to production cost. Tests pass `passwordHashOptions('test')`. */
  nodeEnv?: string;
  /** When true (the default), load only into a database without any organisation or user. */
  onlyIfEmpty?: boolean;
  /** Seals the demo accompanied person's card code; without it the card is left out. */
  sealingKey?: SealingKey;
  /** The day the demo's accesses start (default: today in Europe/Paris). */
  now?: Date;
}

async function countRows(db: Kysely<DB>, table: 'organisation' | 'user', demoOnly: boolean): Promise<number> {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (demoOnly) q = q.where('is_demo', '=', 1);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** True when the database holds no organisation and no user: the only state the demo loads into at start. */
export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return (await countRows(db, 'organisation', false)) === 0 && (await countRows(db, 'user', false)) === 0;
}

/** True when any demo organisation or demo user exists. */
export async function hasDemoData(db: Kysely<DB>): Promise<boolean> {
  return (await countRows(db, 'organisation', true)) > 0 || (await countRows(db, 'user', true)) > 0;
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

async function insertTerritory(db: Kysely<DB>, database: Database, t: DemoTerritory, passwordHash: string) {
  for (const rows of chunks(t.organisations)) await db.insertInto('organisation').values(rows).execute();
  const users = t.users.map((u) => ({ ...u, password_hash: passwordHash }));
  for (const rows of chunks(users)) await db.insertInto('user').values(rows).execute();
  for (const rows of chunks(t.memberships)) await db.insertInto('membership').values(rows).execute();
  for (const rows of chunks(t.invitations)) await db.insertInto('invitation').values(rows).execute();
  // Indexed as the organisations service does (same entity type, same search body).
  for (const o of t.organisations) {
    if (o.lat !== null && o.lng !== null) {
      const point = { entityType: ORGANISATION_ENTITY, entityId: o.id, lat: o.lat, lng: o.lng };
      await upsertGeoPoint(db, database.kind, point);
    }
    await upsertSearchDocument(db, database.kind, {
      entityType: ORGANISATION_ENTITY,
      entityId: o.id,
      body: searchBody(o)
    });
  }
}

/**
 * Writes the demo directory through the directory repository (the only writer of tags and of the
 * places' geo points and search documents): places, services, their tags, notices, stops, then the
 * index of each place once its services are in.
 */
async function insertDirectory(db: Kysely<DB>, database: Database, d: DemoDirectory) {
  for (const place of d.places) await insertPlace(db, place);
  for (const service of d.services) {
    await insertService(db, service);
    await syncServiceTags(db, service.id);
  }
  for (const notice of d.notices) await insertNotice(db, notice);
  for (const s of d.stops) await replaceStops(db, s.placeId, s.stops);
  for (const place of d.places) await indexPlace(db, database.kind, place.id);
}

/**
 * Writes the demo's schemes, their deciders and the default settings through schemes.repository.
 * A setting the territory already has is kept (the demo never overwrites a real choice).
 */
async function insertEligibility(db: Kysely<DB>, e: DemoEligibility) {
  for (const scheme of e.schemes) await insertScheme(db, scheme);
  for (const d of e.deciders) await replaceDeciders(db, d.schemeId, d.organisationIds);
  for (const setting of e.settings) if (!(await getSetting(db, setting.key))) await putSetting(db, setting);
}

/**
 * Loads the demo territory in one transaction (all or nothing) and returns what was written, or
 * null when skipped: `onlyIfEmpty` (default) and the database already holds an organisation or a
 * user, or demo data is already present. The shared password is hashed once and the hash reused for
 * every account, so loading stays fast.
 */
export async function loadDemo(database: Database, options: LoadDemoOptions = {}): Promise<DemoCounts | null> {
  const onlyIfEmpty = options.onlyIfEmpty ?? true;
  const territory = buildDemoTerritory(options.seed ?? DEMO_SEED);
  const directory = buildDemoDirectory(territory);
  const eligibility = buildDemoEligibility(territory);
  const skip = async (db: Kysely<DB>) => (onlyIfEmpty ? !(await isDatabaseEmpty(db)) : await hasDemoData(db));
  if (await skip(database.db)) return null;
  const passwordHash = await hash(DEMO_PASSWORD, passwordHashOptions(options.nodeEnv ?? 'production'));
  try {
    return await database.db.transaction().execute(async (trx) => {
      // Checked again inside the transaction: another process may have loaded it meanwhile.
      if (await skip(trx)) return null;
      await insertTerritory(trx, database, territory, passwordHash);
      await insertDirectory(trx, database, directory);
      await insertEligibility(trx, eligibility);
      const people = buildDemoPeople(territory, eligibility.schemeIds, parisDate(options.now ?? new Date()));
      await insertDemoPeople(trx, people, options.sealingKey);
      await insertDemoMarketplaceGrants(trx, buildDemoMarketplaceGrants(territory, eligibility.schemeIds, parisDate(options.now ?? new Date())));
      await insertDemoRequests(trx, buildDemoRequests(territory, options.now ?? new Date()), options.sealingKey);
      await insertDemoOffers(trx, buildDemoOffers(territory, options.now ?? new Date()));
      return {
        organisations: territory.organisations.length,
        users: territory.users.length,
        memberships: territory.memberships.length,
        invitations: territory.invitations.length,
        places: directory.places.length,
        services: directory.services.length,
        schemes: eligibility.schemes.length
      };
    });
  } catch (err) {
    // Two processes starting together on one PostgreSQL: the loser hits a unique key; that is a skip.
    if (await hasDemoData(database.db).catch(() => false)) return null;
    throw err;
  }
}

/**
 * Loads the demo territory when the database is empty (no organisation, no user). Returns true when
 * it loaded. Called at start when DEMO_DATA is true.
 */
export async function loadDemoIfEmpty(services: Services): Promise<boolean> {
  const counts = await loadDemo(services.database, {
    nodeEnv: services.config.NODE_ENV,
    onlyIfEmpty: true,
    sealingKey: services.sealingKey,
    now: services.now()
  });
  return counts !== null;
}

/** Demo organisations / users, as subqueries (no bound id list, whatever their number). */
const demoOrganisationIds = (db: Kysely<DB>) => db.selectFrom('organisation').select('id').where('is_demo', '=', 1);
const demoUserIds = (db: Kysely<DB>) => db.selectFrom('user').select('id').where('is_demo', '=', 1);
/** Places of demo organisations (they go with them). */
const demoPlaceIds = (db: Kysely<DB>) =>
  db.selectFrom('place').select('id').where('organisation_id', 'in', demoOrganisationIds(db));

/**
 * Real (non-demo) rows that removing the demo would change: memberships joining a real user to a
 * demo organisation or a demo user to a real one, and invitations of real organisations sent or
 * accepted by a demo user. Empty when the demo can be removed cleanly.
 */
export async function demoEntanglements(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const mixedMemberships = await db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .whereRef('organisation.is_demo', '<>', 'user.is_demo')
    .executeTakeFirst();
  const m = Number(mixedMemberships?.n ?? 0);
  if (m > 0) problems.push(`${m} membership(s) link demo and non-demo accounts or organisations`);
  const realInvitations = await db
    .selectFrom('invitation')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organisation_id', 'not in', demoOrganisationIds(db))
    .where((eb) =>
      eb.or([eb('invited_by_user_id', 'in', demoUserIds(db)), eb('accepted_by_user_id', 'in', demoUserIds(db))])
    )
    .executeTakeFirst();
  const i = Number(realInvitations?.n ?? 0);
  if (i > 0) problems.push(`${i} invitation(s) of non-demo organisations were sent or accepted by demo accounts`);
  // Deleting a demo scheme deletes its grants: refuse while real people hold one.
  const realGrants = await db
    .selectFrom('eligibility_grant')
    .innerJoin('scheme', 'scheme.id', 'eligibility_grant.scheme_id')
    .innerJoin('user', 'user.id', 'eligibility_grant.user_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('scheme.is_demo', '=', 1)
    .where('user.is_demo', '=', 0)
    .executeTakeFirst();
  const g = Number(realGrants?.n ?? 0);
  if (g > 0) problems.push(`${g} grant(s) of non-demo people are for demo schemes`);
  // Deleting a demo organisation deletes the requests made to it: refuse while real people made one.
  const realRequests = await db
    .selectFrom('eligibility_request')
    .innerJoin('user', 'user.id', 'eligibility_request.user_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('eligibility_request.organisation_id', 'in', demoOrganisationIds(db))
    .where('user.is_demo', '=', 0)
    .executeTakeFirst();
  const r = Number(realRequests?.n ?? 0);
  if (r > 0) problems.push(`${r} eligibility request(s) of non-demo people were made to demo organisations`);
  return problems;
}

/**
 * Deletes every demo row (is_demo = 1) with what hangs from it (memberships, invitations, sessions,
 * codes, the demo organisations' directory places with their services, notices, stops, history and
 * index entries), in one transaction. Refuses with a `conflict` AppError, deleting nothing,
 * when real data is tied to demo data (see demoEntanglements). Returns how many rows went.
 */
export async function deleteDemo(database: Database): Promise<DemoCounts> {
  return database.db.transaction().execute(async (trx) => {
    const problems = await demoEntanglements(trx);
    if (problems.length > 0) {
      throw new AppError('conflict', 'Demo data is tied to real data: nothing was deleted', { problems });
    }
    await trx
      .deleteFrom('geo_point')
      .where('entity_type', '=', ORGANISATION_ENTITY)
      .where('entity_id', 'in', demoOrganisationIds(trx))
      .execute();
    await trx
      .deleteFrom('search_document')
      .where('entity_type', '=', ORGANISATION_ENTITY)
      .where('entity_id', 'in', demoOrganisationIds(trx))
      .execute();
    // Places of demo organisations: their index entries and history (no foreign key) go first; the
    // rows themselves (services, tags, notices, stops, photos) are deleted explicitly, as the
    // directory repository does, rather than relying on each engine's cascade settings.
    for (const table of ['geo_point', 'search_document'] as const) {
      await trx
        .deleteFrom(table)
        .where('entity_type', '=', PLACE_ENTITY)
        .where('entity_id', 'in', demoPlaceIds(trx))
        .execute();
    }
    await trx.deleteFrom('directory_revision').where('place_id', 'in', demoPlaceIds(trx)).execute();
    for (const table of ['service_tag', 'place_notice', 'place_stop', 'place_photo'] as const) {
      await trx.deleteFrom(table).where('place_id', 'in', demoPlaceIds(trx)).execute();
    }
    const services = await trx.deleteFrom('service').where('place_id', 'in', demoPlaceIds(trx)).executeTakeFirst();
    const places = await trx
      .deleteFrom('place')
      .where('organisation_id', 'in', demoOrganisationIds(trx))
      .executeTakeFirst();
    const invitations = await trx
      .deleteFrom('invitation')
      .where((eb) =>
        eb.or([
          eb('organisation_id', 'in', demoOrganisationIds(trx)),
          eb('invited_by_user_id', 'in', demoUserIds(trx)),
          eb('accepted_by_user_id', 'in', demoUserIds(trx))
        ])
      )
      .executeTakeFirst();
    const memberships = await trx
      .deleteFrom('membership')
      .where((eb) =>
        eb.or([eb('organisation_id', 'in', demoOrganisationIds(trx)), eb('user_id', 'in', demoUserIds(trx))])
      )
      .executeTakeFirst();
    // Demo schemes with their deciders (their grants go with them) and the demo's settings left as loaded.
    const demoSchemeIds = trx.selectFrom('scheme').select('id').where('is_demo', '=', 1);
    await trx.deleteFrom('scheme_decider').where('scheme_id', 'in', demoSchemeIds).execute();
    const schemes = await trx.deleteFrom('scheme').where('is_demo', '=', 1).executeTakeFirst();
    const demoSettings = buildDemoEligibility(buildDemoTerritory()).settings;
    for (const setting of demoSettings) {
      await trx
        .deleteFrom('setting')
        .where('key', '=', setting.key)
        .where('updated_by_user_id', 'is', null)
        .where('updated_at', '=', setting.updatedAt)
        .execute();
    }
    const organisations = await trx.deleteFrom('organisation').where('is_demo', '=', 1).executeTakeFirst();
    // Sessions and one-time codes of demo users go with them (ON DELETE CASCADE).
    const users = await trx.deleteFrom('user').where('is_demo', '=', 1).executeTakeFirst();
    return {
      organisations: Number(organisations.numDeletedRows),
      users: Number(users.numDeletedRows),
      memberships: Number(memberships.numDeletedRows),
      invitations: Number(invitations.numDeletedRows),
      places: Number(places.numDeletedRows),
      services: Number(services.numDeletedRows),
      schemes: Number(schemes.numDeletedRows)
    };
  });
}
