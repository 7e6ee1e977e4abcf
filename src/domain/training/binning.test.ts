import { describe, expect, it } from 'vitest';
import { binCategorical, binNumeric, cutBetween } from './binning.js';
import { type Binning, type NumericBinning, woeOf, woeTransform } from './bins.js';
import { mulberry32, type Random } from './random.js';

/** Ages 18-70 whose risk falls with age, as in most application data. */
function ageSample(n: number, random: Random) {
  const values: number[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const age = 18 + Math.floor(random() * 53);
    values.push(age);
    target.push(random() < 1 / (1 + Math.exp(-(1.5 - 0.06 * age))) ? 1 : 0);
  }
  return { values, target };
}

const isStrictlyMonotone = (xs: number[], sign: 1 | -1) =>
  xs.every((x, i) => i === 0 || sign * (x - xs[i - 1]!) > 0);

/** Each row's bin under the cut points must be the bin that counted it. */
function expectCountsMatchCuts(
  b: NumericBinning,
  values: readonly (number | null)[],
  target: readonly number[],
) {
  const counts = b.bins.map(() => ({ count: 0, bads: 0 }));
  values.forEach((v, i) => {
    if (v === null || Number.isNaN(v)) return;
    const j = b.bins.findIndex(
      (bin) => (bin.min === undefined || v >= bin.min) && (bin.max === undefined || v < bin.max),
    );
    counts[j]!.count++;
    counts[j]!.bads += target[i]!;
  });
  expect(counts).toEqual(b.bins.map((bin) => ({ count: bin.count, bads: bin.bads })));
}

