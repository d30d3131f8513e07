import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { decodeAuditCursor, encodeAuditCursor, listAudit, recordAudit } from './audit.repository.js';
import { createAuditService } from './audit.service.js';

describe('audit cursor', () => {
  it('round-trips and rejects garbage', () => {
    const c = encodeAuditCursor('2026-11-29T10:00:00.000Z', 'abc');
    expect(decodeAuditCursor(c)).toEqual({ at: '2026-11-29T10:00:00.000Z', id: 'abc' });
    expect(decodeAuditCursor('nonsense')).toBeNull();
    expect(decodeAuditCursor(Buffer.from('a|b|c').toString('base64url'))).toBeNull();
  });
});

describe.each(DIALECTS)('audit log on %s', (kind) => {
  let database: TestDatabase;
  const t = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    for (let i = 0; i < 5; i++) {
      await recordAudit(database.db, {
        at: t(i),
        actorUserId: i % 2 === 0 ? 'alice' : 'bob',
        organisationId: 'org-1',
        action: i === 4 ? 'person_file.read' : 'organisation.update',
        subjectType: i === 4 ? 'person_file' : 'organisation',
        subjectId: i === 4 ? 'file-9' : 'org-1',
        requestId: `req-${i}`,
        details: { fields: ['name'], step: i }
      });
    }
  });
  afterAll(async () => database?.destroy());

  it('reads entries back newest first, with their details', async () => {
    const page = await listAudit(database.db, { limit: 10 });
    expect(page.items.map((e) => e.requestId)).toEqual(['req-4', 'req-3', 'req-2', 'req-1', 'req-0']);
    expect(page.items[0]).toMatchObject({
      at: t(4).toISOString(),
      actorUserId: 'alice',
      action: 'person_file.read',
      subjectType: 'person_file',
      subjectId: 'file-9',
      details: { fields: ['name'], step: 4 }
    });
    expect(page.nextCursor).toBeNull();
  });

  it('filters by actor and by subject', async () => {
    expect((await listAudit(database.db, { actorUserId: 'bob', limit: 10 })).items.map((e) => e.requestId)).toEqual(['req-3', 'req-1']);
    const file = await listAudit(database.db, { subjectType: 'person_file', subjectId: 'file-9', limit: 10 });
    expect(file.items.map((e) => e.requestId)).toEqual(['req-4']);
  });

  it('pages with a cursor without gaps or repeats, even when entries share a time', async () => {
    await recordAudit(database.db, { at: t(2), actorUserId: 'carol', action: 'x.same_time', subjectType: 'x' });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listAudit(database.db, { limit: 2, cursor });
      seen.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const all = await listAudit(database.db, { limit: 100 });
    expect(seen).toEqual(all.items.map((e) => e.id));
    expect(new Set(seen).size).toBe(6);
  });

  it('commits or rolls back with the surrounding transaction', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { at: t(30), actorUserId: 'dave', action: 'x.rolled_back', subjectType: 'x' });
        throw new Error('later step failed');
      })
    ).rejects.toThrow('later step failed');
    expect((await listAudit(database.db, { actorUserId: 'dave', limit: 5 })).items).toEqual([]);
  });

  it('refuses details that would carry personal data or secrets', async () => {
    for (const key of ['email', 'phone', 'displayName', 'token', 'password']) {
      await expect(
        recordAudit(database.db, { at: t(40), actorUserId: 'eve', action: 'x.y', subjectType: 'x', details: { [key]: 'v' } })
      ).rejects.toThrow(/personal data/);
    }
    expect((await listAudit(database.db, { actorUserId: 'eve', limit: 5 })).items).toEqual([]);
  });

  it('lets only platform admins list, and rejects a bad cursor naming it', async () => {
    const service = createAuditService({ db: database.db });
    const admin = { userId: 'root', isPlatformAdmin: true, requestId: 'r' };
    await expect(service.list({ ...admin, isPlatformAdmin: false }, { limit: 5 })).rejects.toMatchObject({ code: 'forbidden' });
    const err = await service.list(admin, { limit: 5, cursor: 'garbage' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details?.fields?.[0]?.path).toBe('query.cursor');
    expect((await service.list(admin, { limit: 1 })).items).toHaveLength(1);
  });
});
