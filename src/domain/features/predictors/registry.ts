/**
 * The predictor sets by version: what a lender pins as DC_PREDICTORS_VERSION. A version, once
 * published, never changes; new predictors go into a new version.
 */

import type { DeviceSnapshot } from '../device/types.js';
import { featureBase } from './base.js';
import type { PredictorDefinition, PredictorValue } from './definition.js';
import { PREDICTORS_V1 } from './v1.js';
import { PREDICTORS_V2 } from './v2.js';

export const PREDICTOR_SETS: ReadonlyMap<number, readonly PredictorDefinition[]> = new Map([
  [1, PREDICTORS_V1],
  [2, PREDICTORS_V2],
]);
export const PREDICTOR_VERSIONS = [...PREDICTOR_SETS.keys()];

export interface Predictor {
  name: string;
  value: PredictorValue;
}

/** Every version's predictors from one pass over the data. */
export function computePredictorSets(
  snapshot: DeviceSnapshot,
  versions: readonly number[] = PREDICTOR_VERSIONS,
): Map<number, Predictor[]> {
  const base = featureBase(snapshot);
  const out = new Map<number, Predictor[]>();
  for (const v of versions) {
    const set = PREDICTOR_SETS.get(v);
    if (set)
      out.set(
        v,
        set.map((d) => ({ name: d.name, value: d.value(base) })),
      );
  }
  return out;
}
