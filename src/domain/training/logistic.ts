/**
 * Logistic regression by Newton-Raphson, which for the logistic model is iteratively reweighted
 * least squares (McCullagh & Nelder, "Generalized Linear Models", 2nd ed., section 2.5):
 *
 *   beta <- beta + (X^T W X + P)^-1 (X^T (y - mu) - P beta),   W = diag(mu (1 - mu))
 *
 * with an optional ridge penalty P = l2 * I that spares the intercept, so that the penalty
 * shrinks the characteristics' weights but not the base rate.
 */
import { cholesky, choleskySolve, inverseDiagonal } from './linear-algebra.js';

export interface LogisticOptions {
  /** Ridge penalty on the coefficients (not the intercept), as l2 / 2 * sum b^2. */
  l2: number;
  maxIterations: number;
  /** Converged when the Newton step moves no parameter by more than this. */
  tolerance: number;
  /**
   * Where Newton starts (a nearby earlier fit, as when a selection refits after dropping one
   * characteristic); by default the base rate and zero coefficients.
   */
  start?: { intercept: number; coefficients: readonly number[] } | undefined;
}

/** n rows of p features, row-major in one array: a million rows cost one allocation, not a million. */
export interface DesignMatrix {
  rows: number;
  columns: number;
  data: Float64Array;
}

export const DEFAULT_LOGISTIC_OPTIONS: Readonly<LogisticOptions> = {
  l2: 0,
  maxIterations: 100,
  tolerance: 1e-10,
};

export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  /**
   * Square roots of the diagonal of the inverse (penalised) Hessian at the solution: the usual
   * asymptotic standard errors when l2 = 0.
   */
  standardErrors: { intercept: number; coefficients: number[] };
  /** Unpenalised log-likelihood of the training rows. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Fits P(y = 1 | x) = 1 / (1 + exp(-(a + b . x))). `rows[i]` is the feature vector of row i and
 * `target[i]` its outcome, 1 or 0. Throws when the features are constant or collinear.
 */
export function fitLogistic(
  features: readonly ArrayLike<number>[] | DesignMatrix,
  target: ArrayLike<number>,
  options?: Partial<LogisticOptions>,
): LogisticModel {
  const o = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  const rows = Array.isArray(features)
    ? toMatrix(features as readonly ArrayLike<number>[])
    : (features as DesignMatrix);
  const n = rows.rows;
  if (n === 0) throw new RangeError('cannot fit on no rows');
  if (n !== target.length) throw new RangeError(`${n} rows but ${target.length} targets`);
  const p = rows.columns;
  const m = p + 1;

  let positives = 0;
  for (let i = 0; i < n; i++) positives += target[i] === 1 ? 1 : 0;
  if (positives === 0 || positives === n) throw new RangeError('the target needs both outcomes');
  let beta: Float64Array = new Float64Array(m);
  if (o.start && o.start.coefficients.length === p) {
    beta[0] = o.start.intercept;
    for (let j = 0; j < p; j++) beta[j + 1] = o.start.coefficients[j]!;
  } else {
    // Starting from the base rate saves an iteration or two and keeps the first step small.
    beta[0] = Math.log(positives / (n - positives));
  }

  const objective = (b: Float64Array) => logLikelihood(rows, target, b) - penalty(b, o.l2);
  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations) {
    iterations++;
    const { gradient, hessian } = derivatives(rows, target, beta, o.l2);
    const l = cholesky(hessian, m);
    if (!l) throw new RangeError('the features are constant or collinear: the Hessian is singular');
    const step = choleskySolve(l, m, gradient);
    let largest = 0;
    for (let j = 0; j < m; j++) largest = Math.max(largest, Math.abs(step[j]!));
    if (largest < o.tolerance) {
      beta = addScaled(beta, step, 1);
      converged = true;
      break;
    }

    // Step halving guards against overshooting near separation. The slack keeps rounding noise in
    // the objective, once the fit is all but converged, from being mistaken for a worse fit.
    const slack = 1e-12 * (1 + Math.abs(current));
    let scale = 1;
    let next = addScaled(beta, step, scale);
    let value = objective(next);
    while (value < current - slack && scale > 1e-10) {
      scale /= 2;
      next = addScaled(beta, step, scale);
      value = objective(next);
    }
    beta = next;
    current = value;
  }

  const l = cholesky(derivatives(rows, target, beta, o.l2).hessian, m);
  const variance = l ? inverseDiagonal(l, m) : new Float64Array(m).fill(Number.NaN);
  const se = Array.from(variance, (v) => Math.sqrt(v));
  return {
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    standardErrors: { intercept: se[0]!, coefficients: se.slice(1) },
    logLikelihood: logLikelihood(rows, target, beta),
    iterations,
    converged,
  };
}

