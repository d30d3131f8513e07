import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { DONOR_KINDS, isValidSiret } from '../../schemas/organisations.js';
import { findNearby } from '../db/geosearch.js';
import { searchDocuments } from '../db/text-search.js';
import { AppError } from '../errors.js';
import { sha256 } from '../modules/accounts/accounts.rules.js';
import { deleteDemo, loadDemo, loadDemoIfEmpty } from './demo.js';
import {
  buildDemoTerritory,
  DEMO_BBOX,
  DEMO_INVITATION_TOKEN,
  DEMO_PASSWORD,
  DEMO_TOWN,
  demoId,
  fictionalSiret,
  luhnCheckDigit,
  mulberry32
} from './territory.js';

describe('demo territory (pure data)', () => {
  const t = buildDemoTerritory();

  it('is the same for the same seed, byte for byte', () => {
    expect(JSON.stringify(buildDemoTerritory())).toBe(JSON.stringify(t));
  });

  it('keeps ids and names for another seed, but moves coordinates', () => {
    const other = buildDemoTerritory(7);
    expect(other.organisations.map((o) => [o.id, o.name])).toEqual(t.organisations.map((o) => [o.id, o.name]));
    expect(other.organisations.map((o) => o.lat)).not.toEqual(t.organisations.map((o) => o.lat));
  });

  it('has one CCAS, five associations of national networks and at least 12 donors of each kind', () => {
    expect(t.organisations.filter((o) => o.kind === 'ccas')).toHaveLength(1);
    const associations = t.organisations.filter((o) => o.kind === 'association');
    expect(associations.map((a) => a.network).sort()).toEqual(
      ['banques-alimentaires', 'croix-rouge', 'emmaus', 'restos-du-coeur', 'secours-populaire'].sort()
    );
    for (const kind of DONOR_KINDS) {
      const donors = t.organisations.filter((o) => o.kind === 'donor' && o.donor_kind === kind);
      expect(donors.length).toBeGreaterThanOrEqual(12);
    }
  });

  it('has unique ids, slugs and emails, all demo rows in the fictional town', () => {
    const ids = [...t.organisations, ...t.users, ...t.memberships, ...t.invitations].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(t.organisations.map((o) => o.slug)).size).toBe(t.organisations.length);
    expect(new Set(t.users.map((u) => u.email)).size).toBe(t.users.length);
    for (const o of t.organisations) {
      expect(o.is_demo).toBe(1);
      expect(o).toMatchObject({ city: DEMO_TOWN.name, insee_code: '59999', postal_code: '59999' });
    }
    for (const u of t.users) expect(u.email).toMatch(/@demo\.glane\.localhost$/);
  });

  it('gives every organisation an owner except the supermarket, whose staff member is its manager', () => {
    const owned = new Set(t.memberships.filter((m) => m.role === 'owner').map((m) => m.organisation_id));
    const staffed = new Set(t.memberships.map((m) => m.organisation_id));
    for (const id of staffed) {
      if (id !== t.organisationIds['donor:supermarche']) expect(owned.has(id)).toBe(true);
    }
    expect(t.memberships.map((m) => m.role)).toEqual(expect.arrayContaining(['owner', 'manager', 'member']));
  });

  it('derives ids as name-based UUIDs that never change', () => {
    expect(demoId('organisation', 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(t.organisationIds.ccas).toBe(demoId('organisation', 1));
    // Pinned: tests, screenshots and the README rely on these staying put.
    expect(t.organisationIds.ccas).toBe('c2b2ebb6-88b4-57ac-ab13-a203bb62bd2e');
    expect(t.userIds['ccas-agent']).toBe('70dae3c9-084d-5358-ad1c-2487d443a432');
    expect(t.organisations[1]).toMatchObject({
      slug: 'restos-du-coeur-antenne-de-glaneville-en-baroeul',
      siret: '00006311500034',
      lat: 50.636989,
      lng: 3.056907
    });
  });

  it('makes SIRETs that pass Luhn (SIRET and SIREN) and leaves some donors without one', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 200; i++) {
      const siret = fictionalSiret(random);
      expect(isValidSiret(siret)).toBe(true);
      expect(luhnCheckDigit(siret.slice(0, 8))).toBe(siret[8]);
    }
    const sirets = t.organisations.map((o) => o.siret);
    expect(sirets.some((s) => s === null)).toBe(true);
    for (const s of sirets) if (s !== null) expect(isValidSiret(s)).toBe(true);
  });

  it('places every organisation inside the town bounding box', () => {
    for (const o of t.organisations) {
      expect(o.lat).toBeGreaterThanOrEqual(DEMO_BBOX.minLat);
      expect(o.lat).toBeLessThanOrEqual(DEMO_BBOX.maxLat);
      expect(o.lng).toBeGreaterThanOrEqual(DEMO_BBOX.minLng);
      expect(o.lng).toBeLessThanOrEqual(DEMO_BBOX.maxLng);
    }
  });

  it('stores only the sha256 of the documented invitation token', () => {
    expect(DEMO_INVITATION_TOKEN).toBe('GxMjoGKJyxGtS8zOTY7Z8IrB7RIwtJrj1OUPLCb3fLU'); // as in the README
    expect(t.invitations[0]!.token_hash).toBe(sha256(DEMO_INVITATION_TOKEN));
  });
});

