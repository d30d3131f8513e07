import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { testClock } from '../../../../../tests/helpers/services.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { insertMembership } from '../organisations/organisations.repository.js';
import { insertTestUser } from '../organisations/organisations.testing.js';
import { createDirectoryService, type DirectoryService } from './directory.service.js';

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const fieldPaths = (e: AppError) => (e.details?.fields ?? []).map((f) => f.path);

describe.each(DIALECTS)('directory service on %s', (kind) => {
  let database: TestDatabase;
  let service: DirectoryService;
  const clock = testClock('2026-11-29T10:00:00.000Z'); // a Sunday
  let owner: Actor;
  let manager: Actor;
  let member: Actor;
  let outsider: Actor;
  let admin: Actor;
  let orgId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    service = createDirectoryService({ db: database.db, kind, config: { DIRECTORY_STALE_MONTHS: 6 }, now: clock.now });
    owner = await insertTestUser(database.db, { displayName: 'Olga Owner' });
    manager = await insertTestUser(database.db);
    member = await insertTestUser(database.db, { displayName: 'Marc Bénévole' });
    outsider = await insertTestUser(database.db);
    admin = await insertTestUser(database.db, { isPlatformAdmin: true });
    orgId = randomUUID();
    const at = '2026-11-01T00:00:00.000Z';
    await database.db
      .insertInto('organisation')
      .values({
        id: orgId,
        slug: 'restos-lille',
        name: 'Restos du cœur de Lille',
        kind: 'association',
        donor_kind: null,
        network: 'restos-du-coeur',
        siret: null,
        email: null,
        phone: null,
        address_line: null,
        postal_code: null,
        city: null,
        insee_code: null,
        lat: null,
        lng: null,
        is_demo: 0,
        created_at: at,
        updated_at: at
      })
      .execute();
    for (const [actor, role] of [
      [owner, 'owner'],
      [manager, 'manager'],
      [member, 'member']
    ] as const) {
      await insertMembership(database.db, { id: randomUUID(), organisationId: orgId, userId: actor.userId, role, createdAt: at });
    }
  });
  afterAll(async () => database?.destroy());

  let n = 0;
  /** A place input far from the others (each test its own spot, so no duplicate detection unless wanted). */
  function placeInput(overrides: Record<string, unknown> = {}) {
    n += 1;
    return {
      organisationId: orgId,
      name: `Épicerie solidaire numéro ${n}`,
      addressLine: `${n} rue du Pont`,
      postalCode: '59000',
      city: 'Lille',
      inseeCode: '59350',
      lat: 50.5 + n * 0.01,
      lng: 3.0,
      openingHours: 'Mo-Fr 09:00-17:00',
      languages: ['fr'],
      ...overrides
    };
  }

  async function revisionsOf(placeId: string) {
    return database.db.selectFrom('directory_revision').selectAll().where('place_id', '=', placeId).orderBy('at').orderBy('id').execute();
  }

  it('creates a place, stores the normalised hours and returns their warnings', async () => {
    const { place, warnings } = await service.createPlace(manager, placeInput({ name: 'Le Panier du Pont', openingHours: 'Mo-Fr 8:30-12:30' }));
    expect(place).toMatchObject({
      slug: 'le-panier-du-pont-lille',
      openingHours: 'Mo-Fr 08:30-12:30',
      verifiedAt: clock.now().toISOString(),
      isStale: false,
      organisation: { id: orgId, name: 'Restos du cœur de Lille', network: 'restos-du-coeur' },
      permissions: { canEdit: true, canDelete: true }
    });
    expect(warnings.map((w) => w.field)).toContain('openingHours');
    expect(place.opening.text.fr).toBeTruthy();
    const revs = await revisionsOf(place.id);
    expect(revs.map((r) => r.action)).toEqual(['create']);
    expect(JSON.parse(revs[0]!.after!)).toMatchObject({ name: 'Le Panier du Pont' });

    // Same name and city again, far away: a second slug, never the first.
    const again = await service.createPlace(manager, placeInput({ name: 'Le Panier du Pont' }));
    expect(again.place.slug).toBe('le-panier-du-pont-lille-2');
  });

  it('answers 409 with the duplicates for a similar name within 300 m, then creates on confirmation', async () => {
    const first = await service.createPlace(owner, placeInput({ name: 'Restos du Cœur Wazemmes', lat: 50.62, lng: 3.05 }));
    const input = placeInput({ name: 'Les restos du coeur wazemmes', lat: 50.6215, lng: 3.05 });
    const err = await appError(service.createPlace(owner, input));
    expect(err.code).toBe('conflict');
    const duplicates = err.details?.duplicates as { id: string; slug: string; distanceKm: number }[];
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]).toMatchObject({ id: first.place.id, slug: first.place.slug });
    expect(duplicates[0]!.distanceKm).toBeGreaterThan(0.1);
    expect(duplicates[0]!.distanceKm).toBeLessThan(0.3);

    // A different name at the same spot is no duplicate.
    await expect(service.createPlace(owner, placeInput({ name: 'Secours populaire', lat: 50.6201, lng: 3.05 }))).resolves.toBeTruthy();

    const confirmed = await service.createPlace(owner, { ...input, confirmDuplicate: true });
    expect(confirmed.place.id).not.toBe(first.place.id);
  });

  it('refuses outsiders and members on creation, and names bad fields', async () => {
    expect((await appError(service.createPlace(outsider, placeInput()))).code).toBe('forbidden');
    expect((await appError(service.createPlace(member, placeInput()))).code).toBe('forbidden');
    expect(fieldPaths(await appError(service.createPlace(owner, placeInput({ openingHours: 'whenever we feel like it' }))))).toEqual([
      'openingHours'
    ]);
    expect(fieldPaths(await appError(service.createPlace(owner, placeInput({ lat: 50.6, lng: undefined }))))).toEqual(['lng']);
    expect(fieldPaths(await appError(service.createPlace(owner, placeInput({ lat: 95 }))))).toEqual(['lat']);
    expect(fieldPaths(await appError(service.createPlace(owner, placeInput({ languages: ['fr', 'klingon'] }))))).toEqual([
      'languages'
    ]);
    expect(fieldPaths(await appError(service.createPlace(owner, placeInput({ name: 'AB' }))))).toEqual(['name']);
    const unknown = await appError(service.createPlace(owner, placeInput({ colour: 'red' })));
    expect(fieldPaths(unknown)).toEqual(['colour']);
    expect((await appError(service.createPlace(owner, placeInput({ organisationId: 'nope' })))).code).toBe('not_found');
  });

  it('updates one section with one revision holding that section before → after, and verifies the place', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    clock.advance(60_000);
    const { place: updated } = await service.updatePlaceSection(manager, place.id, 'identity', {
      name: 'Épicerie renommée',
      description: 'Produits frais et secs'
    });
    expect(updated.name).toBe('Épicerie renommée');
    expect(updated.slug).toBe(place.slug); // stable on rename
    expect(updated.verifiedAt).toBe(clock.now().toISOString());
    expect(updated.updatedAt).toBe(clock.now().toISOString());
    const revs = await revisionsOf(place.id);
    expect(revs).toHaveLength(2);
    const rev = revs[1]!;
    expect(rev).toMatchObject({ action: 'update', section: 'identity', actor_user_id: manager.userId });
    expect(JSON.parse(rev.before!)).toEqual({ name: place.name, description: null });
    expect(JSON.parse(rev.after!)).toEqual({ name: 'Épicerie renommée', description: 'Produits frais et secs' });

    const page = await service.listRevisions(member, place.id, { limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ section: 'identity', actorName: expect.any(String) });
    expect(page.nextCursor).not.toBeNull();
    const next = await service.listRevisions(member, place.id, { limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((r) => r.action)).toEqual(['create']);
    expect(next.nextCursor).toBeNull();
    expect((await appError(service.listRevisions(outsider, place.id))).code).toBe('forbidden');
  });

  it('lets a member edit hours and saturation but not identity; outsiders get 403', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const { place: updated, warnings } = await service.updatePlaceSection(member, place.id, 'hours', {
      openingHours: 'lundi-vendredi 9h-12h'
    });
    expect(updated.openingHours).toBe('Mo-Fr 09:00-12:00');
    expect(warnings.length).toBeGreaterThan(0);
    await service.updatePlaceSection(member, place.id, 'status', { saturation: 'high' });
    expect((await appError(service.updatePlaceSection(member, place.id, 'identity', { name: 'Pirate' }))).code).toBe('forbidden');
    expect((await appError(service.updatePlaceSection(outsider, place.id, 'hours', { openingHours: 'Mo 10:00-11:00' }))).code).toBe(
      'forbidden'
    );
    const err = await appError(service.updatePlaceSection(member, place.id, 'hours', { openingHours: 'n importe quoi' }));
    expect(err.code).toBe('validation_failed');
    expect(fieldPaths(err)).toEqual(['openingHours']);
    expect((await service.updatePlaceSection(admin, place.id, 'identity', { name: 'Admin fixed' })).place.name).toBe('Admin fixed');
    expect(fieldPaths(await appError(service.updatePlaceSection(owner, place.id, 'colour', {})))).toEqual(['section']);
  });

  it('keeps language tags of services in step when the access section changes', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const { service: s } = await service.createService(owner, place.id, {
      name: 'Colis',
      description: 'Colis hebdomadaire',
      categories: ['colis-alimentaire']
    });
    await service.updatePlaceSection(owner, place.id, 'access', { languages: ['fr', 'uk'], isAccessible: true });
    const tags = await database.db.selectFrom('service_tag').select('value').where('service_id', '=', s.id).where('kind', '=', 'language').execute();
    expect(tags.map((t) => t.value).sort()).toEqual(['fr', 'uk']);
  });

  it('keeps languages per service: validated like the place, tagged with the place ones, history before → after', async () => {
    const { place } = await service.createPlace(owner, placeInput({ languages: ['fr'] }));
    const base = { name: 'Permanence', description: 'Accueil en ukrainien' };
    const err = await appError(service.createService(owner, place.id, { ...base, languages: ['uk', 'klingon'] }));
    expect(fieldPaths(err)).toEqual(['languages']);
    expect(err.details?.fields?.[0]?.message).toContain('klingon');
    const { service: s } = await service.createService(owner, place.id, { ...base, languages: ['uk', 'uk', 'lsf'] });
    expect(s.languages).toEqual(['uk', 'lsf']);
    const tags = async () =>
      (await database.db.selectFrom('service_tag').select('value').where('service_id', '=', s.id).where('kind', '=', 'language').execute())
        .map((t) => t.value)
        .sort();
    expect(await tags()).toEqual(['fr', 'lsf', 'uk']);
    clock.advance(1000);
    const { service: updated } = await service.updateService(owner, s.id, { languages: ['ar'] });
    expect(updated.languages).toEqual(['ar']);
    expect(await tags()).toEqual(['ar', 'fr']);
    const rev = (await revisionsOf(place.id)).at(-1)!;
    expect(rev).toMatchObject({ service_id: s.id, section: 'service' });
    expect(JSON.parse(rev.before!)).toEqual({ languages: ['uk', 'lsf'] });
    expect(JSON.parse(rev.after!)).toEqual({ languages: ['ar'] });
    expect((await service.getPublicPlace(place.slug)).services[0]?.languages).toEqual(['ar']);
  });

  it('verifies a place without changing it', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    clock.advance(86_400_000);
    const verified = await service.verifyPlace(member, place.id);
    expect(verified.verifiedAt).toBe(clock.now().toISOString());
    expect(verified.updatedAt).toBe(place.updatedAt);
    expect((await revisionsOf(place.id)).map((r) => r.action)).toEqual(['create', 'verify']);
    expect((await appError(service.verifyPlace(outsider, place.id))).code).toBe('forbidden');
  });

  it('validates services against the vocabularies and the publics rules', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const base = { name: 'Distribution', description: 'Tous les mardis' };
    let err = await appError(service.createService(owner, place.id, { ...base, categories: ['colis-alimentaire', 'caviar'] }));
    expect(err.code).toBe('validation_failed');
    expect(err.details?.fields?.[0]).toMatchObject({ path: 'categories' });
    expect(err.details?.fields?.[0]?.message).toContain('caviar');
    err = await appError(service.createService(owner, place.id, { ...base, publics: ['tous-publics', 'familles'] }));
    expect(fieldPaths(err)).toEqual(['publics']);
    err = await appError(service.createService(owner, place.id, { ...base, access: 'exclusive' }));
    expect(fieldPaths(err)).toEqual(['publics']);
    err = await appError(service.createService(owner, place.id, { ...base, openingHours: 'jamais' }));
    expect(fieldPaths(err)).toEqual(['openingHours']);
    expect((await appError(service.createService(member, place.id, base))).code).toBe('forbidden');

    const { service: created, warnings } = await service.createService(owner, place.id, {
      ...base,
      categories: ['distribution-alimentaire'],
      publics: ['familles'],
      access: 'exclusive',
      frais: 'payant',
      conditions: { ageMin: 18 },
      food: { products: ['sec', 'frais'], diets: ['halal'], choice: 'libre' }
    });
    expect(warnings.map((w) => w.code)).toEqual(['paying_without_participation']);
    expect(created).toMatchObject({ effectiveOpeningHours: 'Mo-Fr 09:00-17:00', food: { products: ['sec', 'frais'] } });

    // Update: merged rules (dropping the publics of an exclusive service is refused).
    err = await appError(service.updateService(owner, created.id, { publics: [] }));
    expect(fieldPaths(err)).toEqual(['publics']);
    clock.advance(1000);
    const { service: updated } = await service.updateService(owner, created.id, { modalities: ['participation-financiere'], name: 'Épicerie' });
    expect(updated.name).toBe('Épicerie');
    const rev = (await revisionsOf(place.id)).at(-1)!;
    expect(rev).toMatchObject({ service_id: created.id, action: 'update', section: 'service' });
    expect(JSON.parse(rev.before!)).toEqual({ name: 'Distribution', modalities: [] });

    await service.deleteService(manager, created.id);
    expect((await service.getPublicPlace(place.slug)).services).toEqual([]);
    expect((await appError(service.deleteService(manager, created.id))).code).toBe('not_found');
  });

  it('makes the place closed on the dates of a closure notice, and shows it', async () => {
    const { place } = await service.createPlace(owner, placeInput({ openingHours: 'Mo-Fr 09:00-17:00' }));
    const monday = new Date('2026-11-30T10:00:00.000Z'); // 11:00 in Paris
    expect((await service.getPublicPlace(place.slug, null, monday)).opening.isOpen).toBe(true);
    const notice = await service.addNotice(member, place.id, {
      kind: 'closure',
      startsOn: '2026-11-30',
      endsOn: '2026-12-01',
      message: 'Inventaire'
    });
    const closed = await service.getPublicPlace(place.slug, null, monday);
    expect(closed.opening.isOpen).toBe(false);
    expect(closed.notices.map((x) => x.id)).toEqual([notice.id]);
    expect((await service.getPublicPlace(place.id, null, new Date('2026-12-02T10:00:00.000Z'))).opening.isOpen).toBe(true);

    expect(fieldPaths(await appError(service.addNotice(member, place.id, { kind: 'closure', startsOn: '2026-12-05', endsOn: '2026-12-01' })))).toEqual(['endsOn']);
    expect(fieldPaths(await appError(service.addNotice(member, place.id, { kind: 'closure', startsOn: '2026-12-01', endsOn: '2028-01-01' })))).toEqual(['endsOn']);
    expect(fieldPaths(await appError(service.addNotice(member, place.id, { kind: 'hours', startsOn: '2026-12-01', endsOn: '2026-12-02', openingHours: 'bof' })))).toEqual(['openingHours']);
    expect((await appError(service.addNotice(outsider, place.id, { kind: 'closure', startsOn: '2026-12-01', endsOn: '2026-12-02' }))).code).toBe('forbidden');

    await service.removeNotice(member, notice.id);
    expect((await service.getPublicPlace(place.slug, null, monday)).opening.isOpen).toBe(true);
  });

  it('replaces the stops of a mobile place', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const { stops, warnings } = await service.setStops(manager, place.id, {
      version: 0,
      stops: [
        { name: 'Place du marché', lat: 50.6, lng: 3.1, openingHours: 'Tu 10:00-12:00' },
        { name: 'Gare', city: 'Lille' }
      ]
    });
    expect(stops.map((s) => s.name)).toEqual(['Place du marché', 'Gare']);
    expect(warnings).toEqual([]);
    const page = await service.getPublicPlace(place.slug);
    expect(page.isMobile).toBe(true);
    expect(page.stops).toHaveLength(2);
    expect(page.stopsVersion).toBe(1);
    expect(fieldPaths(await appError(service.setStops(manager, place.id, { version: 1, stops: [{ name: 'X', openingHours: 'zut' }] })))).toEqual([
      'stops.0.openingHours'
    ]);
    expect(fieldPaths(await appError(service.setStops(manager, place.id, { stops: [] })))).toEqual(['version']);
    expect((await appError(service.setStops(member, place.id, { version: 1, stops: [] }))).code).toBe('forbidden');
  });

  it('keeps the ids of stops given back, refuses foreign ids, and returns hours corrections as warnings', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const first = await service.setStops(manager, place.id, { version: 0, stops: [{ name: 'Marché' }, { name: 'Gare' }] });
    const [market, station] = first.stops;
    // Reordered and one edited: both keep their ids; a new stop gets a new one.
    const second = await service.setStops(manager, place.id, {
      version: first.version,
      stops: [
        { id: station!.id, name: 'Gare', openingHours: 'tu 9:00-11:00' },
        { id: market!.id, name: 'Marché couvert' },
        { name: 'Mairie' }
      ]
    });
    expect(second.stops.map((s) => [s.id, s.name, s.position])).toEqual([
      [station!.id, 'Gare', 0],
      [market!.id, 'Marché couvert', 1],
      [expect.any(String), 'Mairie', 2]
    ]);
    expect(second.stops[0]!.openingHours).toBe('Tu 09:00-11:00');
    expect(second.warnings.map((w) => w.field)).toContain('stops.0.openingHours');
    expect(second.warnings.every((w) => w.code === 'opening_hours_warning')).toBe(true);
    // An id of another place's stop, or the same id twice, names the stop at fault.
    const other = (await service.createPlace(owner, placeInput({ name: 'Autre camion', lat: 50.7, lng: 3.2 }))).place;
    const foreign = (await service.setStops(manager, other.id, { version: 0, stops: [{ name: 'Ailleurs' }] })).stops[0]!;
    const v = second.version;
    expect(fieldPaths(await appError(service.setStops(manager, place.id, { version: v, stops: [{ name: 'X' }, { id: foreign.id, name: 'Y' }] })))).toEqual([
      'stops.1.id'
    ]);
    expect(
      fieldPaths(
        await appError(service.setStops(manager, place.id, { version: v, stops: [{ id: market!.id, name: 'A' }, { id: market!.id, name: 'B' }] }))
      )
    ).toEqual(['stops.1.id']);
    expect((await service.getPublicPlace(place.id)).stops.map((s) => s.name)).toEqual(['Gare', 'Marché couvert', 'Mairie']);
  });

  it('refuses a stop list changed since it was read (409 with the current list), one of two simultaneous writers wins', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const read = await service.getPublicPlace(place.id, manager);
    expect(read.stopsVersion).toBe(0);
    const first = await service.setStops(manager, place.id, { version: 0, stops: [{ name: 'Marché' }, { name: 'Gare' }] });
    expect(first.version).toBe(1);
    // The second editor read version 0 too: refused, nothing written, the list as it now is comes back.
    const late = await appError(service.setStops(owner, place.id, { version: 0, stops: [{ name: 'Église' }] }));
    expect(late.code).toBe('conflict');
    const current = late.details?.current as { version: number; stops: { name: string }[] };
    expect(current.version).toBe(1);
    expect(current.stops.map((s) => s.name)).toEqual(['Marché', 'Gare']);
    // Even when its stop ids were removed meanwhile: a conflict, not a bad id.
    const third = await service.setStops(manager, place.id, { version: 1, stops: [{ name: 'Mairie' }] });
    const stale = await appError(service.setStops(owner, place.id, { version: 1, stops: [{ id: first.stops[0]!.id, name: 'Marché' }] }));
    expect(stale.code).toBe('conflict');
    expect((stale.details?.current as { version: number }).version).toBe(third.version);
    // Two writers at once on the same version: exactly one wins.
    const results = await Promise.allSettled([
      service.setStops(manager, place.id, { version: third.version, stops: [{ name: 'A' }] }),
      service.setStops(owner, place.id, { version: third.version, stops: [{ name: 'B' }] })
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe('conflict');
    const after = await service.getPublicPlace(place.id);
    expect(after.stopsVersion).toBe(third.version + 1);
    expect(after.stops).toHaveLength(1);
    // The history keeps each accepted replacement only.
    const history = await service.listRevisions(owner, place.id, { limit: 100 });
    expect(history.items.filter((r) => r.section === 'stops')).toHaveLength(3);
  });

  it('stores the validity of stops, hides past ones from the public and shows them to editors', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const today = new Date('2026-11-29T10:00:00.000Z');
    const saved = await service.setStops(manager, place.id, {
      version: 0,
      stops: [
        { name: 'Plage (été dernier)', validFrom: '2026-07-01', validTo: '2026-08-31' },
        { name: 'Marché de Noël', validFrom: '2026-11-28', validTo: '2026-12-24' },
        { name: 'Tournée de printemps', validFrom: '2027-03-01' },
        { name: 'Gare', validTo: '2026-11-29' },
        { name: 'Mairie' }
      ]
    });
    expect(saved.stops.map((s) => [s.validFrom, s.validTo])).toEqual([
      ['2026-07-01', '2026-08-31'],
      ['2026-11-28', '2026-12-24'],
      ['2027-03-01', null],
      [null, '2026-11-29'],
      [null, null]
    ]);
    const publicPage = await service.getPublicPlace(place.slug, null, today);
    expect(publicPage.stops.map((s) => [s.name, s.period])).toEqual([
      ['Marché de Noël', 'current'],
      ['Tournée de printemps', 'upcoming'],
      ['Gare', 'current'],
      ['Mairie', 'current']
    ]);
    expect((await service.getPublicPlace(place.slug, outsider, today)).stops).toHaveLength(4);
    const editorPage = await service.getPublicPlace(place.slug, manager, today);
    expect(editorPage.stops.map((s) => s.period)).toEqual(['past', 'current', 'upcoming', 'current', 'current']);
    // The day after, the station stop is over.
    const tomorrow = await service.getPublicPlace(place.slug, null, new Date('2026-11-30T10:00:00.000Z'));
    expect(tomorrow.stops.map((s) => s.name)).toEqual(['Marché de Noël', 'Tournée de printemps', 'Mairie']);
    // to before from, or not a date: refused on the field.
    expect(
      fieldPaths(await appError(service.setStops(manager, place.id, { version: saved.version, stops: [{ name: 'X', validFrom: '2027-02-01', validTo: '2027-01-31' }] })))
    ).toEqual(['stops.0.validTo']);
    expect(fieldPaths(await appError(service.setStops(manager, place.id, { version: saved.version, stops: [{ name: 'X', validFrom: '2027-02-30' }] })))).toEqual([
      'stops.0.validFrom'
    ]);
    // The history shows the dates before → after.
    await service.setStops(manager, place.id, { version: saved.version, stops: [{ id: saved.stops[4]!.id, name: 'Mairie', validTo: '2027-06-30' }] });
    const [last] = (await service.listRevisions(owner, place.id, { limit: 1 })).items;
    expect(last?.section).toBe('stops');
    expect((last?.after as { validTo: string | null }[])[0]?.validTo).toBe('2027-06-30');
    expect((last?.before as { validFrom: string | null }[])[0]?.validFrom).toBe('2026-07-01');
  });

  it('marks places stale after the configured months and lists an organisation’s places', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    const later = new Date(clock.now().getTime() + 200 * 86_400_000);
    expect((await service.getPublicPlace(place.slug, null, later)).isStale).toBe(true);
    const list = await service.listOrganisationPlaces(orgId);
    expect(list.map((p) => p.id)).toContain(place.id);
  });

  it('deletes a place (owners, managers, admins) and keeps its history', async () => {
    const { place } = await service.createPlace(owner, placeInput());
    expect((await appError(service.deletePlace(member, place.id))).code).toBe('forbidden');
    clock.advance(1000);
    await service.deletePlace(admin, place.id);
    expect((await appError(service.getPublicPlace(place.slug))).code).toBe('not_found');
    expect((await revisionsOf(place.id)).map((r) => r.action)).toEqual(['create', 'delete']);
  });

  it('rolls a section edit back entirely when its revision cannot be written', async () => {
    const { place } = await service.createPlace(owner, placeInput({ phone: '0320000000' }));
    if (kind === 'sqlite') {
      await sql`CREATE TRIGGER fail_contact BEFORE INSERT ON directory_revision WHEN NEW.section = 'contact'
        BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(database.db);
    } else {
      await sql.raw(`CREATE FUNCTION fail_contact() RETURNS trigger AS $$
        BEGIN IF NEW.section = 'contact' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`).execute(database.db);
      await sql`CREATE TRIGGER fail_contact BEFORE INSERT ON directory_revision FOR EACH ROW EXECUTE FUNCTION fail_contact()`.execute(database.db);
    }
    try {
      await expect(service.updatePlaceSection(owner, place.id, 'contact', { phone: '0612345678' })).rejects.toThrow();
    } finally {
      if (kind === 'sqlite') await sql`DROP TRIGGER fail_contact`.execute(database.db);
      else {
        await sql`DROP TRIGGER fail_contact ON directory_revision`.execute(database.db);
        await sql`DROP FUNCTION fail_contact()`.execute(database.db);
      }
    }
    const after = await service.getPublicPlace(place.id);
    expect(after.phone).toBe('0320000000');
    expect(after.verifiedAt).toBe(place.verifiedAt);
    expect((await revisionsOf(place.id)).map((r) => r.action)).toEqual(['create']);
  });
});
