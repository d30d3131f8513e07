import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { findNearby } from '../../db/geosearch.js';
import { searchDocuments } from '../../db/text-search.js';
import {
  deletePlaceRow,
  deleteServiceRow,
  findPlaceBySource,
  indexPlace,
  insertNotice,
  insertPlace,
  insertRevision,
  insertService,
  listRevisions,
  loadPlaceAggregate,
  PLACE_ENTITY,
  bumpStopsVersion,
  findService,
  replaceStops,
  stopsVersionOf,
  syncPlaceTags,
  syncServiceTags,
  timeOrderedId,
  updatePlaceRow,
  updateServiceRow
} from './directory.repository.js';

const AT = '2026-11-29T09:00:00.000Z';

async function insertOrganisation(database: TestDatabase, name = 'Restos du cœur de Lille'): Promise<string> {
  const id = randomUUID();
  await database.db
    .insertInto('organisation')
    .values({
      id,
      slug: `org-${id.slice(0, 8)}`,
      name,
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
      created_at: AT,
      updated_at: AT
    })
    .execute();
  return id;
}

async function tagsOf(database: TestDatabase, serviceId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('service_tag')
    .select(['kind', 'value'])
    .where('service_id', '=', serviceId)
    .execute();
  return rows.map((r) => `${r.kind}:${r.value}`).sort();
}

