import { sql, type Kysely, type RawBuilder } from 'kysely';
import { fieldError } from '../errors.js';
import type { DatabaseKind } from './database.js';
import { checkEntity, checkEntityIds, checkLimit, entityIdIn } from './geosearch.js';
import type { DB } from './schema.js';
import { toQueryTerms, toSearchText } from './text-search.rules.js';

/**
 * Shared full-text search over `search_document`: one document per (entityType, entityId).
 * Accent-, case- and ligature-insensitive (French): the body is stored folded by
 * `toSearchText` and queries are folded by `toQueryTerms`, so both engines see the same words.
 * SQLite: FTS5 index `search_document_fts` (external content, kept in sync by triggers), bm25 rank.
 * PostgreSQL: stored column search_vector = to_tsvector('simple', glane_fold(body)) with a GIN
 * index, ts_rank.
 * Every term must match (AND) and matches as a prefix (`epic` finds `épicerie`).
 * The dialect is passed explicitly so every function also works on a `Transaction<DB>`.
 */

export interface SearchDocumentInput {
  entityType: string;
  entityId: string;
  /** Free text to index (name, description, city …); folded before storage. */
  body: string;
}

export interface SearchQuery {
  entityType: string;
  /** What the user typed; any punctuation or operator is harmless. */
  query: string;
  /** At most this many results (1..500). */
  limit: number;
  /** Restricts the search to these entities. */
  entityIds?: string[];
}

export interface SearchHit {
  entityId: string;
  /** Relevance, higher is better (−bm25 on SQLite, ts_rank on PostgreSQL: not comparable across them). */
  rank: number;
}

/** Longest query read, in characters (its first words are all that count anyway). */
export const MAX_QUERY_LENGTH = 1_000;

/** Longest body indexed, in characters: a search document is a summary, not an archive. */
export const MAX_BODY_LENGTH = 100_000;

/** Creates or replaces the search document of an entity. */
export async function upsertSearchDocument(
  db: Kysely<DB>,
  _kind: DatabaseKind,
  d: SearchDocumentInput
): Promise<void> {
  checkEntity(d.entityType, d.entityId);
  if (typeof d.body !== 'string') throw fieldError('body', 'Body must be a string');
  const body = toSearchText(d.body.slice(0, MAX_BODY_LENGTH));
  // One statement on both dialects: on SQLite the FTS index follows through the table's triggers.
  await db
    .insertInto('search_document')
    .values({ entity_type: d.entityType, entity_id: d.entityId, body })
    .onConflict((oc) =>
      oc.columns(['entity_type', 'entity_id']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body') }))
    )
    .execute();
}

/** Removes the search document of an entity (no error when it has none). */
export async function removeSearchDocument(
  db: Kysely<DB>,
  _kind: DatabaseKind,
  entityType: string,
  entityId: string
): Promise<void> {
  await db
    .deleteFrom('search_document')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();
}

/**
 * FTS5 MATCH expression: each term quoted and prefixed (`"epic"* "solidaire"*`), implicit AND.
 * Terms hold only letters and digits (toQueryTerms), and quoting makes even `and`/`near` plain words.
 */
export function toFtsMatch(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(' ');
}

interface HitRow {
  entity_id: string;
  score: number;
}

/**
 * The one SQL query behind searchDocuments. Exported for the plan tests and the benchmark.
 * `terms` must come from toQueryTerms and be non-empty.
 */
export function searchQuery(
  kind: DatabaseKind,
  s: { entityType: string; terms: string[]; limit: number; entityIds?: string[] }
): RawBuilder<HitRow> {
  if (kind === 'sqlite') {
    const restrict = s.entityIds ? sql`AND ${entityIdIn(kind, sql`d.entity_id`, s.entityIds)}` : sql``;
    return sql<HitRow>`SELECT d.entity_id AS entity_id, -bm25(search_document_fts) AS score
      FROM search_document_fts JOIN search_document AS d ON d.id = search_document_fts.rowid
      WHERE search_document_fts MATCH ${toFtsMatch(s.terms)}
        AND d.entity_type = ${s.entityType} ${restrict}
      ORDER BY score DESC, d.entity_id
      LIMIT ${s.limit}`;
  }
  // One tsquery per term, each term bound as a parameter and quoted by quote_literal, then ANDed:
  // no user character can reach to_tsquery's operator syntax. glane_fold on both sides keeps the
  // query folded exactly like the indexed text.
  const tsquery = sql.join(
    s.terms.map((t) => sql`to_tsquery('simple', quote_literal(glane_fold(${t}::text)) || ':*')`),
    sql` && `
  );
  const restrict = s.entityIds ? sql`AND ${entityIdIn(kind, sql`d.entity_id`, s.entityIds)}` : sql``;
  return sql<HitRow>`SELECT d.entity_id AS entity_id,
      ts_rank(d.search_vector, q.query) AS score
    FROM search_document AS d, (SELECT ${tsquery} AS query) AS q
    WHERE d.search_vector @@ q.query
      AND d.entity_type = ${s.entityType} ${restrict}
    ORDER BY score DESC, d.entity_id
    LIMIT ${s.limit}`;
}

/**
 * Entities of `entityType` whose document contains every term of `query` (as a word prefix),
 * best rank first, ties by entityId. A query without any word (empty, only punctuation) finds
 * nothing. Throws fieldError (validation_failed) on an out-of-range input.
 */
export async function searchDocuments(db: Kysely<DB>, kind: DatabaseKind, q: SearchQuery): Promise<SearchHit[]> {
  checkEntity(q.entityType);
  if (typeof q.query !== 'string') throw fieldError('query', 'Query must be a string');
  checkLimit(q.limit);
  checkEntityIds(q.entityIds);
  const terms = toQueryTerms(q.query.slice(0, MAX_QUERY_LENGTH));
  if (terms.length === 0 || (q.entityIds && q.entityIds.length === 0)) return [];
  const { rows } = await searchQuery(kind, { ...q, terms }).execute(db);
  return rows.map((r) => ({ entityId: r.entity_id, rank: Number(r.score) }));
}
