import { describe, expect, it } from 'vitest';
import {
  addDays,
  checkRenewal,
  DEFAULT_QF_PARTS,
  defaultValidUntil,
  evaluateSchemes,
  floorDiv,
  householdProblem,
  isIsoDate,
  parts,
  quotientFamilial,
  readQfParts,
  resteAVivre,
  validateQfParts,
  validityRefusal,
  type HouseholdFacts,
  type ResourcesFacts,
  type SchemeRules
} from './eligibility.rules.js';

const TODAY = '2026-11-29';

const household = (over: Partial<HouseholdFacts> = {}): HouseholdFacts => ({
  size: 1,
  adults: 1,
  children: 0,
  isSingleParent: false,
  profile: 'etudiant',
  communeInsee: '59999',
  ...over
});

const resources = (over: Partial<ResourcesFacts> = {}): ResourcesFacts => ({
  monthlyResourcesCents: 60_000,
  monthlyChargesCents: 45_000,
  annualTaxableIncomeCents: null,
  monthlyBenefitsCents: null,
  ...over
});

/** The four demo schemes, as the territory sets them. */
const antiGaspi: SchemeRules = {
  id: 's1',
  code: 'anti-gaspi',
  acceptedProfiles: [],
  communes: [],
  maxResteAVivreCents: 700,
  maxQuotientFamilialCents: null,
  defaultValidityDays: 182,
  maxValidityDays: 365,
  isRenewable: true
};
const epicerie: SchemeRules = { ...antiGaspi, id: 's2', code: 'epicerie-sociale', maxResteAVivreCents: 900, defaultValidityDays: 91, maxValidityDays: 182 };
const paniers: SchemeRules = {
  ...antiGaspi,
  id: 's3',
  code: 'paniers',
  maxResteAVivreCents: null,
  maxQuotientFamilialCents: 60_000,
  defaultValidityDays: 91,
  maxValidityDays: 91
};
const urgence: SchemeRules = {
  ...antiGaspi,
  id: 's4',
  code: 'aide-urgence',
  maxResteAVivreCents: null,
  defaultValidityDays: 30,
  maxValidityDays: 30,
  isRenewable: false
};
const ALL = [antiGaspi, epicerie, paniers, urgence];

describe('floorDiv', () => {
  it('rounds towards minus infinity, exactly', () => {
    expect(floorDiv(7, 2)).toBe(3);
    expect(floorDiv(-7, 2)).toBe(-4);
    expect(floorDiv(6, 3)).toBe(2);
    expect(floorDiv(0, 5)).toBe(0);
    expect(floorDiv(-1, 90)).toBe(-1);
    expect(floorDiv(9_007_199_254_740_990, 3)).toBe(3_002_399_751_580_330);
  });

  it('refuses a zero or negative divisor and non-integers', () => {
    expect(() => floorDiv(1, 0)).toThrow(RangeError);
    expect(() => floorDiv(1, -2)).toThrow(RangeError);
    expect(() => floorDiv(1.5, 2)).toThrow(RangeError);
  });
});

