import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { OfferTable } from '../db/schema.marketplace.js';
import { ALLERGENS, DIETS, maskOf } from '../../schemas/marketplace-vocabulary.js';
import { parisDayTime } from '../modules/marketplace/offers.time.js';
import { demoId, type DemoTerritory } from './territory.js';

/**
 * The demo's live anti-waste offers: the demo bakery and a few other donors around the demo town
 * post tonight's surplus. Windows are relative to the load time so the offers are live when the demo
 * is tried; ids are deterministic (`demoId('offer', n)`), rows carry `is_demo = 1` and go with their
 * organisation when the demo is removed (foreign key cascade).
 */

interface DemoOfferSpec {
  organisationKey: string;
  title: string;
  description: string;
  category: string;
  unit: 'unit' | 'portion';
  quantity: number;
  weightGrams: number;
  storage: OfferTable['storage'];
  allergens: string[];
  diets: string[];
  origins: string[];
  /** Minutes from the load time. */
  startsIn: number;
  endsIn: number;
  /** DLC this many days after the window's end (Paris date), or none. */
  dlcDaysAfterEnd?: number;
  valueCents: number;
}

const SPECS: DemoOfferSpec[] = [
  {
    organisationKey: 'donor:commerce',
    title: 'Baguettes et pains de campagne du jour',
    description: 'Invendus de la journée, à réchauffer au four.',
    category: 'pain-viennoiserie',
    unit: 'unit',
    quantity: 12,
    weightGrams: 3600,
    storage: 'ambient',
    allergens: ['gluten'],
    diets: ['vegetarien', 'vegan'],
    origins: ['local'],
    startsIn: -15,
    endsIn: 180,
    valueCents: 540
  },
  {
    organisationKey: 'donor:commerce',
    title: 'Viennoiseries (croissants, pains au chocolat)',
    description: 'Un sachet par personne de préférence.',
    category: 'pain-viennoiserie',
    unit: 'unit',
    quantity: 8,
    weightGrams: 640,
    storage: 'ambient',
    allergens: ['gluten', 'lait', 'oeufs'],
    diets: ['vegetarien'],
    origins: [],
    startsIn: 60,
    endsIn: 240,
    valueCents: 320
  },
  {
    organisationKey: 'donor:restaurant',
    title: 'Portions de hachis parmentier',
    description: 'En barquettes, à garder au frais.',
    category: 'plats-cuisines',
    unit: 'portion',
    quantity: 6,
    weightGrams: 2100,
    storage: 'chilled',
    allergens: ['lait', 'celeri'],
    diets: ['sans-porc'],
    origins: [],
    startsIn: 30,
    endsIn: 210,
    dlcDaysAfterEnd: 1,
    valueCents: 900
  },
  {
    organisationKey: 'donor:supermarche',
    title: 'Yaourts nature (lots de 4)',
    description: 'DLC dans trois jours.',
    category: 'produits-laitiers',
    unit: 'unit',
    quantity: 10,
    weightGrams: 5000,
    storage: 'chilled',
    allergens: ['lait'],
    diets: ['vegetarien', 'sans-gluten'],
    origins: [],
    startsIn: 0,
    endsIn: 180,
    dlcDaysAfterEnd: 3,
    valueCents: 800
  },
  {
    organisationKey: 'donor:supermarche',
    title: 'Fruits et légumes abîmés mais bons',
    description: 'Pommes, carottes, poireaux : en cagettes.',
    category: 'fruits-legumes',
    unit: 'unit',
    quantity: 15,
    weightGrams: 15000,
    storage: 'ambient',
    allergens: [],
    diets: ['vegetarien', 'vegan', 'sans-gluten'],
    origins: ['local'],
    startsIn: 0,
    endsIn: 300,
    valueCents: 1500
  },
  {
    organisationKey: 'donor:cantine',
    title: 'Compotes et pain de mie de la cantine',
    description: 'Surplus du service de midi.',
    category: 'epicerie-seche',
    unit: 'unit',
    quantity: 20,
    weightGrams: 4000,
    storage: 'ambient',
    allergens: ['gluten'],
    diets: ['vegetarien'],
    origins: [],
    startsIn: 90,
    endsIn: 270,
    valueCents: 600
  }
];

/** The demo offers for a load at `now` (only the donors the territory has). */
export function buildDemoOffers(t: DemoTerritory, now: Date): Insertable<OfferTable>[] {
  const orgs = new Map(t.organisations.map((o) => [o.id, o]));
  const posterOf = new Map(t.memberships.map((m) => [m.organisation_id, m.user_id]));
  const iso = now.toISOString();
  const rows: Insertable<OfferTable>[] = [];
  SPECS.forEach((s, i) => {
    const orgId = t.organisationIds[s.organisationKey];
    const org = orgId ? orgs.get(orgId) : undefined;
    if (!org || org.lat === null || org.lng === null) return;
    const starts = new Date(now.getTime() + s.startsIn * 60_000);
    const ends = new Date(now.getTime() + s.endsIn * 60_000);
    let dateOn: string | null = null;
    if (s.dlcDaysAfterEnd !== undefined) dateOn = parisDayTime(new Date(ends.getTime() + s.dlcDaysAfterEnd * 86_400_000)).day;
    rows.push({
      id: demoId('offer', i + 1),
      organisation_id: org.id,
      donor_user_id: null,
      posted_by_user_id: posterOf.get(org.id) ?? null,
      series_id: null,
      occurrence_on: null,
      title: s.title,
      description: s.description,
      category: s.category,
      unit: s.unit,
      quantity: s.quantity,
      remaining: s.quantity,
      weight_grams: s.weightGrams,
      date_kind: dateOn ? 'dlc' : 'none',
      date_on: dateOn,
      allergens: JSON.stringify(s.allergens),
      allergen_mask: maskOf(ALLERGENS, s.allergens),
      diets: JSON.stringify(s.diets),
      diet_mask: maskOf(DIETS, s.diets),
      storage: s.storage,
      origins: JSON.stringify(s.origins),
      address_line: org.address_line,
      postal_code: org.postal_code,
      city: org.city,
      lat: org.lat,
      lng: org.lng,
      pickup_starts_at: starts.toISOString(),
      pickup_ends_at: ends.toISOString(),
      audience: 'people',
      partners_until: null,
      // The demo's offers are open first come, first served (no lottery to wait for).
      pooling_ends_at: null,
      allocated_at: null,
      value_cents: s.valueCents,
      status: 'published',
      cancel_reason: null,
      cancelled_at: null,
      version: 1,
      is_demo: 1,
      created_at: iso,
      updated_at: iso
    });
  });
  return rows;
}

export async function insertDemoOffers(db: Kysely<DB>, offers: Insertable<OfferTable>[]): Promise<void> {
  if (offers.length > 0) await db.insertInto('offer').values(offers).execute();
}