describe.each(DIALECTS)('demo territory on %s', (kind) => {
  let ts: TestServices;
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('loads into an empty database, every row marked as demo', async () => {
    expect(await loadDemoIfEmpty(ts.services)).toBe(true);
    const db = ts.services.db;
    const orgs = await db.selectFrom('organisation').select(['kind', 'donor_kind', 'is_demo']).execute();
    expect(orgs.filter((o) => o.kind === 'ccas')).toHaveLength(1);
    expect(orgs.filter((o) => o.kind === 'association')).toHaveLength(5);
    for (const k of DONOR_KINDS) expect(orgs.filter((o) => o.donor_kind === k).length).toBeGreaterThanOrEqual(12);
    expect(orgs.every((o) => Number(o.is_demo) === 1)).toBe(true);
    const users = await db.selectFrom('user').select(['is_demo', 'email_verified_at']).execute();
    expect(users.length).toBeGreaterThanOrEqual(15);
    expect(users.every((u) => Number(u.is_demo) === 1 && u.email_verified_at !== null)).toBe(true);
    const invitation = await db.selectFrom('invitation').selectAll().executeTakeFirstOrThrow();
    expect(invitation.token_hash).toBe(sha256(DEMO_INVITATION_TOKEN));
    expect(invitation.accepted_at).toBeNull();
  });

  it('is a no-op on a second call', async () => {
    const before = await ts.services.db.selectFrom('organisation').select('id').execute();
    expect(await loadDemoIfEmpty(ts.services)).toBe(false);
    const after = await ts.services.db.selectFrom('organisation').select('id').execute();
    expect(after).toHaveLength(before.length);
  });

  it('lets every demo account be verified with the shared password', async () => {
    const users = await ts.services.db.selectFrom('user').select(['email', 'password_hash']).execute();
    const hashes = new Set(users.map((u) => u.password_hash));
    expect(hashes.size).toBe(1);
    const [stored] = [...hashes];
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verify(stored!, DEMO_PASSWORD)).toBe(true);
    expect(await verify(stored!, 'wrong-password')).toBe(false);
  });

  it('offers the documented invitation link as pending, to the Secours populaire', async () => {
    const preview = await ts.services.organisations.previewInvitation(DEMO_INVITATION_TOKEN);
    expect(preview).toMatchObject({ role: 'member', status: 'pending' });
    expect(preview.organisation.id).toBe(buildDemoTerritory().organisationIds['secours-populaire']);
  });

  it('indexes organisations for geosearch and text search', async () => {
    const t = buildDemoTerritory();
    const near = await findNearby(ts.services.db, kind, {
      entityType: 'organisation',
      lat: DEMO_TOWN.centre.lat,
      lng: DEMO_TOWN.centre.lng,
      limit: 10
    });
    expect(near).toHaveLength(10);
    expect(near[0]).toMatchObject({ entityId: t.organisationIds.ccas });
    expect(near[0]!.distanceKm).toBeLessThan(0.001);
    const all = await findNearby(ts.services.db, kind, {
      entityType: 'organisation',
      lat: DEMO_TOWN.centre.lat,
      lng: DEMO_TOWN.centre.lng,
      limit: 500,
      radiusKm: 10
    });
    expect(all).toHaveLength(t.organisations.length);
    const search = (query: string) =>
      searchDocuments(ts.services.db, kind, { entityType: 'organisation', query, limit: 500 });
    const hits = await search('restos coeur');
    expect(hits.map((h) => h.entityId)).toEqual([t.organisationIds.restos]);
    const town = await search('baroeul');
    expect(town).toHaveLength(t.organisations.length);
  });

  it('removes only demo rows, and refuses when a real account is tied to a demo organisation', async () => {
    const db = ts.services.db;
    const now = '2026-11-29T10:00:00.000Z';
    const t = buildDemoTerritory();
    // Real rows, shaped like demo ones.
    const realUser = { ...t.users[0]!, id: 'real-user', email: 'real@example.org', phone: null, is_platform_admin: 0 };
    await db.insertInto('user').values({ ...realUser, password_hash: null, is_demo: 0 }).execute();
    const realOrg = { ...t.organisations[1]!, id: 'real-org', slug: 'vraie-asso', siret: null, is_demo: 0 };
    await db.insertInto('organisation').values(realOrg).execute();
    const membership = { organisation_id: 'real-org', user_id: 'real-user', role: 'owner' as const, created_at: now };
    await db.insertInto('membership').values({ id: 'real-m', ...membership }).execute();
    // A real user who joined a demo association ties real data to the demo.
    const mixed = { ...membership, id: 'mixed', organisation_id: t.organisationIds.restos!, role: 'member' as const };
    await db.insertInto('membership').values(mixed).execute();
    // A demo user's session goes with the user.
    await db
      .insertInto('session')
      .values({ id: 's1', token_hash: 'h', user_id: t.userIds.admin!, csrf_token: 'c', created_at: now,
        last_seen_at: now, rotated_at: now, expires_at: '2099-01-01T00:00:00.000Z', user_agent: null })
      .execute();

    const refused = await deleteDemo(ts.services.database).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('conflict');
    const demoOrgs = await db.selectFrom('organisation').select('id').where('is_demo', '=', 1).execute();
    expect(demoOrgs).toHaveLength(t.organisations.length);

    await db.deleteFrom('membership').where('id', '=', 'mixed').execute();
    const removed = await deleteDemo(ts.services.database);
    expect(removed).toMatchObject({ organisations: t.organisations.length, users: t.users.length, invitations: 1 });
    expect(await db.selectFrom('organisation').select('id').execute()).toEqual([{ id: 'real-org' }]);
    expect(await db.selectFrom('user').select('id').execute()).toEqual([{ id: 'real-user' }]);
    expect(await db.selectFrom('membership').select('id').execute()).toEqual([{ id: 'real-m' }]);
    expect(await db.selectFrom('geo_point').select('entity_id').execute()).toEqual([]);
    expect(await db.selectFrom('search_document').select('entity_id').execute()).toEqual([]);
    expect(await db.selectFrom('session').select('id').execute()).toEqual([]);

    // Not empty any more: the start-up load stays away; an explicit load goes next to the real rows.
    expect(await loadDemoIfEmpty(ts.services)).toBe(false);
    const again = await loadDemo(ts.services.database, { onlyIfEmpty: false, nodeEnv: 'test' });
    expect(again?.organisations).toBe(t.organisations.length);
  });
});

