/**
 * The composite score: the PDs of a subject's latest score of each service averaged in log-odds
 * with per-service weights, mapped to points with the standard scaling (docs/composite-score.md).
 */

import { decimalNumber } from '../../lib/decimal.js';

/** 600 points at odds of 50 good to 1 bad; 20 more points double the odds. */
export const COMPOSITE_SCALING = { baseScore: 600, baseOdds: 50, pdo: 20 } as const;

/** How many reasons the composite returns, at most. */
export const COMPOSITE_REASONS = 4;

/** PDs are kept inside this distance of 0 and 1, so a certain component cannot swamp the rest. */
const PD_FLOOR = 1e-6;

export interface CompositePart {
  pd: number;
  weight: number;
}

const clampPd = (pd: number) => Math.min(1 - PD_FLOOR, Math.max(PD_FLOOR, pd));

/** ln(pd / (1 - pd)): the log-odds of default. */
export const defaultLogOdds = (pd: number) => {
  const p = clampPd(pd);
  return Math.log(p / (1 - p));
};

/**
 * The weighted mean of the parts' log-odds of default, as a PD and as points; undefined when no
 * part has a positive weight.
 */
export function combine(parts: readonly CompositePart[]): { pd: number; score: number } | undefined {
  let total = 0;
  let sum = 0;
  for (const p of parts) {
    if (!(p.weight > 0)) continue;
    total += p.weight;
    sum += p.weight * defaultLogOdds(p.pd);
  }
  if (total === 0) return undefined;
  const logOdds = sum / total;
  const pd = 1 / (1 + Math.exp(-logOdds));
  return { pd, score: pointsOf(pd) };
}

/** The standard scaling: base + PDO/ln 2 × ln(good:bad odds ÷ base odds), to the nearest point. */
export function pointsOf(pd: number): number {
  const { baseScore, baseOdds, pdo } = COMPOSITE_SCALING;
  const goodOdds = -defaultLogOdds(pd);
  return Math.round(baseScore + (pdo / Math.LN2) * (goodOdds - Math.log(baseOdds)));
}

/** Weights are relative: this bound keeps their sum, and the weighted log-odds, finite. */
const MAX_WEIGHT = 1_000_000;

/**
 * Parses `service=weight,service=weight` (e.g. `device_score=2,friendlyscore=0.5`); a weight is a
 * number from 0 (which leaves the service out) to MAX_WEIGHT. Returns the weights or the problems
 * found.
 */
export function parseWeights(
  text: string,
  services: readonly string[],
): { weights: Map<string, number> } | { problems: string[] } {
  const weights = new Map<string, number>();
  const problems: string[] = [];
  for (const item of text.split(',')) {
    const entry = item.trim();
    if (entry === '') continue;
    const [name = '', value = '', ...rest] = entry.split('=').map((s) => s.trim());
    // Decimal only: Number() would also read 0x10 as 16.
    const weight = decimalNumber(value);
    if (!services.includes(name))
      problems.push(`"${name}" is not a scored service (one of ${services.join(', ')})`);
    else if (rest.length > 0 || weight === undefined || weight < 0 || weight > MAX_WEIGHT)
      problems.push(`the weight of ${name} must be a number from 0 to ${MAX_WEIGHT}, got "${entry}"`);
    else if (weights.has(name)) problems.push(`${name} is given twice`);
    else weights.set(name, weight);
  }
  return problems.length > 0 ? { problems } : { weights };
}
