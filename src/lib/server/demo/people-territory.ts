import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { insertAccompanied, insertCard, type NewAccompanied } from '../modules/eligibility/people.repository.js';
import { insertGrant } from '../modules/eligibility/requests.repository.js';
import { addDays, hashCardCode, normaliseCardCode } from '../modules/eligibility/people.rules.js';
import { sealText, type SealingKey } from '../modules/eligibility/sealed.js';
import { DEMO_CREATED_AT, DEMO_TOWN, demoId, type DemoTerritory } from './territory.js';

/**
 * The demo's accompanied person: someone the CCAS met at the desk, without phone or email, with a
 * printed card and an anti-gaspi access. Fictional, `is_demo = 1`, deterministic ids. The card code
 * is fixed so the demo can be tried at a pickup (README, demo section); the access runs six months
 * from the day the demo is loaded, so it is always current.
 */

/** The demo card's code, as printed (README). */
export const DEMO_CARD_CODE = 'CART-E234';

export interface DemoPeople {
  accompanied: NewAccompanied & { isDemo: true };
  card: { id: string; userId: string; organisationId: string; code: string; issuedByUserId: string; at: string };
  grant: { id: string; userId: string; schemeId: string; organisationId: string; validFrom: string; validUntil: string; at: string };
}

/** The accompanied person of the demo CCAS, for the scheme ids of the demo eligibility. */
export function buildDemoPeople(t: DemoTerritory, schemeIds: Record<string, string>, today: string): DemoPeople {
  const ccas = t.organisationIds.ccas;
  const agent = t.userIds['ccas-agent'];
  const antiGaspi = schemeIds['anti-gaspi'];
  if (!ccas || !agent || !antiGaspi) throw new Error('demo people need the CCAS, its agent and the anti-gaspi scheme');
  const userId = demoId('person-accompanied', 1);
  return {
    accompanied: {
      userId,
      firstName: 'Josiane',
      locale: 'fr',
      organisationId: ccas,
      createdByUserId: agent,
      household: {
        size: 1,
        adults: 1,
        children: 0,
        isSingleParent: false,
        profile: 'retraite',
        communeInsee: DEMO_TOWN.inseeCode,
        communeName: DEMO_TOWN.name
      },
      at: DEMO_CREATED_AT,
      isDemo: true
    },
    card: {
      id: demoId('person-card', 1),
      userId,
      organisationId: ccas,
      code: normaliseCardCode(DEMO_CARD_CODE),
      issuedByUserId: agent,
      at: DEMO_CREATED_AT
    },
    grant: {
      id: demoId('person-grant', 1),
      userId,
      schemeId: antiGaspi,
      organisationId: ccas,
      validFrom: today,
      validUntil: addDays(today, 182),
      at: DEMO_CREATED_AT
    }
  };
}

/**
 * Writes the demo person through people.repository. The card needs the installation's sealing key
 * (its code is kept encrypted for reprints): without one (some tests), the card is left out.
 */
export async function insertDemoPeople(db: Kysely<DB>, p: DemoPeople, sealingKey?: SealingKey): Promise<{ people: number; cards: number }> {
  await insertAccompanied(db, p.accompanied);
  await insertGrant(db, { ...p.grant, isDemo: true });
  if (!sealingKey) return { people: 1, cards: 0 };
  await insertCard(db, {
    id: p.card.id,
    userId: p.card.userId,
    organisationId: p.card.organisationId,
    codeHash: hashCardCode(p.card.code),
    codeCiphertext: sealText(sealingKey, p.card.code),
    issuedByUserId: p.card.issuedByUserId,
    at: p.card.at,
    isDemo: true
  });
  return { people: 1, cards: 1 };
}
