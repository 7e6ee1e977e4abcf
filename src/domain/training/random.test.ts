import { describe, expect, it } from 'vitest';
import { mulberry32, randomNormal, shuffle, stratifiedKFold, stratifiedSplit, takeRows } from './random.js';

/** 1,000 rows, 30 % bad, in blocks so that an unshuffled split would be visibly unbalanced. */
const target = Array.from({ length: 1000 }, (_, i) => (i < 300 ? 1 : 0));
const badShare = (rows: number[]) => rows.filter((i) => target[i] === 1).length / rows.length;

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniformly from [0, 1)', () => {
    const random = mulberry32(1);
    const draws = Array.from({ length: 100_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    // The mean of 100,000 uniforms has a standard deviation of 0.0009.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.004);
    const deciles = new Array(10).fill(0);
    for (const x of draws) deciles[Math.floor(x * 10)]++;
    for (const d of deciles) expect(Math.abs(d - 10_000)).toBeLessThan(500);
  });

  it('gives standard normal draws', () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 50_000 }, () => randomNormal(random));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});

describe('shuffle', () => {
  it('returns a permutation and leaves the input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = shuffle(items, mulberry32(3));
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(items[0]).toBe(0);
  });

  it('is reproducible from the seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(shuffle(items, mulberry32(3))).toEqual(shuffle(items, mulberry32(3)));
    expect(shuffle(items, mulberry32(3))).not.toEqual(shuffle(items, mulberry32(4)));
  });
});

describe('stratifiedSplit', () => {
  it('keeps the class ratio in train and test', () => {
    const { train, test } = stratifiedSplit(target, 0.7, mulberry32(42));
    expect(train).toHaveLength(700);
    expect(test).toHaveLength(300);
    expect(badShare(train)).toBe(0.3);
    expect(badShare(test)).toBe(0.3);
  });

  it('partitions the rows, each side in ascending order', () => {
    const { train, test } = stratifiedSplit(target, 0.7, mulberry32(42));
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(target.map((_, i) => i));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(test).toEqual([...test].sort((a, b) => a - b));
  });

  it('is reproducible from the seed', () => {
    expect(stratifiedSplit(target, 0.7, mulberry32(42))).toEqual(
      stratifiedSplit(target, 0.7, mulberry32(42)),
    );
    expect(stratifiedSplit(target, 0.7, mulberry32(42))).not.toEqual(
      stratifiedSplit(target, 0.7, mulberry32(1)),
    );
  });

  it('rejects a share outside (0, 1)', () => {
    expect(() => stratifiedSplit(target, 1, mulberry32(1))).toThrow(RangeError);
    expect(() => stratifiedSplit(target, 0, mulberry32(1))).toThrow(RangeError);
  });
});

describe('stratifiedKFold', () => {
  it('puts every row in exactly one test fold, each with the class ratio', () => {
    const folds = stratifiedKFold(target, 5, mulberry32(9));
    expect(folds).toHaveLength(5);
    const seen = new Array(target.length).fill(0);
    for (const f of folds) {
      expect(f.test).toHaveLength(200);
      expect(f.train).toHaveLength(800);
      expect(badShare(f.test)).toBe(0.3);
      for (const i of f.test) seen[i]++;
      expect(new Set([...f.train, ...f.test]).size).toBe(target.length);
    }
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  it('keeps fold sizes within one of each other when rows do not divide evenly', () => {
    const sizes = stratifiedKFold(target.slice(0, 997), 4, mulberry32(9)).map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is reproducible from the seed', () => {
    expect(stratifiedKFold(target, 3, mulberry32(5))).toEqual(stratifiedKFold(target, 3, mulberry32(5)));
  });
});

describe('takeRows', () => {
  it('picks values by index, in the order given', () => {
    expect(takeRows(['a', 'b', 'c'], [2, 0])).toEqual(['c', 'a']);
    expect(takeRows(Float64Array.of(1, 2, 3), [1])).toEqual([2]);
  });
});