describe('binNumeric', () => {
  const { values, target } = ageSample(5000, mulberry32(1));
  const b = binNumeric(values, target);

  it('finds the monotone trend in the data', () => {
    expect(b.direction).toBe('ascending');
    expect(
      isStrictlyMonotone(
        b.bins.map((x) => x.woe),
        1,
      ),
    ).toBe(true);
    expect(b.bins.length).toBeGreaterThan(3);
  });

  it('respects the maximum number of bins and the minimum share, goods and bads', () => {
    expect(b.bins.length).toBeLessThanOrEqual(8);
    for (const bin of b.bins) {
      expect(bin.count).toBeGreaterThanOrEqual(0.05 * values.length);
      expect(bin.goods).toBeGreaterThanOrEqual(5);
      expect(bin.bads).toBeGreaterThanOrEqual(5);
    }
    const tight = binNumeric(values, target, { minBinShare: 0.2, maxBins: 3 });
    expect(tight.bins.length).toBeLessThanOrEqual(3);
    for (const bin of tight.bins) expect(bin.count).toBeGreaterThanOrEqual(0.2 * values.length);
    const fewBads = binNumeric(values, target, { minBads: 400 });
    for (const bin of fewBads.bins) expect(bin.bads).toBeGreaterThanOrEqual(400);
  });

  it('gives contiguous [min, max) intervals, open at both ends', () => {
    expect(b.bins[0]!.min).toBeUndefined();
    expect(b.bins[b.bins.length - 1]!.max).toBeUndefined();
    for (let i = 1; i < b.bins.length; i++) expect(b.bins[i]!.min).toBe(b.bins[i - 1]!.max);
    // Ages are whole numbers, so the cut points are too.
    for (const bin of b.bins.slice(1)) expect(Number.isInteger(bin.min)).toBe(true);
    expectCountsMatchCuts(b, values, target);
  });

  it('adds up to the information value of its bins', () => {
    expect(b.iv).toBeCloseTo(
      b.bins.reduce((s, x) => s + x.iv, 0),
      12,
    );
    expect(b.missing).toBeNull();
  });

  it('never splits a tie', () => {
    // 60 % of rows share the value 0, as with years at a first job or zero debt.
    const random = mulberry32(2);
    const v = Array.from({ length: 3000 }, () => (random() < 0.6 ? 0 : Math.floor(random() * 30) + 1));
    const y = v.map((x) => (random() < (x === 0 ? 0.4 : 0.2) ? 1 : 0));
    const tied = binNumeric(v, y);
    const zeros = v.filter((x) => x === 0).length;
    expect(tied.bins[0]!.count).toBe(zeros);
    expect(tied.bins[0]!.max).toBe(1);
    expectCountsMatchCuts(tied, v, y);
  });

  it('gives missing values (null, undefined, NaN) a bin of their own', () => {
    const random = mulberry32(3);
    const withMissing: (number | null | undefined)[] = values.map((v, i) =>
      i % 10 === 0 ? null : i % 10 === 1 ? Number.NaN : i % 10 === 2 ? undefined : v,
    );
    const y = target.map((t, i) => (i % 10 < 3 ? (random() < 0.6 ? 1 : 0) : t));
    const m = binNumeric(withMissing, y);
    expect(m.missing!.count).toBe(1500);
    expect(m.missing!.neutral).toBe(false);
    expect(m.missing!.woe).toBeLessThan(0);
    expect(m.bins.reduce((s, x) => s + x.count, 0)).toBe(3500);
    expect(woeOf(m, null)).toBe(m.missing!.woe);
    expect(woeOf(m, Number.NaN)).toBe(m.missing!.woe);
    expect(woeOf(m, Number.POSITIVE_INFINITY)).toBe(m.missing!.woe);
  });

  it('makes a missing bin too small to estimate neutral', () => {
    const few = values.map((v, i) => (i < 10 ? null : v));
    const m = binNumeric(few, target);
    expect(m.missing).toMatchObject({ count: 10, neutral: true, woe: 0, iv: 0 });
  });

  it('follows a forced direction, and none keeps a U shape', () => {
    // Risk highest at both ends.
    const random = mulberry32(4);
    const v = Array.from({ length: 6000 }, () => random() * 100);
    const y = v.map((x) => (random() < 0.1 + 0.5 * ((x - 50) / 50) ** 2 ? 1 : 0));
    const down = binNumeric(v, y, { monotonicity: 'descending' });
    expect(down.direction).toBe('descending');
    expect(
      isStrictlyMonotone(
        down.bins.map((x) => x.woe),
        -1,
      ),
    ).toBe(true);
    const auto = binNumeric(v, y);
    const woe = (x: Binning) => x.bins.map((bin) => bin.woe);
    expect(isStrictlyMonotone(woe(auto), 1) || isStrictlyMonotone(woe(auto), -1)).toBe(true);
    const free = binNumeric(v, y, { monotonicity: 'none' });
    expect(free.direction).toBe('none');
    const w = woe(free);
    expect(isStrictlyMonotone(w, 1) || isStrictlyMonotone(w, -1)).toBe(false);
    expect(free.iv).toBeGreaterThan(auto.iv);
  });

  it('maps values to the WoE of their bin, edges going to the upper bin', () => {
    const f = woeTransform(b);
    const second = b.bins[1]!;
    expect(f(second.min!)).toBe(second.woe);
    expect(f(second.min! - 0.001)).toBe(b.bins[0]!.woe);
    expect(f(-1e9)).toBe(b.bins[0]!.woe);
    expect(f(1e9)).toBe(b.bins[b.bins.length - 1]!.woe);
    expect(f(undefined)).toBe(0);
  });

  it('is reproducible', () => {
    expect(binNumeric(values, target)).toEqual(b);
  });

  it('rejects mismatched lengths and all-missing columns', () => {
    expect(() => binNumeric([1, 2], [0])).toThrow(RangeError);
    expect(() => binNumeric([null, null], [0, 1])).toThrow(/missing/);
    expect(() => binCategorical([null, ' '], [0, 1])).toThrow(/missing/);
  });
});

