import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { deleteDemo, loadDemo } from './demo.js';
import { buildDemoTerritory } from './territory.js';

describe.each(DIALECTS)('demo marketplace access on %s', (kind) => {
  let ts: TestServices;
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('makes beneficiaire4 and beneficiaire5 eligible for anti-gaspi donations, and goes with the demo', async () => {
    await loadDemo(ts.services.database, { nodeEnv: 'test', sealingKey: ts.services.sealingKey, now: ts.clock.now() });
    const t = buildDemoTerritory();
    const eligible = async (key: string) => ts.services.reservations.isEligible(t.userIds[key]!);
    expect(await eligible('beneficiary-4')).toBe(true);
    expect(await eligible('beneficiary-5')).toBe(true);
    expect(await eligible('beneficiary-2')).toBe(false);
    await deleteDemo(ts.services.database);
    const left = await ts.services.db.selectFrom('eligibility_grant').select('id').execute();
    expect(left).toHaveLength(0);
  }, 60_000);
});
