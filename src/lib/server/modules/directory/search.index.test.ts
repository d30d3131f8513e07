import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { PUBLICS_VALUES } from '../../../schemas/data-inclusion.js';
import { CATEGORIES, LANGUAGES, MODALITIES } from '../../../schemas/directory-vocabulary.js';
import {
  deleteServiceRow,
  indexPlace,
  insertNotice,
  replaceStops,
  syncServiceTags,
  updatePlaceRow
} from './directory.repository.js';
import { parseSearchQuery, type SearchParams } from './search.rules.js';
import { compareCodePoints, recheckFloor, setTextThresholds } from './search.index.js';
import { addPlace, insertOrganisation, LILLE } from './search.testing.js';

/**
 * The in-memory directory index against the SQL path (the reference): a random directory (seeded
 * PRNG: places with ties in name and position, without coordinates, documents, services, tags,
 * hours, notices) and a few hundred random searches with every filter, compared answer for answer;
 * then writes, each visible to the next search.
 */

/** Tuesday 1 December 2026, 11:00 in Paris. */
const NOW = '2026-12-01T10:00:00.000Z';
const SEED = 4242;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Épicerie solidaire',
  'Restos du Cœur',
  'Secours populaire',
  'Banque alimentaire',
  'Frigo solidaire',
  'Colis bébé',
  'CCAS',
  'Croix-Rouge française',
  'Vestiaire',
  'Jardin partagé',
  'épicerie du coin',
  'Œuvre de la mie',
  'Zèbre',
  'abri',
  'Ærø 𝒜strale'
];
const HOURS = [
  null,
  null,
  'Mo-Fr 09:00-12:00',
  'Mo-Fr 14:00-18:00',
  'Tu,Th 10:00-16:00',
  'Mo-Sa 08:30-12:30,13:30-17:00',
  'We 09:00-11:00',
  '24/7',
  'Sa 10:00-12:00'
];
const COMMUNES = [
  { insee: '59350', lat: 50.6292, lng: 3.0573 },
  { insee: '59512', lat: 50.6942, lng: 3.1746 },
  { insee: '59599', lat: 50.7236, lng: 3.1612 },
  { insee: '62041', lat: 50.291, lng: 2.7775 }
];
const QUERIES = ['restos', 'epicerie', 'coeur', 'colis', 'Œuvre', 'frigo lille', 'bebe', 'sec', 'xyz', 'banque alim', 'vêtements', 'jardin', 'resto du coeur', 'roubaix', 'distribution'];

