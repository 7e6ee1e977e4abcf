/**
 * Places (docs/cv-parser.md#places): country names in English, Spanish and French (from the
 * runtime's Intl data for every ISO 3166 code) and a gazetteer of cities, matched as whole words
 * with their capital letter. Reported as written in the gazetteer, first seen first.
 */
import { wordsLiteral } from './words.js';

export const CITIES = [
  // East, West and Southern Africa
  'Nairobi',
  'Mombasa',
  'Kisumu',
  'Nakuru',
  'Eldoret',
  'Thika',
  'Kampala',
  'Entebbe',
  'Kigali',
  'Dar es Salaam',
  'Arusha',
  'Dodoma',
  'Zanzibar',
  'Addis Ababa',
  'Lagos',
  'Abuja',
  'Ibadan',
  'Accra',
  'Kumasi',
  'Dakar',
  'Abidjan',
  'Bamako',
  'Douala',
  'Yaoundé',
  'Kinshasa',
  'Lusaka',
  'Harare',
  'Johannesburg',
  'Cape Town',
  'Durban',
  'Pretoria',
  'Gaborone',
  'Maputo',
  'Lilongwe',
  'Blantyre',
  'Cairo',
  'Casablanca',
  'Rabat',
  'Tunis',
  'Algiers',
  // Europe
  'London',
  'Manchester',
  'Birmingham',
  'Edinburgh',
  'Dublin',
  'Paris',
  'Lyon',
  'Marseille',
  'Toulouse',
  'Bordeaux',
  'Lille',
  'Madrid',
  'Barcelona',
  'Valencia',
  'Seville',
  'Sevilla',
  'Bilbao',
  'Lisbon',
  'Porto',
  'Berlin',
  'Munich',
  'Hamburg',
  'Frankfurt',
  'Amsterdam',
  'Rotterdam',
  'Brussels',
  'Geneva',
  'Zurich',
  'Vienna',
  'Rome',
  'Milan',
  'Warsaw',
  'Prague',
  'Stockholm',
  'Copenhagen',
  'Oslo',
  'Helsinki',
  'Athens',
  // Americas
  'New York',
  'Boston',
  'Chicago',
  'San Francisco',
  'Los Angeles',
  'Seattle',
  'Austin',
  'Toronto',
  'Montreal',
  'Vancouver',
  'Mexico City',
  'Ciudad de México',
  'Guadalajara',
  'Monterrey',
  'Bogotá',
  'Medellín',
  'Cali',
  'Lima',
  'Quito',
  'Santiago',
  'Buenos Aires',
  'Córdoba',
  'Montevideo',
  'São Paulo',
  'Rio de Janeiro',
  'Caracas',
  // Asia and Oceania
  'Mumbai',
  'Delhi',
  'New Delhi',
  'Bangalore',
  'Bengaluru',
  'Chennai',
  'Hyderabad',
  'Karachi',
  'Lahore',
  'Dhaka',
  'Jakarta',
  'Manila',
  'Bangkok',
  'Singapore',
  'Kuala Lumpur',
  'Hong Kong',
  'Shanghai',
  'Beijing',
  'Tokyo',
  'Seoul',
  'Dubai',
  'Abu Dhabi',
  'Riyadh',
  'Sydney',
  'Melbourne',
  'Auckland',
] as const;

/** Country names in English, Spanish and French, with their ISO 3166 codes. */
let countries: Map<string, string> | undefined;

/**
 * Codes the runtime names that are no place: groupings (European Union, Eurozone, United Nations,
 * Outlying Oceania), pseudo-locales and the unknown region.
 */
const NOT_PLACES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** The current code of a region: the runtime also names withdrawn ones (DD → DE, RH → ZW). */
const currentCode = (code: string) => Intl.getCanonicalLocales(`und-${code}`)[0]!.slice(4);

function countryNames(): Map<string, string> {
  if (countries) return countries;
  countries = new Map();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const locale of ['en', 'es', 'fr']) {
    const dn = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const a of letters)
      for (const b of letters) {
        if (NOT_PLACES.has(a + b)) continue;
        const name = dn.of(a + b);
        // Names with brackets or commas are official forms nobody writes in a CV.
        if (name && !/[(),&]/.test(name) && name.length > 3 && !countries.has(name))
          countries.set(name, currentCode(a + b));
      }
  }
  for (const [extra, code] of [
    ['USA', 'US'],
    ['UK', 'GB'],
    ['United States of America', 'US'],
    ['Tanzania', 'TZ'],
  ] as const)
    countries.set(extra, code);
  return countries;
}

/** The ISO 3166 code of a country name the parser knows, e.g. Kenya → KE, España → ES. */
export const countryCode = (name: string): string | undefined =>
  countryNames().get(name) ?? countryNames().get(name.replace(/'/g, '’'));

let matcher: RegExp | undefined;

function placeMatcher(): RegExp {
  if (!matcher) {
    const all = [...new Set([...CITIES, ...countryNames().keys()])].sort((a, b) => b.length - a.length);
    matcher = new RegExp(`(?<![\\p{L}])(?:${all.map(wordsLiteral).join('|')})(?![\\p{L}])`, 'gu');
  }
  return matcher;
}

export function findPlaces(text: string): string[] {
  return [...new Set([...text.matchAll(placeMatcher())].map((m) => m[0]))];
}
