import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as outcomes from './0002_outcomes.js';
import * as modelBuilding from './0003_model_building.js';
import * as friendlyscore from './0004_friendlyscore.js';
import * as td from './0005_td.js';

/** Every migration, by sortable name. Imported statically so the build needs no file scanning. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_outcomes': outcomes,
  '0003_model_building': modelBuilding,
  '0004_friendlyscore': friendlyscore,
  '0005_td': td,
};
