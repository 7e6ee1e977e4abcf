/** Every country's message formats, in the order they are tried. */
import type { CountryTemplates } from '../types.js';
import { INDIA } from './in.js';
import { KENYA } from './ke.js';
import { NIGERIA } from './ng.js';
import { PHILIPPINES } from './ph.js';

export const COUNTRY_TEMPLATES: readonly CountryTemplates[] = [INDIA, KENYA, NIGERIA, PHILIPPINES];
