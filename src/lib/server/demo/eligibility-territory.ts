import { SETTING_QF_PARTS } from '../../schemas/eligibility-vocabulary.js';
import { DEFAULT_QF_PARTS } from '../modules/eligibility/eligibility.rules.js';
import type { SchemeFields, SettingRecord } from '../modules/eligibility/schemes.repository.js';
import { DEMO_CREATED_AT, DEMO_TOWN, demoId, type DemoTerritory } from './territory.js';

/**
 * The demo territory's eligibility settings as pure data: the four schemes of the seed article with
 * the thresholds a CCAS typically sets, who decides them (the CCAS decides all; the associations
 * decide the anti-gaspi donations and the baskets), and the default table of parts. Deterministic
 * ids (`demoId('scheme', n)`), `is_demo = 1`; `demo.ts` writes them through schemes.repository.
 */

export interface DemoScheme extends SchemeFields {
  id: string;
  code: string;
  isDemo: true;
  createdAt: string;
}

export interface DemoEligibility {
  schemes: DemoScheme[];
  deciders: { schemeId: string; organisationIds: string[] }[];
  settings: SettingRecord[];
  /** Scheme ids by code. */
  schemeIds: Record<string, string>;
}

/** Six months, three months, a year, a month: validities in days (N days → until today + N). */
const MONTHS_3 = 91;
const MONTHS_6 = 182;
const YEAR = 365;

type SchemeSpec = Omit<DemoScheme, 'id' | 'isDemo' | 'createdAt' | 'position' | 'isActive'>;

const SCHEMES: SchemeSpec[] = [
  {
    code: 'anti-gaspi',
    name: 'Dons anti-gaspi',
    nameEn: 'Anti-waste donations',
    description:
      'Réserver près de chez soi les surplus des commerces, restaurants et cantines, et les retirer avec un code. ' +
      'Reste à vivre jusqu’à 7 € par personne et par jour.',
    acceptedProfiles: [],
    communes: [],
    maxResteAVivreCents: 700,
    maxQuotientFamilialCents: null,
    defaultValidityDays: MONTHS_6,
    maxValidityDays: YEAR,
    isRenewable: true
  },
  {
    code: 'epicerie-sociale',
    name: 'Épicerie sociale et solidaire',
    nameEn: 'Social grocery',
    description:
      'Faire ses courses à l’épicerie sociale du CCAS en payant 10 à 30 % du prix. Pour les habitants de la commune, ' +
      'reste à vivre jusqu’à 9 € par personne et par jour ; 3 mois renouvelables.',
    acceptedProfiles: [],
    communes: [DEMO_TOWN.inseeCode],
    maxResteAVivreCents: 900,
    maxQuotientFamilialCents: null,
    defaultValidityDays: MONTHS_3,
    maxValidityDays: MONTHS_6,
    isRenewable: true
  },
  {
    code: 'paniers',
    name: 'Dispositif Paniers',
    nameEn: 'Food baskets',
    description: 'Un panier de produits frais et locaux chaque semaine. Quotient familial jusqu’à 600 € ; 3 mois.',
    acceptedProfiles: [],
    communes: [DEMO_TOWN.inseeCode],
    maxResteAVivreCents: null,
    maxQuotientFamilialCents: 60_000,
    defaultValidityDays: MONTHS_3,
    maxValidityDays: MONTHS_3,
    isRenewable: true
  },
  {
    code: 'aide-urgence',
    name: 'Aide alimentaire d’urgence',
    nameEn: 'Emergency food aid',
    description: 'Un colis alimentaire sans attendre, le temps de trouver une solution durable. Un mois, non renouvelable.',
    acceptedProfiles: [],
    communes: [DEMO_TOWN.inseeCode],
    maxResteAVivreCents: null,
    maxQuotientFamilialCents: null,
    defaultValidityDays: 30,
    maxValidityDays: 30,
    isRenewable: false
  }
];

/** Schemes the associations decide (the CCAS decides all of them). */
const ASSOCIATION_SCHEMES = new Set(['anti-gaspi', 'paniers']);

/** Builds the demo's schemes, deciders and settings for a territory (pure, deterministic). */
export function buildDemoEligibility(t: DemoTerritory): DemoEligibility {
  const createdAt = new Date(Date.parse(DEMO_CREATED_AT) + 200 * 60_000).toISOString();
  const schemeIds: Record<string, string> = {};
  const schemes: DemoScheme[] = SCHEMES.map((s, i) => {
    const id = demoId('scheme', i + 1);
    schemeIds[s.code] = id;
    return { ...s, id, position: i + 1, isActive: true, isDemo: true, createdAt };
  });
  const ccas = t.organisationIds.ccas!;
  const associations = t.organisations.filter((o) => o.kind === 'association').map((o) => o.id);
  const deciders = schemes.map((s) => ({
    schemeId: s.id,
    organisationIds: ASSOCIATION_SCHEMES.has(s.code) ? [ccas, ...associations] : [ccas]
  }));
  const settings: SettingRecord[] = [
    { key: SETTING_QF_PARTS, value: JSON.stringify(DEFAULT_QF_PARTS), updatedByUserId: null, updatedAt: DEMO_CREATED_AT }
  ];
  return { schemes, deciders, settings, schemeIds };
}
