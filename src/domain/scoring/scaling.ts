/**
 * Points scaling (Siddiqi, "Credit Risk Scorecards", ch. 6):
 *   score = offset + factor * ln(odds),  factor = pdo / ln 2,  offset = baseScore - factor * ln(baseOdds)
 * where odds are good:bad. The inverse recovers the probability of default from a score.
 */
import type { Scaling } from './model-format.js';

export function scalingFactor(s: Scaling): number {
  return s.pdo / Math.LN2;
}

export function scalingOffset(s: Scaling): number {
  return s.baseScore - scalingFactor(s) * Math.log(s.baseOdds);
}

/**
 * Probability of default implied by a score: odds = baseOdds * 2^((score - baseScore) / pdo), the
 * same as through offset and factor, but never through a factor that overflows (a pdo near the
 * largest double) or an offset that loses baseScore (a pdo near 0): a number from 0 to 1 for any
 * valid scaling, exactly 1 / (1 + baseOdds) at baseScore.
 */
export function pdFromScore(s: Scaling, score: number): number {
  return 1 / (1 + s.baseOdds * 2 ** ((score - s.baseScore) / s.pdo));
}

/** The score implied by a probability of default (0 < pd < 1). */
export function scoreFromPd(s: Scaling, pd: number): number {
  return scalingOffset(s) + scalingFactor(s) * Math.log((1 - pd) / pd);
}
