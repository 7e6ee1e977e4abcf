import { describe, expect, it } from 'vitest';
import { pdFromScore, scalingFactor, scalingOffset } from '../scoring/scaling.js';
import { Scorecard } from '../scoring/scorecard.js';
import { woeTransform } from './bins.js';
import { sigmoid } from './logistic.js';
import {
  basePointsFor,
  binPoints,
  buildScorecard,
  DEFAULT_GRADES,
  DEFAULT_POINTS_SCALING,
  gradesFor,
} from './points.js';
import { mulberry32, type Random, stratifiedSplit } from './random.js';
import { fitWoeModel, type TrainingVariable, type WoeModel } from './woe-model.js';

/** Applicants whose risk falls with tenure, depends on housing and rises with the expense ratio. */
function applicants(n: number, random: Random) {
  const housing = ['owner', 'rent', 'parents'];
  const rows: { tenure: number | null; housing: string; expense_ratio: number }[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const tenure = random() < 0.1 ? null : Math.floor(random() * 30);
    const home = housing[Math.floor(random() * 3)]!;
    const ratio = Math.round(random() * 100) / 100;
    const eta =
      -0.5 - 0.08 * (tenure ?? 5) + (home === 'rent' ? 0.7 : home === 'parents' ? 0.3 : 0) + 1.5 * ratio;
    rows.push({ tenure, housing: home, expense_ratio: ratio });
    target.push(random() < sigmoid(eta) ? 1 : 0);
  }
  return { rows, target };
}

function fitExample(seed: number) {
  const { rows, target } = applicants(4000, mulberry32(seed));
  const variables: TrainingVariable[] = [
    { name: 'tenure', type: 'numeric', values: rows.map((r) => r.tenure) },
    { name: 'housing', type: 'categorical', values: rows.map((r) => r.housing) },
    { name: 'expense_ratio', type: 'numeric', values: rows.map((r) => r.expense_ratio) },
  ];
  const split = stratifiedSplit(target, 0.7, mulberry32(seed + 1));
  const model = fitWoeModel(variables, target, split.train);
  const [tenure, housing, expense] = model.variables;
  const doc = buildScorecard({
    name: 'Test',
    service: 'test_score',
    intercept: model.intercept,
    characteristics: [
      {
        name: 'tenure',
        attribute: 'years_at_job',
        binning: tenure!.binning,
        coefficient: tenure!.coefficient,
        reasonCode: 'T1',
      },
      {
        name: 'housing',
        binning: housing!.binning,
        coefficient: housing!.coefficient,
        reasonCode: 'H1',
        missingReasonCode: 'MISSING',
        synonyms: { rent: ['renting'] },
      },
      {
        name: 'expense_to_income',
        ratio: { numerator: 'expenses', denominator: 'income' },
        binning: expense!.binning,
        coefficient: expense!.coefficient,
        reasonCode: 'E1',
      },
    ],
    expert: [
      {
        name: 'tier',
        type: 'categorical',
        bins: [
          { values: ['gold'], points: 5 },
          { values: ['basic'], points: -5, reasonCode: 'X1' },
        ],
        missing: { points: 0 },
      },
    ],
    reasonCodes: {
      T1: 'Short tenure',
      H1: 'Housing',
      E1: 'High expenses',
      MISSING: 'Not provided',
      X1: 'Tier',
    },
  });
  const inputs = rows.map((r) => ({
    ...(r.tenure === null ? {} : { years_at_job: r.tenure }),
    housing: r.housing,
    expenses: r.expense_ratio * 1000,
    income: 1000,
  }));
  return { rows, target, variables, model, doc, inputs };
}

/** The model's log-odds of bad for one row. */
function logOdds(model: WoeModel, variables: TrainingVariable[], i: number): number {
  return model.variables.reduce(
    (eta, v, j) => eta + v.coefficient * woeTransform(v.binning)(variables[j]!.values[i]),
    model.intercept,
  );
}

