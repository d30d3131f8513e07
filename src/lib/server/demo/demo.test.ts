import { verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { DONOR_KINDS, isValidSiret } from '../../schemas/organisations.js';
import { findNearby } from '../db/geosearch.js';
import { searchDocuments } from '../db/text-search.js';
import { AppError } from '../errors.js';
import { sha256 } from '../modules/accounts/accounts.rules.js';
import { loadPlaceAggregate, PLACE_ENTITY } from '../modules/directory/directory.repository.js';
import { isOpenAt, validateOpeningHours } from '../modules/directory/hours.rules.js';
import {
  THEMATIQUES_VALUES,
  MODES_ACCUEIL_VALUES,
  MODES_MOBILISATION_VALUES,
  PERSONNES_MOBILISATRICES_VALUES,
  PUBLICS_VALUES,
  TYPES_DE_SERVICES_VALUES
} from '../../schemas/data-inclusion.js';
import {
  ACCESS_KINDS,
  CATEGORIES,
  CHOICE_DEGREES,
  DELIVERY_MODES,
  DIETS,
  FOOD_CATEGORIES,
  LANGUAGES,
  MODALITIES,
  PRODUCT_KINDS,
  SATURATION_LEVELS
} from '../../schemas/directory-vocabulary.js';
import { buildDemoDirectory, DEMO_DIRECTORY_DATE, DEMO_STALE_VERIFIED_AT } from './directory-territory.js';
import { deleteDemo, loadDemo, loadDemoIfEmpty } from './demo.js';
import {
  buildDemoTerritory,
  DEMO_BBOX,
  DEMO_INVITATION_TOKEN,
  DEMO_PASSWORD,
  DEMO_TOWN,
  demoId,
  fictionalSiret,
  luhnCheckDigit
} from './territory.js';
import { mulberry32 } from '../random.js';

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
    const users = await db.selectFrom('user').select(['is_demo', 'email', 'email_verified_at']).execute();
    expect(users.length).toBeGreaterThanOrEqual(15);
    expect(users.every((u) => Number(u.is_demo) === 1)).toBe(true);
    // Every account with an email is verified; the accompanied person has none (people-territory.ts).
    expect(users.every((u) => u.email === null || u.email_verified_at !== null)).toBe(true);
    expect(users.filter((u) => u.email === null)).toHaveLength(1);
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
    // The accompanied person (no email) cannot sign in: no password.
    const users = await ts.services.db.selectFrom('user').select(['email', 'password_hash']).where('email', 'is not', null).execute();
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
    // + the accompanied person (people-territory.ts).
    expect(removed).toMatchObject({ organisations: t.organisations.length, users: t.users.length + 1, invitations: 1 });
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

describe('demo directory (pure data)', () => {
  const t = buildDemoTerritory();
  const d = buildDemoDirectory(t);
  const inBox = (p: { lat?: number | null; lng?: number | null }) => {
    expect(p.lat).toBeGreaterThanOrEqual(DEMO_BBOX.minLat);
    expect(p.lat).toBeLessThanOrEqual(DEMO_BBOX.maxLat);
    expect(p.lng).toBeGreaterThanOrEqual(DEMO_BBOX.minLng);
    expect(p.lng).toBeLessThanOrEqual(DEMO_BBOX.maxLng);
  };

  it('is the same for the same territory, and keeps ids and slugs for another seed', () => {
    expect(JSON.stringify(buildDemoDirectory(buildDemoTerritory()))).toBe(JSON.stringify(d));
    const other = buildDemoDirectory(buildDemoTerritory(7));
    expect(other.places.map((p) => [p.id, p.slug])).toEqual(d.places.map((p) => [p.id, p.slug]));
    expect(other.services.map((s) => s.id)).toEqual(d.services.map((s) => s.id));
    // Main places of associations sit at their seat, which the seed moves.
    expect(other.places.find((p) => p.id === d.placeIds['restos-centre'])!.lat).not.toBe(
      d.places.find((p) => p.id === d.placeIds['restos-centre'])!.lat
    );
    expect(d.placeIds['ccas-accueil']).toBe(demoId('place', 1));
  });

  it('has about fifteen places and twenty-five services, with unique ids and slugs', () => {
    expect(d.places).toHaveLength(15);
    expect(d.services).toHaveLength(25);
    const ids = [...d.places, ...d.services, ...d.notices, ...d.stops.flatMap((s) => s.stops)].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(d.places.map((p) => p.slug)).size).toBe(d.places.length);
    for (const p of d.places) expect(d.services.some((s) => s.placeId === p.id)).toBe(true);
  });

  it('gives the CCAS its places and each association one or two, all demo rows of the town', () => {
    const count = (orgKey: string) => d.places.filter((p) => p.organisationId === t.organisationIds[orgKey]).length;
    expect(count('ccas')).toBeGreaterThanOrEqual(2);
    for (const key of ['restos', 'secours-populaire', 'croix-rouge', 'banque-alimentaire', 'emmaus']) {
      expect(count(key)).toBeGreaterThanOrEqual(1);
      expect(count(key)).toBeLessThanOrEqual(2);
    }
    const orgIds = new Set(t.organisations.map((o) => o.id));
    for (const p of d.places) {
      expect(orgIds.has(p.organisationId)).toBe(true);
      expect(p).toMatchObject({ isDemo: true, inseeCode: '59999', postalCode: '59999', city: DEMO_TOWN.name });
      inBox(p);
    }
    for (const s of d.services) {
      expect(s.isDemo).toBe(true);
      expect(s.organisationId).toBe(d.places.find((p) => p.id === s.placeId)!.organisationId);
    }
  });

  it('uses only valid, already normalised OSM opening_hours strings', () => {
    const values = [
      ...d.places.map((p) => p.openingHours),
      ...d.services.map((s) => s.openingHours),
      ...d.notices.map((n) => n.openingHours),
      ...d.stops.flatMap((s) => s.stops.map((stop) => stop.openingHours))
    ].filter((v): v is string => typeof v === 'string');
    expect(values.length).toBeGreaterThan(25);
    for (const value of values) {
      const r = validateOpeningHours(value);
      expect(r, value).toMatchObject({ ok: true, normalised: value, warnings: [] });
    }
    expect(d.places.every((p) => typeof p.openingHours === 'string')).toBe(true);
  });

  it('speaks the reference vocabularies only (data·inclusion and the food lists)', () => {
    const within = (values: readonly unknown[] | undefined, list: readonly string[]) => {
      for (const v of values ?? []) expect(list, String(v)).toContain(v);
    };
    for (const p of d.places) {
      within(p.languages, LANGUAGES);
      if (p.saturation !== null) within([p.saturation], SATURATION_LEVELS);
      expect(p.description!.length).toBeGreaterThanOrEqual(50);
    }
    for (const s of d.services) {
      expect(s.description.length, s.name).toBeGreaterThanOrEqual(50);
      within(s.categories, CATEGORIES);
      expect(s.categories!.length).toBeGreaterThan(0);
      within(s.publics, PUBLICS_VALUES);
      // data·inclusion: `tous-publics` stands alone.
      if (s.publics!.includes('tous-publics')) expect(s.publics).toEqual(['tous-publics']);
      within(s.modalities, MODALITIES);
      within(s.thematiques, THEMATIQUES_VALUES);
      within([s.type], TYPES_DE_SERVICES_VALUES);
      within([s.access], ACCESS_KINDS);
      within(s.modesAccueil, MODES_ACCUEIL_VALUES);
      within(s.modesMobilisation, MODES_MOBILISATION_VALUES);
      within(s.mobilisablePar, PERSONNES_MOBILISATRICES_VALUES);
      within(s.food?.products, PRODUCT_KINDS);
      within(s.food?.diets, DIETS);
      within(s.food?.delivery, DELIVERY_MODES);
      if (s.food?.choice !== undefined) within([s.food.choice], CHOICE_DEGREES);
    }
  });

  it('covers every food category, each access kind and modality, and a mix of languages and accessibility', () => {
    const all = (pick: (s: (typeof d.services)[number]) => readonly string[] | undefined) =>
      new Set(d.services.flatMap((s) => pick(s) ?? []));
    for (const c of FOOD_CATEGORIES) expect(all((s) => s.categories).has(c), c).toBe(true);
    expect([...new Set(d.services.map((s) => s.access))].sort()).toEqual([...ACCESS_KINDS].sort());
    expect([...all((s) => s.modalities)].sort()).toEqual([...MODALITIES].sort());
    for (const p of ['familles', 'etudiants', 'jeunes', 'personnes-en-situation-durgence', 'tous-publics']) {
      expect(all((s) => s.publics).has(p), p).toBe(true);
    }
    const languages = new Set(d.places.flatMap((p) => p.languages ?? []));
    for (const l of ['fr', 'ar', 'en', 'uk']) expect(languages.has(l), l).toBe(true);
    expect(new Set(d.places.map((p) => p.isAccessible))).toEqual(new Set([true, false, null]));
    expect(new Set(d.places.map((p) => p.saturation))).toEqual(new Set(['low', 'medium', 'high', null]));
    expect(d.services.some((s) => s.food?.delivery?.includes('livraison'))).toBe(true);
  });

  it('has exactly one stale place, verified more than six months before the demo date', () => {
    const sixMonthsBefore = new Date(DEMO_DIRECTORY_DATE);
    sixMonthsBefore.setUTCMonth(sixMonthsBefore.getUTCMonth() - 6);
    const stale = d.places.filter((p) => p.verifiedAt! < sixMonthsBefore.toISOString());
    expect(stale.map((p) => p.id)).toEqual([d.placeIds['emmaus-boutique']]);
    expect(stale[0]!.verifiedAt).toBe(DEMO_STALE_VERIFIED_AT);
    for (const p of d.places) expect(p.verifiedAt! <= DEMO_DIRECTORY_DATE).toBe(true);
  });

  it('has a winter campaign (temporary hours) and a holiday closure that change what is open', () => {
    const restos = d.places.find((p) => p.id === d.placeIds['restos-centre'])!;
    const winter = d.notices.find((n) => n.placeId === restos.id)!;
    expect(winter).toMatchObject({ kind: 'hours', startsOn: '2026-11-24', endsOn: '2027-03-27' });
    const monday = new Date('2026-11-30T09:00:00.000Z'); // 10:00 in Paris
    expect(isOpenAt(restos.openingHours!, monday)).toBe(false);
    const winterOverride = { kind: winter.kind, startsOn: winter.startsOn, endsOn: winter.endsOn, openingHours: winter.openingHours! };
    expect(isOpenAt(restos.openingHours!, monday, [winterOverride])).toBe(true);

    const secours = d.places.find((p) => p.id === d.placeIds['secours-populaire-permanence'])!;
    const closure = d.notices.find((n) => n.placeId === secours.id)!;
    expect(closure).toMatchObject({ kind: 'closure', openingHours: null });
    const override = [{ kind: closure.kind, startsOn: closure.startsOn, endsOn: closure.endsOn }];
    const wednesdayBefore = new Date('2026-12-16T09:30:00.000Z');
    const wednesdayDuring = new Date('2026-12-23T09:30:00.000Z');
    expect(isOpenAt(secours.openingHours!, wednesdayBefore, override)).toBe(true);
    expect(isOpenAt(secours.openingHours!, wednesdayDuring)).toBe(true);
    expect(isOpenAt(secours.openingHours!, wednesdayDuring, override)).toBe(false);
    for (const n of d.notices) expect(n.startsOn >= '2026-01-01' && n.endsOn <= '2027-12-31').toBe(true);
  });

  it('has one mobile place, the evening round, with three stops in the town', () => {
    const mobile = d.places.filter((p) => p.isMobile);
    expect(mobile.map((p) => p.id)).toEqual([d.placeIds['croix-rouge-maraude']]);
    expect(d.stops).toHaveLength(1);
    expect(d.stops[0]!.placeId).toBe(mobile[0]!.id);
    expect(d.stops[0]!.stops).toHaveLength(3);
    for (const stop of d.stops[0]!.stops) inBox(stop);
  });
});

