import { describe, expect, it } from 'vitest';
import { checkNationalPhone, NATIONAL_PHONE_RULES } from './national-phone.js';

describe('national phone numbers', () => {
  it.each(Object.entries(NATIONAL_PHONE_RULES))('the example of %s is valid', (country, rule) => {
    expect(checkNationalPhone(country, rule.example)).toMatch(/^\+\d{9,14}$/);
  });

  const cases: [string, string, string | undefined, string][] = [
    ['IN', '9876543210', '+919876543210', '10 digits'],
    ['IN', '09876543210', undefined, '11 digits with a trunk 0'],
    ['IN', '1234567890', undefined, 'a landline range, not a mobile'],
    ['IN', '+919876543210', undefined, 'with the country code'],
    ['MX', '5512345678', '+525512345678', '10 digits'],
    ['MX', '551234567', undefined, '9 digits'],
    ['TH', '0812345678', '+66812345678', '10 digits starting with 0'],
    ['TH', '812345678', undefined, 'no leading 0'],
    ['TH', '021234567', undefined, 'a 9-digit landline'],
    ['PH', '09171234567', '+639171234567', '11 digits'],
    ['PH', '9171234567', undefined, '10 digits'],
    ['CO', '3001234567', '+573001234567', 'a mobile'],
    ['CO', '6011234567', undefined, 'a landline'],
    ['VN', '0912345678', '+84912345678', 'starting with 0'],
    ['VN', '912345678', undefined, 'no leading 0'],
    ['NG', '08031234567', '+2348031234567', 'starting with 0'],
    ['NG', '0803 123 4567', '+2348031234567', 'with spaces'],
    ['NG', '8031234567', undefined, 'no leading 0'],
    ['PK', '03001234567', '+923001234567', 'starting with 0'],
    ['PK', '3001234567', undefined, 'no leading 0'],
    ['PK', '0300123456x', undefined, 'a letter'],
    ['TH', '๐๘๑๒๓๔๕๖๗๘', '+66812345678', 'in Thai digits'],
    ['TH', '０８１２３４５６７８', '+66812345678', 'in full-width digits'],
    ['IN', '९८७६५ ४३२१०', '+919876543210', 'in Devanagari digits'],
  ];
  it.each(cases)('%s %s -> %s (%s)', (country, raw, expected) => {
    expect(checkNationalPhone(country, raw)).toBe(expected);
  });
});
