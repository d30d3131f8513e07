import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { decodeAuditCursor, listAudit, recordAudit, type AuditEntry, type AuditFilter, type AuditPage } from './audit.repository.js';

export { recordAudit, type AuditEntry, type AuditDetails, type AuditRecord } from './audit.repository.js';

export interface AuditServiceDeps {
  db: Kysely<DB>;
}

/**
 * The audit service: `record` outside a transaction, `list` for platform admins. Inside a
 * transaction, modules call `recordAudit(trx, entry)` from audit.repository directly.
 */
export function createAuditService({ db }: AuditServiceDeps) {
  return {
    /** Records one entry on its own (no surrounding write), e.g. "who read a person's file". */
    record(entry: AuditEntry): Promise<string> {
      return recordAudit(db, entry);
    },

    /** One page of the log, newest first; platform admins only (403 otherwise, 400 on a bad cursor). */
    async list(actor: Actor, filter: AuditFilter): Promise<AuditPage> {
      if (!actor.isPlatformAdmin) throw new AppError('forbidden', 'Only platform admins may read the audit log');
      if (filter.cursor && !decodeAuditCursor(filter.cursor)) throw fieldError('query.cursor', 'Invalid cursor');
      return listAudit(db, filter);
    }
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
