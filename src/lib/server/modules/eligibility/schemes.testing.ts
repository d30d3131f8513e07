import type { CreateSchemeInput } from '../../../schemas/eligibility.js';

/** Test factories for schemes (used by *.test.ts only). */

let counter = 0;

/** A valid scheme input: anti-gaspi-like (reste à vivre ≤ 7 €, 6 months, a year at most). */
export function schemeInput(overrides: Partial<CreateSchemeInput> = {}): CreateSchemeInput {
  counter += 1;
  return {
    code: `dispositif-${counter}`,
    name: `Dispositif ${counter}`,
    maxResteAVivreCents: 700,
    defaultValidityDays: 182,
    maxValidityDays: 365,
    ...overrides
  };
}
