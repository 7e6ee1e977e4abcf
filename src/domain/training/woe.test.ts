import { describe, expect, it } from 'vitest';
import { binLogOdds, tally, weightOfEvidence } from './woe.js';

describe('weightOfEvidence', () => {
  it('matches a hand computation without smoothing', () => {
    // Goods 30/50/20 of 100 and bads 20/10/20 of 50: shares .3/.5/.2 and .4/.2/.4.
    const { bins, iv } = weightOfEvidence(
      [
        { goods: 30, bads: 20 },
        { goods: 50, bads: 10 },
        { goods: 20, bads: 20 },
      ],
      0,
    );
    expect(bins.map((b) => b.goodShare)).toEqual([0.3, 0.5, 0.2]);
    expect(bins.map((b) => b.badShare)).toEqual([0.4, 0.2, 0.4]);
    expect(bins[0]!.woe).toBeCloseTo(Math.log(0.75), 12);
    expect(bins[1]!.woe).toBeCloseTo(Math.log(2.5), 12);
    expect(bins[2]!.woe).toBeCloseTo(Math.log(0.5), 12);
    // (-.1)(ln .75) + (.3)(ln 2.5) + (-.2)(ln .5)
    expect(iv).toBeCloseTo(0.4422849, 6);
    expect(bins[1]!.iv).toBeCloseTo(0.3 * Math.log(2.5), 12);
  });

  it('adds the smoothing to every cell', () => {
    // Goods 8/2 and bads 2/8: smoothed shares 8.5/11 and 2.5/11.
    const { bins, iv } = weightOfEvidence([
      { goods: 8, bads: 2 },
      { goods: 2, bads: 8 },
    ]);
    expect(bins[0]!.goodShare).toBeCloseTo(8.5 / 11, 12);
    expect(bins[0]!.woe).toBeCloseTo(Math.log(3.4), 12);
    expect(bins[1]!.woe).toBeCloseTo(-Math.log(3.4), 12);
    expect(iv).toBeCloseTo(2 * (6 / 11) * Math.log(3.4), 12);
  });

  it('keeps an empty cell finite', () => {
    const { bins, iv } = weightOfEvidence([
      { goods: 10, bads: 0 },
      { goods: 0, bads: 10 },
    ]);
    expect(bins.every((b) => Number.isFinite(b.woe))).toBe(true);
    expect(Number.isFinite(iv)).toBe(true);
    expect(bins[0]!.woe).toBeGreaterThan(0);
  });

  it('gives WoE 0 and IV 0 to a bin with the average bad rate', () => {
    const { bins } = weightOfEvidence(
      [
        { goods: 40, bads: 10 },
        { goods: 80, bads: 20 },
      ],
      0,
    );
    expect(bins[0]!.woe).toBeCloseTo(0, 12);
    expect(bins[0]!.iv).toBeCloseTo(0, 12);
  });
});

describe('binLogOdds', () => {
  it('orders bins as WoE does', () => {
    const tallies = [
      { goods: 30, bads: 20 },
      { goods: 50, bads: 10 },
      { goods: 20, bads: 20 },
    ];
    const woe = weightOfEvidence(tallies).bins.map((b) => b.woe);
    const odds = tallies.map((t) => binLogOdds(t));
    for (let i = 0; i < 3; i++) expect(odds[i]! - woe[i]!).toBeCloseTo(odds[0]! - woe[0]!, 12);
  });
});

describe('tally', () => {
  it('counts goods and bads, over all rows or some', () => {
    expect(tally([1, 0, 0, 1, 0])).toEqual({ goods: 3, bads: 2 });
    expect(tally([1, 0, 0, 1, 0], [0, 3])).toEqual({ goods: 0, bads: 2 });
  });
});
