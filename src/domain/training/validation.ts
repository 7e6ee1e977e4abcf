/**
 * What a validation report shows about a scorecard's scores: the ROC and KS curves, score bands
 * with their gains and calibration, and the population stability index (PSI) between two
 * samples. Scores are credit scores (higher is safer); `target` is 1 for bad, 0 for good.
 */

export interface RocPoint {
  /** Share of goods at or below the cut-off (false positive rate when refusing them). */
  fpr: number;
  /** Share of bads at or below the cut-off. */
  tpr: number;
}

export interface KsPoint {
  score: number;
  /** Shares of bads and of goods scoring at most `score`. */
  bads: number;
  goods: number;
}

/** A score band [min, max): min is undefined on the lowest band, max on the highest. */
export interface ScoreBand {
  min: number | undefined;
  max: number | undefined;
}

export interface GainsRow extends ScoreBand {
  rows: number;
  bads: number;
  badRate: number;
  /** Share of all rows in this band and the riskier ones below it. */
  cumulativeRows: number;
  /** Share of all bads caught by refusing this band and every riskier one. */
  cumulativeBads: number;
  /** Bad rate of this band over the overall bad rate. */
  lift: number;
  /** Mean PD the scorecard gives the band's rows, beside the bad rate observed. */
  predictedPd: number;
}

export interface PsiRow extends ScoreBand {
  expected: number;
  actual: number;
  psi: number;
}

export type PsiVerdict = 'stable' | 'watch' | 'shift';

export interface Psi {
  bands: PsiRow[];
  total: number;
  verdict: PsiVerdict;
}

/** Scores grouped by distinct value, lowest first, with their goods and bads. */
function tallyByScore(scores: ArrayLike<number>, target: ArrayLike<number>) {
  if (scores.length !== target.length)
    throw new RangeError(`${scores.length} scores but ${target.length} targets`);
  const by = new Map<number, { goods: number; bads: number }>();
  let bads = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    let t = by.get(s);
    if (!t) {
      t = { goods: 0, bads: 0 };
      by.set(s, t);
    }
    if (target[i] === 1) {
      t.bads++;
      bads++;
    } else t.goods++;
  }
  const goods = scores.length - bads;
  const levels = [...by.entries()].sort((a, b) => a[0] - b[0]).map(([score, t]) => ({ score, ...t }));
  return { levels, bads, goods };
}

/**
 * The ROC curve of refusing everyone at or below a cut-off, from the riskiest score up, thinned to
 * at most `maxPoints` points (always keeping both ends).
 */
export function rocCurve(scores: ArrayLike<number>, target: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  const { levels, bads, goods } = tallyByScore(scores, target);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let cb = 0;
  let cg = 0;
  for (const l of levels) {
    cb += l.bads;
    cg += l.goods;
    points.push({ fpr: goods ? cg / goods : 0, tpr: bads ? cb / bads : 0 });
  }
  return thin(points, maxPoints);
}

/** Cumulative shares of bads and goods by score, and where they are furthest apart. */
export function ksCurve(
  scores: ArrayLike<number>,
  target: ArrayLike<number>,
  maxPoints = 200,
): { points: KsPoint[]; ks: number; score: number; at: KsPoint } {
  const { levels, bads, goods } = tallyByScore(scores, target);
  const points: KsPoint[] = [];
  let cb = 0;
  let cg = 0;
  let ks = 0;
  let at: KsPoint = { score: levels[0]?.score ?? 0, bads: 0, goods: 0 };
  for (const l of levels) {
    cb += l.bads;
    cg += l.goods;
    const p = { score: l.score, bads: bads ? cb / bads : 0, goods: goods ? cg / goods : 0 };
    if (p.bads - p.goods > ks) {
      ks = p.bads - p.goods;
      at = p;
    }
    points.push(p);
  }
  return { points: thin(points, maxPoints), ks, score: at.score, at };
}

function thin<T>(points: T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) out.push(points[Math.round(k * step)]!);
  return out;
}

/**
 * Up to `count` bands of about equal size, cut between distinct scores (a score is never split
 * across two bands), from the lowest score up.
 */
