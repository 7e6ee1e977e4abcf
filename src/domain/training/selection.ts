/**
 * Characteristic selection for a WoE scorecard: screen out characteristics with too little
 * information value, then one of each pair whose WoE is too closely correlated (the one with less
 * IV), then drop, one at a time and refitting each time, those whose coefficient has the wrong
 * sign and then those that are not significant.
 *
 * In a WoE model every coefficient should be negative (WoE is ln(good/bad), the model predicts
 * bad): a positive one reverses the characteristic's own evidence, which only happens when it is
 * collinear with others, and would give its riskiest bins the most points.
 */
import { invalidInput } from '../errors.js';
import type { BinningOptions } from './bins.js';
import type { LogisticOptions } from './logistic.js';
import {
  type BinnedVariable,
  binVariables,
  fitBinned,
  type TrainingVariable,
  type WoeModel,
  woeColumns,
} from './woe-model.js';

export interface SelectionOptions {
  /** Screen out characteristics below this IV; Siddiqi calls IV < 0.02 unpredictive. */
  minIv: number;
  /** Drop the least significant characteristic while its Wald p-value exceeds this; 1 keeps all. */
  maxPValue: number;
  /**
   * Of two characteristics whose WoE columns correlate above this (in absolute value), keep the
   * one with more IV: collinear WoE makes coefficients unstable and their signs arbitrary.
   */
  maxCorrelation: number;
  /**
   * Characteristics the card must contain whatever their IV or significance (a business rule, such
   * as an API whose documented attributes include them). A kept characteristic whose coefficient
   * comes out with the wrong sign is still dropped from the fit: the caller gives it zero points.
   */
  keep: readonly string[];
}

export const DEFAULT_SELECTION_OPTIONS: Readonly<SelectionOptions> = {
  minIv: 0.02,
  maxPValue: 0.05,
  maxCorrelation: 0.7,
  keep: [],
};

export type DropReason = 'no_information' | 'low_iv' | 'correlated' | 'wrong_sign' | 'not_significant';

export interface DroppedVariable {
  name: string;
  reason: DropReason;
  iv: number;
  /** The coefficient and its p-value in the last fit that included it; null if never fitted. */
  coefficient: number | null;
  pValue: number | null;
  /** For `correlated`: the characteristic kept instead, and the correlation of their WoE. */
  correlatedWith?: string;
  correlation?: number;
}

export interface Selection {
  model: WoeModel;
  /** The selected variables, in the order of `model.variables`. */
  variables: TrainingVariable[];
  /** Every candidate's binning on the training rows, selected or not, in input order. */
  candidates: BinnedVariable[];
  dropped: DroppedVariable[];
}

export interface SelectionRunOptions {
  binning?: Partial<BinningOptions>;
  logistic?: Partial<LogisticOptions>;
  selection?: Partial<SelectionOptions>;
}

/** Bins the candidates on the training rows, selects characteristics and fits the final model. */
export function selectWoeModel(
  variables: readonly TrainingVariable[],
  target: ArrayLike<number>,
  rows: readonly number[],
  options: SelectionRunOptions = {},
): Selection {
  const o = { ...DEFAULT_SELECTION_OPTIONS, ...options.selection };
  const candidates = binVariables(variables, target, rows, options.binning);
  const dropped: DroppedVariable[] = [];
  let kept: number[] = [];
  candidates.forEach((c, j) => {
    const b = c.binning;
    // A special value's bin (`-1`: no account) can carry all of a column's information.
    const constant =
      b.bins.length === 1 &&
      (b.missing === null || b.missing.neutral) &&
      ('special' in b ? b.special.every((x) => x.neutral) : true);
    const reason: DropReason | null = constant
      ? 'no_information'
      : b.iv < o.minIv && !o.keep.includes(c.name)
        ? 'low_iv'
        : null;
    if (reason) dropped.push({ name: c.name, reason, iv: b.iv, coefficient: null, pValue: null });
    else kept.push(j);
  });

  kept = dropCorrelated(kept, candidates, variables, rows, o, dropped);

  // Each candidate's WoE column is computed once; every refit starts from the previous fit.
  const columns = woeColumns(
    kept.map((j) => candidates[j]!),
    kept.map((j) => variables[j]!),
    rows,
  );
  const columnOf = new Map(kept.map((j, k) => [j, columns[k]!]));
  let previous: WoeModel | null = null;
  for (;;) {
    if (kept.length === 0) throw new RangeError('no characteristic is left to fit');
    const start = previous ? warmStart(previous, kept, candidates) : undefined;
    const model: WoeModel = fitOrExplain(
      () =>
        fitBinned(
          kept.map((j) => candidates[j]!),
          kept.map((j) => variables[j]!),
          target,
          rows,
          { ...options.logistic, start },
          kept.map((j) => columnOf.get(j)!),
        ),
      kept.map((j) => candidates[j]!.name),
    );
    previous = model;
    const fitted = model.variables.map((v, k) => ({
      k,
      z: v.coefficient / v.standardError,
      pValue: waldPValue(v.coefficient, v.standardError),
    }));
    const wrong = fitted.filter((f) => model.variables[f.k]!.coefficient >= 0);
    const worst = (list: typeof fitted, key: (f: (typeof fitted)[number]) => number) =>
      list.reduce((a, b) => (key(b) > key(a) ? b : a));
    let drop: { k: number; pValue: number; reason: DropReason } | null = null;
    if (wrong.length > 0) drop = { ...worst(wrong, (f) => f.z), reason: 'wrong_sign' };
    else {
      const optional = fitted.filter((f) => !o.keep.includes(model.variables[f.k]!.name));
      if (optional.length > 0) {
        const w = worst(optional, (f) => f.pValue);
        if (w.pValue > o.maxPValue) drop = { ...w, reason: 'not_significant' };
      }
    }
    if (!drop) {
      return { model, variables: kept.map((j) => variables[j]!), candidates, dropped };
    }
    const v = model.variables[drop.k]!;
    dropped.push({
      name: v.name,
      reason: drop.reason,
      iv: v.binning.iv,
      coefficient: v.coefficient,
      pValue: drop.pValue,
    });
    kept = kept.filter((_, k) => k !== drop.k);
  }
}

