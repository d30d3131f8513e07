import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import * as repo from './requests.repository.js';

const AT = '2026-11-29T10:00:00.000Z';

describe.each(DIALECTS)('eligibility requests repository on %s', (kind) => {
  let database: TestDatabase;
  let org: string;
  let userId: string;
  let agentId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    org = await insertTestOrganisation(database.db, 'ccas', 'CCAS');
    userId = (await insertTestUser(database.db, { displayName: 'Compte' })).userId;
    agentId = (await insertTestUser(database.db)).userId;
    await insertTestMembership(database.db, org, agentId, 'manager');
  });
  afterAll(async () => database?.destroy());

  async function newRequest(): Promise<string> {
    const id = randomUUID();
    await repo.insertRequest(database.db, {
      id,
      userId,
      organisationId: org,
      renewsGrantId: null,
      schemes: ['anti-gaspi'],
      household: { size: 2, adults: 1, children: 1, isSingleParent: true, profile: 'famille-monoparentale', communeInsee: null },
      resources: { monthlyResourcesCents: 1, monthlyChargesCents: null, annualTaxableIncomeCents: null, monthlyBenefitsCents: null },
      message: null,
      isDesk: false,
      createdByUserId: userId,
      at: AT
    });
    return id;
  }

  async function addDocument(requestId: string) {
    await repo.insertDocument(database.db, {
      id: randomUUID(),
      requestId,
      label: 'Pièce',
      mediaType: 'application/pdf',
      byteSize: 3,
      uploadedByUserId: userId,
      createdAt: AT,
      keyId: 'k',
      iv: Buffer.from([1, 2, 3]),
      authTag: Buffer.from([4, 5, 6]),
      ciphertext: Buffer.from([7, 8, 9])
    });
  }

  const decision = (id: string, status: 'granted' | 'refused' | 'incomplete', version = 1) => ({
    id,
    version,
    status,
    missing: null,
    reason: null,
    decidedByUserId: agentId,
    at: AT
  });

  it('builds the agent from memberships with the organisations’ kinds', async () => {
    expect(await repo.loadAgent(database.db, { userId: agentId, isPlatformAdmin: false })).toEqual({
      userId: agentId,
      isPlatformAdmin: false,
      memberships: [{ organisationId: org, role: 'manager', kind: 'ccas' }]
    });
  });

  it('reads a request back with the account name when no household is declared', async () => {
    const id = await newRequest();
    const r = await repo.findRequest(database.db, id);
    expect(r).toMatchObject({
      firstName: 'Compte',
      organisationName: 'CCAS',
      status: 'submitted',
      schemes: ['anti-gaspi'],
      household: { size: 2, isSingleParent: true, profile: 'famille-monoparentale' },
      version: 1
    });
  });

  it('a decision applies only on the version seen and while open', async () => {
    const id = await newRequest();
    expect(await repo.applyDecision(database.db, decision(id, 'incomplete', 2))).toBe(false);
    expect(await repo.applyDecision(database.db, decision(id, 'incomplete', 1))).toBe(true);
    expect(await repo.applyDecision(database.db, decision(id, 'granted', 1))).toBe(false);
    expect(await repo.applyDecision(database.db, decision(id, 'granted', 2))).toBe(true);
    expect(await repo.applyDecision(database.db, decision(id, 'refused', 3))).toBe(false);
    expect((await repo.findRequest(database.db, id))?.status).toBe('granted');
  });

  it('two transactions deciding the same version at once: exactly one updates the row', async () => {
    const id = await newRequest();
    const attempt = (status: 'granted' | 'refused') =>
      database.db.transaction().execute(async (trx) => {
        const ok = await repo.applyDecision(trx, decision(id, status));
        // Hold the transaction open a moment so the other one really overlaps (PostgreSQL server).
        await new Promise((r) => setTimeout(r, 50));
        return ok;
      });
    const results = await Promise.all([attempt('granted'), attempt('refused'), attempt('granted')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await repo.findRequest(database.db, id))?.version).toBe(2);
  });

  it('deletes a request’s documents (rows and bytes) and counts them on the request', async () => {
    const id = await newRequest();
    await addDocument(id);
    await addDocument(id);
    const other = await newRequest();
    await addDocument(other);
    expect(await repo.deleteDocumentsOf(database.db, id, AT)).toBe(2);
    expect(await repo.listDocuments(database.db, id)).toEqual([]);
    expect(await repo.listDocuments(database.db, other)).toHaveLength(1);
    expect(await repo.findRequest(database.db, id)).toMatchObject({ documentsDeletedAt: AT, documentsDeletedCount: 2 });
    expect(await repo.deleteDocumentsOf(database.db, id, '2026-12-01T00:00:00.000Z')).toBe(0);
    expect((await repo.findRequest(database.db, id))?.documentsDeletedAt).toBe(AT);
  });

  it('keeps the bytes of a document exactly (blob / bytea)', async () => {
    const id = await newRequest();
    await addDocument(id);
    const [doc] = await repo.listDocuments(database.db, id);
    const content = await repo.findDocumentContent(database.db, id, doc!.id);
    expect([...content!.ciphertext]).toEqual([7, 8, 9]);
    expect([...content!.iv]).toEqual([1, 2, 3]);
    expect(await repo.findDocumentContent(database.db, 'other-request', doc!.id)).toBeUndefined();
  });

  it('counts the queue by status', async () => {
    const counts = await repo.countQueue(database.db, org);
    expect(Object.keys(counts).sort()).toEqual(['granted', 'incomplete', 'refused', 'submitted', 'withdrawn']);
    expect(counts.granted).toBeGreaterThanOrEqual(1);
  });
});