describe.each(DIALECTS)('directory index on %s', (kind) => {
  let t: TestServices;
  const label = kind === 'postgres' ? postgresLabel : kind;
  const rand = prng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const some = <T>(list: readonly T[], max: number): T[] => {
    const n = Math.floor(rand() * (max + 1));
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const placeIds: string[] = [];

  beforeAll(async () => {
    t = await createTestServices(kind);
    t.clock.set(NOW);
    const db = t.services.db;
    const orgs = [];
    for (let i = 0; i < 6; i++) orgs.push(await insertOrganisation(db, `${pick(NAMES)} ${i}`));
    const shared = { lat: 50.6301, lng: 3.0601 };
    for (let i = 0; i < 160; i++) {
      const commune = pick(COMMUNES);
      const where = rand() < 0.08 ? null : rand() < 0.06 ? shared : {
        lat: Math.round((commune.lat + (rand() - 0.5) * 0.12) * 1e6) / 1e6,
        lng: Math.round((commune.lng + (rand() - 0.5) * 0.18) * 1e6) / 1e6
      };
      const { placeId, serviceIds } = await addPlace(
        db,
        kind,
        pick(orgs),
        {
          name: rand() < 0.3 ? pick(NAMES) : `${pick(NAMES)} ${Math.floor(rand() * 50)}`,
          city: pick(['Lille', 'Roubaix', 'Tourcoing', null]),
          inseeCode: rand() < 0.1 ? null : commune.insee,
          lat: where?.lat ?? null,
          lng: where?.lng ?? null,
          isAccessible: pick([true, false, null]),
          languages: some(LANGUAGES.slice(0, 5), 2),
          openingHours: pick(HOURS),
          saturation: pick(['low', 'medium', 'high', null] as const),
          verifiedAt: rand() < 0.3 ? '2026-01-05T09:00:00.000Z' : '2026-11-20T09:00:00.000Z'
        },
        Array.from({ length: Math.floor(rand() * 4) }, () => ({
          name: `${pick(['Distribution', 'Épicerie', 'Atelier', 'Repas', 'Colis'])} ${Math.floor(rand() * 3)}`,
          description: pick(['Colis pour tous', 'Produits à petit prix', 'Vêtements et jardin', '']),
          categories: some(CATEGORIES, 2),
          publics: some(PUBLICS_VALUES.slice(0, 6), 2),
          access: pick(['unconditional', 'preferential', 'exclusive'] as const),
          modalities: some(MODALITIES, 2),
          frais: pick(['gratuit', 'payant', null] as const),
          openingHours: rand() < 0.3 ? pick(HOURS) : null,
          // Some services speak a language their place does not (a volunteer's).
          languages: rand() < 0.3 ? some(LANGUAGES.slice(3, 7), 1) : []
        }))
      );
      placeIds.push(placeId);
      const day = (d: number) => `2026-12-${String(d).padStart(2, '0')}`;
      if (rand() < 0.25) {
        const from = 1 + Math.floor(rand() * 14);
        await insertNotice(db, {
          placeId,
          serviceId: serviceIds.length > 0 && rand() < 0.3 ? pick(serviceIds) : null,
          kind: rand() < 0.6 ? 'closure' : 'hours',
          startsOn: day(from),
          endsOn: day(from + Math.floor(rand() * 5)),
          openingHours: rand() < 0.5 ? pick(HOURS.slice(2)) : null,
          message: rand() < 0.5 ? 'Fermeture exceptionnelle' : null,
          createdAt: NOW
        });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await t.destroy();
  });

  function randomQuery(): Record<string, string> {
    const raw: Record<string, string> = {};
    const where = rand();
    if (where < 0.55) {
      raw.lat = String(LILLE.lat + (rand() - 0.5) * 0.2);
      raw.lng = String(LILLE.lng + (rand() - 0.5) * 0.3);
      if (rand() < 0.4) raw.radiusKm = String(pick([0.5, 1, 3, 7.5, 20, 100]));
    } else if (where < 0.75) {
      raw.commune = pick([...COMMUNES.map((c) => c.insee), '59999']);
    }
    const list = (values: string[]) => values.join(',');
    if (rand() < 0.3) raw.categories = list(some(CATEGORIES, 3).concat(pick(CATEGORIES)));
    if (rand() < 0.2) raw.publics = list(some(PUBLICS_VALUES.slice(0, 6), 2).concat(pick(PUBLICS_VALUES.slice(0, 6))));
    if (rand() < 0.2) raw.modalities = list(some(MODALITIES, 2).concat(pick(MODALITIES)));
    if (rand() < 0.2) raw.languages = list([pick(LANGUAGES.slice(0, 7))]);
    if (rand() < 0.15) raw.accessible = 'true';
    if (rand() < 0.3) raw.q = pick(QUERIES);
    const open = rand();
    if (open < 0.2) raw.openNow = 'true';
    else if (open < 0.4) {
      const d = 1 + Math.floor(rand() * 20);
      const h = Math.floor(rand() * 24);
      raw.openAt = `2026-12-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${pick(['00', '30', '59'])}:00+01:00`;
    }
    if (rand() < 0.3) raw.page = String(1 + Math.floor(rand() * 3));
    raw.pageSize = String(pick([1, 3, 5, 20, 50]));
    return raw;
  }

  function params(raw: Record<string, string>): SearchParams {
    const r = parseSearchQuery(raw);
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    return r.params;
  }

  async function both(raw: Record<string, string>) {
    const p = params(raw);
    const fromIndex = await t.services.directorySearch.search(p);
    const fromSql = await t.services.directorySearch.searchSql(p);
    return { fromIndex, fromSql };
  }

  it(`answers 300 random searches exactly as the SQL does (${label})`, async () => {
    await t.services.directorySearch.search(params({}));
    expect(t.services.directorySearch.index?.ready).toBe(true);
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const raw = randomQuery();
      const { fromIndex, fromSql } = await both(raw);
      expect(fromIndex, JSON.stringify(raw)).toEqual(fromSql);
      if (fromSql.results.length > 0) nonEmpty++;
    }
    // The queries must exercise real answers, not only empty pages.
    expect(nonEmpty).toBeGreaterThan(150);
  }, 120_000);

  it.each([
    ['marked by the word index', 0, 1_000_000],
    ['tested document by document', 0, 0]
  ])('answers text searches as the SQL does when %s', async (_how, rare, mark) => {
    setTextThresholds(rare, mark);
    try {
      for (let i = 0; i < 60; i++) {
        const raw = { ...randomQuery(), q: pick(QUERIES) };
        const { fromIndex, fromSql } = await both(raw);
        expect(fromIndex, JSON.stringify(raw)).toEqual(fromSql);
      }
    } finally {
      setTextThresholds(1_500, 40_000);
    }
  }, 60_000);

  it('sees each write through the services’ database at the next search', async () => {
    const db = t.services.db;
    const search = t.services.directorySearch;
    const near = params({ lat: '50.6301', lng: '3.0601', pageSize: '50' });
    const byName = params({ pageSize: '50', q: 'renamed' });

    const [target] = (await search.search(near)).results;
    expect(target).toBeDefined();
    const id = target!.place.id;
    await updatePlaceRow(db, id, { name: 'Renamed place' });
    await indexPlace(db, kind, id);
    const renamed = await search.search(byName);
    expect(renamed.results.map((r) => r.place.id)).toEqual([id]);
    expect(renamed).toEqual(await search.searchSql(byName));

    // Moved far away: gone from the circle.
    await updatePlaceRow(db, id, { lat: 43.3, lng: 5.37 });
    await indexPlace(db, kind, id);
    const after = await search.search(near);
    expect(after.results.map((r) => r.place.id)).not.toContain(id);
    expect(after).toEqual(await search.searchSql(near));

    // A notice and a service removed; stops replaced (no effect, no harm); an organisation renamed.
    const withService = (await search.search(params({ categories: CATEGORIES.join(','), pageSize: '50' }))).results[0]!;
    await insertNotice(db, {
      placeId: withService.place.id,
      serviceId: null,
      kind: 'closure',
      startsOn: '2026-11-30',
      endsOn: '2026-12-02',
      openingHours: null,
      message: 'Fermé pour inventaire',
      createdAt: NOW
    });
    const serviceId = withService.services[0]!.id;
    await deleteServiceRow(db, serviceId);
    await replaceStops(db, withService.place.id, []);
    await db
      .updateTable('organisation')
      .set({ name: 'Organisation renommée' })
      .where('id', '=', withService.place.organisation.id)
      .execute();
    const again = params({ q: withService.place.name, pageSize: '50' });
    const page = await search.search(again);
    const found = page.results.find((r) => r.place.id === withService.place.id)!;
    expect(found.notice?.message).toBe('Fermé pour inventaire');
    expect(found.services.map((s) => s.id)).not.toContain(serviceId);
    expect(found.place.organisation.name).toBe('Organisation renommée');
    expect(page).toEqual(await search.searchSql(again));

    // Tags rewritten: the category filter follows.
    const other = found.services[0];
    if (other) {
      await db.updateTable('service').set({ categories: JSON.stringify(['hygiene']) }).where('id', '=', other.id).execute();
      await syncServiceTags(db, other.id);
      const hygiene = params({ categories: 'hygiene', pageSize: '50' });
      const res = await search.search(hygiene);
      expect(res.results.map((r) => r.place.id)).toContain(found.place.id);
      expect(res).toEqual(await search.searchSql(hygiene));
    }

    // After these incremental refreshes (cells, communes, name order), still the SQL's answers.
    for (let i = 0; i < 80; i++) {
      const raw = randomQuery();
      const { fromIndex, fromSql } = await both(raw);
      expect(fromIndex, JSON.stringify(raw)).toEqual(fromSql);
    }
  }, 60_000);

  it('sees a write by another process within a few seconds', async () => {
    // t.database.db is not watched: as another process's write, only the change log tells.
    const search = t.services.directorySearch;
    const id = placeIds[placeIds.length - 1]!;
    await t.database.db.updateTable('place').set({ name: 'Written elsewhere' }).where('id', '=', id).execute();
    await indexPlace(t.database.db, kind, id);
    const q = params({ q: 'elsewhere' });
    const deadline = Date.now() + 5_000;
    let ids: string[] = [];
    while (Date.now() < deadline) {
      ids = (await search.search(q)).results.map((r) => r.place.id);
      if (ids.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ids).toEqual([id]);
  }, 20_000);

  it('orders names by code point, as SQLite and PostgreSQL (C) do', () => {
    const names = ['b', 'B', 'é', 'e', 'Œ', '𝒜', '\uffff', 'a b', 'ab'];
    const byCodePoint = [...names].sort((a, b) => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    });
    expect([...names].sort(compareCodePoints)).toEqual(byCodePoint);
  });
});

describe('PostgreSQL change-log floor', () => {
  it('rises only to what polls made before the oldest open transaction saw', () => {
    const polls = [
      { at: 1_000, seq: 5 },
      { at: 2_000, seq: 9 },
      { at: 5_000, seq: 12 }
    ];
    // A transaction open since 1,500 may hold a number below 9 not yet committed: floor 5 only.
    expect(recheckFloor(polls, 1_500, 0)).toBe(5);
    expect(polls.map((p) => p.seq)).toEqual([9, 12]);
    // Nothing older than the cutoff: the floor stays.
    expect(recheckFloor(polls, 1_999, 5)).toBe(5);
    // Every transaction begun by 6,000 has ended: all seen numbers are read.
    expect(recheckFloor(polls, 6_000, 5)).toBe(12);
    expect(polls).toEqual([]);
  });
});
