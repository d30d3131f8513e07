/**
 * The donor's impact, pure. What counts is what was handed over (collected units), as a share of
 * each offer's declared weight and value.
 *
 * Factors (also in README, "Impact des dons"):
 * - MEAL_GRAMS = 500: one meal = 500 g of food, the convention of the Fédération française des
 *   Banques Alimentaires (FFBA) in its activity reports.
 * - CO2E_KG_PER_KG = 2.5: greenhouse gases avoided per kg of food not wasted, from FAO (2013), "Food
 *   wastage footprint: impacts on natural resources" (3.3 Gt CO2e for 1.3 Gt of food wasted ≈ 2.5).
 *   ADEME's French estimate (2016, "Pertes et gaspillages alimentaires : l'état des lieux et leur
 *   gestion par étapes de la chaîne alimentaire": 15.3 Mt CO2e for 10 Mt) gives ≈ 1.5; we show the
 *   FAO factor and name it, so a territory can read the figure for what it is.
 * - Value at cost price (coût de revient sans marge, CGI art. 238 bis), as declared by the donor.
 */

export const MEAL_GRAMS = 500;
export const CO2E_KG_PER_KG = 2.5;
export const IMPACT_SOURCES = {
  meals: 'FFBA (Banques Alimentaires): 1 repas = 500 g',
  co2e: 'FAO 2013, Food wastage footprint: 3.3 Gt CO2e / 1.3 Gt ≈ 2.5 kg CO2e per kg'
} as const;

export interface OfferOutcome {
  quantity: number;
  weightGrams: number | null;
  valueCents: number | null;
  /** Units handed over (sum of collected quantities). */
  collectedUnits: number;
}

export interface Impact {
  offers: number;
  unitsCollected: number;
  gramsSaved: number;
  kgSaved: number;
  meals: number;
  co2eKg: number;
  valueCents: number;
  factors: { mealGrams: number; co2eKgPerKg: number; sources: typeof IMPACT_SOURCES };
}

/** The share of an offer's weight and value that was handed over (rounded down, integers). */
export function outcomeShare(o: OfferOutcome): { grams: number; cents: number } {
  if (o.quantity <= 0 || o.collectedUnits <= 0) return { grams: 0, cents: 0 };
  const part = Math.min(o.collectedUnits, o.quantity);
  return {
    grams: o.weightGrams ? Math.floor((o.weightGrams * part) / o.quantity) : 0,
    cents: o.valueCents ? Math.floor((o.valueCents * part) / o.quantity) : 0
  };
}

/** Totals over offers: kg to one decimal, whole meals, CO2e to one decimal, cents. */
export function computeImpact(outcomes: readonly OfferOutcome[]): Impact {
  let grams = 0;
  let cents = 0;
  let units = 0;
  for (const o of outcomes) {
    const share = outcomeShare(o);
    grams += share.grams;
    cents += share.cents;
    units += Math.min(o.collectedUnits, o.quantity);
  }
  return {
    offers: outcomes.length,
    unitsCollected: units,
    gramsSaved: grams,
    kgSaved: Math.round(grams / 100) / 10,
    meals: Math.floor(grams / MEAL_GRAMS),
    co2eKg: Math.round((grams / 1000) * CO2E_KG_PER_KG * 10) / 10,
    valueCents: cents,
    factors: { mealGrams: MEAL_GRAMS, co2eKgPerKg: CO2E_KG_PER_KG, sources: IMPACT_SOURCES }
  };
}

/** A spreadsheet cell that cannot run as a formula (CSV injection): a leading = + - @ gets a quote. */
export function safeCell(text: string | null): string | null {
  return text !== null && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
