/**
 * Scorecard evaluation alone, on one core: a 12-characteristic scorecard (8 numeric with 6 bins,
 * 4 categorical with 5 bins) over a pool of varied applicants.
 */

import type { Characteristic, ScorecardModel } from '../src/domain/scoring/model-format.js';
import { Scorecard } from '../src/domain/scoring/scorecard.js';

function twelveCharacteristicModel(): ScorecardModel {
  const characteristics: Characteristic[] = [];
  for (let i = 0; i < 8; i++) {
    characteristics.push({
      name: `num_${i}`,
      type: 'numeric',
      bins: [
        { max: 10, points: 5, reasonCode: `N${i}` },
        { min: 10, max: 20, points: 12, reasonCode: `N${i}` },
        { min: 20, max: 40, points: 20, reasonCode: `N${i}` },
        { min: 40, max: 60, points: 26, reasonCode: `N${i}` },
        { min: 60, max: 80, points: 31, reasonCode: `N${i}` },
        { min: 80, points: 35 },
      ],
      missing: { points: 15, reasonCode: `N${i}` },
    });
  }
  for (let i = 0; i < 4; i++) {
    characteristics.push({
      name: `cat_${i}`,
      type: 'categorical',
      bins: ['a', 'b', 'c', 'd', 'e'].map((v, j) => ({
        values: [v, `${v}${v}`],
        points: 5 * j,
        reasonCode: `C${i}`,
      })),
      other: { points: 3, reasonCode: `C${i}` },
      missing: { points: 8, reasonCode: `C${i}` },
    });
  }
  const reasonCodes: Record<string, string> = {};
  for (let i = 0; i < 8; i++) reasonCodes[`N${i}`] = `numeric ${i}`;
  for (let i = 0; i < 4; i++) reasonCodes[`C${i}`] = `categorical ${i}`;
  return {
    format: 'credence.scorecard/v1',
    name: 'bench',
    service: 'bench',
    scaling: { baseScore: 600, baseOdds: 50, pdo: 20, basePoints: 300 },
    characteristics,
    reasonCodes,
    grades: [
      { grade: 'A', minScore: 650 },
      { grade: 'B', minScore: 600 },
      { grade: 'C', minScore: 0 },
    ],
  };
}

export function benchScorecard(seconds = 3): {
  evaluationsPerSecond: number;
  evaluations: number;
  characteristics: number;
} {
  const card = Scorecard.compile(twelveCharacteristicModel());
  // A pool of applicants: mostly present values, some missing, some extra attributes.
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pool: Record<string, unknown>[] = [];
  for (let k = 0; k < 4096; k++) {
    const a: Record<string, unknown> = { client_id: `c${k}` };
    for (let i = 0; i < 8; i++) if (rnd() > 0.05) a[`num_${i}`] = Math.round(rnd() * 100);
    for (let i = 0; i < 4; i++) if (rnd() > 0.05) a[`cat_${i}`] = 'abcdef'[Math.floor(rnd() * 6)];
    if (rnd() > 0.7) a.extra = 'x';
    pool.push(a);
  }
  const ignore = new Set(['client_id']);
  let sink = 0;
  // Warm up so the JIT has optimised the hot path.
  for (let i = 0; i < 200_000; i++) sink += card.evaluate(pool[i & 4095]!, ignore).score;
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 10_000; i++, n++) sink += card.evaluate(pool[n & 4095]!, ignore).score;
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink === 0) throw new Error('unreachable');
  return {
    evaluationsPerSecond: Math.round(n / (Number(elapsed) / 1e9)),
    evaluations: n,
    characteristics: 12,
  };
}
