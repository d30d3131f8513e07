import { describe, expect, it } from 'vitest';
import { AppError } from '../server/errors';
import { failSeries, seriesFormInput } from './series.server';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('recurring offer form', () => {
  it('turns the form into a rule and a template without a one-day window', () => {
    const input = seriesFormInput(
      form([
        ['title', 'Pain du soir'],
        ['category', 'pain-viennoiserie'],
        ['quantity', '8'],
        ['weekdays', '1'],
        ['weekdays', '5'],
        ['startTime', '19:00'],
        ['endTime', '20:00'],
        ['dateKind', 'dlc'],
        ['dateOffsetDays', '2'],
        ['allergens', 'gluten']
      ])
    );
    expect(input).toMatchObject({ weekdays: [1, 5], startTime: '19:00', endTime: '20:00', endsOn: null });
    expect(input.template).toMatchObject({ title: 'Pain du soir', quantity: 8, dateKind: 'dlc', dateOffsetDays: 2, allergens: ['gluten'] });
    expect(input.template).not.toHaveProperty('pickupStartsAt');
    expect(input.template).not.toHaveProperty('dateOn');
    expect(seriesFormInput(form([['dateOffsetDays', 'deux']])).template.dateOffsetDays).toBe(-1);
  });

  it('shows a template refusal at the form field, and keeps the ticked days', () => {
    const err = new AppError('validation_failed', 'refused', {
      fields: [
        { path: 'template.pickupEndsAt', message: 'too long', code: 'chilled_window_too_long' },
        { path: 'template.title', message: 'too short', code: 'too_small' },
        { path: 'weekdays', message: 'bad', code: 'weekdays_invalid' }
      ]
    });
    const failure = failSeries(err, form([['weekdays', '2'], ['weekdays', '4'], ['title', 'P']]), 'update');
    expect(Object.keys(failure.data.fields).sort()).toEqual(['endTime', 'title', 'weekdays']);
    expect(failure.data.values.weekdays).toBe('2,4');
    expect(failure.data.form).toBe('update');
  });
});
