import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * The audit log: who did or read what, when, from which request. Every write of the organisations
 * module records one entry, and later modules record reads of personal files (CNIL: "log who read a
 * person's file"). Entries hold ids, never personal data.
 */

/** JSON details of an entry: ids, roles, changed field names, never names/emails/phones. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

/** One entry to record. `action` is `<subject>.<verb>` (`organisation.create`, `person_file.read`). */
export interface AuditEntry {
  /** When it happened: pass `services.now()` so tests and entries share one clock. */
  at: Date;
  /** Who acted (null: the system itself, e.g. a scheduled job). */
  actorUserId: string | null;
  /** The organisation acted for or on, when there is one. */
  organisationId?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** The request id, to find the matching log lines. */
  requestId?: string | null;
  details?: AuditDetails;
}

/** Keys that would carry personal data or secrets: refused in `details`, so no module leaks them by accident. */
const FORBIDDEN_DETAIL_KEYS = /^(e-?mail|phone|telephone|name|display_?name|first_?name|last_?name|address|password|token|code|secret)$/i;

/**
 * Records one audit entry with `db`, which may be a transaction: pass the transaction of the write
 * so the entry and the change commit (or roll back) together. Throws on a details key that names
 * personal data or a secret (a programming error, caught by tests).
 */
export async function recordAudit(db: Kysely<DB>, entry: AuditEntry): Promise<string> {
  const details = entry.details ?? null;
  if (details) {
    const bad = Object.keys(details).find((k) => FORBIDDEN_DETAIL_KEYS.test(k));
    if (bad) throw new Error(`audit details must not carry personal data or secrets (key "${bad}")`);
  }
  const id = randomUUID();
  await db
    .insertInto('audit_log')
    .values({
      id,
      at: entry.at.toISOString(),
      actor_user_id: entry.actorUserId,
      organisation_id: entry.organisationId ?? null,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      request_id: entry.requestId ?? null,
      details: details ? JSON.stringify(details) : null
    })
    .execute();
  return id;
}

/** An entry as read back. */
export interface AuditRecord {
  id: string;
  at: string;
  actorUserId: string | null;
  organisationId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  requestId: string | null;
  details: AuditDetails | null;
}

export interface AuditFilter {
  actorUserId?: string;
  organisationId?: string;
  subjectType?: string;
  subjectId?: string;
  action?: string;
  /** Page size (1–200). */
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  items: AuditRecord[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Opaque keyset cursor over (at, id), newest first: stable while new entries arrive. */
export function encodeAuditCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor, or null when it is not one of ours. */
export function decodeAuditCursor(cursor: string): { at: string; id: string } | null {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const [at, id, ...rest] = raw.split('|');
  if (!at || !id || rest.length > 0 || Number.isNaN(Date.parse(at))) return null;
  return { at, id };
}

/**
 * Entries matching every given filter, newest first, one page at a time. The caller checks who may
 * read the log (platform admins; an invalid cursor must have been rejected before).
 */
export async function listAudit(db: Kysely<DB>, filter: AuditFilter): Promise<AuditPage> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.organisationId) query = query.where('organisation_id', '=', filter.organisationId);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.action) query = query.where('action', '=', filter.action);
  const after = filter.cursor ? decodeAuditCursor(filter.cursor) : null;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])])
    );
  }
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      actorUserId: r.actor_user_id,
      organisationId: r.organisation_id,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      requestId: r.request_id,
      details: r.details ? (JSON.parse(r.details) as AuditDetails) : null
    })),
    nextCursor: rows.length > filter.limit && last ? encodeAuditCursor(last.at, last.id) : null
  };
}
