import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogOdds, predictProbability, sigmoid } from './logistic.js';
import { mulberry32 } from './random.js';
import { simulateLogistic } from './simulate.js';

describe('fitLogistic', () => {
  const truth = { intercept: -1, coefficients: [0.8, -1.5, 0] };
  const sample = simulateLogistic(20_000, truth.intercept, truth.coefficients, mulberry32(2024));

  it('recovers the coefficients that generated the data', () => {
    const m = fitLogistic(sample.rows, sample.target);
    expect(m.converged).toBe(true);
    expect(m.iterations).toBeLessThan(15);
    // Within four standard errors of the truth (a 1 in 15,000 chance of a false alarm each).
    expect(Math.abs(m.intercept - truth.intercept)).toBeLessThan(4 * m.standardErrors.intercept);
    m.coefficients.forEach((b, j) => {
      expect(Math.abs(b - truth.coefficients[j]!)).toBeLessThan(4 * m.standardErrors.coefficients[j]!);
    });
    // About 1 / sqrt(n p (1 - p)) with 20,000 rows.
    expect(m.standardErrors.coefficients[0]).toBeGreaterThan(0.01);
    expect(m.standardErrors.coefficients[0]).toBeLessThan(0.04);
  });

  it('sets the gradient to zero: predicted bads add up to observed bads', () => {
    const m = fitLogistic(sample.rows, sample.target);
    const predicted = sample.rows.reduce((s, x) => s + predictProbability(m, x), 0);
    const observed = sample.target.reduce((s, y) => s + y, 0);
    expect(predicted).toBeCloseTo(observed, 6);
  });

  it('shrinks the coefficients but not the intercept under an L2 penalty', () => {
    const free = fitLogistic(sample.rows, sample.target);
    const ridge = fitLogistic(sample.rows, sample.target, { l2: 1e9 });
    for (const b of ridge.coefficients) expect(Math.abs(b)).toBeLessThan(1e-4);
    const rate = sample.target.reduce((s, y) => s + y, 0) / sample.target.length;
    expect(ridge.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 3);
    const mild = fitLogistic(sample.rows, sample.target, { l2: 500 });
    expect(Math.abs(mild.coefficients[1]!)).toBeLessThan(Math.abs(free.coefficients[1]!));
  });

  it('matches a closed form: one binary feature gives the log odds ratio', () => {
    // Group x = 0: 30 bad of 100; group x = 1: 60 bad of 100.
    const rows: number[][] = [];
    const target: number[] = [];
    for (const [x, bads] of [
      [0, 30],
      [1, 60],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        rows.push([x]);
        target.push(i < bads ? 1 : 0);
      }
    }
    const m = fitLogistic(rows, target);
    expect(m.intercept).toBeCloseTo(Math.log(30 / 70), 9);
    expect(m.coefficients[0]).toBeCloseTo(Math.log(60 / 40) - Math.log(30 / 70), 9);
  });

  it('throws on a constant or collinear feature', () => {
    const rows = sample.rows.slice(0, 500).map((x) => [x[0]!, 2 * x[0]!]);
    expect(() => fitLogistic(rows, sample.target.slice(0, 500))).toThrow(/collinear/);
  });

  it('is deterministic', () => {
    expect(fitLogistic(sample.rows, sample.target)).toEqual(fitLogistic(sample.rows, sample.target));
  });
});

describe('predictions', () => {
  it('apply the intercept and coefficients', () => {
    const m = { intercept: -1, coefficients: [2, 0.5] };
    expect(predictLogOdds(m, [1, 2])).toBe(2);
    expect(predictProbability(m, [1, 2])).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });

  it('sigmoid stays finite far out', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
  });
});
