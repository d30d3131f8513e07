import { CompiledQuery, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, postgresLabel, type TestDatabase } from '../../../../tests/helpers/db.js';
import { AppError } from '../errors.js';
import type { DatabaseKind } from './database.js';
import type { DB } from './schema.js';
import { removeSearchDocument, searchDocuments, searchQuery, toFtsMatch, upsertSearchDocument } from './text-search.js';

const DOCS: Record<string, string> = {
  epicerie: 'Épicerie sociale et solidaire du CCAS — Lille Moulins',
  coeur: 'Les Restos du Cœur, centre de Roubaix',
  coeurUpper: 'RESTOS DU COEUR — ANTENNE DE TOURCOING',
  secours: 'Secours populaire : colis alimentaires, vêtements',
  boulangerie: 'Boulangerie Paul : pains et viennoiseries invendus',
  aequo: 'Troc ex æquo : vaisselle, petit électroménager',
  quotes: 'Atelier "cuisine" (AND) saine - fruits* et légumes: NEAR',
  strasse: 'Straße des Marktes, Partnerverein'
};

async function expectFieldError(promise: Promise<unknown>, path: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('validation_failed');
  expect((error as AppError).details?.fields?.[0]?.path).toBe(path);
}

describe('toFtsMatch', () => {
  it('quotes each term and makes it a prefix', () => {
    expect(toFtsMatch(['epic', 'and'])).toBe('"epic"* "and"*');
  });
});