describe('reste à vivre per person per day', () => {
  it('is (resources − charges) ÷ size ÷ 30, in cents', () => {
    // 600 € − 450 € = 150 € for one person: 150 / 30 = 5 € a day.
    expect(resteAVivre(resources(), 1)).toEqual({ kind: 'value', cents: 500 });
    // 2 436 € − 1 000 € for 2: 1 436 / 60 = 23,933… → 23,93 € (rounded down).
    expect(resteAVivre(resources({ monthlyResourcesCents: 243_600, monthlyChargesCents: 100_000 }), 2)).toEqual({
      kind: 'value',
      cents: 2393
    });
  });

  it('rounds down to the cent, never up (a household on the edge is not refused by a rounding)', () => {
    // 210,29 € for one person: 7,0096… € a day → 700 cents, not 701.
    expect(resteAVivre(resources({ monthlyResourcesCents: 21_029, monthlyChargesCents: 0 }), 1)).toEqual({ kind: 'value', cents: 700 });
    // 210,30 € → exactly 7,01 €.
    expect(resteAVivre(resources({ monthlyResourcesCents: 21_030, monthlyChargesCents: 0 }), 1)).toEqual({ kind: 'value', cents: 701 });
    // 1 cent for 3 people: 1 / 90 → 0.
    expect(resteAVivre(resources({ monthlyResourcesCents: 1, monthlyChargesCents: 0 }), 3)).toEqual({ kind: 'value', cents: 0 });
  });

  it('is 0 with no resources and no charges', () => {
    expect(resteAVivre(resources({ monthlyResourcesCents: 0, monthlyChargesCents: 0 }), 4)).toEqual({ kind: 'value', cents: 0 });
  });

  it('is negative when charges exceed resources (rounded down, towards minus infinity)', () => {
    // 0 € − 100 € for 1: −3,333… → −3,34 €.
    expect(resteAVivre(resources({ monthlyResourcesCents: 0, monthlyChargesCents: 10_000 }), 1)).toEqual({ kind: 'value', cents: -334 });
  });

  it('refuses a household size of 0 (or not a whole number) instead of dividing by it', () => {
    expect(resteAVivre(resources(), 0)).toEqual({ kind: 'invalid', field: 'size' });
    expect(resteAVivre(resources(), 1.5)).toEqual({ kind: 'invalid', field: 'size' });
    expect(resteAVivre(resources(), -1)).toEqual({ kind: 'invalid', field: 'size' });
  });

  it('names every missing figure instead of guessing', () => {
    expect(resteAVivre(resources({ monthlyResourcesCents: null, monthlyChargesCents: null }), 1)).toEqual({
      kind: 'missing',
      missing: ['monthlyResourcesCents', 'monthlyChargesCents']
    });
    expect(resteAVivre(resources({ monthlyChargesCents: null }), 1)).toEqual({ kind: 'missing', missing: ['monthlyChargesCents'] });
  });

  it('refuses amounts that are not whole non-negative cents', () => {
    expect(resteAVivre(resources({ monthlyResourcesCents: 12.5 }), 1)).toEqual({ kind: 'invalid', field: 'monthlyResourcesCents' });
    expect(resteAVivre(resources({ monthlyChargesCents: -1 }), 1)).toEqual({ kind: 'invalid', field: 'monthlyChargesCents' });
  });
});

describe('parts of the quotient familial', () => {
  it('follows the default CAF-like table', () => {
    expect(parts({ adults: 1, children: 0, isSingleParent: false })).toBe(1);
    expect(parts({ adults: 2, children: 0, isSingleParent: false })).toBe(2);
    expect(parts({ adults: 2, children: 1, isSingleParent: false })).toBe(2.5);
    expect(parts({ adults: 2, children: 2, isSingleParent: false })).toBe(3);
    expect(parts({ adults: 2, children: 3, isSingleParent: false })).toBe(4);
    expect(parts({ adults: 2, children: 4, isSingleParent: false })).toBe(5);
    // Single parent: 1 + 0.5 (child) + 0.5 (single parent).
    expect(parts({ adults: 1, children: 1, isSingleParent: true })).toBe(2);
    expect(parts({ adults: 1, children: 3, isSingleParent: true })).toBe(3.5);
    // A third adult (a grown-up child, a grandparent) counts half a part.
    expect(parts({ adults: 3, children: 0, isSingleParent: false })).toBe(2.5);
  });

  it('follows a custom table', () => {
    const table = { ...DEFAULT_QF_PARTS, secondAdult: 0.5, child: 0.25, firstChildren: 1, furtherChild: 0.75, singleParent: 0 };
    expect(parts({ adults: 2, children: 3, isSingleParent: false }, table)).toBe(1 + 0.5 + 0.25 + 0.75 * 2);
    expect(parts({ adults: 1, children: 1, isSingleParent: true }, table)).toBe(1.25);
  });
});