/** The previous fit's coefficients for the candidates still kept. */
function warmStart(previous: WoeModel, kept: readonly number[], candidates: readonly BinnedVariable[]) {
  const byName = new Map(previous.variables.map((v) => [v.name, v.coefficient]));
  return {
    intercept: previous.intercept,
    coefficients: kept.map((j) => byName.get(candidates[j]!.name) ?? 0),
  };
}

/**
 * Greedy by IV: characteristics the caller keeps come first, then the rest from the highest IV
 * down; one whose WoE correlates above the limit with a characteristic already accepted is dropped.
 */
function dropCorrelated(
  kept: readonly number[],
  candidates: readonly BinnedVariable[],
  variables: readonly TrainingVariable[],
  rows: readonly number[],
  o: SelectionOptions,
  dropped: DroppedVariable[],
): number[] {
  if (kept.length < 2 || !(o.maxCorrelation < 1)) return [...kept];
  const columns = woeColumns(
    kept.map((j) => candidates[j]!),
    kept.map((j) => variables[j]!),
    rows,
  );
  const column = new Map(kept.map((j, k) => [j, columns[k]!]));
  const iv = (j: number) => candidates[j]!.binning.iv;
  const forced = (j: number) => o.keep.includes(candidates[j]!.name);
  const order = [...kept].sort((a, b) => Number(forced(b)) - Number(forced(a)) || iv(b) - iv(a) || a - b);
  const accepted: number[] = [];
  for (const j of order) {
    let worst: { j: number; r: number } | null = null;
    if (!forced(j)) {
      for (const a of accepted) {
        const r = pearson(column.get(j)!, column.get(a)!);
        if (Math.abs(r) > o.maxCorrelation && (!worst || Math.abs(r) > Math.abs(worst.r)))
          worst = { j: a, r };
      }
    }
    if (worst) {
      dropped.push({
        name: candidates[j]!.name,
        reason: 'correlated',
        iv: iv(j),
        coefficient: null,
        pValue: null,
        correlatedWith: candidates[worst.j]!.name,
        correlation: worst.r,
      });
    } else accepted.push(j);
  }
  // Back in input order, which fixes the order of the card's characteristics.
  return kept.filter((j) => accepted.includes(j));
}

/** Pearson correlation of two columns; 0 when either is constant. */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Two-sided p-value of the Wald test that a coefficient is zero. */
export function waldPValue(coefficient: number, standardError: number): number {
  if (!(standardError > 0)) return Number.NaN;
  return erfc(Math.abs(coefficient / standardError) / Math.SQRT2);
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Press et al., "Numerical Recipes in C", 2nd ed., section 6.2, erfcc).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/**
 * A fit whose Hessian turns singular: the characteristics separate the goods from the bads
 * (almost) completely, so the coefficients run off without end, or one copies another. The
 * user hears which characteristics were in the fit and what to do.
 */
function fitOrExplain(fitting: () => WoeModel, names: readonly string[]): WoeModel {
  try {
    return fitting();
  } catch (err) {
    if (!(err instanceof RangeError && /Hessian is singular/.test(err.message))) throw err;
    throw invalidInput(
      'features',
      `the logistic regression cannot be fitted on ${names.join(', ')}: together they separate the goods ` +
        'from the bads (almost) completely, or one copies another. Leave one out with --exclude, or ' +
        'penalise the fit with --l2 (1, say)',
    );
  }
}
