import { describe, expect, it } from 'vitest';
import type { IdentifierKind } from './identifiers.js';
import { matchSubject, phoneOfCountry, type SubjectCandidate } from './subject-match.js';

const ID = { kind: 'national_id', value: '234123412346' } as const;
const PH_PHONE = { kind: 'phone', value: '+639171234567' } as const;
const IN_PHONE = { kind: 'phone', value: '+919876543210' } as const;

/** A subject that matched the call by `matched`, with these phones, and a national id if `withId`. */
const subject = (
  subjectId: string,
  matched: IdentifierKind[],
  phones: string[] = [],
  withId = matched.includes('national_id'),
): SubjectCandidate => ({
  subjectId,
  matched,
  phones,
  kinds: [...(withId ? (['national_id'] as const) : []), ...phones.map(() => 'phone' as const)],
});

describe('phoneOfCountry', () => {
  it('tells a number by its calling code', () => {
    expect(phoneOfCountry('+919876543210', 'IN')).toBe(true);
    expect(phoneOfCountry('+919876543210', 'PH')).toBe(false);
    expect(phoneOfCountry('+639171234567', 'PH')).toBe(true);
    expect(phoneOfCountry('not a phone', 'PH')).toBe(false);
    expect(phoneOfCountry('+639171234567', 'ZZ')).toBe(false);
  });
});

describe('matchSubject', () => {
  const indian = subject('in-1', ['national_id'], [IN_PHONE.value]);

  it('matches nobody when no subject carries either identifier', () => {
    expect(matchSubject('PH', [ID, PH_PHONE], [])).toBeNull();
  });

  it('does not take a subject found by the id whose phone numbers are all of another country', () => {
    expect(matchSubject('PH', [ID, PH_PHONE], [indian])).toBeNull();
    // The same digits with an Indian call are the Indian subject, and its phone is not replaced.
    const otherIndianPhone = { kind: 'phone', value: '+919812345678' } as const;
    expect(matchSubject('IN', [ID, otherIndianPhone], [indian])).toEqual({
      subjectId: 'in-1',
      unattached: [],
    });
  });

  it('takes the subject found by the phone when the one found by the id is of another country', () => {
    const filipino = subject('ph-1', ['phone'], [PH_PHONE.value]);
    // The id stays with the subject that already carries it: it is not attached to the other.
    expect(matchSubject('PH', [ID, PH_PHONE], [indian, filipino])).toEqual({
      subjectId: 'ph-1',
      unattached: [],
    });
  });

  it('takes a subject found by the id with a phone of the call country among others', () => {
    const both = subject('s', ['national_id'], [IN_PHONE.value, '+639181234567']);
    expect(matchSubject('PH', [ID, PH_PHONE], [both])).toEqual({ subjectId: 's', unattached: [] });
  });

  it('takes a subject found by the id that has no phone number, and attaches the phone', () => {
    const idOnly = subject('s', ['national_id']);
    expect(matchSubject('PH', [ID, PH_PHONE], [idOnly])).toEqual({ subjectId: 's', unattached: [PH_PHONE] });
  });

  it('never gives a subject found by the phone a second national id', () => {
    const known = subject('s', ['phone'], [IN_PHONE.value], true);
    expect(matchSubject('IN', [ID, IN_PHONE], [known])).toEqual({ subjectId: 's', unattached: [] });
    // A subject found by the phone that has no national id gets the call's.
    const phoneOnly = subject('s', ['phone'], [IN_PHONE.value]);
    expect(matchSubject('IN', [ID, IN_PHONE], [phoneOnly])).toEqual({ subjectId: 's', unattached: [ID] });
  });

  it('never attaches a value another subject carries', () => {
    const byId = subject('a', ['national_id']);
    const byPhone = subject('b', ['phone'], [IN_PHONE.value]);
    expect(matchSubject('IN', [ID, IN_PHONE], [byPhone, byId])).toEqual({ subjectId: 'a', unattached: [] });
  });
});