describe.each(DIALECTS)('text search on %s', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  const search = (query: string, extra: { entityType?: string; limit?: number; entityIds?: string[] } = {}) =>
    searchDocuments(db, kind, { entityType: 'place', limit: 50, query, ...extra }).then((hits) =>
      hits.map((h) => h.entityId)
    );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    for (const [entityId, body] of Object.entries(DOCS))
      await upsertSearchDocument(db, kind, { entityType: 'place', entityId, body });
    // The same words under another type must never leak into 'place' results.
    await upsertSearchDocument(db, kind, { entityType: 'offer', entityId: 'offer-1', body: 'Épicerie: yaourts, Cœur de laitue' });
  });
  afterAll(async () => database?.destroy());

  it(`ignores accents and case (${kind === 'postgres' ? postgresLabel : kind})`, async () => {
    expect(await search('epicerie')).toEqual(['epicerie']);
    expect(await search('ÉPICERIE')).toEqual(['epicerie']);
    expect(await search('électroménager')).toEqual(['aequo']);
    expect(await search('ELECTROMENAGER')).toEqual(['aequo']);
    expect(await search('vetements')).toEqual(['secours']);
  });

  it('matches ligatures written either way', async () => {
    expect((await search('coeur')).sort()).toEqual(['coeur', 'coeurUpper']);
    expect((await search('Cœur')).sort()).toEqual(['coeur', 'coeurUpper']);
    expect((await search('CŒUR')).sort()).toEqual(['coeur', 'coeurUpper']);
    expect(await search('aequo')).toEqual(['aequo']);
    expect(await search('æquo')).toEqual(['aequo']);
    expect(await search('strasse')).toEqual(['strasse']);
  });

  it('requires every term (AND)', async () => {
    expect(await search('ÉPICERIE solidaire')).toEqual(['epicerie']);
    expect(await search('epicerie roubaix')).toEqual([]);
    expect(await search('restos tourcoing')).toEqual(['coeurUpper']);
  });

  it('matches each term as a word prefix', async () => {
    expect(await search('epic')).toEqual(['epicerie']);
    expect(await search('epic soli')).toEqual(['epicerie']);
    expect(await search('viennois')).toEqual(['boulangerie']);
    expect(await search('picerie')).toEqual([]); // not an infix search
  });

  it('never fails on query syntax, whatever the user types', async () => {
    const nasty = [
      '"',
      '"cuisine"',
      '(AND)',
      'AND',
      'OR NOT',
      'NEAR(a b)',
      'fruits*',
      '-saine',
      'légumes:',
      'body:atelier',
      "'; DROP TABLE search_document; --",
      'a & b | !c',
      'x:* <-> y',
      '^atelier',
      '{body}: atelier',
      '\\',
      "l'atelier",
      '***',
      '%_'
    ];
    for (const q of nasty) await expect(search(q), q).resolves.toBeInstanceOf(Array);
    expect(await search('"cuisine" (AND)')).toEqual(['quotes']);
    expect(await search('fruits* -saine')).toEqual(['quotes']);
    expect(await search('NEAR')).toEqual(['quotes']);
    expect(await search('légumes:')).toEqual(['quotes']);
    const tables = await search("'; DROP TABLE search_document; --");
    expect(tables).toEqual([]);
    expect(await search('epicerie')).toEqual(['epicerie']); // table still there
  });

  it('finds nothing for a query without words', async () => {
    expect(await search('')).toEqual([]);
    expect(await search('  -- "" () *  ')).toEqual([]);
  });

  it('ranks better matches first and breaks ties by entity id', async () => {
    await upsertSearchDocument(db, kind, { entityType: 'rank', entityId: 'once', body: 'pain de mie, confiture, fromage, yaourt, jus' });
    await upsertSearchDocument(db, kind, { entityType: 'rank', entityId: 'thrice', body: 'pain, pain complet, pain aux céréales' });
    await upsertSearchDocument(db, kind, { entityType: 'rank', entityId: 'z-same', body: 'soupe du jour' });
    await upsertSearchDocument(db, kind, { entityType: 'rank', entityId: 'a-same', body: 'soupe du jour' });
    const hits = await searchDocuments(db, kind, { entityType: 'rank', query: 'pain', limit: 10 });
    expect(hits.map((h) => h.entityId)).toEqual(['thrice', 'once']);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    expect(hits[1]!.rank).toBeGreaterThan(0);
    const ties = await searchDocuments(db, kind, { entityType: 'rank', query: 'soupe', limit: 10 });
    expect(ties.map((h) => h.entityId)).toEqual(['a-same', 'z-same']);
    expect(ties[0]!.rank).toBe(ties[1]!.rank);
    expect(await searchDocuments(db, kind, { entityType: 'rank', query: 'soupe', limit: 1 })).toHaveLength(1);
  });

  it('keeps entity types apart', async () => {
    expect(await search('laitue')).toEqual([]);
    expect(await search('yaourts', { entityType: 'offer' })).toEqual(['offer-1']);
    expect(await search('coeur', { entityType: 'offer' })).toEqual(['offer-1']);
  });

  it('restricts the search to the given entity ids', async () => {
    expect(await search('restos', { entityIds: ['coeurUpper', 'epicerie'] })).toEqual(['coeurUpper']);
    expect(await search('restos', { entityIds: [] })).toEqual([]);
  });

  it('replaces the document on upsert and forgets it on remove', async () => {
    await upsertSearchDocument(db, kind, { entityType: 'doc', entityId: 'd1', body: 'Banque alimentaire' });
    expect(await search('banque', { entityType: 'doc' })).toEqual(['d1']);
    await upsertSearchDocument(db, kind, { entityType: 'doc', entityId: 'd1', body: 'Jardin partagé' });
    expect(await search('banque', { entityType: 'doc' })).toEqual([]);
    expect(await search('jardin partage', { entityType: 'doc' })).toEqual(['d1']);
    const rows = await db.selectFrom('search_document').select('entity_id').where('entity_type', '=', 'doc').execute();
    expect(rows).toHaveLength(1);
    await removeSearchDocument(db, kind, 'doc', 'd1');
    expect(await search('jardin', { entityType: 'doc' })).toEqual([]);
    await removeSearchDocument(db, kind, 'doc', 'd1'); // twice is harmless
  });

  it('works inside a transaction and rolls back with it', async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        await upsertSearchDocument(trx, kind, { entityType: 'trx', entityId: 't1', body: 'Maraude du soir' });
        const inside = await searchDocuments(trx, kind, { entityType: 'trx', query: 'maraude', limit: 5 });
        expect(inside.map((h) => h.entityId)).toEqual(['t1']);
        throw new Error('rollback');
      })
      .catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(await search('maraude', { entityType: 'trx' })).toEqual([]);
  });

  it('rejects out-of-range inputs naming the field', async () => {
    await expectFieldError(searchDocuments(db, kind, { entityType: 'place', query: 'x', limit: 0 }), 'limit');
    await expectFieldError(searchDocuments(db, kind, { entityType: 'place', query: 'x', limit: 501 }), 'limit');
    await expectFieldError(searchDocuments(db, kind, { entityType: '', query: 'x', limit: 5 }), 'entityType');
    await expectFieldError(
      searchDocuments(db, kind, { entityType: 'place', query: 42 as unknown as string, limit: 5 }),
      'query'
    );
    await expectFieldError(upsertSearchDocument(db, kind, { entityType: 'place', entityId: '', body: 'x' }), 'entityId');
  });

  it('answers from the full-text index', async () => {
    const query = searchQuery(kind, { entityType: 'place', terms: ['epic', 'soli'], limit: 10 }).compile(db);
    if (kind === 'sqlite') {
      const plan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters])
      );
      const details = plan.rows.map((r) => r.detail);
      expect(details[0]).toMatch(/^SCAN search_document_fts VIRTUAL TABLE INDEX \d+:M/);
      expect(details[1]).toMatch(/^SEARCH d USING INTEGER PRIMARY KEY/);
    } else {
      // On a handful of rows any plan is cheap: give the planner a table where the index matters.
      const bulk = Array.from({ length: 3000 }, (_, i) => ({
        entity_type: 'place',
        entity_id: `bulk-${i}`,
        body: `document ${i} pain frais`
      }));
      for (let i = 0; i < bulk.length; i += 500) await db.insertInto('search_document').values(bulk.slice(i, i + 500)).execute();
      await db.executeQuery(CompiledQuery.raw('ANALYZE search_document'));
      const plan = await db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
        return trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters])
        );
      });
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('search_document_tsv_idx');
    }
  });
});
