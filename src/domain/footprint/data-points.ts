/**
 * The data points of a digital-footprint score: each characteristic the scorecard read, with the
 * value the person's data gave it (null when nothing told it), the bin that value fell in, the
 * points it earned and the most it could have earned. Pure: the model, the run's bins and its
 * input come in.
 */
import type { ScorecardModel } from '../scoring/model-format.js';
import type { Contribution } from '../scoring/scorecard.js';
import { bestPoints } from './reasons.js';

export interface DataPoint {
  name: string;
  value: number | string | null;
  bin: string;
  points: number;
  max_points: number;
}

export function dataPoints(
  model: ScorecardModel,
  contributions: readonly Contribution[],
  attributes: Readonly<Record<string, unknown>>,
): DataPoint[] {
  const best = bestPoints(model);
  return contributions.map((c) => {
    const v = Object.hasOwn(attributes, c.characteristic) ? attributes[c.characteristic] : null;
    return {
      name: c.characteristic,
      value: typeof v === 'number' || typeof v === 'string' ? v : null,
      bin: c.bin,
      points: c.points,
      max_points: best.get(c.characteristic) ?? c.points,
    };
  });
}
