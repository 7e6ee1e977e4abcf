/**
 * Personal identifiers of a subject, normalised so that the same person gives the same blind
 * index however the value was typed.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { asciiDigits } from '../lib/text.js';
import { compactNationalId } from './national-id/index.js';

export type IdentifierKind = 'phone' | 'email' | 'national_id';
export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['phone', 'email', 'national_id'];

/**
 * Request attributes read as identifiers of the subject (docs/authentication.md#personal-data).
 * Their values stay in the (encrypted) request snapshot as well.
 */
export const IDENTIFIER_ATTRIBUTES: Readonly<Record<string, IdentifierKind>> = {
  phone: 'phone',
  phone_number: 'phone',
  msisdn: 'phone',
  mobile: 'phone',
  email: 'email',
  email_address: 'email',
  national_id: 'national_id',
  id_number: 'national_id',
};

const IDENTIFIER_ENTRIES = Object.entries(IDENTIFIER_ATTRIBUTES);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * E.164 for a phone number in international form, or in the national form of `country` when one
 * is given; undefined when it is not a valid number. The whole value must be the number (spaces,
 * dots, dashes and brackets between its digits, full-width or other scripts' digits, a `tel:`
 * prefix): text around it or an extension (`x9`, `,9`) makes it none, not another number.
 */
export function normalisePhone(value: string, country?: CountryCode): string | undefined {
  const text = asciiDigits(value.trim().normalize('NFKC')).replace(/^tel:/i, '');
  const p = parsePhoneNumberFromString(text, {
    ...(country ? { defaultCountry: country } : {}),
    extract: false,
  });
  return p?.isValid() && p.ext === undefined ? p.number : undefined;
}

export function normaliseIdentifier(kind: IdentifierKind, value: string): string | undefined {
  switch (kind) {
    case 'phone':
      return normalisePhone(value);
    // Only ASCII letters change case: Unicode's mappings would make another value of one that is
    // not the same (`ß` → `SS`, the Kelvin sign `K` → `k`).
    case 'email': {
      const v = value.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
      return EMAIL.test(v) ? v : undefined;
    }
    case 'national_id': {
      const v = compactNationalId(value);
      return /^[0-9A-Z]{4,32}$/.test(v) ? v : undefined;
    }
  }
}

/** The identifiers found among a request's attributes, normalised; unusable values are skipped. */
export function identifiersIn(
  attributes: Readonly<Record<string, unknown>>,
): { kind: IdentifierKind; value: string }[] {
  const found: { kind: IdentifierKind; value: string }[] = [];
  for (const [key, kind] of IDENTIFIER_ENTRIES) {
    const raw = attributes[key];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const value = normaliseIdentifier(kind, String(raw));
    if (value && !found.some((f) => f.kind === kind && f.value === value)) found.push({ kind, value });
  }
  return found;
}

/** Shows enough of an identifier to recognise it, no more: `+2547******78`, `j***@example.com`. */
export function maskIdentifier(kind: IdentifierKind, value: string): string {
  if (kind === 'email') {
    const [user = '', domain = ''] = value.split('@');
    return `${user.slice(0, 1)}***@${domain}`;
  }
  if (value.length <= 4) return '*'.repeat(value.length);
  const keep = kind === 'phone' ? 5 : 2;
  return value.slice(0, keep) + '*'.repeat(Math.max(0, value.length - keep - 2)) + value.slice(-2);
}
