/**
 * How well a risk measure separates bads from goods. Every function takes `risk`, where higher
 * means more likely bad (a PD or the log-odds of bad; pass the negated score for a credit score,
 * where higher is safer), and `target`, 1 for bad and 0 for good.
 */

export interface Discrimination {
  auc: number;
  gini: number;
  ks: number;
}

/**
 * Area under the ROC curve: the probability that a random bad is riskier than a random good, a
 * tie counting one half. Computed from the Mann-Whitney U statistic with mid-ranks for ties
 * (Hanley & McNeil, Radiology 143(1), 1982).
 */
export function auc(risk: ArrayLike<number>, target: ArrayLike<number>): number {
  const { order, bads, goods } = prepare(risk, target);
  let rankSumBads = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    let badsInTie = 0;
    while (j < order.length && risk[order[j]!] === risk[order[i]!]) {
      if (target[order[j]!] === 1) badsInTie++;
      j++;
    }
    // Ranks i + 1 .. j share their mean.
    rankSumBads += (badsInTie * (i + 1 + j)) / 2;
    i = j;
  }
  return (rankSumBads - (bads * (bads + 1)) / 2) / (bads * goods);
}

/** Gini coefficient (accuracy ratio) = 2 AUC - 1. */
export function gini(risk: ArrayLike<number>, target: ArrayLike<number>): number {
  return 2 * auc(risk, target) - 1;
}

/**
 * Kolmogorov-Smirnov statistic: the largest gap between the cumulative distributions of risk among
 * bads and among goods. Gaps are only measured between distinct values, since a cut-off cannot
 * separate tied rows.
 */
export function ks(risk: ArrayLike<number>, target: ArrayLike<number>): number {
  const { order, bads, goods } = prepare(risk, target);
  let cumBads = 0;
  let cumGoods = 0;
  let best = 0;
  let i = 0;
  while (i < order.length) {
    const value = risk[order[i]!];
    while (i < order.length && risk[order[i]!] === value) {
      if (target[order[i]!] === 1) cumBads++;
      else cumGoods++;
      i++;
    }
    best = Math.max(best, Math.abs(cumBads / bads - cumGoods / goods));
  }
  return best;
}

/**
 * Standard error of an AUC from the numbers of bads and goods alone (Hanley & McNeil, Radiology
 * 143(1), 1982), which treats the scores as roughly exponentially distributed.
 */
export function aucStandardError(auc: number, bads: number, goods: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance =
    (auc * (1 - auc) + (bads - 1) * (q1 - auc * auc) + (goods - 1) * (q2 - auc * auc)) / (bads * goods);
  return Math.sqrt(variance);
}

export function discrimination(risk: ArrayLike<number>, target: ArrayLike<number>): Discrimination {
  const a = auc(risk, target);
  return { auc: a, gini: 2 * a - 1, ks: ks(risk, target) };
}

function prepare(risk: ArrayLike<number>, target: ArrayLike<number>) {
  if (risk.length !== target.length)
    throw new RangeError(`${risk.length} values but ${target.length} targets`);
  let bads = 0;
  for (let i = 0; i < risk.length; i++) {
    if (Number.isNaN(risk[i])) throw new RangeError(`risk[${i}] is not a number`);
    if (target[i] === 1) bads++;
  }
  const goods = risk.length - bads;
  if (bads === 0 || goods === 0) throw new RangeError('the target needs both bads and goods');
  // Compared rather than subtracted, so that infinite values sort too.
  const order = Array.from({ length: risk.length }, (_, i) => i).sort((a, b) =>
    risk[a]! < risk[b]! ? -1 : risk[a]! > risk[b]! ? 1 : 0,
  );
  return { order, bads, goods };
}
