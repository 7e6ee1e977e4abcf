import { describe, expect, it } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { CredenceError } from '../errors.js';
import type { Characteristic } from './model-format.js';
import { pdFromScore, scoreFromPd } from './scaling.js';
import { Scorecard, type ScorecardResult } from './scorecard.js';

const card = Scorecard.compile(testScorecard());
const contributionsOf = (r: ScorecardResult) => card.explain(r.bins);
/** A characteristic with a bad bin (value 0, with the reason code) and a best bin (value 1). */
const numeric = (name: string, shortfall: number, reasonCode: string): Characteristic => ({
  name,
  type: 'numeric',
  bins: [
    { max: 1, points: 0, reasonCode },
    { min: 1, points: shortfall },
  ],
  missing: { points: 0 },
});

describe('Scorecard.evaluate', () => {
  it('adds base points and the points of each bin', () => {
    const r = card.evaluate({ age: 30, marital_status: 'married', debt: 100, monthly_net_income: 1000 });
    expect(r.score).toBe(500 + 30 + 25 + 30);
    expect(r.maxScore).toBe(500 + 40 + 25 + 30);
    expect(r.minScore).toBe(500 + 10 + 5 + 0);
    expect(r.missingAttributes).toEqual([]);
    expect(r.extraAttributes).toEqual([]);
    expect(r.bins).toEqual([1, 0, 0]);
    expect(card.explain(r.bins)).toEqual([
      { characteristic: 'age', bin: '[25, 40)', points: 30 },
      { characteristic: 'marital_status', bin: 'married', points: 25 },
      { characteristic: 'debt_to_income', bin: '[-inf, 0.5)', points: 30 },
    ]);
  });

  it('rounds a sum of fractional points as written, not as its binary double misses it', () => {
    const fractional = (name: string, points: number): Characteristic => ({
      name,
      type: 'numeric',
      bins: [
        { max: 1, points },
        { min: 1, points: 0 },
      ],
      missing: { points: 0 },
    });
    const model = testScorecard();
    const c = Scorecard.compile({
      ...model,
      scaling: { ...model.scaling, basePoints: 0.1 },
      characteristics: [fractional('a', 4.1), fractional('b', 1.3)],
      reasonCodes: {},
    });
    // 0.1 + 4.1 + 1.3 is 5.499999999999999 in binary: the points say 5.5, which rounds to 6.
    const r = c.evaluate({ a: 0, b: 0 });
    expect(r.score).toBe(6);
    expect(r.maxScore).toBe(6);
  });

  it('puts bin edges in the upper bin: [min, max)', () => {
    expect(contributionsOf(card.evaluate({ age: 25 }))[0]!.points).toBe(30);
    expect(contributionsOf(card.evaluate({ age: 24.999 }))[0]!.points).toBe(10);
    expect(contributionsOf(card.evaluate({ age: 40 }))[0]!.points).toBe(40);
    expect(contributionsOf(card.evaluate({ age: -5 }))[0]!.points).toBe(10);
  });

  it('gives special values their own bin before the intervals, with their own reason code', () => {
    const doc = testScorecard();
    const age = doc.characteristics[0]!;
    if (age.type !== 'numeric') throw new Error('age is numeric');
    age.special = [{ values: [-1, 999], points: 5, reasonCode: 'AGE_MISSING', label: 'not stated' }];
    const special = Scorecard.compile(doc);
    const r = special.evaluate({ age: 999, marital_status: 'married' });
    expect(r.bins[0]).toBe(3);
    expect(special.explain(r.bins)[0]).toEqual({ characteristic: 'age', bin: 'not stated', points: 5 });
    expect(r.reasons[0]).toMatchObject({ code: 'AGE_MISSING', shortfall: 35 });
    // The missing bin moves after the special one; other values still fall in the intervals.
    expect(special.evaluate({}).bins[0]).toBe(4);
    expect(special.evaluate({ age: 998 }).bins[0]).toBe(2);
    expect(special.minScore).toBe(500 + 5 + 5 + 0);

    age.special = [
      { values: [-1], points: 5 },
      { values: [-1], points: 6 },
    ];
    expect(() => Scorecard.compile(doc)).toThrow('characteristics[0].special[1].values[0]: -1 is already in');
  });

  it('refuses a value outside the valid range, naming the attribute, special values aside', () => {
    const doc = testScorecard();
    const [age, , dti] = doc.characteristics;
    if (age?.type !== 'numeric' || dti?.type !== 'numeric') throw new Error('numeric characteristics');
    age.valid = { min: 18, max: 120 };
    age.special = [{ values: [-1], points: 5 }];
    dti.valid = { min: 0 };
    const ranged = Scorecard.compile(doc);
    const refusal = (input: Record<string, unknown>) => {
      try {
        ranged.evaluate(input);
      } catch (e) {
        return e instanceof CredenceError ? [e.message, e.details.field] : e;
      }
      return 'scored';
    };
    expect(refusal({ age: 17 })).toEqual(['age must be from 18 to 120', 'age']);
    expect(refusal({ age: '121' })).toEqual(['age must be from 18 to 120', 'age']);
    expect(refusal({ age: 18 })).toBe('scored');
    expect(refusal({ age: 120 })).toBe('scored');
    // A special value is a code, not a measurement: it takes its bin wherever it lies.
    expect(ranged.evaluate({ age: -1 }).bins[0]).toBe(3);
    // A ratio checks each of its two attributes, even when the other is missing.
    expect(refusal({ debt: -100, monthly_net_income: 1000 })).toEqual(['debt must be at least 0', 'debt']);
    expect(refusal({ debt: 100, monthly_net_income: -1 })).toEqual([
      'monthly_net_income must be at least 0',
      'monthly_net_income',
    ]);
    expect(refusal({ debt: -100 })).toEqual(['debt must be at least 0', 'debt']);
    expect(ranged.evaluate({ debt: 100, monthly_net_income: 0 }).missingAttributes).not.toContain('debt');
    // Without a valid range, a negative value falls in the first bin, as before.
    expect(contributionsOf(card.evaluate({ debt: -100, monthly_net_income: 1000 }))[2]!.points).toBe(30);
  });

  it('reports missing attributes in model order and scores their missing bins', () => {
    const r = card.evaluate({ marital_status: 'single' });
    expect(r.missingAttributes).toEqual(['age', 'debt', 'monthly_net_income']);
    expect(r.score).toBe(500 + 20 + 10 + 12);
  });

  it('treats null and empty strings as missing', () => {
    const r = card.evaluate({ age: null, marital_status: '  ', debt: '', monthly_net_income: 5 });
    expect(r.missingAttributes).toEqual(['age', 'marital_status', 'debt']);
  });

  it('reports extra attributes in input order, minus ignored keys', () => {
    const r = card.evaluate({ client_id: 'x', zeta: 1, age: 30, alpha: 'b' }, new Set(['client_id']));
    expect(r.extraAttributes).toEqual(['zeta', 'alpha']);
  });

  it('accepts numbers sent as text and matches categories case-insensitively', () => {
    const r = card.evaluate({ age: ' 30 ', marital_status: ' Married ' });
    expect(contributionsOf(r)[0]!.points).toBe(30);
    expect(contributionsOf(r)[1]!.points).toBe(25);
  });

  it('sends unknown categories to the other bin', () => {
    expect(contributionsOf(card.evaluate({ marital_status: 'complicated' }))[1]).toEqual({
      characteristic: 'marital_status',
      bin: 'other',
      points: 5,
    });
  });

  it('treats a ratio with a zero or missing denominator as missing', () => {
    expect(contributionsOf(card.evaluate({ debt: 10, monthly_net_income: 0 }))[2]!.points).toBe(12);
    const r = card.evaluate({ debt: 10 });
    expect(contributionsOf(r)[2]!.points).toBe(12);
    expect(r.missingAttributes).toContain('monthly_net_income');
  });

  it('puts a ratio too large for a double in the last bin, not in a special or missing one', () => {
    const doc = testScorecard();
    const dti = doc.characteristics[2]!;
    if (dti.type !== 'numeric') throw new Error('debt_to_income is numeric');
    dti.special = [{ values: [-1], points: 7 }];
    const special = Scorecard.compile(doc);
    // 1e300 / 1e-300 is Infinity: past every bound, like 1e300 / 1.
    for (const c of [card, special]) {
      const r = c.evaluate({ debt: 1e300, monthly_net_income: 1e-300 });
      expect(r.bins[2]).toBe(1);
      expect(c.explain(r.bins)[2]).toEqual({
        characteristic: 'debt_to_income',
        bin: '[0.5, +inf)',
        points: 0,
      });
      expect(r.bins).toEqual(c.evaluate({ debt: 1e300, monthly_net_income: 1 }).bins);
      expect(c.evaluate({ debt: -1e300, monthly_net_income: 1e-300 }).bins[2]).toBe(0);
    }
  });

  it('refuses a value of the wrong type, naming the attribute', () => {
    const attempt = (input: Record<string, unknown>) => () => card.evaluate(input);
    expect(attempt({ age: 'thirty' })).toThrow(CredenceError);
    expect(attempt({ age: 'thirty' })).toThrow(/age must be a number/);
    expect(attempt({ age: true })).toThrow(/age must be a number/);
    expect(attempt({ age: '1e999' })).toThrow(/age must be a number/);
    expect(attempt({ marital_status: { a: 1 } })).toThrow(/marital_status must be a string/);
    try {
      card.evaluate({ debt: [1] });
    } catch (err) {
      expect((err as CredenceError).code).toBe('CREDENCE_INVALID_INPUT');
      expect((err as CredenceError).details.field).toBe('debt');
    }
  });

  it('ignores the type of attributes it does not use', () => {
    expect(() => card.evaluate({ something: { nested: true } })).not.toThrow();
  });

  it('returns the reason codes with the largest shortfall, limited to topReasons', () => {
    const r = card.evaluate({ age: 20, marital_status: 'single', debt: 900, monthly_net_income: 1000 });
    // Shortfalls: age 40-10=30, marital 25-10=15, dti 30-0=30.
    expect(r.reasons.map((x) => x.code)).toEqual(['AGE', 'DTI']);
    expect(r.reasons[0]).toEqual({
      code: 'AGE',
      description: 'Applicant age band carries higher risk',
      characteristic: 'age',
      shortfall: 30,
    });
  });

  it('keeps the largest shortfalls in model order on ties, each code once, however full the list', () => {
    // Five characteristics, each with a bad bin (value 0) and a best bin (value 1).
    const doc = testScorecard();
    doc.characteristics = [
      numeric('a', 10, 'A'),
      numeric('b', 20, 'B'),
      numeric('c', 10, 'C'),
      numeric('d', 30, 'D'),
      numeric('e', 25, 'B'),
    ];
    doc.reasonCodes = { A: 'a', B: 'b', C: 'c', D: 'd' };
    doc.topReasons = 3;
    const five = Scorecard.compile(doc);
    const all = five.evaluate({ a: 0, b: 0, c: 0, d: 0, e: 0 });
    // A, then B before it; C ties with A and follows it; D takes the lead and C falls off; the
    // second B (25) is listed in place of the first (20), the code's largest shortfall.
    expect(all.reasons.map((r) => [r.code, r.shortfall, r.characteristic])).toEqual([
      ['D', 30, 'd'],
      ['B', 25, 'e'],
      ['A', 10, 'a'],
    ]);
    expect(five.reasonsOf(all.bins)).toEqual(all.reasons);
    expect(five.evaluate({ a: 0, b: 1, c: 0, d: 1, e: 0 }).reasons.map((r) => r.code)).toEqual([
      'B',
      'A',
      'C',
    ]);
    doc.topReasons = 1;
    expect(
      Scorecard.compile(doc)
        .evaluate({ a: 0, b: 0, c: 0, d: 0, e: 0 })
        .reasons.map((r) => r.code),
    ).toEqual(['D']);
  });

  it('ranks a code shared by characteristics by its largest shortfall, however many are returned', () => {
    const doc = testScorecard();
    doc.characteristics = [numeric('a', 5, 'X'), numeric('b', 10, 'Y'), numeric('c', 20, 'X')];
    doc.reasonCodes = { X: 'x', Y: 'y' };
    const ranked = (topReasons: number) => {
      doc.topReasons = topReasons;
      const c = Scorecard.compile(doc);
      const r = c.evaluate({ a: 0, b: 0, c: 0 });
      expect(c.reasonsOf(r.bins)).toEqual(r.reasons);
      return r.reasons.map((x) => [x.code, x.shortfall, x.characteristic]);
    };
    expect(ranked(1)).toEqual([['X', 20, 'c']]);
    expect(ranked(2)).toEqual([
      ['X', 20, 'c'],
      ['Y', 10, 'b'],
    ]);
    expect(ranked(3)).toEqual(ranked(2));
  });

  it('reads only what the input itself carries, not what every object inherits', () => {
    const doc = testScorecard();
    doc.characteristics[0]!.name = 'constructor';
    const inherited = Scorecard.compile(doc);
    const r = inherited.evaluate({ marital_status: 'married' });
    expect(r.missingAttributes).toEqual(['constructor', 'debt', 'monthly_net_income']);
    expect(inherited.evaluate({ constructor: 30 }).bins[0]).toBe(1);
  });

  it('recomputes the reasons from the bins alone, as stored with a run', () => {
    const r = card.evaluate({ age: 20, marital_status: 'single', debt: 900, monthly_net_income: 1000 });
    expect(card.reasonsOf(r.bins)).toEqual(r.reasons);
    expect(() => card.explain([9, 0, 0])).toThrow(RangeError);
  });

  it('gives no reason for a characteristic in its best bin', () => {
    const r = card.evaluate({ age: 50, marital_status: 'married', debt: 0, monthly_net_income: 10 });
    expect(r.reasons).toEqual([]);
    expect(r.score).toBe(r.maxScore);
  });

  it('derives PD and grade from the score', () => {
    const r = card.evaluate({ age: 50, marital_status: 'married', debt: 0, monthly_net_income: 10 });
    expect(r.score).toBe(595);
    expect(r.grade).toBe('A');
    expect(r.pd).toBeCloseTo(pdFromScore(testScorecard().scaling, 595), 6);
    expect(card.evaluate({}).grade).toBe('C');
  });
});