describe.each(DIALECTS)('demo directory on %s', (kind) => {
  let ts: TestServices;
  const t = buildDemoTerritory();
  const d = buildDemoDirectory(t);
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('loads places, services, tags, notices and stops with the organisations', async () => {
    const counts = await loadDemo(ts.services.database, { nodeEnv: 'test' });
    expect(counts).toMatchObject({ places: 15, services: 25 });
    const db = ts.services.db;
    const places = await db.selectFrom('place').select(['id', 'is_demo']).execute();
    expect(places).toHaveLength(15);
    expect(places.every((p) => Number(p.is_demo) === 1)).toBe(true);
    expect(await db.selectFrom('service').select('id').execute()).toHaveLength(25);
    expect(await db.selectFrom('place_notice').select('id').execute()).toHaveLength(2);
    expect(await db.selectFrom('place_stop').select('id').execute()).toHaveLength(3);
    const tags = await db.selectFrom('service_tag').select(['kind', 'value', 'service_id']).execute();
    const kinds = new Set(tags.map((x) => x.kind));
    for (const k of ['category', 'public', 'modality', 'thematique', 'type', 'mode_accueil', 'frais', 'language']) {
      expect(kinds.has(k), k).toBe(true);
    }
    // Every service is tagged, and carries its place's languages.
    expect(new Set(tags.map((x) => x.service_id)).size).toBe(25);
    const frigo = d.services.find((s) => s.placeId === d.placeIds['ccas-frigo'])!;
    expect(tags.filter((x) => x.service_id === frigo.id && x.kind === 'category').map((x) => x.value)).toEqual([
      'frigo-solidaire'
    ]);
    const students = d.services.find((s) => s.placeId === d.placeIds['secours-populaire-etudiants'])!;
    const studentLanguages = tags.filter((x) => x.service_id === students.id && x.kind === 'language');
    expect(studentLanguages.map((x) => x.value).sort()).toEqual(['en', 'fr', 'uk']);
  });

  it('indexes places for geosearch and text search', async () => {
    const near = await findNearby(ts.services.db, kind, {
      entityType: PLACE_ENTITY,
      lat: DEMO_TOWN.centre.lat,
      lng: DEMO_TOWN.centre.lng,
      limit: 50,
      radiusKm: 10
    });
    expect(near).toHaveLength(15);
    expect(near[0]).toMatchObject({ entityId: d.placeIds['ccas-accueil'] });
    const search = (query: string) =>
      searchDocuments(ts.services.db, kind, { entityType: PLACE_ENTITY, query, limit: 50 });
    expect((await search('frigo solidaire')).map((h) => h.entityId).sort()).toEqual(
      [d.placeIds['ccas-frigo'], d.placeIds['frigo-alizes']].sort()
    );
    expect((await search('maraude')).map((h) => h.entityId)).toContain(d.placeIds['croix-rouge-maraude']);
  });

  it('reads back a mobile place with its stops in order', async () => {
    const agg = await loadPlaceAggregate(ts.services.db, d.placeIds['croix-rouge-maraude']!);
    expect(agg?.place).toMatchObject({ isMobile: true, languages: ['fr', 'ar', 'uk'] });
    expect(agg?.stops.map((s) => s.name)).toEqual(['Parvis de la gare', 'Square du Béguinage', 'Parc de la Marque, entrée nord']);
    // The park stop runs only during the winter plan; the others all year.
    expect(agg?.stops.map((s) => [s.validFrom, s.validTo])).toEqual([
      [null, null],
      [null, null],
      ['2026-11-01', '2027-03-31']
    ]);
    expect(agg?.organisation.id).toBe(t.organisationIds['croix-rouge']);
  });

  it('has a service speaking languages its place does not, found by the language filter', async () => {
    const colis = d.services.find((s) => s.name === 'Colis alimentaire' && s.placeId === d.placeIds['secours-populaire-permanence']);
    expect(colis?.languages).toEqual(['ro', 'uk']);
    const found = await ts.services.directorySearch.searchQuery({ commune: DEMO_TOWN.inseeCode, languages: 'ro', pageSize: '50' });
    expect(found.results.map((r) => r.place.id)).toEqual([d.placeIds['secours-populaire-permanence']]);
  });

  it('goes away with the demo (reset) and loads again identically', async () => {
    const db = ts.services.db;
    const dump = async () => ({
      places: await db.selectFrom('place').selectAll().orderBy('id').execute(),
      services: await db.selectFrom('service').selectAll().orderBy('id').execute(),
      tags: await db.selectFrom('service_tag').selectAll().orderBy('service_id').orderBy('kind').orderBy('value').execute(),
      notices: await db.selectFrom('place_notice').selectAll().orderBy('id').execute(),
      stops: await db.selectFrom('place_stop').selectAll().orderBy('id').execute()
    });
    const before = await dump();
    const removed = await deleteDemo(ts.services.database);
    expect(removed).toMatchObject({ places: 15, services: 25 });
    for (const table of ['place', 'service', 'service_tag', 'place_notice', 'place_stop', 'geo_point', 'search_document'] as const) {
      expect(await db.selectFrom(table).select(sql`1`.as('x')).execute(), table).toEqual([]);
    }
    expect(await loadDemo(ts.services.database, { nodeEnv: 'test' })).toMatchObject({ places: 15, services: 25 });
    expect(await dump()).toEqual(before);
  });
});
