import { describe, expect, it } from 'vitest';
import { Scorecard } from '../scoring/scorecard.js';
import { sigmoid } from './logistic.js';
import { mulberry32, randomNormal } from './random.js';
import { buildReport } from './report.js';
import { type Candidate, reasonCodeFor, type TrainingSpec, trainScorecard } from './train.js';

/** Tenure and region drive the risk; a tenth of incomes carry the sentinel -1. */
function sample(n: number) {
  const random = mulberry32(3);
  const tenure = new Float64Array(n);
  const income = new Float64Array(n);
  const region: (string | null)[] = [];
  const target = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    tenure[i] = Math.floor(random() * 20);
    income[i] = random() < 0.1 ? -1 : Math.round(Math.exp(10 + 0.5 * randomNormal(random)));
    const r = ['north', 'south', 'east'][Math.floor(random() * 3)]!;
    region.push(random() < 0.05 ? null : r);
    const logit = 0.3 - 0.15 * tenure[i]! + (r === 'east' ? 0.6 : 0) + (income[i] === -1 ? 2 : 0);
    target[i] = random() < sigmoid(logit) ? 1 : 0;
  }
  const candidates: Candidate[] = [
    { variable: { name: 'tenure', type: 'numeric', values: tenure } },
    { variable: { name: 'income', type: 'numeric', values: income, binning: { specialValues: [-1] } } },
    { variable: { name: 'region', type: 'categorical', values: region } },
  ];
  return { candidates, target };
}

const { candidates, target } = sample(4000);
const spec: TrainingSpec = {
  name: 'Test card',
  service: 'demographic_score',
  candidates,
  target,
  seed: 11,
  split: { kind: 'holdout', testShare: 0.25, validationShare: 0.25 },
};

describe('trainScorecard', () => {
  const result = trainScorecard(spec);

  it('splits train, validation and test by the shares, stratified', () => {
    // Each class is cut on its own, so a sample may differ from its share by a row.
    expect(Math.abs(result.train.rows.length - 2000)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.validation!.rows.length - 1000)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.test.rows.length - 1000)).toBeLessThanOrEqual(1);
    const rate = (rows: number[]) => rows.reduce((s, i) => s + target[i]!, 0) / rows.length;
    expect(rate(result.test.rows)).toBeCloseTo(rate(result.train.rows), 2);
    const all = new Set([...result.train.rows, ...result.validation!.rows, ...result.test.rows]);
    expect(all.size).toBe(4000);
  });

  it('builds a valid card whose figures are those of the engine scoring each row', () => {
    const card = Scorecard.compile(result.model);
    const i = result.test.rows[0]!;
    const input = { tenure: candidates[0]!.variable.values[i], income: candidates[1]!.variable.values[i] };
    const region = candidates[2]!.variable.values[i];
    const r = card.evaluate(region === null ? input : { ...input, region });
    expect(result.test.scores[0]).toBe(r.score);
    expect(result.test.pd[0]).toBe(r.pd);
    expect(result.test.metrics.auc).toBeGreaterThan(0.7);
    // The sentinel keeps its own bin in the card, and the generated reason codes are defined.
    const income = result.model.characteristics.find((c) => c.name === 'income');
    expect(income?.type === 'numeric' && income.special?.[0]?.values).toEqual([-1]);
    expect(Object.keys(result.model.reasonCodes)).toContain('TENURE');
  });

  it('gives the same model for the same seed, and another split for another seed', () => {
    expect(JSON.stringify(trainScorecard(spec).model)).toBe(JSON.stringify(result.model));
    expect(trainScorecard({ ...spec, seed: 12 }).test.rows).not.toEqual(result.test.rows);
  });

  it('cross-validates with k folds, scoring every row out of fold, and fits the card on all rows', () => {
    const cv = trainScorecard({ ...spec, split: { kind: 'kfold', folds: 4 } });
    expect(cv.folds.map((f) => f.rows)).toEqual([1000, 1000, 1000, 1000]);
    expect(cv.test.rows.length).toBe(4000);
    expect(cv.train.rows.length).toBe(4000);
    const report = buildReport(cv, { split: { kind: 'kfold', folds: 4 }, seed: 11, data: {} });
    expect(report.cv!.meanAuc).toBeCloseTo(cv.folds.reduce((s, f) => s + f.metrics.auc, 0) / 4, 12);
    expect(report.testLabel).toBe('out-of-fold (4 folds)');
    expect(report.gains.reduce((s, g) => s + g.rows, 0)).toBe(4000);
  });

  it('refuses a one-class target and data where nothing predicts', () => {
    expect(() => trainScorecard({ ...spec, target: new Uint8Array(4000) })).toThrow(
      'the target has only goods: a scorecard needs both',
    );
    const noise = mulberry32(5);
    const flat = Uint8Array.from({ length: 4000 }, () => (noise() < 0.3 ? 1 : 0));
    expect(() => trainScorecard({ ...spec, target: flat })).toThrow('no characteristic passed selection');
  });

  it('says that one bad is too few, rather than naming a split option that cannot help', () => {
    const one = Uint8Array.from({ length: 4000 }, (_, i) => (i === 7 ? 1 : 0));
    for (const split of [
      { kind: 'holdout', testShare: 0.3 },
      { kind: 'kfold', folds: 2 },
    ] as const)
      expect(() => trainScorecard({ ...spec, target: one, split })).toThrow(
        'the target has only one bad: training and testing each need one; more data is needed',
      );
  });

  it('names the split option that leaves a sample without both classes, before fitting', () => {
    // Ten bads in 4,000 rows.
    const rare = Uint8Array.from({ length: 4000 }, (_, i) => (i % 400 === 0 ? 1 : 0));
    expect(() => trainScorecard({ ...spec, target: rare, split: { kind: 'kfold', folds: 20 } })).toThrow(
      '20 folds need at least as many bads, and the data has 10: use 10 folds or fewer',
    );
    expect(() =>
      trainScorecard({ ...spec, target: rare, split: { kind: 'holdout', testShare: 0.01 } }),
    ).toThrow(/^--test-share leaves \d+ test rows with no bad: raise it$/);
    expect(() =>
      trainScorecard({
        ...spec,
        target: rare,
        split: { kind: 'holdout', testShare: 0.5, validationShare: 0.01 },
      }),
    ).toThrow(/^--validation-share leaves \d+ validation rows with no bad: raise it$/);
  });
});

describe('reasonCodeFor', () => {
  it('turns a column name into a reason code', () => {
    expect(reasonCodeFor('years_at_job')).toBe('YEARS_AT_JOB');
    expect(reasonCodeFor('checking status')).toBe('CHECKING_STATUS');
    expect(reasonCodeFor('Debt/Income %')).toBe('DEBT_INCOME');
  });
});
