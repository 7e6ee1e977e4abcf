/** Every package's indicators, in the order a response lists them (docs/td.md#indicators). */
import { CREDIT_RATING_INDICATORS } from './credit-rating.js';
import type { IndicatorDefinition } from './definition.js';
import { MULTIPLATFORM_V1_1_INDICATORS, MULTIPLATFORM_V1_INDICATORS } from './multiplatform.js';
import type { PackageName } from './packages.js';
import { REPAYMENT_BEHAVIOUR_INDICATORS } from './repayment-behaviour.js';

export type { IndicatorDefinition } from './definition.js';

export const INDICATOR_DICTIONARY: Readonly<Record<PackageName, readonly IndicatorDefinition[]>> = {
  credit_rating_estimation: CREDIT_RATING_INDICATORS,
  multiplatform_multi: MULTIPLATFORM_V1_INDICATORS,
  behavior_analysis_of_repayment: REPAYMENT_BEHAVIOUR_INDICATORS,
  multiplatform_multi_V1_1: MULTIPLATFORM_V1_1_INDICATORS,
};