describe('quotient familial per month', () => {
  it('is (annual income ÷ 12 + monthly benefits) ÷ parts, rounded down once', () => {
    // 14 400 € a year + 200 € a month, couple with one child (2.5 parts): (1 200 + 200) / 2.5 = 560 €.
    const h = { adults: 2, children: 1, isSingleParent: false };
    expect(quotientFamilial(h, { annualTaxableIncomeCents: 1_440_000, monthlyBenefitsCents: 20_000 })).toEqual({ kind: 'value', cents: 56_000 });
    // 10 000 € a year alone: 833,333… → 833,33 €.
    expect(quotientFamilial({ adults: 1, children: 0, isSingleParent: false }, { annualTaxableIncomeCents: 1_000_000, monthlyBenefitsCents: null })).toEqual({
      kind: 'value',
      cents: 83_333
    });
    // 1 cent a year for 3 parts: (1/12)/3 → 0.
    expect(quotientFamilial({ adults: 2, children: 2, isSingleParent: false }, { annualTaxableIncomeCents: 1, monthlyBenefitsCents: 0 })).toEqual({
      kind: 'value',
      cents: 0
    });
  });

  it('is 0 for no income and no benefits', () => {
    expect(quotientFamilial({ adults: 1, children: 0, isSingleParent: false }, { annualTaxableIncomeCents: 0, monthlyBenefitsCents: 0 })).toEqual({
      kind: 'value',
      cents: 0
    });
  });

  it('needs the annual income; benefits not declared count as none', () => {
    const h = { adults: 1, children: 0, isSingleParent: false };
    expect(quotientFamilial(h, { annualTaxableIncomeCents: null, monthlyBenefitsCents: 30_000 })).toEqual({
      kind: 'missing',
      missing: ['annualTaxableIncomeCents']
    });
    expect(quotientFamilial(h, { annualTaxableIncomeCents: 1_200_000, monthlyBenefitsCents: null })).toEqual({ kind: 'value', cents: 100_000 });
  });

  it('uses the territory table', () => {
    const h = { adults: 2, children: 0, isSingleParent: false };
    const table = { ...DEFAULT_QF_PARTS, secondAdult: 0.5 };
    expect(quotientFamilial(h, { annualTaxableIncomeCents: 1_800_000, monthlyBenefitsCents: 0 }, table)).toEqual({ kind: 'value', cents: 100_000 });
  });

  it('answers invalid instead of dividing by zero parts', () => {
    const table = { ...DEFAULT_QF_PARTS, child: 0, furtherChild: 0 };
    expect(quotientFamilial({ adults: 0, children: 2, isSingleParent: false }, { annualTaxableIncomeCents: 100, monthlyBenefitsCents: 0 }, table)).toEqual({
      kind: 'invalid',
      field: 'parts'
    });
  });
});

describe('the table of parts as a setting', () => {
  it('accepts the default and a custom table in quarters of a part', () => {
    expect(validateQfParts(DEFAULT_QF_PARTS)).toEqual([]);
    expect(validateQfParts({ ...DEFAULT_QF_PARTS, otherAdult: 0.75, child: 0.25, firstChildren: 3 })).toEqual([]);
  });

  it('names each bad entry', () => {
    const paths = (t: unknown) => validateQfParts(t).map((i) => i.path);
    expect(paths({ ...DEFAULT_QF_PARTS, child: 0.3 })).toEqual(['child']);
    expect(paths({ ...DEFAULT_QF_PARTS, firstAdult: 0 })).toEqual(['firstAdult']);
    expect(paths({ ...DEFAULT_QF_PARTS, furtherChild: -1, singleParent: 11 })).toEqual(['furtherChild', 'singleParent']);
    expect(paths({ ...DEFAULT_QF_PARTS, firstChildren: 1.5 })).toEqual(['firstChildren']);
    expect(paths({ ...DEFAULT_QF_PARTS, grandParent: 1 })).toEqual(['grandParent']);
    const { child: _child, ...withoutChild } = DEFAULT_QF_PARTS;
    expect(paths(withoutChild)).toEqual(['child']);
  });

  it('reads the stored setting, falling back to the default when absent or broken', () => {
    expect(readQfParts(undefined)).toEqual({ table: DEFAULT_QF_PARTS, isDefault: true });
    expect(readQfParts('not json')).toEqual({ table: DEFAULT_QF_PARTS, isDefault: true });
    expect(readQfParts(JSON.stringify({ ...DEFAULT_QF_PARTS, child: 0.3 }))).toEqual({ table: DEFAULT_QF_PARTS, isDefault: true });
    const custom = { ...DEFAULT_QF_PARTS, child: 0.75 };
    expect(readQfParts(JSON.stringify(custom))).toEqual({ table: custom, isDefault: false });
  });
});

