/**
 * National id checks by country (ISO 3166-1 alpha-2). An id is compacted first (separators
 * people type are dropped, letters upper-cased), then checked by its country's rule. Countries
 * without a rule here are not checked (`hasNationalIdRule` says which are).
 */
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
  MX: { name: 'CURP', format: '18 characters with a valid check digit', isValid: isValidCurp },
  IN: { name: 'Aadhaar', format: '12 digits with a valid Verhoeff check digit', isValid: isValidAadhaar },
  TH: {
    name: 'Thai personal id',
    format: '13 digits with a valid mod-11 check digit',
    isValid: isValidThaiId,
  },
  PH: { name: 'PhilSys number', format: '12 or 16 digits', isValid: isValidPhilSys },
  CO: { name: 'cédula de ciudadanía', format: '6 to 10 digits', isValid: isValidCedula },
  VN: { name: 'CMND or CCCD', format: '9 or 12 digits', isValid: isValidVietnamId },
  NG: { name: 'NIN', format: '11 digits', isValid: isValidNin },
  PK: { name: 'CNIC', format: '13 digits', isValid: isValidCnic },
};

/** Drops the spaces, hyphens and dots people type inside ids (`34201-0891231-8`, `1.020.304.050`). */
export function compactNationalId(raw: string): string {
  // ASCII letters only change case: `ß` would become `SS`, another id.
  return raw.replace(/[\s.-]/g, '').replace(/[a-z]/g, (c) => c.toUpperCase());
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
