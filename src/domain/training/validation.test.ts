import { describe, expect, it } from 'vitest';
import {
  bandOf,
  bandShares,
  gainsTable,
  ksCurve,
  psi,
  psiVerdict,
  quantileBands,
  rocCurve,
  scoreHistogram,
} from './validation.js';

describe('score bands', () => {
  it('cut at quantiles without ever splitting a score', () => {
    const scores = [500, 500, 500, 500, 510, 520, 530, 540, 550, 560];
    const bands = quantileBands(scores, 5);
    // The four 500s stay together in the first band, which takes two fifths.
    expect(bands).toEqual([
      { min: undefined, max: 510 },
      { min: 510, max: 530 },
      { min: 530, max: 550 },
      { min: 550, max: undefined },
    ]);
    expect(bandShares(bands, scores)).toEqual([0.4, 0.2, 0.2, 0.2]);
    expect(bandOf(bands, 509)).toBe(0);
    expect(bandOf(bands, 510)).toBe(1);
    expect(bandOf(bands, 9999)).toBe(3);
    expect(quantileBands([600, 600, 600])).toEqual([{ min: undefined, max: undefined }]);
  });
});

describe('gainsTable', () => {
  it('accumulates rows and bads from the riskiest band, with lift and the mean predicted PD', () => {
    const bands = [
      { min: undefined, max: 500 },
      { min: 500, max: undefined },
    ];
    const scores = [450, 460, 470, 480, 550, 560, 570, 580];
    const target = [1, 1, 1, 0, 1, 0, 0, 0];
    const pd = [0.8, 0.7, 0.6, 0.5, 0.2, 0.1, 0.1, 0.2];
    const [low, high] = gainsTable(bands, scores, target, pd);
    expect(low).toMatchObject({
      rows: 4,
      bads: 3,
      badRate: 0.75,
      cumulativeRows: 0.5,
      cumulativeBads: 0.75,
      lift: 1.5,
    });
    expect(low!.predictedPd).toBeCloseTo(0.65, 12);
    expect(high).toMatchObject({
      rows: 4,
      bads: 1,
      badRate: 0.25,
      cumulativeRows: 1,
      cumulativeBads: 1,
      lift: 0.5,
    });
  });
});

describe('psi', () => {
  it('sums (actual - expected) ln(actual / expected) over the bands', () => {
    const bands = [
      { min: undefined, max: 1 },
      { min: 1, max: undefined },
    ];
    const p = psi(bands, [0.5, 0.5], [0.3, 0.7]);
    expect(p.total).toBeCloseTo(-0.2 * Math.log(0.6) + 0.2 * Math.log(1.4), 12);
    expect(p.verdict).toBe('watch');
    expect(psi(bands, [0.5, 0.5], [0.5, 0.5]).total).toBe(0);
    // An empty band counts as a share of 0.0001 rather than making the PSI infinite.
    expect(Number.isFinite(psi(bands, [1, 0], [0.5, 0.5]).total)).toBe(true);
  });

  it('reads < 0.10 as stable, 0.10 to 0.25 as watch and above 0.25 as shift', () => {
    expect(psiVerdict(0.0999)).toBe('stable');
    expect(psiVerdict(0.1)).toBe('watch');
    expect(psiVerdict(0.25)).toBe('watch');
    expect(psiVerdict(0.2501)).toBe('shift');
  });
});

describe('ROC and KS curves', () => {
  it('run from (0, 0) to (1, 1), riskiest score first, and find the largest gap', () => {
    const scores = [400, 450, 500, 550, 600, 650];
    const target = [1, 1, 0, 0, 1, 0];
    const roc = rocCurve(scores, target);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(roc[2]).toEqual({ fpr: 0, tpr: 2 / 3 });
    const ks = ksCurve(scores, target);
    expect(ks.ks).toBeCloseTo(2 / 3, 12);
    expect(ks.score).toBe(450);
    expect(ks.at).toEqual({ score: 450, bads: 2 / 3, goods: 0 });
  });

  it('thin long curves to the points asked for, keeping both ends', () => {
    const n = 5000;
    const scores = Array.from({ length: n }, (_, i) => i);
    const target = scores.map((s) => (s % 3 === 0 ? 1 : 0));
    const roc = rocCurve(scores, target, 100);
    expect(roc).toHaveLength(100);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
  });
});

describe('scoreHistogram', () => {
  it('counts goods and bads per interval of equal width from the lowest score', () => {
    const h = scoreHistogram([500, 501, 510, 529], [1, 0, 0, 1], 3);
    expect(h).toEqual({ from: 500, width: 10, goods: [1, 1, 0], bads: [1, 0, 1] });
  });
});