describe('binCategorical', () => {
  // owner: 40 % of rows at 15 % bad; rent: 40 % at 40 %; parents: 17 % at 25 %; boat: 3 % at 45 %.
  const random = mulberry32(5);
  const values: (string | null)[] = [];
  const target: number[] = [];
  const plan: [string | null, number, number][] = [
    ['owner', 1600, 0.15],
    ['rent', 1600, 0.4],
    ['parents', 680, 0.25],
    ['boat', 120, 0.45],
    [null, 40, 0.3],
  ];
  for (const [value, n, rate] of plan) {
    for (let i = 0; i < n; i++) {
      values.push(i % 2 === 0 && value ? value.toUpperCase() : value);
      target.push(random() < rate ? 1 : 0);
    }
  }
  const b = binCategorical(values, target);

  it('merges a category below the minimum share into the nearest by bad rate', () => {
    const withBoat = b.bins.find((bin) => bin.values.includes('boat'))!;
    expect(withBoat.values).toEqual(['boat', 'rent']);
    for (const bin of b.bins) expect(bin.count).toBeGreaterThanOrEqual(0.05 * values.length);
  });

  it('orders bins from the safest to the riskiest and matches categories case-insensitively', () => {
    expect(b.bins.map((bin) => bin.values)).toEqual([['owner'], ['parents'], ['boat', 'rent']]);
    expect(b.bins[0]!.count).toBe(1600);
    expect(woeOf(b, ' Owner ')).toBe(b.bins[0]!.woe);
  });

  it('keeps missing values apart and gives unknown categories WoE 0', () => {
    expect(b.missing!.count).toBe(40);
    expect(woeOf(b, null)).toBe(b.missing!.woe);
    expect(woeOf(b, '')).toBe(b.missing!.woe);
    expect(woeOf(b, 'caravan')).toBe(0);
  });

  it('respects the maximum number of bins', () => {
    const two = binCategorical(values, target, { maxBins: 2 });
    expect(two.bins).toHaveLength(2);
    expect(two.bins.flatMap((bin) => bin.values).sort()).toEqual(['boat', 'owner', 'parents', 'rent']);
    // Only neighbours by bad rate merge, so the safest and the riskiest stay apart.
    expect(two.bins[0]!.values).toContain('owner');
    expect(two.bins[1]!.values).toContain('rent');
  });

  it('is reproducible', () => {
    expect(binCategorical(values, target)).toEqual(b);
  });
});

describe('cutBetween', () => {
  it('picks the roundest number in (a, b]', () => {
    expect(cutBetween(24, 25)).toBe(25);
    expect(cutBetween(3000, 5000)).toBe(4000);
    expect(cutBetween(0.25, 0.2512)).toBe(0.251);
    expect(cutBetween(0.2, 0.6)).toBe(0.3);
    expect(cutBetween(-5, -3)).toBe(-4);
    expect(cutBetween(-0.5, 0.5)).toBe(0);
    expect(cutBetween(0, 1e-7)).toBe(1e-7);
  });

  it('always lands strictly above a and at most b', () => {
    const random = mulberry32(6);
    for (let i = 0; i < 2000; i++) {
      const a = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 3);
      const b = a + random() * Math.abs(a || 1) * 10 ** -Math.floor(random() * 6);
      if (!(b > a)) continue;
      const c = cutBetween(a, b);
      expect(c).toBeGreaterThan(a);
      expect(c).toBeLessThanOrEqual(b);
    }
  });
});

describe('special values', () => {
  it('keep a bin of their own, outside the intervals, with their own WoE', () => {
    const { values, target } = ageSample(4000, mulberry32(21));
    // 10 % of rows hold the code -1 ("not stated"), 90 % of them bad; 20 rows hold 999.
    const coded: number[] = values.map((v, i) => (i % 10 === 0 ? -1 : i % 200 === 1 ? 999 : v));
    const y = target.map((t, i) => (i % 10 === 0 ? (i % 100 === 0 ? 0 : 1) : t));
    const b = binNumeric(coded, y, { specialValues: [-1, 999, 12345] });
    expect(b.special.map((s) => s.value)).toEqual([-1, 999]);
    const [minus, nines] = b.special;
    expect(minus).toMatchObject({ count: 400, bads: 360, neutral: false });
    expect(minus!.woe).toBeLessThan(-2);
    // 20 rows are under 5 % of 4000: too few to estimate, so neutral.
    expect(nines).toMatchObject({ count: 20, neutral: true, woe: 0, iv: 0 });
    // The intervals start at the youngest real age, not at -1.
    expect(b.bins[0]!.max).toBeGreaterThan(18);
    const t = woeTransform(b);
    expect(t(-1)).toBe(minus!.woe);
    expect(t(999)).toBe(0);
    expect(t(1000)).toBe(b.bins.at(-1)!.woe);
    const total = b.bins.reduce((s, x) => s + x.count, 0) + minus!.count + nines!.count;
    expect(total).toBe(4000);
    expect(b.iv).toBeCloseTo(b.bins.reduce((s, x) => s + x.iv, 0) + minus!.iv, 12);
  });
});
