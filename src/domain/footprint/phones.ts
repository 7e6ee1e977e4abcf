/**
 * A person's phones from several sources, each as one E.164 number however it was written: a
 * network that gives `0712 345 678` and another that gives `+254 712 345 678` name one phone.
 * A national form is read in the country of the person's phones written in international form,
 * or else of the country their records give; one that reads in neither is kept as its digits.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { normalisePhone } from '../identifiers.js';

export function phonesAsOne(
  sources: readonly (readonly string[])[],
  countries: readonly string[] = [],
): string[][] {
  const international = sources
    .flat()
    .map((p) => parsePhoneNumberFromString(p.trim(), { extract: false }))
    .find((p) => p?.isValid() && p.country)?.country;
  const country = international ?? (countries[0] as CountryCode | undefined);
  return sources.map((l) => l.map((p) => normalisePhone(p, country) ?? p.replace(/[^\d+]/g, '')));
}
