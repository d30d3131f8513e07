import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { insertGrant } from '../modules/eligibility/requests.repository.js';
import { addDays } from '../modules/eligibility/people.rules.js';
import { DEMO_CREATED_AT, demoId, type DemoTerritory } from './territory.js';

/**
 * The demo's marketplace access: beneficiaire4 (Élodie M.) and beneficiaire5 (Youssef A.) hold a
 * running anti-gaspi grant from the demo CCAS, so the donations can be tried at once (/dons). The
 * other demo beneficiaries keep their requests waiting for a decision. Deterministic ids.
 */
export function buildDemoMarketplaceGrants(t: DemoTerritory, schemeIds: Record<string, string>, today: string) {
  const ccas = t.organisationIds.ccas;
  const antiGaspi = schemeIds['anti-gaspi'];
  if (!ccas || !antiGaspi) throw new Error('demo marketplace grants need the CCAS and the anti-gaspi scheme');
  return ['beneficiary-4', 'beneficiary-5'].map((key, i) => {
    const userId = t.userIds[key];
    if (!userId) throw new Error(`demo marketplace grants need the user ${key}`);
    return {
      id: demoId('marketplace-grant', i + 1),
      userId,
      schemeId: antiGaspi,
      organisationId: ccas,
      validFrom: addDays(today, -7),
      validUntil: addDays(today, 182),
      at: DEMO_CREATED_AT
    };
  });
}

export async function insertDemoMarketplaceGrants(db: Kysely<DB>, grants: ReturnType<typeof buildDemoMarketplaceGrants>): Promise<number> {
  for (const g of grants) await insertGrant(db, { ...g, isDemo: true });
  return grants.length;
}
