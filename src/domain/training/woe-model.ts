/**
 * A WoE logistic model: each characteristic is binned on the training rows, its values replaced
 * by their bin's WoE, and a logistic regression fitted on those WoE features. This is the model
 * a points scorecard is a rounded restatement of (points.ts).
 */

import { invalidInput } from '../errors.js';
import { binCategorical, binNumeric } from './binning.js';
import {
  type Binning,
  type BinningOptions,
  type CategoricalValue,
  type NumericValue,
  woeTransform,
} from './bins.js';
import { type DesignMatrix, fitLogistic, type LogisticModel, type LogisticOptions } from './logistic.js';
import { takeRows } from './random.js';

/** One candidate characteristic: a column of raw values over all rows of the data set. */
export type TrainingVariable =
  | { name: string; type: 'numeric'; values: ArrayLike<NumericValue>; binning?: Partial<BinningOptions> }
  | {
      name: string;
      type: 'categorical';
      values: ArrayLike<CategoricalValue>;
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
    try {
      const binning =
        v.type === 'numeric'
          ? binNumeric(rows ? takeRows(v.values, rows) : v.values, y, options)
          : binCategorical(rows ? takeRows(v.values, rows) : v.values, y, options);
      return { name: v.name, binning };
    } catch (err) {
      // Values only in the held-out rows (or another fold's) leave nothing to bin in these.
      if (err instanceof RangeError && /every value is missing/.test(err.message))
        throw invalidInput(
          'features',
          `${v.name} has no value in the ${y.length} rows trained on (every value there is missing or special): ` +
            'leave it out with --exclude',
        );
      throw err;
    }
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

/** The WoE of each given row, one column per binned variable. */
export function woeColumns(
  binned: readonly BinnedVariable[],
  variables: readonly TrainingVariable[],
  rows: readonly number[],
): Float64Array[] {
  if (binned.length !== variables.length) throw new RangeError('one binning per variable is needed');
  return binned.map((b, j) => {
    const transform = woeTransform(b.binning);
    const values = variables[j]!.values;
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = transform(values[rows[k]!]);
    return out;
  });
}

/** Columns side by side as a design matrix. */
export function matrixOf(columns: readonly Float64Array[]): DesignMatrix {
  const n = columns.length > 0 ? columns[0]!.length : 0;
  const p = columns.length;
  const data = new Float64Array(n * p);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) data[i * p + j] = c[i]!;
  });
  return { rows: n, columns: p, data };
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
  /** The WoE columns of `binned` on `rows`, when the caller has them already. */
  columns?: readonly Float64Array[],
): WoeModel {
  const x = matrixOf(columns ?? woeColumns(binned, variables, rows));
  const logistic = fitLogistic(x, takeRows(target, rows), options);
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
  const columns = woeColumns(model.variables, variables, rows);
  const out = new Float64Array(rows.length).fill(model.intercept);
  model.variables.forEach((v, j) => {
    const c = columns[j]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + v.coefficient * c[i]!;
  });
  return out;
}
