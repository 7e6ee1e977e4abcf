/**
 * A person's age in whole years on a day, from a date of birth as `YYYY-MM-DD` (what the CV
 * parser keeps): null for text that is not such a date, or a birth in the future or more than
 * 130 years back.
 */
export function ageOn(dateOfBirth: unknown, today: Date): number | null {
  if (typeof dateOfBirth !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const birth = new Date(0);
  birth.setUTCFullYear(y, mo - 1, d);
  // 2001-02-30 is not a date: setUTCFullYear would have rolled it over into March.
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== mo - 1 || birth.getUTCDate() !== d) return null;
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth() + 1;
  const td = today.getUTCDate();
  const age = ty - y - (tm < mo || (tm === mo && td < d) ? 1 : 0);
  return age >= 0 && age <= 130 ? age : null;
}
