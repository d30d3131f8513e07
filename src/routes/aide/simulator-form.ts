import type { FieldMessage } from '../../lib/i18n/fields';
import { COMMUNE_ELSEWHERE, HOUSEHOLD_SIZE_MAX, parseEurosToCents, PROFILES } from '../../lib/schemas/eligibility-vocabulary';

/**
 * The simulator's form (`/aide`) ↔ the simulator's input (`simulateInput`): euros typed the French
 * way become integer cents, empty optional fields become null, and a service's field errors come
 * back on the form's own field names with the simulator's wording.
 */

/** Form field → API field. */
export const FORM_TO_API = {
  adults: 'adults',
  children: 'children',
  isSingleParent: 'isSingleParent',
  profile: 'profile',
  commune: 'communeInsee',
  resources: 'monthlyResourcesCents',
  charges: 'monthlyChargesCents',
  annualIncome: 'annualTaxableIncomeCents',
  benefits: 'monthlyBenefitsCents'
} as const;
export type SimulatorField = keyof typeof FORM_TO_API;

const API_TO_FORM: Record<string, SimulatorField> = Object.fromEntries(
  Object.entries(FORM_TO_API).map(([form, api]) => [api, form as SimulatorField])
);
API_TO_FORM.size = 'adults';

const MONEY_FIELDS = ['resources', 'charges', 'annualIncome', 'benefits'] as const;

export interface ParsedSimulatorForm {
  input: Record<string, unknown>;
  errors: Record<string, FieldMessage>;
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/** Reads the form; errors the service could not name well (not a number, not an amount) are caught here. */
export function parseSimulatorForm(data: FormData): ParsedSimulatorForm {
  const errors: Record<string, FieldMessage> = {};
  const count = (name: 'adults' | 'children', empty: number | null) => {
    const v = text(data, name);
    if (v === '') {
      if (empty === null) errors[name] = { key: 'simulator.error.count' };
      return empty ?? 0;
    }
    if (!/^\d{1,3}$/.test(v)) {
      errors[name] = { key: 'simulator.error.count' };
      return 0;
    }
    const n = Number(v);
    if (n > HOUSEHOLD_SIZE_MAX) errors[name] = { key: 'simulator.error.tooLarge' };
    return n;
  };
  const input: Record<string, unknown> = {
    adults: count('adults', null),
    children: count('children', 0),
    isSingleParent: data.get('isSingleParent') !== null,
    profile: (PROFILES as readonly string[]).includes(text(data, 'profile')) ? text(data, 'profile') : null
  };
  const commune = text(data, 'commune').toUpperCase();
  input.communeInsee = commune === '' ? null : commune === COMMUNE_ELSEWHERE.toUpperCase() ? COMMUNE_ELSEWHERE : commune;
  for (const name of MONEY_FIELDS) {
    const v = text(data, name);
    if (v === '') {
      input[FORM_TO_API[name]] = null;
      continue;
    }
    const cents = parseEurosToCents(v);
    if (cents === null) errors[name] = { key: 'simulator.error.amount' };
    input[FORM_TO_API[name]] = cents;
  }
  return { input, errors };
}

/** A service's field problem (`path`, zod code) → the form field and the simulator's message. */
export function simulatorFieldError(issue: { path: string; code?: string; message: string }): [SimulatorField, FieldMessage] {
  const field = API_TO_FORM[issue.path.split('.')[0] ?? ''] ?? 'adults';
  if (field === 'isSingleParent') return [field, { key: 'simulator.error.singleParent' }];
  if (field === 'adults' && issue.code !== 'too_big') return [field, { key: 'simulator.error.adults' }];
  if (issue.code === 'too_big' || /too large|at most/.test(issue.message)) return [field, { key: 'simulator.error.tooLarge' }];
  if ((MONEY_FIELDS as readonly string[]).includes(field)) return [field, { key: 'simulator.error.amount' }];
  return [field, { key: 'fieldErrors.invalid' }];
}