export function quantileBands(scores: ArrayLike<number>, count = 10): ScoreBand[] {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  const cuts: number[] = [];
  for (let q = 1; q < count; q++) {
    const cut = sorted[Math.min(n - 1, Math.floor((q * n) / count))]!;
    // A cut at the lowest score would leave an empty band.
    if (cut > sorted[0]! && cut !== cuts[cuts.length - 1]) cuts.push(cut);
  }
  return bandsFromCuts(cuts);
}

export function bandsFromCuts(cuts: readonly number[]): ScoreBand[] {
  const bands: ScoreBand[] = [];
  for (let i = 0; i <= cuts.length; i++) bands.push({ min: cuts[i - 1], max: cuts[i] });
  return bands;
}

export function bandOf(bands: readonly ScoreBand[], score: number): number {
  for (let i = 0; i < bands.length - 1; i++) if (score < bands[i]!.max!) return i;
  return bands.length - 1;
}

/** The share of scores in each band. */
export function bandShares(bands: readonly ScoreBand[], scores: ArrayLike<number>): number[] {
  const counts = new Array<number>(bands.length).fill(0);
  for (let i = 0; i < scores.length; i++) counts[bandOf(bands, scores[i]!)]!++;
  return counts.map((c) => (scores.length ? c / scores.length : 0));
}

/** Gains and calibration by band, riskiest band first. */
export function gainsTable(
  bands: readonly ScoreBand[],
  scores: ArrayLike<number>,
  target: ArrayLike<number>,
  pd: ArrayLike<number>,
): GainsRow[] {
  const rows = bands.map(() => ({ rows: 0, bads: 0, pd: 0 }));
  let bads = 0;
  for (let i = 0; i < scores.length; i++) {
    const r = rows[bandOf(bands, scores[i]!)]!;
    r.rows++;
    r.pd += pd[i]!;
    if (target[i] === 1) {
      r.bads++;
      bads++;
    }
  }
  const n = scores.length;
  const overall = n ? bads / n : 0;
  let cumRows = 0;
  let cumBads = 0;
  return bands.map((band, i) => {
    const r = rows[i]!;
    cumRows += r.rows;
    cumBads += r.bads;
    const badRate = r.rows ? r.bads / r.rows : 0;
    return {
      ...band,
      rows: r.rows,
      bads: r.bads,
      badRate,
      cumulativeRows: n ? cumRows / n : 0,
      cumulativeBads: bads ? cumBads / bads : 0,
      lift: overall ? badRate / overall : 0,
      predictedPd: r.rows ? r.pd / r.rows : 0,
    };
  });
}

/** A share of 0 would make the PSI infinite: empty bands count as this share (a common convention). */
export const PSI_FLOOR = 0.0001;

/**
 * Population stability index: sum over bands of (actual - expected) x ln(actual / expected).
 * Verdict (Siddiqi, and common practice): below 0.10 stable, 0.10 to 0.25 watch, above 0.25 shift.
 */
export function psi(
  bands: readonly ScoreBand[],
  expected: readonly number[],
  actual: readonly number[],
): Psi {
  let total = 0;
  const rows = bands.map((band, i) => {
    const e = Math.max(expected[i] ?? 0, PSI_FLOOR);
    const a = Math.max(actual[i] ?? 0, PSI_FLOOR);
    const part = (a - e) * Math.log(a / e);
    total += part;
    return { ...band, expected: expected[i] ?? 0, actual: actual[i] ?? 0, psi: part };
  });
  return { bands: rows, total, verdict: psiVerdict(total) };
}

export function psiVerdict(value: number): PsiVerdict {
  return value < 0.1 ? 'stable' : value <= 0.25 ? 'watch' : 'shift';
}

/** Counts of goods and bads by score interval of `width` points, for a distribution plot. */
export function scoreHistogram(
  scores: ArrayLike<number>,
  target: ArrayLike<number>,
  bins = 30,
): { from: number; width: number; goods: number[]; bads: number[] } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    lo = Math.min(lo, scores[i]!);
    hi = Math.max(hi, scores[i]!);
  }
  if (!Number.isFinite(lo)) return { from: 0, width: 1, goods: [], bads: [] };
  const width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const count = Math.floor((hi - lo) / width) + 1;
  const goods = new Array<number>(count).fill(0);
  const bads = new Array<number>(count).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const k = Math.floor((scores[i]! - lo) / width);
    if (target[i] === 1) bads[k]!++;
    else goods[k]!++;
  }
  return { from: lo, width, goods, bads };
}
