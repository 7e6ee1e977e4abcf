/**
 * A WoE logistic model: each characteristic is binned on the training rows, its values replaced
 * by their bin's WoE, and a logistic regression fitted on those WoE features. This is the model
 * a points scorecard is a rounded restatement of (points.ts).
 */

import { binCategorical, binNumeric } from './binning.js';
import {
  type Binning,
  type BinningOptions,
  type CategoricalValue,
  type NumericValue,
  woeTransform,
} from './bins.js';
import { fitLogistic, type LogisticModel, type LogisticOptions } from './logistic.js';
import { takeRows } from './random.js';

/** One candidate characteristic: a column of raw values over all rows of the data set. */
export type TrainingVariable =
  | { name: string; type: 'numeric'; values: readonly NumericValue[]; binning?: Partial<BinningOptions> }
  | {
      name: string;
      type: 'categorical';
      values: readonly CategoricalValue[];
      binning?: Partial<BinningOptions>;
    };

export interface BinnedVariable {
  name: string;
  binning: Binning;
}

export interface FittedVariable extends BinnedVariable {
  coefficient: number;
  standardError: number;
}

export interface WoeModel {
  variables: FittedVariable[];
  intercept: number;
  logistic: LogisticModel;
}

export interface WoeModelOptions {
  /** Defaults for every variable; a variable's own `binning` overrides them. */
  binning?: Partial<BinningOptions>;
  logistic?: Partial<LogisticOptions>;
}

/** Bins each variable on the given rows (all rows when omitted). */
export function binVariables(
  variables: readonly TrainingVariable[],
  target: ArrayLike<number>,
  rows?: readonly number[],
  defaults?: Partial<BinningOptions>,
): BinnedVariable[] {
  const y = rows ? takeRows(target, rows) : Array.from(target);
  return variables.map((v) => {
    const options = { ...defaults, ...v.binning };
    const binning =
      v.type === 'numeric'
        ? binNumeric(rows ? takeRows(v.values, rows) : v.values, y, options)
        : binCategorical(rows ? takeRows(v.values, rows) : v.values, y, options);
    return { name: v.name, binning };
  });
}

/**
 * The WoE feature vector of each given row, one entry per binned variable. `variables` holds the
 * raw columns in the same order as `binned`.
 */
export function woeFeatures(
  binned: readonly BinnedVariable[],
  variables: readonly TrainingVariable[],
  rows: readonly number[],
): Float64Array[] {
  if (binned.length !== variables.length) throw new RangeError('one binning per variable is needed');
  const transforms = binned.map((b) => woeTransform(b.binning));
  return rows.map((i) => Float64Array.from(variables, (v, j) => transforms[j]!(v.values[i])));
}

/** Bins every variable and fits the logistic regression, on the given training rows. */
export function fitWoeModel(
  variables: readonly TrainingVariable[],
  target: ArrayLike<number>,
  rows: readonly number[],
  options: WoeModelOptions = {},
): WoeModel {
  const binned = binVariables(variables, target, rows, options.binning);
  return fitBinned(binned, variables, target, rows, options.logistic);
}

/** Fits the logistic regression on variables already binned (`binned[j]` bins `variables[j]`). */
export function fitBinned(
  binned: readonly BinnedVariable[],
  variables: readonly TrainingVariable[],
  target: ArrayLike<number>,
  rows: readonly number[],
  options?: Partial<LogisticOptions>,
): WoeModel {
  const logistic = fitLogistic(woeFeatures(binned, variables, rows), takeRows(target, rows), options);
  return {
    variables: binned.map((b, j) => ({
      ...b,
      coefficient: logistic.coefficients[j]!,
      standardError: logistic.standardErrors.coefficients[j]!,
    })),
    intercept: logistic.intercept,
    logistic,
  };
}

/** The model's log-odds of bad for each given row. */
export function woeModelLogOdds(
  model: WoeModel,
  variables: readonly TrainingVariable[],
  rows: readonly number[],
): Float64Array {
  const features = woeFeatures(model.variables, variables, rows);
  return Float64Array.from(features, (x) => {
    let eta = model.intercept;
    model.variables.forEach((v, j) => {
      eta += v.coefficient * x[j]!;
    });
    return eta;
  });
}
