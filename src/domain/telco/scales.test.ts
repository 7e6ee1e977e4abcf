import { describe, expect, it } from 'vitest';
import {
  GAUGE_GRADES,
  gaugeGrade,
  gaugeMetric,
  VERITAS_GRADES,
  veritasGrade,
  veritasIndex,
} from './scales.js';

/** 20,001 PDs from 0 to 1, finer where the grades are narrow (log spacing), plus the edges. */
function pds(): number[] {
  const out = [0, 1, -0.5, 2];
  for (let i = 0; i <= 20_000; i++) out.push(10 ** (-6 + (6 * i) / 20_000));
  for (const g of VERITAS_GRADES) out.push(g.maxPd, g.maxPd * 0.999999, g.maxPd * 1.000001);
  return out.filter((p) => p >= 0 && p <= 1).sort((a, b) => a - b);
}

describe('CAMARA scales from a probability of default', () => {
  it('never gives a worse value on either scale for a lower PD', () => {
    const all = pds();
    for (let i = 1; i < all.length; i++) {
      const lower = all[i - 1]!;
      const higher = all[i]!;
      expect(gaugeMetric(lower)).toBeGreaterThanOrEqual(gaugeMetric(higher));
      expect(veritasIndex(lower)).toBeLessThanOrEqual(veritasIndex(higher));
    }
  });

  it('stays inside 300-850 and 0-19 and uses every value of both ranges', () => {
    const gauge = new Set<number>();
    const veritas = new Set<number>();
    for (const pd of pds()) {
      const g = gaugeMetric(pd);
      const v = veritasIndex(pd);
      expect(Number.isInteger(g) && g >= 300 && g <= 850).toBe(true);
      expect(Number.isInteger(v) && v >= 0 && v <= 19).toBe(true);
      gauge.add(g);
      veritas.add(v);
    }
    expect(veritas.size).toBe(20);
    expect(Math.min(...gauge)).toBe(300);
    expect(Math.max(...gauge)).toBe(850);
    expect(gauge.size).toBe(551);
  });

  it("gives a grade's top value to the PDs just past the better grade", () => {
    for (const [pd, value] of [
      [0.0100000001, 799],
      [0.0250000001, 739],
      [0.0600000001, 669],
      [0.1500000001, 579],
    ] as const)
      expect(gaugeMetric(pd), String(pd)).toBe(value);
    // And each grade's upper PD its bottom value.
    for (const [pd, value] of [
      [0.01, 800],
      [0.025, 740],
      [0.06, 670],
      [0.15, 580],
      [0.9999, 300],
      [0.0001, 850],
    ] as const)
      expect(gaugeMetric(pd), String(pd)).toBe(value);
  });

  it('puts each PD in the grade of the tables, on both scales', () => {
    expect(veritasGrade(veritasIndex(0.0005))).toBe('AAA');
    expect(veritasGrade(veritasIndex(0.004))).toBe('A');
    expect(veritasGrade(veritasIndex(0.02))).toBe('BB');
    expect(veritasGrade(veritasIndex(0.7))).toBe('DDD');
    expect(gaugeGrade(gaugeMetric(0.005))).toBe('Exceptional');
    expect(gaugeGrade(gaugeMetric(0.02))).toBe('Very Good');
    expect(gaugeGrade(gaugeMetric(0.04))).toBe('Good');
    expect(gaugeGrade(gaugeMetric(0.1))).toBe('Fair');
    expect(gaugeGrade(gaugeMetric(0.4))).toBe('Poor');
    // The published bands: 800+, 740-799, 670-739, 580-669, 300-579.
    expect(GAUGE_GRADES.map((g) => [g.min, g.max])).toEqual([
      [800, 850],
      [740, 799],
      [670, 739],
      [580, 669],
      [300, 579],
    ]);
  });
});
