import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { deleteDemo, loadDemo } from './demo.js';
import { buildDemoEligibility } from './eligibility-territory.js';
import { buildDemoPeople, DEMO_CARD_CODE } from './people-territory.js';
import { buildDemoTerritory, demoId } from './territory.js';

describe('demo accompanied person (pure data)', () => {
  const t = buildDemoTerritory();
  const e = buildDemoEligibility(t);

  it('is deterministic for a given day, with fixed ids and card code, accompanied by the CCAS', () => {
    const p = buildDemoPeople(t, e.schemeIds, '2026-11-29');
    expect(JSON.stringify(buildDemoPeople(buildDemoTerritory(7), e.schemeIds, '2026-11-29'))).toBe(JSON.stringify(p));
    expect(p.accompanied.userId).toBe(demoId('person-accompanied', 1));
    expect(p.card.id).toBe(demoId('person-card', 1));
    expect(p.accompanied.organisationId).toBe(t.organisationIds.ccas);
    expect(p.card.code).toBe(DEMO_CARD_CODE.replace('-', ''));
    expect(p.grant).toMatchObject({ schemeId: e.schemeIds['anti-gaspi'], validFrom: '2026-11-29', validUntil: '2027-05-30' });
  });
});

describe.each(DIALECTS)('demo accompanied person on %s', (kind) => {
  let ts: TestServices;
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('loads with a card the CCAS agent can identify and print, and goes with the demo', async () => {
    await loadDemo(ts.services.database, { nodeEnv: 'test', sealingKey: ts.services.sealingKey, now: ts.clock.now() });
    const t = buildDemoTerritory();
    const agent = { userId: t.userIds['ccas-agent']!, isPlatformAdmin: false };
    const found = await ts.services.people.identifyByCard(agent, { code: DEMO_CARD_CODE });
    expect(found.firstName).toBe('Josiane');
    expect(found.grants?.map((g) => [g.schemeCode, g.validUntil])).toEqual([['anti-gaspi', '2027-05-30']]);
    const list = await ts.services.people.listAccompanied(agent, t.organisationIds.ccas!);
    expect(list.items.map((p) => [p.firstName, p.activeCard?.id])).toEqual([['Josiane', demoId('person-card', 1)]]);
    const person = await ts.services.people.getPerson(agent, demoId('person-accompanied', 1));
    const { pdf } = await ts.services.people.printCard(agent, person.cards[0]!.id, 'id1');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await deleteDemo(ts.services.database);
    for (const table of ['household', 'accompaniment', 'person_card', 'eligibility_grant'] as const) {
      expect(await ts.services.db.selectFrom(table).select('user_id').execute()).toEqual([]);
    }
  });
});
