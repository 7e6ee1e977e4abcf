/**
 * Phone numbers in text with libphonenumber-js `findNumbers`, normalised to E.164. Numbers written
 * in international form are found whatever the country; national ones (0712 345 678) only for
 * the default country given, when there is one (the parser passes the country the text names).
 */
import { type CountryCode, findNumbers } from 'libphonenumber-js/max';

export function findPhones(text: string, defaultCountry?: string): string[] {
  const found = new Set<string>();
  const scan = (country?: CountryCode) => {
    for (const m of findNumbers(text, { v2: true, ...(country ? { defaultCountry: country } : {}) })) {
      const raw = text.slice(m.startsAt, m.endsAt);
      // A national number is written with its trunk prefix (0...), which years and ranges lack.
      if (country && !/^\(?0/.test(raw)) continue;
      if (m.number.isValid()) found.add(m.number.number as string);
    }
  };
  scan();
  if (defaultCountry) scan(defaultCountry as CountryCode);
  return [...found];
}
