/**
 * Simulated outcomes from a known logistic model, for tests and examples: with the true
 * coefficients known, a fit can be checked against them rather than against another program.
 */
import { sigmoid } from './logistic.js';
import { type Random, randomNormal } from './random.js';

export interface SimulatedSample {
  /** Feature vectors, each coordinate standard normal. */
  rows: Float64Array[];
  /** 1 (bad) with probability sigmoid(intercept + coefficients . x). */
  target: number[];
}

export function simulateLogistic(
  n: number,
  intercept: number,
  coefficients: readonly number[],
  random: Random,
): SimulatedSample {
  const rows: Float64Array[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from(coefficients, () => randomNormal(random));
    let eta = intercept;
    coefficients.forEach((b, j) => {
      eta += b * x[j]!;
    });
    rows.push(x);
    target.push(random() < sigmoid(eta) ? 1 : 0);
  }
  return { rows, target };
}
