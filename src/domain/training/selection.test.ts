import { describe, expect, it } from 'vitest';
import { sigmoid } from './logistic.js';
import { mulberry32, randomNormal, stratifiedSplit } from './random.js';
import { erfc, selectWoeModel, waldPValue } from './selection.js';
import type { TrainingVariable } from './woe-model.js';

/**
 * `tenure` drives the risk; `age` is tenure plus noise (informative alone, redundant next to
 * tenure); `shoe_size` is noise; `constant` never varies.
 */
function sample(n: number, seed: number) {
  const random = mulberry32(seed);
  const tenure: number[] = [];
  const age: number[] = [];
  const shoe: number[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(random() * 25);
    tenure.push(t);
    age.push(Math.round(20 + t + 3 * randomNormal(random)));
    shoe.push(36 + Math.floor(random() * 10));
    target.push(random() < sigmoid(0.5 - 0.12 * t) ? 1 : 0);
  }
  const variables: TrainingVariable[] = [
    { name: 'age', type: 'numeric', values: age },
    { name: 'tenure', type: 'numeric', values: tenure },
    { name: 'shoe_size', type: 'numeric', values: shoe },
    { name: 'constant', type: 'categorical', values: tenure.map(() => 'x') },
  ];
  return { variables, target };
}

describe('selectWoeModel', () => {
  const { variables, target } = sample(6000, 8);
  const split = stratifiedSplit(target, 0.7, mulberry32(9));
  const s = selectWoeModel(variables, target, split.train);

  it('keeps the characteristic that drives the risk, with a negative coefficient', () => {
    expect(s.model.variables.map((v) => v.name)).toContain('tenure');
    for (const v of s.model.variables) expect(v.coefficient).toBeLessThan(0);
    expect(s.variables.map((v) => v.name)).toEqual(s.model.variables.map((v) => v.name));
  });

  it('screens out characteristics without information before fitting', () => {
    const byName = new Map(s.dropped.map((d) => [d.name, d]));
    expect(byName.get('constant')).toMatchObject({ reason: 'no_information', coefficient: null });
    expect(byName.get('shoe_size')?.reason).toBe('low_iv');
  });

  it('drops the weaker of two characteristics whose WoE is closely correlated, naming the other', () => {
    const age = s.dropped.find((d) => d.name === 'age');
    expect(age).toMatchObject({ reason: 'correlated', correlatedWith: 'tenure', coefficient: null });
    expect(age!.correlation).toBeGreaterThan(0.7);
    const tenure = s.candidates.find((c) => c.name === 'tenure')!;
    expect(age!.iv).toBeGreaterThan(0.1);
    expect(age!.iv).toBeLessThan(tenure.binning.iv);
  });

  it('drops a redundant characteristic that adds nothing significant when correlation is allowed', () => {
    const loose = selectWoeModel(variables, target, split.train, { selection: { maxCorrelation: 1 } });
    const age = loose.dropped.find((d) => d.name === 'age');
    expect(age).toBeDefined();
    expect(['wrong_sign', 'not_significant']).toContain(age!.reason);
  });

  it('reports every candidate binning, selected or not', () => {
    expect(s.candidates.map((c) => c.name)).toEqual(['age', 'tenure', 'shoe_size', 'constant']);
  });

  it('keeps a characteristic it is told to keep, past the IV and significance screens', () => {
    const kept = selectWoeModel(variables, target, split.train, { selection: { keep: ['shoe_size'] } });
    expect(kept.model.variables.map((v) => v.name)).toContain('shoe_size');
    expect(kept.dropped.map((d) => d.name)).not.toContain('shoe_size');
  });

  it('still drops a kept characteristic whose sign comes out wrong', () => {
    // Forced next to tenure, the redundant age either fits with the right sign or is dropped for a wrong one.
    const kept = selectWoeModel(variables, target, split.train, {
      selection: { keep: ['age'], maxCorrelation: 1 },
    });
    const age = kept.model.variables.find((v) => v.name === 'age');
    if (age) expect(age.coefficient).toBeLessThan(0);
    else expect(kept.dropped.find((d) => d.name === 'age')?.reason).toBe('wrong_sign');
  });

  it('keeps everything informative when the p-value limit is 1', () => {
    const all = selectWoeModel(variables, target, split.train, { selection: { maxPValue: 1, minIv: 0 } });
    const names = all.model.variables.map((v) => v.name);
    expect(names).toContain('tenure');
    expect(names).not.toContain('constant');
  });
});

describe('waldPValue and erfc', () => {
  it('match tabulated values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(erfc(3)).toBeCloseTo(2.2090497e-5, 9);
    expect(waldPValue(1.959964, 1)).toBeCloseTo(0.05, 6);
    expect(waldPValue(-2.575829, 1)).toBeCloseTo(0.01, 6);
    expect(waldPValue(1, 0)).toBeNaN();
  });
});

describe('selectWoeModel on columns whose information is unusual', () => {
  const n = 3000;
  const random = mulberry32(21);
  const all = Array.from({ length: n }, (_, i) => i);

  it('keeps a column whose only information is its special value', () => {
    // 5 for most people, -1 ("no account") for some, who are far riskier.
    const spec: number[] = [];
    const noise: number[] = [];
    const target: number[] = [];
    for (let i = 0; i < n; i++) {
      const none = random() < 0.3;
      spec.push(none ? -1 : 5);
      noise.push(Math.floor(random() * 10));
      target.push(random() < (none ? 0.55 : 0.3) ? 1 : 0);
    }
    const s = selectWoeModel(
      [
        { name: 'spec', type: 'numeric', values: spec, binning: { specialValues: [-1] } },
        { name: 'noise', type: 'numeric', values: noise },
      ],
      target,
      all,
    );
    expect(s.model.variables.map((v) => v.name)).toEqual(['spec']);
    expect(s.dropped.find((d) => d.name === 'spec')).toBeUndefined();
  });

  it('names the characteristics when together they separate goods from bads and no fit exists', () => {
    // a = p and b = r: all bad; a = q and b = s: all good; the other two cells mixed.
    const a: string[] = [];
    const b: string[] = [];
    const target: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = random() < 0.5;
      const r = random() < 0.5;
      a.push(p ? 'p' : 'q');
      b.push(r ? 'r' : 's');
      target.push(p && r ? 1 : !p && !r ? 0 : random() < 0.5 ? 1 : 0);
    }
    const variables: TrainingVariable[] = [
      { name: 'a', type: 'categorical', values: a },
      { name: 'b', type: 'categorical', values: b },
    ];
    expect(() => selectWoeModel(variables, target, all)).toThrow(
      /cannot be fitted on a, b: together they separate the goods from the bads/,
    );
    // A penalised fit exists.
    expect(selectWoeModel(variables, target, all, { logistic: { l2: 1 } }).model.variables).toHaveLength(2);
  });

  it('names a column that has no value in the rows trained on', () => {
    const target = all.map((i) => (i % 3 === 0 ? 1 : 0));
    const late = all.map((i) => (i < n - 100 ? null : i));
    expect(() =>
      selectWoeModel(
        [
          { name: 'late', type: 'numeric', values: late },
          { name: 'x', type: 'numeric', values: all },
        ],
        target,
        all.slice(0, n - 100),
      ),
    ).toThrow('late has no value in the 2900 rows trained on');
  });
});
