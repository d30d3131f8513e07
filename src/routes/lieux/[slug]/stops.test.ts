import { describe, expect, it } from 'vitest';
import { stopDatesText } from './stops';

describe('stop validity as a sentence', () => {
  it('says from, to, both or nothing, in the page language', () => {
    expect(stopDatesText({ validFrom: '2027-07-01', validTo: '2027-08-31' }, 'fr')).toBe('Du 1 juillet 2027 au 31 août 2027');
    expect(stopDatesText({ validFrom: '2027-07-01', validTo: null }, 'en')).toBe('From 1 July 2027');
    expect(stopDatesText({ validFrom: null, validTo: '2027-08-31' }, 'fr')).toBe('Jusqu’au 31 août 2027');
    expect(stopDatesText({ validFrom: null, validTo: null }, 'fr')).toBeNull();
  });
});
