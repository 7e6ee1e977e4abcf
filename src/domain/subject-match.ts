/**
 * Which of a tenant's subjects a credit-indicator call is about, and which of the call's
 * identifiers may then be attached to that subject (docs/td.md, "Whose data").
 *
 * A call names a person by a country, a national id number and a phone number. Subjects keep
 * their national id without a country (the other dialects send none), and id numbers of
 * different countries overlap (PH, IN and VN ids of 12 digits, TH and PK of 13), so a national id
 * alone cannot tell an Indian subject from a Philippine one. A subject's phone numbers can: they
 * are kept in E.164, with their country calling code. Hence the rule: a subject found by the
 * national id is not taken when it carries phone numbers and none of them is of the call's
 * country. Its phone numbers place it elsewhere, so it is another person with the same digits.
 */
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { IdentifierKind } from './identifiers.js';

export interface CallIdentifier {
  kind: IdentifierKind;
  value: string;
}

/** A subject of the tenant that carries one of the call's identifiers. */
export interface SubjectCandidate {
  subjectId: string;
  /** The kinds of the call's identifiers that this subject carries. */
  matched: readonly IdentifierKind[];
  /** Every kind of identifier the subject carries. */
  kinds: readonly IdentifierKind[];
  /** The subject's phone numbers, E.164. */
  phones: readonly string[];
}

export interface SubjectMatch {
  subjectId: string;
  /** The call's identifiers to attach: of a kind the subject lacks, and carried by no subject. */
  unattached: CallIdentifier[];
}

/** Whether an E.164 number has the calling code of `country` (each TD country has its own). */
export function phoneOfCountry(e164: string, country: string): boolean {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return false;
  try {
    return phone.countryCallingCode === getCountryCallingCode(country as CountryCode);
  } catch {
    return false;
  }
}

/** A subject whose known phone numbers are all of other countries than `country`. */
export function placedElsewhere(candidate: SubjectCandidate, country: string): boolean {
  return candidate.phones.length > 0 && !candidate.phones.some((p) => phoneOfCountry(p, country));
}

/**
 * The subject with the national id (unless placed in another country), else the one with the
 * phone number. An identifier is attached only when the subject carries none of its kind, so a
 * subject never gains a second national id from a call, and only when no subject of the tenant
 * carries that value already (including a subject set aside as another country's).
 */
export function matchSubject(
  country: string,
  given: readonly CallIdentifier[],
  candidates: readonly SubjectCandidate[],
): SubjectMatch | null {
  const match =
    candidates.find((c) => c.matched.includes('national_id') && !placedElsewhere(c, country)) ??
    candidates.find((c) => c.matched.includes('phone'));
  if (!match) return null;
  const carried = new Set(candidates.flatMap((c) => c.matched));
  return {
    subjectId: match.subjectId,
    unattached: given.filter((g) => !carried.has(g.kind) && !match.kinds.includes(g.kind)),
  };
}
