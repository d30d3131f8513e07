import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { createTestUser, signInForTest } from '../../../../../tests/helpers/session.js';
import { findPlaceBySource, listServicesOfPlace } from '../directory/directory.repository.js';
import { parseCsv } from './csv.rules.js';
import { DI_SERVICE_COLUMNS, DI_STRUCTURE_COLUMNS, type DiService, type DiStructure } from './datainclusion.rules.js';
import { seedDirectory, type FixtureIds } from './fixtures/directory.fixture.js';
import { expectValid, officialValidator } from './standards.testing.js';

const NOW = new Date('2026-12-26T10:00:00.000Z');
const PUBLIC_URL = 'https://glane.example.org';
const actor = { userId: null, label: 'test' };

function servicesFor(database: TestDatabase): Services {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL, DEMO_DATA: 'false' });
  return createServices(config, database, createLogger('silent'), { now: () => NOW });
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);

describe.each(DIALECTS)('open data on %s', (kind) => {
  let dbA: TestDatabase;
  let dbB: TestDatabase;
  let a: Services;
  let b: Services;
  let appA: ReturnType<typeof buildApp>;
  let ids: FixtureIds;

  beforeAll(async () => {
    dbA = await createTestDatabase(kind);
    dbB = await createTestDatabase(kind);
    a = servicesFor(dbA);
    b = servicesFor(dbB);
    appA = buildApp(a);
    ids = await seedDirectory(dbA.db, kind);
    for (const f of ['service', 'organization', 'service_list', 'organization_list', 'service_at_location_list']) {
      officialValidator(`hsds-3.0/compiled/${f}.json`);
    }
  }, 180_000);
  afterAll(async () => {
    await dbA?.destroy();
    await dbB?.destroy();
  });

  describe('data·inclusion export', () => {
    it('GET structures: one valid structure per non-demo place', async () => {
      const res = await appA.request('/api/v1/exports/data-inclusion/structures');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-count')).toBe('2');
      const items = await json<DiStructure[]>(res);
      expect(items.map((s) => s.id).sort()).toEqual([ids.placeCentre, ids.placeFives].sort());
      for (const s of items) expectValid('data-inclusion-v1/structure.json', s, `structure ${s.id}`);
      const centre = items.find((s) => s.id === ids.placeCentre);
      expect(centre).toMatchObject({
        source: 'glane',
        siret: '77567227200014',
        reseaux_porteurs: ['restos-du-coeur'],
        horaires_accueil: 'Tu,Th 09:00-12:00; PH off',
        lien_source: `${PUBLIC_URL}/lieux/restos-lille-centre`,
        date_maj: '2026-11-20'
      });
    });

    it('GET services: valid, food thematique added, place hours when the service has none', async () => {
      const res = await appA.request('/api/v1/exports/data-inclusion/services');
      expect(res.status).toBe(200);
      const items = await json<DiService[]>(res);
      expect(items).toHaveLength(3);
      for (const s of items) expectValid('data-inclusion-v1/service.json', s, `service ${s.id}`);
      const colis = items.find((s) => s.id === ids.serviceColis);
      expect(colis?.thematiques).toEqual(['equipement-et-alimentation--alimentation']);
      expect(colis?.horaires_accueil).toBe('Tu,Th 09:00-12:00; PH off');
      expect(colis?.structure_id).toBe(ids.placeCentre);
    });

    it('includes demo places only when asked, and pages with page & size', async () => {
      const all = await json<DiStructure[]>(await appA.request('/api/v1/exports/data-inclusion/structures?includeDemo=true'));
      expect(all).toHaveLength(3);
      const p1 = await appA.request('/api/v1/exports/data-inclusion/structures?includeDemo=true&page=1&size=2');
      const p2 = await appA.request('/api/v1/exports/data-inclusion/structures?includeDemo=true&page=2&size=2');
      const ids1 = (await json<DiStructure[]>(p1)).map((s) => s.id);
      const ids2 = (await json<DiStructure[]>(p2)).map((s) => s.id);
      expect(ids1).toHaveLength(2);
      expect(ids2).toHaveLength(1);
      expect(p1.headers.get('x-total-count')).toBe('3');
      expect([...ids1, ...ids2].sort()).toEqual(all.map((s) => s.id).sort());
    });

    it('bad paging → 400 naming the field', async () => {
      const res = await appA.request('/api/v1/exports/data-inclusion/services?size=100000');
      expect(res.status).toBe(400);
      const body = await json<{ error: { details: { fields: { path: string }[] } } }>(res);
      expect(body.error.details.fields[0]?.path).toBe('query.size');
      expect((await appA.request('/api/v1/exports/data-inclusion/services?page=0')).status).toBe(400);
      expect((await appA.request('/api/v1/exports/data-inclusion/services?color=red')).status).toBe(400);
    });

    it('CSV: same columns and values, BOM, RFC 4180', async () => {
      const res = await appA.request('/api/v1/exports/data-inclusion/services.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(new TextDecoder().decode(bytes));
      expect(rows[0]).toEqual([...DI_SERVICE_COLUMNS]);
      expect(rows).toHaveLength(4);
      const col = (name: (typeof DI_SERVICE_COLUMNS)[number]) => DI_SERVICE_COLUMNS.indexOf(name);
      const epicerie = rows.find((r) => r[col('id')] === ids.serviceEpicerie);
      expect(epicerie?.[col('publics')]).toBe('familles|etudiants');
      expect(epicerie?.[col('nom')]).toBe('Épicerie solidaire');
      const structures = parseCsv(await (await appA.request('/api/v1/exports/data-inclusion/structures.csv')).text());
      expect(structures[0]).toEqual([...DI_STRUCTURE_COLUMNS]);
      expect(structures).toHaveLength(3);
    });
  });

  describe('HSDS 3.0 API', () => {
    const PAGE_KEYS = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'];

    it('/api/hsds/services: paging object and valid service_list items', async () => {
      const res = await appA.request('/api/hsds/services?per_page=2');
      expect(res.status).toBe(200);
      const page = await json<Record<string, unknown> & { contents: Record<string, unknown>[] }>(res);
      expect(Object.keys(page).sort()).toEqual([...PAGE_KEYS].sort());
      expect(page).toMatchObject({ total_items: 3, total_pages: 2, page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
      for (const s of page.contents) expectValid('hsds-3.0/compiled/service_list.json', s, `service ${String(s.id)}`);
      const last = await json<{ contents: unknown[]; last_page: boolean }>(await appA.request('/api/hsds/services?per_page=2&page=2'));
      expect(last.contents).toHaveLength(1);
      expect(last.last_page).toBe(true);
      const byOrg = await json<{ total_items: number }>(await appA.request(`/api/hsds/services?organization_id=${ids.ccas}`));
      expect(byOrg.total_items).toBe(1);
    });

    it('/api/hsds/services/{id}: fully nested, valid, schedules from OSM', async () => {
      const res = await appA.request(`/api/hsds/services/${ids.serviceColis}`);
      expect(res.status).toBe(200);
      const s = await json<{ status: string; schedules: Record<string, unknown>[]; service_at_locations: unknown[] }>(res);
      expectValid('hsds-3.0/compiled/service.json', s);
      // Closed from 24 Dec to 2 Jan; "now" is 26 Dec.
      expect(s.status).toBe('temporarily closed');
      expect(s.schedules).toContainEqual(
        expect.objectContaining({ freq: 'WEEKLY', byday: 'TU,TH', opens_at: '09:00:00', closes_at: '12:00:00' })
      );
      expect(s.schedules).toContainEqual(expect.objectContaining({ valid_from: '2026-12-24', valid_to: '2027-01-02' }));
      const epicerie = await json<{ schedules: { description?: string }[] }>(await appA.request(`/api/hsds/services/${ids.serviceEpicerie}`));
      expectValid('hsds-3.0/compiled/service.json', epicerie);
      expect(epicerie.schedules.some((x) => x.description?.includes('Jan-Jun We 14:00-17:00'))).toBe(true);
      const numerique = await json<{ schedules: Record<string, unknown>[] }>(await appA.request(`/api/hsds/services/${ids.serviceNumerique}`));
      expect(numerique.schedules[0]).toMatchObject({ freq: 'MONTHLY', byday: '1MO' });
    });

    it('/api/hsds/services/{id}: unknown or demo → 404', async () => {
      expect((await appA.request('/api/hsds/services/nope')).status).toBe(404);
      expect((await appA.request(`/api/hsds/services/${ids.serviceDemo}`)).status).toBe(404);
    });

    it('/api/hsds/organizations and /organizations/{id}: valid', async () => {
      const page = await json<{ total_items: number; contents: Record<string, unknown>[] }>(await appA.request('/api/hsds/organizations'));
      expect(page.total_items).toBe(2);
      for (const o of page.contents) expectValid('hsds-3.0/compiled/organization_list.json', o);
      const res = await appA.request(`/api/hsds/organizations/${ids.restos}`);
      expect(res.status).toBe(200);
      const org = await json<{ services: unknown[]; locations: unknown[]; organization_identifiers: unknown[] }>(res);
      expectValid('hsds-3.0/compiled/organization.json', org);
      expect(org.services).toHaveLength(2);
      expect(org.locations).toHaveLength(1);
      expect(org.organization_identifiers).toHaveLength(1);
      expect((await appA.request('/api/hsds/organizations/nope')).status).toBe(404);
    });

    it('/api/hsds/service_at_locations: valid items with location and service', async () => {
      const page = await json<{ total_items: number; contents: Record<string, unknown>[] }>(await appA.request('/api/hsds/service_at_locations'));
      expect(page.total_items).toBe(3);
      for (const x of page.contents) expectValid('hsds-3.0/compiled/service_at_location_list.json', x);
      expect(page.contents[0]).toHaveProperty('location.latitude');
      expect((await appA.request('/api/hsds/service_at_locations?per_page=0')).status).toBe(400);
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = await json<{ paths: Record<string, unknown> }>(await appA.request('/api/v1/openapi.json'));
      for (const p of ['/hsds/services', '/hsds/services/{id}', '/hsds/organizations', '/hsds/organizations/{id}', '/hsds/service_at_locations',
        '/v1/exports/data-inclusion/structures', '/v1/exports/data-inclusion/services.csv', '/v1/admin/imports/data-inclusion']) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
    });
  });

  describe('import and round trip', () => {
    it('export from A → valid → import into an empty B → export from B gives the same records; again: unchanged', async () => {
      const structures = (await a.openData.exportStructures()).items;
      const services = (await a.openData.exportServices()).items;
      for (const s of structures) expectValid('data-inclusion-v1/structure.json', s);
      for (const s of services) expectValid('data-inclusion-v1/service.json', s);

      const first = await b.openData.importDataInclusion({ structures, services }, { actor });
      expect(first.rejected).toEqual([]);
      expect(first).toMatchObject({ written: true, created: { structures: 2, services: 3 }, updated: { structures: 0, services: 0 } });

      const again = { structures: (await b.openData.exportStructures()).items, services: (await b.openData.exportServices()).items };
      expect([...again.structures].sort(byId)).toEqual([...structures].sort(byId));
      expect([...again.services].sort(byId)).toEqual([...services].sort(byId));

      const second = await b.openData.importDataInclusion({ structures, services }, { actor });
      expect(second).toMatchObject({ written: false, created: { structures: 0, services: 0 }, updated: { structures: 0, services: 0 }, unchanged: { structures: 2, services: 3 } });
      expect(second.summary).toMatch(/Nothing changed/);

      // Imported places are searchable like any other: tags and categories set.
      const place = await findPlaceBySource(dbB.db, 'glane', ids.placeCentre);
      expect(place?.slug).toBe('restos-lille-centre');
      const imported = await listServicesOfPlace(dbB.db, place!.id);
      expect(imported.find((s) => s.name === 'Colis alimentaire')?.categories).toEqual(['colis-alimentaire']);
      expect(imported.find((s) => s.name === 'Colis alimentaire')?.openingHours).toBeNull(); // inherits the place hours
      const tags = await dbB.db.selectFrom('service_tag').select(['kind', 'value']).where('place_id', '=', place!.id).execute();
      expect(tags).toContainEqual({ kind: 'category', value: 'colis-alimentaire' });
      const doc = await dbB.db.selectFrom('search_document').select('entity_id').where('entity_id', '=', place!.id).execute();
      expect(doc).toHaveLength(1);
      // Organisations found or created: by SIRET for the Restos, by name for the CCAS.
      const orgs = await dbB.db.selectFrom('organisation').select(['name', 'siret', 'network', 'kind']).orderBy('name').execute();
      expect(orgs).toEqual([
        { name: 'CCAS — antenne de Fives', siret: null, network: 'ccas-cias', kind: 'association' },
        { name: 'Restos du cœur — Lille centre', siret: '77567227200014', network: 'restos-du-coeur', kind: 'association' }
      ]);
      const revisions = await dbB.db.selectFrom('directory_revision').select('action').execute();
      expect(revisions).toHaveLength(5);
      expect(new Set(revisions.map((r) => r.action))).toEqual(new Set(['import']));
    });

    it('re-importing its own export into A matches the native places: nothing changes', async () => {
      const structures = (await a.openData.exportStructures()).items;
      const services = (await a.openData.exportServices()).items;
      const report = await a.openData.importDataInclusion({ structures, services }, { actor });
      expect(report.rejected).toEqual([]);
      expect(report.created).toEqual({ structures: 0, services: 0 });
      expect(report.updated).toEqual({ structures: 0, services: 0 });
      expect(report.unchanged).toEqual({ structures: 2, services: 3 });
    });

    it('an update of one record is applied and recorded; the others stay unchanged', async () => {
      const structures = (await b.openData.exportStructures()).items;
      const changed = structures.map((s) => (s.id === ids.placeFives ? { ...s, telephone: '+33320999999', date_maj: '2026-12-01' } : s));
      const report = await b.openData.importDataInclusion({ structures: changed, services: [] }, { actor });
      expect(report).toMatchObject({ written: true, updated: { structures: 1, services: 0 }, unchanged: { structures: 1, services: 0 } });
      const place = await findPlaceBySource(dbB.db, 'glane', ids.placeFives);
      expect(place?.phone).toBe('+33320999999');
      expect(place?.updatedAt.slice(0, 10)).toBe('2026-12-01');
    });

    it('all or nothing: one bad record → nothing written, every rejection reported with its field', async () => {
      const before = await dbB.db.selectFrom('place').select('id').execute();
      const report = await b.openData.importDataInclusion(
        {
          structures: [
            { source: 'dora', id: 'dora--1', nom: 'Banque alimentaire de Roubaix', date_maj: '2026-10-01' },
            { source: 'dora', id: 'dora--2', nom: 'X', date_maj: '2026-10-01' },
            { source: 'dora', id: 'dora--3', nom: 'Lieu aux horaires faux', date_maj: '2026-10-01', horaires_accueil: 'lundi matin' }
          ],
          services: [
            { source: 'dora', id: 'dora--s1', structure_id: 'dora--1', nom: 'Colis', description: 'Colis hebdomadaire', date_maj: '2026-10-01', publics: ['tous-publics', 'femmes'] },
            { source: 'dora', id: 'dora--s2', structure_id: 'dora--404', nom: 'Repas', description: 'Repas chaud le soir', date_maj: '2026-10-01' },
            { source: 'dora', id: 'dora--s3', structure_id: 'dora--2', nom: 'Repas', description: 'Repas chaud le soir', date_maj: '2026-10-01' }
          ]
        },
        { actor }
      );
      expect(report.written).toBe(false);
      expect(report.created).toEqual({ structures: 0, services: 0 });
      const reasons = report.rejected.map((r) => [r.kind, r.id, r.path]);
      expect(reasons).toEqual([
        ['structure', 'dora--2', '/nom'],
        ['structure', 'dora--3', '/horaires_accueil'],
        ['service', 'dora--s1', '/publics'],
        ['service', 'dora--s2', '/structure_id'],
        ['service', 'dora--s3', '/structure_id']
      ]);
      expect(await dbB.db.selectFrom('place').select('id').execute()).toHaveLength(before.length);
    });

    it('partial mode writes the valid records and reports the rest', async () => {
      const report = await b.openData.importDataInclusion(
        [
          { source: 'dora', id: 'dora--10', nom: 'Épicerie sociale de Tourcoing', date_maj: '2026-10-01', siret: '77567227200014', horaires_accueil: 'Mo-Fr 09:00-12:00' },
          { source: 'dora', id: 'dora--11', nom: 'Lieu', date_maj: 'hier' },
          { source: 'dora', id: 'dora--s10', structure_id: 'dora--10', nom: 'Épicerie', description: 'Épicerie sociale, sur orientation.', date_maj: '2026-10-01', thematiques: ['equipement-et-alimentation--alimentation'], horaires_accueil: 'Mo-Fr 09:00-12:00' }
        ],
        { mode: 'partial', actor }
      );
      expect(report).toMatchObject({ written: true, created: { structures: 1, services: 1 } });
      expect(report.rejected).toEqual([expect.objectContaining({ kind: 'structure', id: 'dora--11', path: '/date_maj' })]);
      const place = await findPlaceBySource(dbB.db, 'dora', 'dora--10');
      const restos = await findPlaceBySource(dbB.db, 'glane', ids.placeCentre);
      expect(place?.organisationId).toBe(restos?.organisationId); // attached by SIRET
      const services = await listServicesOfPlace(dbB.db, place!.id);
      expect(services[0]?.categories).toEqual(['epicerie-sociale']);
      expect(services[0]?.openingHours).toBeNull();
    });

    it('a file that is not JSON or not data·inclusion: a clear report, nothing written', async () => {
      const count = async () => (await dbB.db.selectFrom('place').select('id').execute()).length;
      const before = await count();
      const notJson = await b.openData.importDataInclusion('{"structures": [', { actor });
      expect(notJson.rejected).toEqual([expect.objectContaining({ kind: 'file', reason: expect.stringMatching(/^Not JSON/) })]);
      expect(notJson.summary).toMatch(/^Nothing imported/);
      for (const input of ['{"hello": "world"}', '[1, 2]', '[]', { structures: 'x' }]) {
        const r = await b.openData.importDataInclusion(input, { actor });
        expect(r.written).toBe(false);
        expect(r.rejected[0]?.kind).toBe('file');
      }
      expect(await count()).toBe(before);
    });

    it('admin API: platform admins only; 400 with the report when all-or-nothing rejects', async () => {
      const appB = buildApp(b);
      const signIn = async (isPlatformAdmin: boolean) => {
        const user = await createTestUser(b, { isPlatformAdmin });
        b.limiter.clear();
        return { userId: user.userId, ...(await signInForTest(appB, user.email, user.password)) };
      };
      const post = (s: { cookie: string; csrfToken: string } | null, body: unknown) =>
        appB.request('/api/v1/admin/imports/data-inclusion', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(s ? { Cookie: s.cookie, 'X-CSRF-Token': s.csrfToken } : {}) },
          body: JSON.stringify(body)
        });
      const record = { source: 'api', id: 'api--1', nom: 'Frigo solidaire du parc', date_maj: '2026-11-01' };
      expect((await post(null, { structures: [record] })).status).toBe(401);
      expect((await post(await signIn(false), { structures: [record] })).status).toBe(403);
      const admin = await signIn(true);
      const bad = await post(admin, { structures: [{ ...record, nom: 'X' }] });
      expect(bad.status).toBe(400);
      const badBody = await json<{ error: { code: string; details: { fields: { path: string }[]; report: { written: boolean } } } }>(bad);
      expect(badBody.error.code).toBe('validation_failed');
      expect(badBody.error.details.fields[0]?.path).toBe('structures[0]/nom');
      expect(badBody.error.details.report.written).toBe(false);
      expect((await post(admin, { structures: [record], colour: 'red' })).status).toBe(400);
      const ok = await post(admin, { structures: [record], mode: 'partial' });
      expect(ok.status).toBe(200);
      expect(await json<{ created: { structures: number } }>(ok)).toMatchObject({ created: { structures: 1 } });
      const revision = await dbB.db
        .selectFrom('directory_revision')
        .select(['actor_user_id', 'actor_label'])
        .where('action', '=', 'import')
        .where('actor_label', '=', 'import data·inclusion (API)')
        .executeTakeFirst();
      expect(revision?.actor_user_id).toBe(admin.userId);
    });
  });
});
