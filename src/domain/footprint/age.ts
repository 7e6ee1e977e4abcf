/**
 * A person's age in whole years on a day, from a date of birth as `YYYY-MM-DD` (what the CV
 * parser keeps): null for text that is not such a date, or a birth in the future or more than
 * 130 years back.
 */
import { parseIsoDate } from '../iso-date.js';

export function ageOn(dateOfBirth: unknown, today: Date): number | null {
  if (typeof dateOfBirth !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth.trim())) return null;
  let birth: Date;
  try {
    birth = new Date(parseIsoDate(dateOfBirth, 'date of birth'));
  } catch {
    return null; // not a calendar date (2001-02-30)
  }
  const [y, mo, d] = [birth.getUTCFullYear(), birth.getUTCMonth(), birth.getUTCDate()];
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()];
  const age = ty - y - (tm < mo || (tm === mo && td < d) ? 1 : 0);
  return age >= 0 && age <= 130 ? age : null;
}
