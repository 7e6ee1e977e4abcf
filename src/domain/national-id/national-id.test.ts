import { describe, expect, it } from 'vitest';
import { isValidAadhaar, isVerhoeffValid, verhoeffCheckDigit } from './aadhaar.js';
import { curpBirthDate, curpCheckDigit, isValidCurp } from './curp.js';
import { checkNationalId, compactNationalId, NATIONAL_ID_RULES } from './index.js';
import { isValidThaiId, thaiIdCheckDigit } from './thai-id.js';

describe('CURP (MX)', () => {
  it.each(['BOXW310820HNERXN09', 'HEGG560427MVZRRL04', 'BEML920313HCMLNS09'])('accepts %s', (curp) => {
    expect(isValidCurp(curp)).toBe(true);
  });
  it.each([
    ['BOXW310820HNERXN08', 'a wrong check digit'],
    ['BOXW311320HNERXN09', 'month 13'],
    ['BOXW310230HNERXN09', '30 February'],
    ['BOXW310820HZZRXN09', 'an unknown state'],
    ['BOXW310820QNERXN09', 'sex Q'],
    ['BOXW310820HNERXN0', '17 characters'],
    ['B0XW310820HNERXN09', 'a digit among the name letters'],
    ['BOXW310820HNEAXN09', 'a vowel among the inner consonants'],
  ])('refuses %s (%s)', (curp) => {
    expect(isValidCurp(curp)).toBe(false);
  });
  it('computes the check digit over 0-9, A-N, Ñ, O-Z weighted 18 to 2', () => {
    expect(curpCheckDigit('BOXW310820HNERXN0')).toBe('9');
    expect(curpCheckDigit('HEGG560427MVZRRL0')).toBe('4');
  });
  it('reads the century of the birth date from the differentiator', () => {
    expect(curpBirthDate('BOXW310820HNERXN09')).toEqual([1931, 8, 20]);
    const born2004 = `PEPJ040229HDFRRNA`;
    expect(curpBirthDate(`${born2004}${curpCheckDigit(born2004)}`)).toEqual([2004, 2, 29]);
    expect(isValidCurp(`${born2004}${curpCheckDigit(born2004)}`)).toBe(true);
    // 2003 was not a leap year.
    const notLeap = 'PEPJ030229HDFRRNA';
    expect(isValidCurp(`${notLeap}${curpCheckDigit(notLeap)}`)).toBe(false);
  });
});

describe('Aadhaar (IN)', () => {
  it.each(['234123412346', '499118665246'])('accepts %s', (n) => expect(isValidAadhaar(n)).toBe(true));
  it.each([
    ['234123412347', 'a wrong Verhoeff digit'],
    ['123412341234', 'a leading 1'],
    ['034123412346', 'a leading 0'],
    ['23412341234', '11 digits'],
    ['2341234123466', '13 digits'],
  ])('refuses %s (%s)', (n) => expect(isValidAadhaar(n)).toBe(false));
  it('makes and checks Verhoeff digits, catching every single-digit error and adjacent swap', () => {
    const base = '23412341234';
    const full = base + verhoeffCheckDigit(base);
    expect(full).toBe('234123412346');
    for (let i = 0; i < full.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === full[i]) continue;
        expect(isVerhoeffValid(full.slice(0, i) + d + full.slice(i + 1))).toBe(false);
      }
      if (i + 1 < full.length && full[i] !== full[i + 1]) {
        const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2);
        expect(isVerhoeffValid(swapped)).toBe(false);
      }
    }
  });
});

describe('Thai personal id (TH)', () => {
  it.each([
    ['3100600445635', 'category 3'],
    ['1234545678781', 'category 1'],
    ['0100600445631', 'category 0: registered without Thai nationality'],
  ])('accepts %s (%s)', (n) => expect(isValidThaiId(n)).toBe(true));
  it.each([
    ['3100600445636', 'a wrong check digit'],
    ['0100600445635', 'category 0 with a wrong check digit'],
    ['9100600445634', 'category 9, which does not exist, with a right check digit'],
    ['310060044563', '12 digits'],
  ])('refuses %s (%s)', (n) => expect(isValidThaiId(n)).toBe(false));
  it('computes (11 - sum of digits weighted 13..2 mod 11) mod 10', () => {
    expect(thaiIdCheckDigit('310060044563')).toBe('5');
  });
});

describe('national ids by country', () => {
  const cases: [string, string[], string[]][] = [
    [
      'MX',
      ['BOXW310820HNERXN09', 'boxw310820hnerxn09', 'ＢＯＸＷ３１０８２０ＨＮＥＲＸＮ０９'],
      ['BOXW310820HNERXN08'],
    ],
    [
      'IN',
      ['234123412346', '2341 2341 2346', '２３４１２３４１２３４６', '2341–2341–2346'],
      ['234123412347'],
    ],
    ['TH', ['3100600445635', '3-1006-00445-63-5', '๓๑๐๐๖๐๐๔๔๕๖๓๕', '3/1006/00445/63/5'], ['3100600445636']],
    ['PH', ['123456789012', '1234-5678-9012-3456'], ['12345678901', '12345678901234', 'ABCDEFGHIJKL']],
    ['CO', ['1020304050', '79.123.456', '123456'], ['12345', '01234567', '12345678901']],
    ['VN', ['123456789', '001099012345'], ['12345678', '0010990123456']],
    ['NG', ['12345678901'], ['1234567890', '123456789012']],
    [
      'PK',
      ['34201-0891231-8', '4220103976408', '82203-1234567-1'],
      ['94201-0891231-8', '3420108912310', '342010891231'],
    ],
  ];
  it.each(cases)('%s', (country, valid, invalid) => {
    for (const v of valid) expect(checkNationalId(country, v), v).toBe(compactNationalId(v));
    for (const v of invalid) expect(checkNationalId(country, v), v).toBeUndefined();
  });
  it('has a rule, with a name and a format, for each of the eight countries', () => {
    expect(Object.keys(NATIONAL_ID_RULES).sort()).toEqual(['CO', 'IN', 'MX', 'NG', 'PH', 'PK', 'TH', 'VN']);
  });
  it("reads full-width characters, other scripts' digits and any dash or slash as the id typed in ASCII", () => {
    expect(compactNationalId('２３４１２３４１２３４６')).toBe('234123412346');
    expect(compactNationalId('๓-๑๐๐๖-๐๐๔๔๕-๖๓-๕')).toBe('3100600445635');
    expect(compactNationalId('३४२०१‐०८९१२३१—८')).toBe('3420108912318');
    expect(compactNationalId('ｂｏｘｗ３１０８２０ｈｎｅｒｘｎ０９')).toBe('BOXW310820HNERXN09');
    expect(compactNationalId('3/1006/00445/63/5')).toBe('3100600445635');
    // Letters other than ASCII keep their case: `ß` is not `SS`.
    expect(compactNationalId('aß-1')).toBe('Aß1');
  });
  it('takes 4-32 letters and digits for a country without a rule', () => {
    expect(checkNationalId('KE', '12345678')).toBe('12345678');
    expect(checkNationalId('KE', '12')).toBeUndefined();
  });
});
