/**
 * A person's phones from several sources, each as one E.164 number however it was written: a
 * network that gives `0712 345 678` and another that gives `+254 712 345 678` name one phone.
 * A national form is read in the first of the person's countries where it is a valid number: the
 * countries their records give, then those of their phones written in international form, then
 * any the caller adds (where the request came from). One that reads in none is undefined.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { normalisePhone } from '../identifiers.js';

export function phonesAsOne(
  sources: readonly (readonly string[])[],
  countries: readonly string[] = [],
  /** Countries to try last: where the request came from. */
  fallback: readonly string[] = [],
): (string | undefined)[][] {
  const international = sources
    .flat()
    .map((p) => parsePhoneNumberFromString(p.trim(), { extract: false }))
    .filter((p) => p?.isValid() && p.country)
    .map((p) => p!.country as string);
  const candidates = [...new Set([...countries, ...international, ...fallback].map((c) => c.toUpperCase()))];
  const read = (p: string) => {
    for (const c of candidates) {
      const e164 = normalisePhone(p, c as CountryCode);
      if (e164) return e164;
    }
    return normalisePhone(p);
  };
  return sources.map((l) => l.map(read));
}
