import { describe, expect, it } from 'vitest';
import { identifiersIn, maskIdentifier, normaliseIdentifier } from './identifiers.js';

describe('identifiers', () => {
  it('normalises phones to E.164 and refuses invalid ones', () => {
    expect(normaliseIdentifier('phone', '+254 712 345 678')).toBe('+254712345678');
    expect(normaliseIdentifier('phone', '+234 803 123 4567')).toBe('+2348031234567');
    expect(normaliseIdentifier('phone', '0712345678')).toBeUndefined(); // no country: ambiguous
    expect(normaliseIdentifier('phone', '+1 555')).toBeUndefined();
  });
  it('reads a phone only when the whole value is one, in any spelling of its digits', () => {
    for (const same of [
      '+254 (712) 345-678',
      '+254.712.345.678',
      '＋２５４７１２３４５６７８',
      '+٢٥٤٧١٢٣٤٥٦٧٨',
      '+๒๕๔๗๑๒๓๔๕๖๗๘',
      '+२५४ ७१२ ३४५ ६७८',
      'tel:+254712345678',
    ])
      expect(normaliseIdentifier('phone', same), same).toBe('+254712345678');
    for (const other of [
      '+254712345678abc',
      '+254 712 345 678 (home)',
      '+254712345678,9',
      '+254712345678 x9',
    ])
      expect(normaliseIdentifier('phone', other), other).toBeUndefined();
  });
  it('changes the case of ASCII letters only, so no value becomes another', () => {
    expect(normaliseIdentifier('national_id', 'straße1234')).toBeUndefined();
    expect(normaliseIdentifier('national_id', 'ſtrasse1234')).toBeUndefined();
    expect(normaliseIdentifier('email', '\u212Aate@example.com')).toBe('\u212Aate@example.com');
    expect(normaliseIdentifier('email', 'Kate@example.com')).toBe('kate@example.com');
  });
  it('normalises emails and national ids', () => {
    expect(normaliseIdentifier('email', ' Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(normaliseIdentifier('email', 'not-an-email')).toBeUndefined();
    expect(normaliseIdentifier('national_id', 'ab-123 456.78')).toBe('AB12345678');
    expect(normaliseIdentifier('national_id', '12')).toBeUndefined();
    expect(normaliseIdentifier('national_id', '２３４１－２３４１－２３４６')).toBe('234123412346');
  });
  it('finds identifiers among attributes', () => {
    expect(
      identifiersIn({
        client_id: 'x',
        phone_number: '+254712345678',
        mobile: '+254 712 345678',
        email: 'A@b.co',
        age: 3,
      }),
    ).toEqual([
      { kind: 'phone', value: '+254712345678' },
      { kind: 'email', value: 'a@b.co' },
    ]);
  });
  it('masks', () => {
    expect(maskIdentifier('phone', '+254712345678')).toBe('+2547******78');
    expect(maskIdentifier('email', 'jane@example.com')).toBe('j***@example.com');
    expect(maskIdentifier('national_id', '12345678')).toBe('12****78');
  });
});
