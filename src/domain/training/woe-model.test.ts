import { describe, expect, it } from 'vitest';
import { discrimination } from './metrics.js';
import { mulberry32, stratifiedSplit } from './random.js';
import { simulateLogistic } from './simulate.js';
import {
  binVariables,
  fitWoeModel,
  type TrainingVariable,
  woeFeatures,
  woeModelLogOdds,
} from './woe-model.js';

describe('fitWoeModel', () => {
  // Two standard normal features whose effect on the log-odds of bad is linear.
  const sample = simulateLogistic(8000, -1, [-1, 0.6], mulberry32(21));
  const variables: TrainingVariable[] = [
    { name: 'x1', type: 'numeric', values: sample.rows.map((r) => r[0]!) },
    { name: 'x2', type: 'numeric', values: sample.rows.map((r) => r[1]!) },
  ];
  const split = stratifiedSplit(sample.target, 0.7, mulberry32(22));
  const model = fitWoeModel(variables, sample.target, split.train);

  it('bins on the training rows only', () => {
    const counted = model.variables[0]!.binning.bins.reduce((s, b) => s + b.count, 0);
    expect(counted).toBe(split.train.length);
  });

  it('finds each trend and a coefficient near -1 on the WoE scale', () => {
    expect(model.variables.map((v) => (v.binning.type === 'numeric' ? v.binning.direction : ''))).toEqual([
      'ascending',
      'descending',
    ]);
    // WoE is already the univariate log-odds, so with independent features each coefficient is
    // near -1 (a little more, as binning loses some of the signal).
    for (const v of model.variables) {
      expect(v.coefficient).toBeLessThan(-0.8);
      expect(v.coefficient).toBeGreaterThan(-1.3);
    }
  });

  it('separates bads from goods on held-out rows', () => {
    const risk = woeModelLogOdds(model, variables, split.test);
    const y = split.test.map((i) => sample.target[i]!);
    expect(discrimination(risk, y).auc).toBeGreaterThan(0.7);
  });

  it('gives one WoE per variable per row', () => {
    const binned = binVariables(variables, sample.target, split.train);
    const features = woeFeatures(binned, variables, [0, 1, 2]);
    expect(features).toHaveLength(3);
    expect(features[0]).toHaveLength(2);
    expect(() => woeFeatures(binned.slice(1), variables, [0])).toThrow(RangeError);
  });
});