/**
 * Gradient and Hessian (negated, so positive definite) of the penalised log-likelihood. Parameter
 * 0 is the intercept; its column of ones is implicit.
 */
function derivatives(
  rows: DesignMatrix,
  target: ArrayLike<number>,
  beta: Float64Array,
  l2: number,
): { gradient: Float64Array; hessian: Float64Array } {
  const m = beta.length;
  const gradient = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const xi = new Float64Array(m);
  xi[0] = 1;
  const data = rows.data;
  for (let i = 0; i < rows.rows; i++) {
    const at = i * (m - 1);
    for (let j = 1; j < m; j++) xi[j] = data[at + j - 1]!;
    const mu = sigmoid(linearAt(data, at, beta));
    const residual = (target[i] === 1 ? 1 : 0) - mu;
    const w = mu * (1 - mu);
    for (let j = 0; j < m; j++) {
      const wx = w * xi[j]!;
      gradient[j] = gradient[j]! + xi[j]! * residual;
      for (let k = 0; k <= j; k++) hessian[j * m + k] = hessian[j * m + k]! + wx * xi[k]!;
    }
  }
  for (let j = 1; j < m; j++) {
    gradient[j] = gradient[j]! - l2 * beta[j]!;
    hessian[j * m + j] = hessian[j * m + j]! + l2;
  }
  mirror(hessian, m);
  return { gradient, hessian };
}

/** The fitted log-odds of y = 1 for one feature vector. */
export function predictLogOdds(
  model: Pick<LogisticModel, 'intercept' | 'coefficients'>,
  x: ArrayLike<number>,
): number {
  let eta = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) eta += model.coefficients[j]! * x[j]!;
  return eta;
}

/** The fitted probability of y = 1 for one feature vector. */
export function predictProbability(
  model: Pick<LogisticModel, 'intercept' | 'coefficients'>,
  x: ArrayLike<number>,
): number {
  return sigmoid(predictLogOdds(model, x));
}

export function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

/** ln(1 + e^eta) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function linearAt(data: Float64Array, at: number, beta: Float64Array): number {
  let eta = beta[0]!;
  for (let j = 1; j < beta.length; j++) eta += beta[j]! * data[at + j - 1]!;
  return eta;
}

function logLikelihood(rows: DesignMatrix, target: ArrayLike<number>, beta: Float64Array): number {
  let ll = 0;
  const p = rows.columns;
  for (let i = 0; i < rows.rows; i++) {
    const eta = linearAt(rows.data, i * p, beta);
    ll += (target[i] === 1 ? eta : 0) - softplus(eta);
  }
  return ll;
}

/** Rows of features as one design matrix. */
export function toMatrix(rows: readonly ArrayLike<number>[]): DesignMatrix {
  const p = rows.length > 0 ? rows[0]!.length : 0;
  const data = new Float64Array(rows.length * p);
  rows.forEach((r, i) => {
    for (let j = 0; j < p; j++) data[i * p + j] = r[j]!;
  });
  return { rows: rows.length, columns: p, data };
}

function penalty(beta: Float64Array, l2: number): number {
  let s = 0;
  for (let j = 1; j < beta.length; j++) s += beta[j]! * beta[j]!;
  return (l2 / 2) * s;
}

function addScaled(a: Float64Array, b: Float64Array, scale: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = a[j]! + scale * b[j]!;
  return out;
}

/** Copies the lower triangle onto the upper one. */
function mirror(a: Float64Array, m: number): void {
  for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) a[k * m + j] = a[j * m + k]!;
}