describe('household checks', () => {
  it('accepts a consistent household and names the first bad field', () => {
    expect(householdProblem(household())).toBeNull();
    expect(householdProblem(household({ size: 3, adults: 1, children: 2, isSingleParent: true }))).toBeNull();
    expect(householdProblem(household({ size: 0, adults: 0 }))).toEqual({ field: 'size' });
    expect(householdProblem(household({ size: 3, adults: 1, children: 1 }))).toEqual({ field: 'size' });
    expect(householdProblem(household({ adults: -1 }))).toEqual({ field: 'adults' });
    expect(householdProblem(household({ size: 2, adults: 2, children: 0, isSingleParent: true }))).toEqual({ field: 'isSingleParent' });
  });
});

describe('evaluateSchemes', () => {
  it('says which schemes a student could get, with the figures of each no', () => {
    // 5 €/day: anti-gaspi (≤ 7) and épicerie (≤ 9) yes; paniers cannot tell (no income); urgence yes.
    const e = evaluateSchemes(household(), resources(), ALL, TODAY);
    expect(e.resteAVivreCents).toBe(500);
    expect(e.quotientFamilialCents).toBeNull();
    expect(e.parts).toBe(1);
    expect(e.schemes.map((s) => [s.code, s.outcome])).toEqual([
      ['anti-gaspi', 'eligible'],
      ['epicerie-sociale', 'eligible'],
      ['paniers', 'cannot_tell'],
      ['aide-urgence', 'eligible']
    ]);
    expect(e.schemes[2]!.reasons).toEqual([{ code: 'quotient_familial_unknown', max: 60_000, missing: ['annualTaxableIncomeCents'] }]);
    expect(e.schemes[0]).toMatchObject({ schemeId: 's1', eligible: true, reasons: [], defaultValidUntil: '2027-05-30' });
  });

  it('gives the reste à vivre figures when it is over the threshold, and is inclusive at the threshold', () => {
    // 243,60 € a month alone → 8,12 € a day, over 7,00 €.
    const e = evaluateSchemes(household(), resources({ monthlyResourcesCents: 24_360, monthlyChargesCents: 0 }), ALL, TODAY);
    expect(e.schemes[0]).toMatchObject({ outcome: 'not_eligible', eligible: false, reasons: [{ code: 'reste_a_vivre_over', value: 812, max: 700 }] });
    expect(e.schemes[1]).toMatchObject({ outcome: 'eligible' });
    // Exactly 7,00 € a day: still eligible.
    const edge = evaluateSchemes(household(), resources({ monthlyResourcesCents: 21_000, monthlyChargesCents: 0 }), [antiGaspi], TODAY);
    expect(edge.schemes[0]!.outcome).toBe('eligible');
  });

  it('lists EVERY reason of no, "no" before "cannot tell"', () => {
    const strict: SchemeRules = {
      ...antiGaspi,
      id: 'x',
      code: 'strict',
      acceptedProfiles: ['retraite'],
      communes: ['59350'],
      maxResteAVivreCents: 100,
      maxQuotientFamilialCents: 10_000
    };
    const e = evaluateSchemes(household({ communeInsee: '59999' }), resources(), [strict], TODAY);
    expect(e.schemes[0]!.outcome).toBe('not_eligible');
    expect(e.schemes[0]!.reasons).toEqual([
      { code: 'profile_not_accepted', profile: 'etudiant', accepted: ['retraite'] },
      { code: 'commune_not_covered', commune: '59999', communes: ['59350'] },
      { code: 'reste_a_vivre_over', value: 500, max: 100 },
      { code: 'quotient_familial_unknown', max: 10_000, missing: ['annualTaxableIncomeCents'] }
    ]);
  });

  it('treats a negative reste à vivre as eligible', () => {
    const e = evaluateSchemes(household(), resources({ monthlyResourcesCents: 30_000, monthlyChargesCents: 90_000 }), [antiGaspi], TODAY);
    expect(e.resteAVivreCents).toBe(-2000);
    expect(e.schemes[0]!.outcome).toBe('eligible');
  });

  it('treats zero resources and zero charges as eligible on every threshold', () => {
    const zero = resources({ monthlyResourcesCents: 0, monthlyChargesCents: 0, annualTaxableIncomeCents: 0, monthlyBenefitsCents: 0 });
    const e = evaluateSchemes(household(), zero, ALL, TODAY);
    expect(e.schemes.every((s) => s.outcome === 'eligible')).toBe(true);
    expect(e).toMatchObject({ resteAVivreCents: 0, quotientFamilialCents: 0 });
  });

  it('answers "cannot tell" with the missing fields, never a crash', () => {
    const nothing = { monthlyResourcesCents: null, monthlyChargesCents: null, annualTaxableIncomeCents: null, monthlyBenefitsCents: null };
    const e = evaluateSchemes(household({ profile: null, communeInsee: null }), nothing, ALL, TODAY);
    expect(e.schemes.map((s) => s.outcome)).toEqual(['cannot_tell', 'cannot_tell', 'cannot_tell', 'eligible']);
    expect(e.schemes[0]!.reasons).toEqual([
      { code: 'reste_a_vivre_unknown', max: 700, missing: ['monthlyResourcesCents', 'monthlyChargesCents'] }
    ]);
    // Profile and commune unknown matter only to schemes that restrict them.
    const limited = { ...urgence, acceptedProfiles: ['etudiant'], communes: ['59999'] };
    expect(evaluateSchemes(household({ profile: null, communeInsee: null }), nothing, [limited], TODAY).schemes[0]!.reasons).toEqual([
      { code: 'profile_unknown', accepted: ['etudiant'] },
      { code: 'commune_unknown', communes: ['59999'] }
    ]);
  });

  it('refuses a household of size 0 with a reason, not a division by zero', () => {
    const e = evaluateSchemes(household({ size: 0, adults: 0, children: 0 }), resources(), ALL, TODAY);
    expect(e).toMatchObject({ resteAVivreCents: null, quotientFamilialCents: null, parts: null });
    for (const s of e.schemes) {
      expect(s.outcome).toBe('cannot_tell');
      expect(s.reasons).toEqual([{ code: 'data_invalid', field: 'size' }]);
    }
  });

  it('reports an unusable amount once per scheme', () => {
    const e = evaluateSchemes(household(), resources({ monthlyChargesCents: -5 }), [antiGaspi], TODAY);
    expect(e.schemes[0]!.reasons).toEqual([{ code: 'data_invalid', field: 'monthlyChargesCents' }]);
  });

  it('compares the quotient familial with the threshold of paniers (≤ 600 €)', () => {
    // Couple + 2 children (3 parts): 19 800 € a year + 150 € a month → (1 650 + 150) / 3 = 600 € → yes.
    const family = household({ size: 4, adults: 2, children: 2, profile: 'travailleur-precaire' });
    const yes = evaluateSchemes(family, resources({ annualTaxableIncomeCents: 1_980_000, monthlyBenefitsCents: 15_000 }), [paniers], TODAY);
    expect(yes).toMatchObject({ quotientFamilialCents: 60_000, parts: 3, schemes: [{ outcome: 'eligible' }] });
    // One euro more a month in benefits: 600,33 € → no, with the figures.
    const no = evaluateSchemes(family, resources({ annualTaxableIncomeCents: 1_980_000, monthlyBenefitsCents: 15_100 }), [paniers], TODAY);
    expect(no.schemes[0]!.reasons).toEqual([{ code: 'quotient_familial_over', value: 60_033, max: 60_000 }]);
    // The table of the territory changes the answer: with 3.5 parts the same family is under.
    const generous = { ...DEFAULT_QF_PARTS, child: 0.75 };
    const withTable = evaluateSchemes(family, resources({ annualTaxableIncomeCents: 1_980_000, monthlyBenefitsCents: 15_100 }), [paniers], TODAY, generous);
    expect(withTable).toMatchObject({ parts: 3.5, schemes: [{ outcome: 'eligible' }] });
  });

  it('covers the "other commune" of the simulator as not covered', () => {
    const local = { ...antiGaspi, communes: ['59999'] };
    expect(evaluateSchemes(household({ communeInsee: 'other' }), resources(), [local], TODAY).schemes[0]!.reasons).toEqual([
      { code: 'commune_not_covered', commune: 'other', communes: ['59999'] }
    ]);
    expect(evaluateSchemes(household({ communeInsee: '59999' }), resources(), [local], TODAY).schemes[0]!.outcome).toBe('eligible');
  });

  it('returns nothing to evaluate for no scheme', () => {
    expect(evaluateSchemes(household(), resources(), [], TODAY).schemes).toEqual([]);
  });
});

