import { describe, expect, it } from 'vitest';
import { computeImpact, CO2E_KG_PER_KG, MEAL_GRAMS, outcomeShare, safeCell } from './impact.rules.js';

describe('impact rules', () => {
  it('uses the documented factors', () => {
    expect(MEAL_GRAMS).toBe(500);
    expect(CO2E_KG_PER_KG).toBe(2.5);
  });
  it('counts the share handed over of weight and value', () => {
    expect(outcomeShare({ quantity: 10, weightGrams: 3000, valueCents: 1000, collectedUnits: 4 })).toEqual({ grams: 1200, cents: 400 });
    expect(outcomeShare({ quantity: 3, weightGrams: 1000, valueCents: 100, collectedUnits: 1 })).toEqual({ grams: 333, cents: 33 });
    expect(outcomeShare({ quantity: 5, weightGrams: null, valueCents: null, collectedUnits: 5 })).toEqual({ grams: 0, cents: 0 });
    expect(outcomeShare({ quantity: 5, weightGrams: 500, valueCents: 50, collectedUnits: 0 })).toEqual({ grams: 0, cents: 0 });
  });
  it('totals kg, meals, CO2e and value', () => {
    const impact = computeImpact([
      { quantity: 10, weightGrams: 3000, valueCents: 1000, collectedUnits: 10 },
      { quantity: 4, weightGrams: 2000, valueCents: 800, collectedUnits: 2 },
      { quantity: 6, weightGrams: 1200, valueCents: 600, collectedUnits: 0 }
    ]);
    expect(impact).toMatchObject({ offers: 3, unitsCollected: 12, gramsSaved: 4000, kgSaved: 4, meals: 8, co2eKg: 10, valueCents: 1400 });
    expect(impact.factors.sources.co2e).toContain('FAO');
  });
  it('gives zero for nothing', () => {
    expect(computeImpact([])).toMatchObject({ offers: 0, kgSaved: 0, meals: 0, co2eKg: 0, valueCents: 0 });
  });
  it('defuses spreadsheet formulas', () => {
    expect(safeCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(safeCell('Pain')).toBe('Pain');
    expect(safeCell(null)).toBeNull();
  });
});
