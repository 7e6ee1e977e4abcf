/**
 * National id checks by country (ISO 3166-1 alpha-2). An id is compacted first (separators
 * people type are dropped, letters upper-cased), then checked by its country's rule. Countries
 * without a rule here are not checked (`hasNationalIdRule` says which are).
 */

import { asciiDigits, halfWidth } from '../../lib/text.js';
import { isValidAadhaar } from './aadhaar.js';
import { isValidCurp } from './curp.js';
import { isValidCedula, isValidCnic, isValidNin, isValidPhilSys, isValidVietnamId } from './digit-ids.js';
import { isValidThaiId } from './thai-id.js';

export interface NationalIdRule {
  /** What the id is called in its country. */
  name: string;
  /** What a valid id looks like, for error messages and docs. */
  format: string;
  isValid(compact: string): boolean;
}

export const NATIONAL_ID_RULES: Readonly<Record<string, NationalIdRule>> = {
  MX: {
    name: 'CURP',
    format:
      '18 characters: 4 letters (the 2nd a vowel or X), a real birth date YYMMDD, sex H, M or X, ' +
      'a state code, 3 consonants, a letter or digit and a check digit',
    isValid: isValidCurp,
  },
  IN: {
    name: 'Aadhaar',
    format: '12 digits, not starting with 0 or 1, the last a Verhoeff check digit',
    isValid: isValidAadhaar,
  },
  TH: {
    name: 'Thai personal id',
    format: '13 digits, the first 0 to 8, the last a mod-11 check digit',
    isValid: isValidThaiId,
  },
  PH: { name: 'PhilSys number', format: '12 or 16 digits', isValid: isValidPhilSys },
  CO: { name: 'cédula de ciudadanía', format: '6 to 10 digits, not starting with 0', isValid: isValidCedula },
  VN: { name: 'CMND or CCCD', format: '9 or 12 digits', isValid: isValidVietnamId },
  NG: { name: 'NIN', format: '11 digits', isValid: isValidNin },
  PK: {
    name: 'CNIC',
    format: '13 digits, the first 1 to 8 (the province), the last not 0',
    isValid: isValidCnic,
  },
};

/** The separators people type inside ids: spaces, dots, slashes and hyphens or dashes of any kind. */
const SEPARATORS = /[\s./\-\u2010-\u2015\u2212]/gu;

/**
 * An id as its rule reads it (`34201-0891231-8` → `3420108912318`, `1.020.304.050` →
 * `1020304050`): full-width characters are their ASCII forms, other scripts' digits ASCII digits
 * (Thai `๓๑๐๐...`), separators dropped and letters upper-cased.
 */
export function compactNationalId(raw: string): string {
  // ASCII letters only change case, and no other compatibility mapping applies: `ß` would become
  // `SS` and the long `ſ` an `S`, another id.
  return asciiDigits(halfWidth(raw))
    .replace(SEPARATORS, '')
    .replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function hasNationalIdRule(country: string): boolean {
  return Object.hasOwn(NATIONAL_ID_RULES, country);
}

/**
 * The compacted id when it is valid for the country, else undefined. A country without a rule
 * takes any 4 to 32 letters and digits.
 */
export function checkNationalId(country: string, raw: string): string | undefined {
  const compact = compactNationalId(raw);
  const rule = NATIONAL_ID_RULES[country];
  if (rule) return rule.isValid(compact) ? compact : undefined;
  return /^[0-9A-Z]{4,32}$/.test(compact) ? compact : undefined;
}
