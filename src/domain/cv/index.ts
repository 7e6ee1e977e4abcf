/**
 * The CV parser: everything the FriendlyScore dialect's `google/raw-file-data/*` endpoints serve,
 * from a document's text. Pure. What each part recognises: docs/cv-parser.md.
 */
import { findBirthDates } from './births.js';
import { findEmails } from './emails.js';
import { findPhones } from './phones.js';
import { countryCode, findPlaces } from './places.js';
import { findSkills } from './skills.js';
import { findUniversities } from './universities.js';
import { type FoundWorkPeriod, findWorkPeriods } from './work-periods.js';

export interface CvExtraction {
  places: string[];
  'days-of-birth': string[];
  skills: string[];
  phones: string[];
  'work-periods': FoundWorkPeriod[];
  universities: string[];
  emails: string[];
}

/**
 * `defaultCountry` (ISO 3166) reads phone numbers written without their country code; without it,
 * the first country the text names is taken.
 */
export function extractCv(text: string, options: { defaultCountry?: string; now?: Date } = {}): CvExtraction {
  const places = findPlaces(text);
  const country = options.defaultCountry ?? places.map(countryCode).find((c) => c !== undefined);
  return {
    places,
    'days-of-birth': findBirthDates(text, options.now),
    skills: findSkills(text),
    phones: findPhones(text, country),
    'work-periods': findWorkPeriods(text),
    universities: findUniversities(text),
    emails: findEmails(text),
  };
}
