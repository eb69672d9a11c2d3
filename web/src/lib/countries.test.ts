import { describe, expect, it } from 'vitest';
import { countries, countryError, countryName, isCountryCode } from './countries';

describe('countries', () => {
  it('lists ISO 3166-1 alpha-2 codes with names', () => {
    expect(countries.length).toBe(249);
    expect(countryName('NL')).toBe('Netherlands');
    expect(countryName('NE')).toBe('Niger');
    expect(countries.find((c) => c.code === 'IE')?.name).toBe('Ireland');
  });
  it('refuses codes that are no country', () => {
    expect(isCountryCode('XX')).toBe(false);
    expect(countryError('XX')).toMatch(/not an ISO 3166-1 country code/);
    expect(countryError('')).toBe('choose a country');
    expect(countryError('NL')).toBeUndefined();
  });
});
