/** A predictor: one named value of the feature vector, with what it means. */
import type { FeatureBase } from './base.js';

export type PredictorValue = number | string | null;
export type PredictorType = 'integer' | 'number' | 'flag' | 'string';

export interface PredictorDefinition {
  /** FinBox style: `_cN` the last N days, `_mN` calendar month N back. */
  name: string;
  type: PredictorType;
  /** `c30`, `m1`, `all`, `snapshot`: the time the value covers. */
  window: string;
  meaning: string;
  /** `null` when the data to compute it is missing. */
  value(b: FeatureBase): PredictorValue;
}

export const predictor = (
  name: string,
  type: PredictorType,
  window: string,
  meaning: string,
  value: (b: FeatureBase) => PredictorValue,
): PredictorDefinition => Object.freeze({ name, type, window, meaning, value });
