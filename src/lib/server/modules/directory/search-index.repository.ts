import { sql, type Kysely, type Selectable } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import { entityIdIn } from '../../db/geosearch.js';
import type { DB, PlaceNoticeTable } from '../../db/schema.js';
import { PLACE_ENTITY, toNotice, type NoticeRecord } from './directory.repository.js';
import type { ResultPlaceRow, ResultServiceRow } from './search.repository.js';

/**
 * The reads of the in-memory directory index (search.index.ts): the rows it builds its places from,
 * and the `directory_change` log (written by the triggers of migration 041) it follows. Rows come
 * out as the database gives them; the index shapes them into its read model.
 */

/** A place with its organisation's name, point (geo_point) and folded search document. */
export interface IndexPlaceRow extends ResultPlaceRow {
  g_lat: number | string | null;
  g_lng: number | string | null;
  body: string | null;
}

export type IndexServiceRow = ResultServiceRow;

export interface IndexTagRow {
  service_id: string;
  kind: string;
  value: string;
}

/**
 * The places of these ids (missing ones absent), then the services (by name, id), the tags of the
 * kinds asked and the notices (by start, id) of those found.
 */
export async function readIndexRows(
  db: Kysely<DB>,
  kind: DatabaseKind,
  ids: string[],
  tagKinds: string[]
): Promise<{ places: IndexPlaceRow[]; services: IndexServiceRow[]; tags: IndexTagRow[]; notices: NoticeRecord[] }> {
  if (ids.length === 0) return { places: [], services: [], tags: [], notices: [] };
  const { rows: places } = await sql<IndexPlaceRow>`SELECT p.id, p.organisation_id, o.name AS org_name, p.slug, p.name,
      p.address_line, p.address_complement, p.postal_code, p.city, p.insee_code, p.lat, p.lng, p.is_accessible,
      p.languages, p.saturation, p.is_mobile, p.opening_hours, p.verified_at, p.created_at,
      g.lat AS g_lat, g.lng AS g_lng, d.body
    FROM place AS p JOIN organisation AS o ON o.id = p.organisation_id
    LEFT JOIN geo_point AS g ON g.entity_type = ${PLACE_ENTITY} AND g.entity_id = p.id
    LEFT JOIN search_document AS d ON d.entity_type = ${PLACE_ENTITY} AND d.entity_id = p.id
    WHERE ${entityIdIn(kind, sql`p.id`, ids)}`.execute(db);
  if (places.length === 0) return { places, services: [], tags: [], notices: [] };
  const found = places.map((r) => r.id);
  const [{ rows: services }, { rows: tags }, notices] = await Promise.all([
    sql<IndexServiceRow>`SELECT s.id, s.place_id, s.name, s.categories, s.publics, s.modalities, s.access, s.frais,
        s.opening_hours
      FROM service AS s WHERE ${entityIdIn(kind, sql`s.place_id`, found)} ORDER BY s.name, s.id`.execute(db),
    sql<IndexTagRow>`SELECT t.service_id, t.kind, t.value
      FROM service AS s JOIN service_tag AS t ON t.service_id = s.id
      WHERE ${entityIdIn(kind, sql`s.place_id`, found)}
        AND t.kind IN (${sql.join(tagKinds.map((k) => sql`${k}`))})`.execute(db),
    sql<Selectable<PlaceNoticeTable>>`SELECT * FROM place_notice AS n WHERE ${entityIdIn(kind, sql`n.place_id`, found)}
      ORDER BY n.starts_on, n.id`.execute(db)
  ]);
  return { places, services, tags, notices: notices.rows.map(toNotice) };
}

/** Up to `limit` place ids after `after`, in id order (the index loads by chunks). */
export async function placeIdsAfter(db: Kysely<DB>, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('place').select('id').where('id', '>', after).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** PostgreSQL: whether the database sorts text by code point (then the index can give name order). */
export async function collatesByCodePoint(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ c: string }>`SELECT datcollate AS c FROM pg_database WHERE datname = current_database()`.execute(db);
  return ['C', 'POSIX', 'C.UTF-8', 'C.utf8', 'ucs_basic'].includes(rows[0]?.c ?? '');
}

/** The highest sequence number of the change log (0 when empty). */
export async function maxChangeSeq(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ seq: number | string | null }>`SELECT max(seq) AS seq FROM directory_change`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}

/** The change rows after `from`, in sequence order. */
export async function changesAfter(db: Kysely<DB>, from: number): Promise<{ seq: number; placeId: string }[]> {
  const { rows } = await sql<{ seq: number | string; place_id: string }>`SELECT seq, place_id FROM directory_change
    WHERE seq > ${from} ORDER BY seq`.execute(db);
  return rows.map((r) => ({ seq: Number(r.seq), placeId: r.place_id }));
}

/** Deletes up to `batch` change rows with seq ≤ `upTo` (oldest first); returns how many went. */
export async function pruneChanges(db: Kysely<DB>, upTo: number, batch: number): Promise<number> {
  const res = await sql`DELETE FROM directory_change WHERE seq IN (SELECT seq FROM directory_change
    WHERE seq <= ${upTo} ORDER BY seq LIMIT ${batch})`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** PostgreSQL: when the oldest transaction still open on another connection began (ms), or null. */
export async function oldestOpenTransactionStart(db: Kysely<DB>): Promise<number | null> {
  const { rows } = await sql<{ t: Date | string | null }>`SELECT min(xact_start) AS t FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`.execute(db);
  const t = rows[0]?.t;
  return t ? new Date(t).getTime() : null;
}

/** PostgreSQL: the database's clock now (ms), not the transaction's start. */
export async function databaseNow(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ now: Date | string }>`SELECT clock_timestamp() AS now`.execute(db);
  return new Date(rows[0]!.now).getTime();
}