describe('buildScorecard', () => {
  const { model, doc, variables, inputs } = fitExample(100);
  const card = Scorecard.compile(doc);
  const scaling = DEFAULT_POINTS_SCALING;

  it('produces a credence.scorecard/v1 document that compiles', () => {
    expect(doc.format).toBe('credence.scorecard/v1');
    expect(doc.scaling).toMatchObject({ baseScore: 600, baseOdds: 50, pdo: 20 });
    expect(doc.grades).toEqual(DEFAULT_GRADES);
    expect(doc.characteristics.map((c) => c.name)).toEqual([
      'tenure',
      'housing',
      'expense_to_income',
      'tier',
    ]);
    expect(card.attributes).toEqual(['years_at_job', 'housing', 'expenses', 'income', 'tier']);
  });

  it('fits coefficients of the expected sign', () => {
    for (const v of model.variables) expect(v.coefficient).toBeLessThan(0);
  });

  it('restates the model exactly before rounding', () => {
    for (let i = 0; i < 200; i++) {
      const eta = logOdds(model, variables, i);
      const exact = model.variables.reduce(
        (s, v, j) => s + binPoints(woeTransform(v.binning)(variables[j]!.values[i]), v.coefficient, scaling),
        basePointsFor(model.intercept, scaling),
      );
      expect(pdFromScore(scaling, exact)).toBeCloseTo(sigmoid(eta), 12);
    }
  });

  it('gives the PD of the logistic model up to the rounding of points', () => {
    // Base points, three characteristics and the final score each round by at most 0.5 points.
    const maxPoints = 0.5 * 5;
    const maxLogOdds = maxPoints / scalingFactor(scaling);
    let worst = 0;
    inputs.forEach((input, i) => {
      const r = card.evaluate(input);
      const eta = logOdds(model, variables, i);
      const cardLogOddsBad = -(r.score - scalingOffset(scaling)) / scalingFactor(scaling);
      expect(Math.abs(cardLogOddsBad - eta)).toBeLessThanOrEqual(maxLogOdds + 1e-9);
      // dPD / d(log-odds) is at most 1/4; the engine reports the PD to 6 decimals.
      expect(Math.abs(r.pd - sigmoid(eta))).toBeLessThanOrEqual(maxLogOdds / 4 + 1e-6);
      worst = Math.max(worst, Math.abs(r.pd - sigmoid(eta)));
    });
    expect(worst).toBeGreaterThan(0);
  });

  it('rounds points to integers and puts the intercept in basePoints', () => {
    expect(doc.scaling.basePoints).toBe(Math.round(basePointsFor(model.intercept, scaling)));
    for (const c of doc.characteristics)
      for (const b of c.bins) expect(Number.isInteger(b.points)).toBe(true);
  });

  it('gives a reason code to every bin below the best, and none to the best', () => {
    for (const c of doc.characteristics.slice(0, 3)) {
      const all = [...c.bins.map((b) => b.points), c.missing.points];
      const best = Math.max(...all, ...(c.type === 'categorical' && c.other ? [c.other.points] : []));
      for (const b of c.bins) expect(b.reasonCode !== undefined).toBe(b.points < best);
    }
    const housing = doc.characteristics[1]!;
    expect(housing.missing).toMatchObject({ points: 0 });
  });

  it('scores missing values by their own bin, or neutrally when training had none', () => {
    const tenure = doc.characteristics[0]!;
    expect(model.variables[0]!.binning.missing!.count).toBeGreaterThan(0);
    expect(tenure.missing.points).toBe(
      Math.round(
        binPoints(model.variables[0]!.binning.missing!.woe, model.variables[0]!.coefficient, scaling),
      ),
    );
    expect(tenure.missing.points).not.toBe(0);
    const expense = doc.characteristics[2]!;
    expect(model.variables[2]!.binning.missing).toBeNull();
    expect(expense.missing.points).toBe(0);
    expect(
      card.explain(card.evaluate({ years_at_job: 3, housing: 'rent', expenses: 10, income: 0 }).bins)[2]!
        .points,
    ).toBe(0);
  });

  it('scores synonyms with their category and unknown categories like the riskiest known one', () => {
    const a = card.evaluate({ years_at_job: 3, housing: 'rent', expenses: 500, income: 1000 });
    const b = card.evaluate({ years_at_job: 3, housing: 'Renting', expenses: 500, income: 1000 });
    const c = card.evaluate({ years_at_job: 3, housing: 'houseboat', expenses: 500, income: 1000 });
    expect(card.explain(b.bins)[1]!.points).toBe(card.explain(a.bins)[1]!.points);
    const housing = doc.characteristics[1]!;
    expect(housing.type).toBe('categorical');
    const known = housing.bins.map((bin) => bin.points);
    expect(card.explain(c.bins)[1]!.points).toBe(Math.min(...known));
    for (const value of ['rent', 'owner', 'parents']) {
      const k = card.evaluate({ years_at_job: 3, housing: value, expenses: 500, income: 1000 });
      expect(c.score).toBeLessThanOrEqual(k.score);
    }
  });

  it('is reproducible from the seed', () => {
    expect(JSON.stringify(fitExample(100).doc)).toBe(JSON.stringify(doc));
    expect(JSON.stringify(fitExample(101).doc)).not.toBe(JSON.stringify(doc));
  });

  it('rejects a document the engine would refuse', () => {
    expect(() =>
      buildScorecard({
        name: 'Broken',
        service: 'test_score',
        intercept: 0,
        characteristics: [
          { name: 'housing', binning: model.variables[1]!.binning, coefficient: -1, reasonCode: 'UNDEFINED' },
        ],
        reasonCodes: {},
      }),
    ).toThrow(/reason code/);
  });

  it('grades by the points scale: the default grades for the default scale, moved with another', () => {
    expect(gradesFor(DEFAULT_POINTS_SCALING)).toEqual(DEFAULT_GRADES);
    expect(gradesFor({ baseScore: 300, baseOdds: 50, pdo: 50 })).toEqual([
      { grade: 'A', minScore: 300 },
      { grade: 'B', minScore: 250 },
      { grade: 'C', minScore: 200 },
      { grade: 'D', minScore: 150 },
      { grade: 'E', minScore: 100 },
      { grade: 'F', minScore: 0 },
    ]);
    expect(gradesFor({ baseScore: 200, baseOdds: 50, pdo: 60 }).at(-1)).toEqual({
      grade: 'F',
      minScore: -100,
    });
  });
});