describe.each(DIALECTS)('demo determinism on %s', (kind) => {
  /** Loads the demo into a fresh database and returns its rows (password hashes aside: salted). */
  const loadAndDump = async () => {
    // One database at a time: on a shared PostgreSQL server, Kysely's migrator sees the migration
    // tables of any other live test schema and skips creating its own.
    const d = await createTestDatabase(kind);
    try {
      await loadDemo(d, { nodeEnv: 'test' });
      return {
        organisations: await d.db.selectFrom('organisation').selectAll().orderBy('id').execute(),
        users: await d.db
          .selectFrom('user')
          .select(['id', 'email', 'phone', 'display_name', 'is_platform_admin', 'email_verified_at', 'created_at'])
          .orderBy('id')
          .execute(),
        memberships: await d.db.selectFrom('membership').selectAll().orderBy('id').execute(),
        invitations: await d.db.selectFrom('invitation').selectAll().orderBy('id').execute()
      };
    } finally {
      await d.destroy();
    }
  };

  it('gives identical rows in two fresh databases', async () => {
    const first = await loadAndDump();
    expect(first.organisations.length).toBeGreaterThan(70);
    expect(await loadAndDump()).toEqual(first);
  }, 120_000); // creates two databases: PGlite start-up is slow on a busy machine
});
