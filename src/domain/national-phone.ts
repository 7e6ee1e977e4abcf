/**
 * Phone numbers written the national way, without the country code, as credit-indicator requests
 * carry them (seeds/td-credit-indicators.txt, `phone_number`):
 * - India, Mexico, Thailand: 10 digits in total;
 * - the Philippines: 11 digits in total;
 * - Nigeria, Vietnam, Thailand, Pakistan: starting with the trunk prefix 0.
 * Beyond the length and prefix, the number must be a valid mobile number of that country in
 * libphonenumber's metadata, dialled nationally: the seed speaks of "mobile phone number", and its
 * lengths are those of mobiles (a Thai landline has 9 digits). Where the metadata cannot tell
 * mobiles from landlines (Mexico) either is taken. Colombia has no rule in the seed and gets only
 * that check (mobiles are 10 digits starting with 3).
 */

import type { CountryCode } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { asciiDigits, halfWidth } from '../lib/text.js';

export interface NationalPhoneRule {
  /** The number of digits the number must have, when the seed fixes it. */
  digits?: number;
  /** Whether the number must start with the trunk prefix 0. */
  leadingZero?: boolean;
  /** A valid example, for error messages and docs. */
  example: string;
}

export const NATIONAL_PHONE_RULES: Readonly<Record<string, NationalPhoneRule>> = {
  IN: { digits: 10, example: '9876543210' },
  MX: { digits: 10, example: '5512345678' },
  TH: { digits: 10, leadingZero: true, example: '0812345678' },
  PH: { digits: 11, example: '09171234567' },
  CO: { example: '3001234567' },
  VN: { leadingZero: true, example: '0912345678' },
  NG: { leadingZero: true, example: '08031234567' },
  PK: { leadingZero: true, example: '03001234567' },
};

/** Spaces, hyphens and brackets people type inside numbers. */
const SEPARATORS = /[\s()-]/g;

/**
 * The number in E.164 (`+919876543210`) when it is a national number of the country that keeps
 * the country's rule, else undefined.
 */
export function checkNationalPhone(country: string, raw: string): string | undefined {
  // Full-width and other scripts' digits are read as the digits they are (Thai `๐๘๑...`).
  const digits = asciiDigits(halfWidth(raw)).replace(SEPARATORS, '');
  if (!/^\d+$/.test(digits)) return undefined;
  const rule = NATIONAL_PHONE_RULES[country];
  if (rule?.digits !== undefined && digits.length !== rule.digits) return undefined;
  if (rule?.leadingZero && !digits.startsWith('0')) return undefined;
  const parsed = parsePhoneNumberFromString(digits, country as CountryCode);
  if (!parsed || parsed.country !== country) return undefined;
  // With the full metadata a number is valid exactly when it has a type, so asking for the type
  // alone is the same check as isValid() followed by getType(), at half the cost (the metadata's
  // patterns are compiled on every match).
  const type = parsed.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? parsed.number : undefined;
}
