import { describe, expect, it } from 'vitest';
import { parseSimulatorForm, simulatorFieldError } from './simulator-form';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};

describe('simulator form', () => {
  it('turns euros typed the French way into cents and empty fields into null', () => {
    const { input, errors } = parseSimulatorForm(
      form({ adults: '1', children: '2', isSingleParent: 'on', profile: 'famille-monoparentale', commune: '59999', resources: '1 234,50', charges: '700', annualIncome: '', benefits: '' })
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      adults: 1,
      children: 2,
      isSingleParent: true,
      profile: 'famille-monoparentale',
      communeInsee: '59999',
      monthlyResourcesCents: 123_450,
      monthlyChargesCents: 70_000,
      annualTaxableIncomeCents: null,
      monthlyBenefitsCents: null
    });
  });

  it('reads "not said" and "another commune", and defaults children to 0', () => {
    const { input } = parseSimulatorForm(form({ adults: '2', profile: 'pirate', commune: 'other' }));
    expect(input).toMatchObject({ children: 0, isSingleParent: false, profile: null, communeInsee: 'other' });
    expect(parseSimulatorForm(form({ adults: '1', commune: '' })).input.communeInsee).toBeNull();
  });

  it('names the fields it cannot read', () => {
    const { errors } = parseSimulatorForm(form({ adults: '', children: 'deux', resources: '12,345', charges: 'beaucoup', benefits: '40' }));
    expect(errors).toEqual({
      adults: { key: 'simulator.error.count' },
      children: { key: 'simulator.error.count' },
      resources: { key: 'simulator.error.amount' },
      charges: { key: 'simulator.error.amount' }
    });
    expect(parseSimulatorForm(form({ adults: '31' })).errors).toEqual({ adults: { key: 'simulator.error.tooLarge' } });
  });

  it('puts the service’s field errors on the form’s fields', () => {
    expect(simulatorFieldError({ path: 'adults', code: 'too_small', message: 'a household has at least one adult' })).toEqual([
      'adults',
      { key: 'simulator.error.adults' }
    ]);
    expect(simulatorFieldError({ path: 'isSingleParent', code: 'custom', message: '…' })).toEqual(['isSingleParent', { key: 'simulator.error.singleParent' }]);
    expect(simulatorFieldError({ path: 'monthlyResourcesCents', code: 'too_big', message: 'too large' })).toEqual([
      'resources',
      { key: 'simulator.error.tooLarge' }
    ]);
    expect(simulatorFieldError({ path: 'children', code: 'custom', message: 'at most 30 people' })).toEqual(['children', { key: 'simulator.error.tooLarge' }]);
    expect(simulatorFieldError({ path: 'communeInsee', code: 'invalid_union', message: 'Invalid input' })).toEqual(['commune', { key: 'fieldErrors.invalid' }]);
  });
});
