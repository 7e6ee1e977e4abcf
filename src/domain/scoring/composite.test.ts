import { describe, expect, it } from 'vitest';
import { combine, parseWeights, pointsOf } from './composite.js';

const pdAtOdds = (goodToBad: number) => 1 / (1 + goodToBad);

describe('composite score', () => {
  it('scales 600 points at odds 50:1 and 20 more for each doubling of the odds', () => {
    expect(pointsOf(pdAtOdds(50))).toBe(600);
    expect(pointsOf(pdAtOdds(100))).toBe(620);
    expect(pointsOf(pdAtOdds(25))).toBe(580);
    expect(pointsOf(pdAtOdds(400))).toBe(660);
  });

  it('averages PDs in log-odds, with weights', () => {
    // Odds 25 and 100 average to 50 in log-odds (not in PD).
    const equal = combine([
      { pd: pdAtOdds(25), weight: 1 },
      { pd: pdAtOdds(100), weight: 1 },
    ])!;
    expect(equal.pd).toBeCloseTo(pdAtOdds(50), 12);
    expect(equal.score).toBe(600);
    // Weights 3:1 put the log-odds three quarters of the way: odds 25^(1/4) * 100^(3/4).
    const weighted = combine([
      { pd: pdAtOdds(25), weight: 1 },
      { pd: pdAtOdds(100), weight: 3 },
    ])!;
    expect(weighted.pd).toBeCloseTo(pdAtOdds(25 ** 0.25 * 100 ** 0.75), 12);
    expect(weighted.score).toBe(610);
  });

  it('leaves out parts weighted 0, and has nothing to say without a positive weight', () => {
    expect(
      combine([
        { pd: 0.3, weight: 0 },
        { pd: pdAtOdds(50), weight: 2 },
      ])!.score,
    ).toBe(600);
    expect(combine([{ pd: 0.3, weight: 0 }])).toBeUndefined();
    expect(combine([])).toBeUndefined();
  });

  it('keeps a PD of 0 or 1 from swamping the others', () => {
    const c = combine([
      { pd: 0, weight: 1 },
      { pd: pdAtOdds(50), weight: 1 },
    ])!;
    expect(Number.isFinite(c.score)).toBe(true);
    expect(c.pd).toBeGreaterThan(0);
  });

  it('parses weights and names what is wrong', () => {
    const services = ['device_score', 'friendlyscore'];
    expect(parseWeights(' device_score=2, friendlyscore=0.5 ', services)).toEqual({
      weights: new Map([
        ['device_score', 2],
        ['friendlyscore', 0.5],
      ]),
    });
    const bad = parseWeights('device=1,friendlyscore=-1,device_score=x', services);
    expect('problems' in bad && bad.problems).toEqual([
      '"device" is not a scored service (one of device_score, friendlyscore)',
      'the weight of friendlyscore must be a number from 0 to 1000000, got "friendlyscore=-1"',
      'the weight of device_score must be a number from 0 to 1000000, got "device_score=x"',
    ]);
    // Written in decimal: 0x10 is not sixteen here.
    const hex = parseWeights('device_score=0x10,friendlyscore=Infinity', services);
    expect('problems' in hex && hex.problems).toEqual([
      'the weight of device_score must be a number from 0 to 1000000, got "device_score=0x10"',
      'the weight of friendlyscore must be a number from 0 to 1000000, got "friendlyscore=Infinity"',
    ]);
  });
});