describe('validity of a grant', () => {
  it('knows real dates and adds days across months, years and leap days', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('29/11/2026')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('defaults to the scheme’s validity from today (N days → until today + N)', () => {
    expect(defaultValidUntil(urgence, '2026-03-01')).toBe('2026-03-31');
    expect(defaultValidUntil(antiGaspi, TODAY)).toBe('2027-05-30');
  });

  it('refuses a date in the past, accepts today, and refuses beyond the maximum', () => {
    expect(validityRefusal(urgence, '2026-11-28', TODAY)).toEqual({ code: 'validity_in_past', value: '2026-11-28', earliest: TODAY });
    expect(validityRefusal(urgence, TODAY, TODAY)).toBeNull();
    expect(validityRefusal(urgence, '2026-12-29', TODAY)).toBeNull();
    expect(validityRefusal(urgence, '2026-12-30', TODAY)).toEqual({
      code: 'validity_over_max',
      value: '2026-12-30',
      latest: '2026-12-29',
      maxDays: 30
    });
    expect(validityRefusal(urgence, '2026-02-30', TODAY)).toEqual({ code: 'validity_not_a_date', value: '2026-02-30' });
  });

  it('counts the maximum from the start of a renewal', () => {
    // A renewal from 2027-01-01: until 2027-01-31 at most for 30 days, and not before the start.
    expect(validityRefusal(urgence, '2027-01-31', TODAY, '2027-01-01')).toBeNull();
    expect(validityRefusal(urgence, '2026-12-15', TODAY, '2027-01-01')).toMatchObject({ code: 'validity_in_past', earliest: '2027-01-01' });
  });

  it('renews a running grant from the day after it ends, an ended one from today', () => {
    expect(checkRenewal(epicerie, { validUntil: '2026-12-10', revokedAt: null }, TODAY)).toEqual({
      ok: true,
      validFrom: '2026-12-11',
      defaultValidUntil: addDays('2026-12-11', 91),
      latestValidUntil: addDays('2026-12-11', 182)
    });
    expect(checkRenewal(epicerie, { validUntil: TODAY, revokedAt: null }, TODAY)).toMatchObject({ ok: true, validFrom: '2026-11-30' });
    expect(checkRenewal(epicerie, { validUntil: '2026-10-01', revokedAt: null }, TODAY)).toMatchObject({ ok: true, validFrom: TODAY });
  });

  it('refuses to renew a scheme that is not renewable, or a revoked grant', () => {
    expect(checkRenewal(urgence, { validUntil: '2026-12-10', revokedAt: null }, TODAY)).toEqual({ ok: false, code: 'not_renewable' });
    expect(checkRenewal(epicerie, { validUntil: '2026-12-10', revokedAt: '2026-11-01T10:00:00.000Z' }, TODAY)).toEqual({
      ok: false,
      code: 'grant_revoked'
    });
  });
});
