import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { createTestUser } from '../../../../tests/helpers/session.js';
import { sniffDocumentType } from '../modules/eligibility/requests.rules.js';
import { householdInputFor } from '../modules/eligibility/requests.testing.js';
import { deleteDemo, demoEntanglements, loadDemo } from './demo.js';
import { buildDemoRequests, tinyPdf } from './requests-territory.js';
import { buildDemoTerritory, demoId } from './territory.js';

describe('demo requests (pure data)', () => {
  const t = buildDemoTerritory();
  const now = new Date('2026-11-29T10:00:00.000Z');

  it('are deterministic for a day, with fixed ids, all to the CCAS, dated back from the day of loading', () => {
    const d = buildDemoRequests(t, now);
    expect(JSON.stringify(buildDemoRequests(buildDemoTerritory(7), now))).toBe(JSON.stringify(d));
    expect(d.requests.map((r) => r.id)).toEqual([1, 2, 3].map((n) => demoId('eligibility-request', n)));
    expect(new Set(d.requests.map((r) => r.organisationId))).toEqual(new Set([t.organisationIds.ccas]));
    expect(d.requests.map((r) => r.at)).toEqual(['2026-11-20T09:00:00.000Z', '2026-11-24T14:00:00.000Z', '2026-11-27T10:00:00.000Z']);
    expect(d.households.map((h) => h.size === h.adults + h.children)).toEqual([true, true, true]);
  });

  it('the demo document is a real PDF', () => {
    const pdf = tinyPdf('Attestation CAF (démonstration)');
    expect(sniffDocumentType(pdf)).toBe('application/pdf');
    expect(pdf.toString('latin1')).toContain('(Attestation CAF demonstration) Tj');
    expect(pdf.toString('latin1').endsWith('%%EOF\n')).toBe(true);
  });
});

describe.each(DIALECTS)('demo requests on %s', (kind) => {
  let ts: TestServices;
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('wait in the CCAS queue, oldest first; the agent opens the file and its sealed document; they go with the demo', async () => {
    await loadDemo(ts.services.database, { nodeEnv: 'test', sealingKey: ts.services.sealingKey, now: ts.clock.now() });
    const t = buildDemoTerritory();
    const agent = { userId: t.userIds['ccas-agent']!, isPlatformAdmin: false };
    const ccas = t.organisationIds.ccas!;
    const queue = await ts.services.eligibility.listQueue(agent, ccas, {});
    expect(queue.items.map((i) => i.firstName)).toEqual(['Samira', 'Kévin']);
    expect(queue.counts).toMatchObject({ submitted: 2, incomplete: 1 });
    const incomplete = await ts.services.eligibility.listQueue(agent, ccas, { status: 'incomplete' });
    expect(incomplete.items.map((i) => i.firstName)).toEqual(['Fatou']);

    const samira = await ts.services.eligibility.getRequest(agent, demoId('eligibility-request', 2));
    expect(samira.documents.map((d) => d.label)).toEqual(['Attestation CAF']);
    expect(samira.assessment?.resteAVivreCents).toBe(477); // (1 150 € − 720 €) ÷ 3 ÷ 30
    const file = await ts.services.eligibility.readDocument(agent, samira.id, samira.documents[0]!.id);
    expect(sniffDocumentType(file.bytes)).toBe('application/pdf');

    // The demo beneficiary sees her own request.
    const mine = await ts.services.eligibility.myEligibility({ userId: t.userIds['beneficiary-3']!, isPlatformAdmin: false });
    expect(mine.requests[0]).toMatchObject({ status: 'incomplete', missing: expect.stringContaining('avis d’imposition') });

    expect(await demoEntanglements(ts.services.db)).toEqual([]);
    await deleteDemo(ts.services.database);
    for (const table of ['eligibility_request', 'eligibility_document', 'eligibility_decision', 'household'] as const) {
      expect(await ts.services.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }
  });

  it('a real person’s request to a demo organisation keeps the demo from being removed', async () => {
    await loadDemo(ts.services.database, { nodeEnv: 'test', sealingKey: ts.services.sealingKey, now: ts.clock.now() });
    const real = await createTestUser(ts.services);
    const actor = { userId: real.userId, isPlatformAdmin: false };
    await ts.services.eligibility.saveMyHousehold(actor, householdInputFor());
    await ts.services.eligibility.createRequest(actor, { organisationId: buildDemoTerritory().organisationIds.ccas!, schemes: ['anti-gaspi'] });
    expect(await demoEntanglements(ts.services.db)).toEqual([
      '1 eligibility request(s) of non-demo people were made to demo organisations'
    ]);
    await expect(deleteDemo(ts.services.database)).rejects.toMatchObject({ code: 'conflict' });
  });
});