describe.each(DIALECTS)('directory repository on %s', (kind) => {
  let database: TestDatabase;
  let orgId: string;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    orgId = await insertOrganisation(database);
  });
  afterAll(async () => database?.destroy());

  it('inserts a place and maps it back with parsed arrays and real booleans', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: 'epicerie-du-pont-lille',
      name: 'Épicerie du Pont',
      city: 'Lille',
      lat: 50.63,
      lng: 3.06,
      languages: ['fr', 'ar'],
      isAccessible: true,
      createdAt: AT
    });
    const agg = await loadPlaceAggregate(database.db, place.id);
    expect(agg?.place).toMatchObject({
      name: 'Épicerie du Pont',
      languages: ['fr', 'ar'],
      isAccessible: true,
      isMobile: false,
      source: 'glane',
      lat: 50.63,
      updatedAt: AT
    });
    expect(agg?.organisation).toMatchObject({ id: orgId, name: 'Restos du cœur de Lille', network: 'restos-du-coeur' });
    expect(agg?.services).toEqual([]);
  });

  it('keeps service tags in step with the service row and the place languages', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Distribution Wazemmes',
      languages: ['fr'],
      createdAt: AT
    });
    const service = await insertService(database.db, {
      placeId: place.id,
      organisationId: orgId,
      name: 'Colis',
      description: 'Colis hebdomadaire',
      categories: ['colis-alimentaire', 'colis-bebe'],
      publics: ['familles'],
      frais: 'gratuit',
      food: { products: ['sec'] },
      conditions: { ageMin: 18 },
      createdAt: AT
    });
    expect(service.food).toEqual({ products: ['sec'] });
    await syncServiceTags(database.db, service.id);
    expect(await tagsOf(database, service.id)).toEqual([
      'category:colis-alimentaire',
      'category:colis-bebe',
      'frais:gratuit',
      'language:fr',
      'public:familles'
    ]);

    await updateServiceRow(database.db, service.id, { categories: ['epicerie-sociale'], frais: null, updatedAt: AT });
    await updatePlaceRow(database.db, place.id, { languages: ['fr', 'uk'] });
    await syncPlaceTags(database.db, place.id);
    expect(await tagsOf(database, service.id)).toEqual([
      'category:epicerie-sociale',
      'language:fr',
      'language:uk',
      'public:familles'
    ]);

    const agg = await loadPlaceAggregate(database.db, place.id);
    expect(agg?.services[0]).toMatchObject({ categories: ['epicerie-sociale'], conditions: { ageMin: 18 }, access: 'unconditional' });

    await deleteServiceRow(database.db, service.id);
    expect(await tagsOf(database, service.id)).toEqual([]);
  });

  it('indexes a place for geosearch and accent-insensitive text search, and unindexes it on delete', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Frigo de la Gare',
      city: 'Roubaix',
      lat: 50.69,
      lng: 3.18,
      createdAt: AT
    });
    await insertService(database.db, {
      placeId: place.id,
      organisationId: orgId,
      name: 'Frigo en libre-service',
      description: 'Légumes et pâtisseries invendus',
      categories: ['frigo-solidaire'],
      createdAt: AT
    });
    await indexPlace(database.db, kind, place.id);
    const near = await findNearby(database.db, kind, { entityType: PLACE_ENTITY, lat: 50.69, lng: 3.18, radiusKm: 1, limit: 10 });
    expect(near.map((n) => n.entityId)).toContain(place.id);
    for (const q of ['patisseries', 'coeur', 'roubaix']) {
      const hits = await searchDocuments(database.db, kind, { entityType: PLACE_ENTITY, query: q, limit: 10 });
      expect(hits.map((h) => h.entityId), q).toContain(place.id);
    }

    // Coordinates removed → no geo point any more.
    await updatePlaceRow(database.db, place.id, { lat: null, lng: null });
    await indexPlace(database.db, kind, place.id);
    const after = await findNearby(database.db, kind, { entityType: PLACE_ENTITY, lat: 50.69, lng: 3.18, radiusKm: 1, limit: 10 });
    expect(after.map((n) => n.entityId)).not.toContain(place.id);

    expect(await deletePlaceRow(database.db, kind, place.id)).toBe(true);
    expect(await loadPlaceAggregate(database.db, place.id)).toBeUndefined();
    const gone = await searchDocuments(database.db, kind, { entityType: PLACE_ENTITY, query: 'roubaix', limit: 10 });
    expect(gone.map((h) => h.entityId)).not.toContain(place.id);
  });

  it('finds a place by its import source and rejects a duplicate source id', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Importé',
      source: 'dora',
      sourceId: 'abc-1',
      createdAt: AT
    });
    expect((await findPlaceBySource(database.db, 'dora', 'abc-1'))?.id).toBe(place.id);
    expect(await findPlaceBySource(database.db, 'dora', 'nope')).toBeUndefined();
    await expect(
      insertPlace(database.db, { organisationId: orgId, slug: `p-${randomUUID().slice(0, 8)}`, name: 'X', source: 'dora', sourceId: 'abc-1', createdAt: AT })
    ).rejects.toThrow();
  });

  it('stores notices and stops and pages revisions newest first', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Camion',
      isMobile: true,
      createdAt: AT
    });
    await insertNotice(database.db, {
      placeId: place.id,
      serviceId: null,
      kind: 'closure',
      startsOn: '2026-12-24',
      endsOn: '2027-01-02',
      openingHours: null,
      message: 'Fermé pour les fêtes',
      createdAt: AT
    });
    await replaceStops(database.db, place.id, [
      { name: 'Place A', addressLine: null, postalCode: null, city: 'Lille', lat: 50.6, lng: 3.0, openingHours: 'Mo 10:00-12:00' },
      { name: 'Place B', addressLine: null, postalCode: null, city: 'Lille', lat: null, lng: null, openingHours: null, validFrom: '2027-06-01', validTo: '2027-08-31' }
    ]);
    for (let i = 0; i < 3; i++) {
      await insertRevision(database.db, {
        placeId: place.id,
        at: `2026-11-29T10:0${i}:00.000Z`,
        action: 'update',
        section: 'identity',
        before: { name: `v${i}` },
        after: { name: `v${i + 1}` }
      });
    }
    const agg = await loadPlaceAggregate(database.db, place.id);
    expect(agg?.notices).toMatchObject([{ kind: 'closure', startsOn: '2026-12-24', message: 'Fermé pour les fêtes' }]);
    expect(agg?.stops.map((s) => [s.position, s.name, s.validFrom, s.validTo])).toEqual([
      [0, 'Place A', null, null],
      [1, 'Place B', '2027-06-01', '2027-08-31']
    ]);
    expect(agg?.stopsVersion).toBe(0);
    const first = await listRevisions(database.db, place.id, { limit: 2 });
    expect(first.map((r) => (r.after as { name: string }).name)).toEqual(['v3', 'v2']);
    const last = first[1];
    if (!last) throw new Error('expected two revisions');
    const next = await listRevisions(database.db, place.id, { limit: 2, cursor: { at: last.at, id: last.id } });
    expect(next.map((r) => (r.before as { name: string }).name)).toEqual(['v0']);
  });

  it('bumps the stop-list version only from the version seen', async () => {
    const place = await insertPlace(database.db, { organisationId: orgId, slug: `p-${randomUUID().slice(0, 8)}`, name: 'Camion 2', createdAt: AT });
    expect(await stopsVersionOf(database.db, place.id)).toBe(0);
    expect(await bumpStopsVersion(database.db, place.id, 0)).toBe(1);
    expect(await bumpStopsVersion(database.db, place.id, 0)).toBeNull();
    expect(await bumpStopsVersion(database.db, place.id, 1)).toBe(2);
    expect(await stopsVersionOf(database.db, place.id)).toBe(2);
    expect(await stopsVersionOf(database.db, 'nope')).toBeUndefined();
  });

  it('stores the languages of a service and tags it with them and its place ones', async () => {
    const place = await insertPlace(database.db, {
      organisationId: orgId,
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Permanence',
      languages: ['fr', 'en'],
      createdAt: AT
    });
    const s = await insertService(database.db, { placeId: place.id, organisationId: orgId, name: 'Accueil', description: 'Accueil', languages: ['uk', 'en'], createdAt: AT });
    await syncServiceTags(database.db, s.id);
    expect((await findService(database.db, s.id))?.languages).toEqual(['uk', 'en']);
    const tags = await database.db.selectFrom('service_tag').select('value').where('service_id', '=', s.id).where('kind', '=', 'language').execute();
    expect(tags.map((t) => t.value).sort()).toEqual(['en', 'fr', 'uk']);
  });
});

describe('time-ordered revision ids', () => {
  it('are UUID v7 and sort in creation order even within one millisecond', () => {
    const ids = Array.from({ length: 50 }, () => timeOrderedId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
