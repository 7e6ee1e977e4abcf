import { describe, expect, it } from 'vitest';
import { auc, aucStandardError, discrimination, gini, ks } from './metrics.js';
import { mulberry32 } from './random.js';

/** AUC by comparing every bad with every good, ties counting one half. */
function bruteAuc(risk: number[], target: number[]): number {
  let wins = 0;
  let pairs = 0;
  risk.forEach((r, i) => {
    if (target[i] !== 1) return;
    risk.forEach((s, j) => {
      if (target[j] !== 0) return;
      pairs++;
      wins += r > s ? 1 : r === s ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** KS by trying every cut-off "risk <= c". */
function bruteKs(risk: number[], target: number[]): number {
  const bads = target.filter((y) => y === 1).length;
  const goods = target.length - bads;
  let best = 0;
  for (const c of risk) {
    let b = 0;
    let g = 0;
    risk.forEach((r, i) => {
      if (r <= c) target[i] === 1 ? b++ : g++;
    });
    best = Math.max(best, Math.abs(b / bads - g / goods));
  }
  return best;
}

describe('auc', () => {
  it('matches small known examples', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts a tie between a bad and a good as one half', () => {
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    // Bad at 1 ties one good and beats another (1.5); bad at 2 beats both (2): 3.5 / 4.
    expect(auc([0, 1, 1, 2], [0, 0, 1, 1])).toBe(0.875);
  });

  it('agrees with pairwise counting on random data with many ties', () => {
    const random = mulberry32(11);
    const risk = Array.from({ length: 300 }, () => Math.floor(random() * 10));
    const target = risk.map((r) => (random() < 0.1 + r * 0.05 ? 1 : 0));
    expect(auc(risk, target)).toBeCloseTo(bruteAuc(risk, target), 12);
  });

  it('does not depend on the order of the rows', () => {
    expect(auc([0.8, 0.1, 0.35, 0.4], [1, 0, 1, 0])).toBe(0.75);
  });

  it('needs both classes', () => {
    expect(() => auc([1, 2], [1, 1])).toThrow(RangeError);
  });
});

describe('gini', () => {
  it('is 2 AUC - 1', () => {
    expect(gini([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.5);
    expect(gini([4, 3, 2, 1], [0, 0, 1, 1])).toBe(-1);
  });
});

describe('ks', () => {
  it('matches small known examples', () => {
    expect(ks([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.5);
    expect(ks([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
  });

  it('measures gaps only between distinct values', () => {
    expect(ks([1, 1], [0, 1])).toBe(0);
    expect(ks([1, 1, 2, 2], [0, 1, 0, 1])).toBe(0);
  });

  it('agrees with trying every cut-off on random data with ties', () => {
    const random = mulberry32(12);
    const risk = Array.from({ length: 200 }, () => Math.floor(random() * 20));
    const target = risk.map((r) => (random() < 0.1 + r * 0.03 ? 1 : 0));
    expect(ks(risk, target)).toBeCloseTo(bruteKs(risk, target), 12);
  });
});

describe('discrimination', () => {
  it('bundles AUC, Gini and KS', () => {
    expect(discrimination([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual({ auc: 0.75, gini: 0.5, ks: 0.5 });
  });
});

describe('aucStandardError', () => {
  it('shrinks with the sample and vanishes at a perfect AUC', () => {
    expect(aucStandardError(0.8, 100, 300)).toBeGreaterThan(aucStandardError(0.8, 1000, 3000));
    expect(aucStandardError(1, 100, 300)).toBeCloseTo(0, 12);
    // By hand: Q1 = .8/1.2, Q2 = 2(.64)/1.8; (.16 + 99(Q1 - .64) + 99(Q2 - .64)) / 100^2 = 9.84e-4.
    expect(aucStandardError(0.8, 100, 100)).toBeCloseTo(Math.sqrt(9.84e-4), 10);
  });
});
