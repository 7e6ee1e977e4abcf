/**
 * Weight of evidence and information value (Siddiqi, "Credit Risk Scorecards", initial
 * characteristic analysis). Target convention: bad = 1, good = 0.
 *
 *   WoE_j = ln(goodShare_j / badShare_j)        higher WoE = safer bin
 *   IV    = sum_j (goodShare_j - badShare_j) * WoE_j
 *
 * Each cell gets an additive smoothing (0.5 by default, as in a Haldane-Anscombe correction) so a
 * bin with no goods or no bads has a large but finite WoE instead of an infinite one.
 */

export const DEFAULT_SMOOTHING = 0.5;

/** The goods and bads that fall in one bin. */
export interface Tally {
  goods: number;
  bads: number;
}

export interface BinEvidence {
  /** Smoothed share of all goods that fall in this bin. */
  goodShare: number;
  /** Smoothed share of all bads that fall in this bin. */
  badShare: number;
  woe: number;
  /** This bin's contribution to the information value. */
  iv: number;
}

export interface Evidence {
  bins: BinEvidence[];
  iv: number;
}

/** WoE and IV of a set of bins that together partition the rows. */
export function weightOfEvidence(tallies: readonly Tally[], smoothing = DEFAULT_SMOOTHING): Evidence {
  let goods = 0;
  let bads = 0;
  for (const t of tallies) {
    goods += t.goods;
    bads += t.bads;
  }
  const goodTotal = goods + smoothing * tallies.length;
  const badTotal = bads + smoothing * tallies.length;
  let iv = 0;
  const bins = tallies.map((t) => {
    const goodShare = (t.goods + smoothing) / goodTotal;
    const badShare = (t.bads + smoothing) / badTotal;
    const woe = Math.log(goodShare / badShare);
    const part = (goodShare - badShare) * woe;
    iv += part;
    return { goodShare, badShare, woe, iv: part };
  });
  return { bins, iv };
}

/**
 * The smoothed log good:bad odds of one bin. Within one set of bins WoE is this minus a constant,
 * so it orders bins exactly as WoE does without knowing the other bins.
 */
export function binLogOdds(t: Tally, smoothing = DEFAULT_SMOOTHING): number {
  return Math.log((t.goods + smoothing) / (t.bads + smoothing));
}

/** Goods and bads among the given rows (all rows when `rows` is omitted). */
export function tally(target: ArrayLike<number>, rows?: readonly number[]): Tally {
  let bads = 0;
  let n = 0;
  if (rows) {
    for (const i of rows) bads += target[i] === 1 ? 1 : 0;
    n = rows.length;
  } else {
    for (let i = 0; i < target.length; i++) bads += target[i] === 1 ? 1 : 0;
    n = target.length;
  }
  return { goods: n - bads, bads };
}

/** The sum of two tallies. */
export function addTally(a: Tally, b: Tally): Tally {
  return { goods: a.goods + b.goods, bads: a.bads + b.bads };
}
