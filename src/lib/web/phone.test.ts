import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone';

describe('formatPhone', () => {
  it('shows a French number in national form, by pairs', () => {
    expect(formatPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(formatPhone('+33139980103')).toBe('01 39 98 01 03');
  });
  it('leaves other numbers as stored', () => {
    expect(formatPhone('+442071234567')).toBe('+442071234567');
    expect(formatPhone('+3361234')).toBe('+3361234');
  });
});
