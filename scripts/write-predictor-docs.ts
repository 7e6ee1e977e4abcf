/** Writes docs/finbox-predictors.md from the predictor registry: `npm run docs:predictors`. */
import fs from 'node:fs';
import path from 'node:path';
import { predictorDictionary } from '../src/domain/features/predictors/dictionary.js';

fs.writeFileSync(path.resolve(import.meta.dirname, '../docs/finbox-predictors.md'), predictorDictionary());