describe('Scorecard with an enormous point range', () => {
  it('computes PD and grade per call instead of from a table', () => {
    const doc = testScorecard();
    doc.characteristics[0]!.bins[2]!.points = 5_000_000;
    const big = Scorecard.compile(doc);
    const r = big.evaluate({ age: 50 });
    expect(r.score).toBe(500 + 5_000_000 + 15 + 12);
    expect(big.explain(r.bins)[0]!.points).toBe(5_000_000);
    expect(r.pd).toBe(0);
    expect(r.grade).toBe('A');
    expect(big.evaluate({ age: 20 }).pd).toBeCloseTo(pdFromScore(doc.scaling, 500 + 10 + 15 + 12), 6);
  });
});

describe('scaling', () => {
  const s = { baseScore: 600, baseOdds: 50, pdo: 20 };
  it('puts odds of baseOdds at baseScore and doubles them every pdo points', () => {
    expect(pdFromScore(s, 600)).toBeCloseTo(1 / 51, 10);
    expect(pdFromScore(s, 620)).toBeCloseTo(1 / 101, 10);
    expect(pdFromScore(s, 580)).toBeCloseTo(1 / 26, 10);
  });
  it('gives a PD from 0 to 1 for any valid scaling, baseOdds at baseScore however large or small pdo is', () => {
    for (const pdo of [1.5e308, Number.MAX_VALUE, 1e-300, Number.MIN_VALUE]) {
      const odd = { ...s, pdo };
      expect(pdFromScore(odd, 600)).toBeCloseTo(1 / 51, 12);
      for (const score of [-1e9, 0, 599, 601, 1e9]) {
        const pd = pdFromScore(odd, score);
        expect(pd >= 0 && pd <= 1).toBe(true);
      }
    }
    const doc = testScorecard();
    doc.scaling.pdo = 1.5e308;
    // The points scarcely move the odds: every score has the odds of the base score.
    expect(Scorecard.compile(doc).evaluate({ age: 30 }).pd).toBeCloseTo(1 / 51, 6);
  });
  it('inverts', () => {
    for (const pd of [0.001, 0.02, 0.3, 0.9]) expect(pdFromScore(s, scoreFromPd(s, pd))).toBeCloseTo(pd, 10);
  });
});
