/**
 * Coarse classing (Siddiqi, "Credit Risk Scorecards", initial characteristic analysis): numeric
 * values are cut into quantile fine classes, then adjacent classes are merged until the WoE
 * follows one trend and every bin is large enough; categories are grouped by their bad rate.
 * Missing values always keep a bin of their own.
 */
import {
  type BinningOptions,
  type CategoricalBinning,
  type CategoricalValue,
  categoryKey,
  DEFAULT_BINNING_OPTIONS,
  type Direction,
  isCredible,
  isMissingNumber,
  type NumericBinning,
  type NumericValue,
  summarise,
} from './bins.js';
import { addTally, binLogOdds, type Tally, weightOfEvidence } from './woe.js';

/** A run of adjacent distinct values: the first and last value it holds and its tally. */
interface Run extends Tally {
  lo: number;
  hi: number;
}

interface Group extends Tally {
  values: string[];
}

function withDefaults(options: Partial<BinningOptions> | undefined): BinningOptions {
  return { ...DEFAULT_BINNING_OPTIONS, ...options };
}

/** Bins a numeric characteristic. `target` is 1 for bad, 0 for good. */
export function binNumeric(
  values: ArrayLike<NumericValue>,
  target: ArrayLike<number>,
  options?: Partial<BinningOptions>,
): NumericBinning {
  const o = withDefaults(options);
  checkLengths(values.length, target);
  const missing: Tally = { goods: 0, bads: 0 };
  const specials = new Map<number, Tally>();
  for (const v of o.specialValues) specials.set(v, { goods: 0, bads: 0 });
  // Goods and bads are sorted apart, as typed arrays, and merged into runs of equal values: on a
  // million rows that is several times faster than sorting row objects.
  let goodCount = 0;
  let badCount = 0;
  const n = values.length;
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const bad = target[i] === 1;
    if (isMissingNumber(v)) {
      if (bad) missing.bads++;
      else missing.goods++;
      continue;
    }
    const special = specials.size > 0 ? specials.get(v) : undefined;
    if (special) {
      if (bad) special.bads++;
      else special.goods++;
      continue;
    }
    flags[i] = bad ? 2 : 1;
    if (bad) badCount++;
    else goodCount++;
  }
  const present = goodCount + badCount;
  if (present === 0) throw new RangeError('every value is missing: nothing to bin');
  const goods = new Float64Array(goodCount);
  const bads = new Float64Array(badCount);
  for (let i = 0, g = 0, b = 0; i < n; i++) {
    if (flags[i] === 1) goods[g++] = values[i] as number;
    else if (flags[i] === 2) bads[b++] = values[i] as number;
  }
  goods.sort();
  bads.sort();
  const distinct = runsOfEqualValues(goods, bads);
  const minCount = o.minBinShare * n;
  const fine = fineClasses(distinct, present, o.maxFineBins);

  let runs: Run[];
  let direction: Direction | 'none';
  if (o.monotonicity === 'auto') {
    const up = coarse(fine, 'ascending', minCount, o);
    const down = coarse(fine, 'descending', minCount, o);
    const ivUp = ivOf(up, o.smoothing);
    const ivDown = ivOf(down, o.smoothing);
    // Equal IV (typically both collapsed to one bin): fall back on the sign of the correlation.
    const ascending = ivUp !== ivDown ? ivUp > ivDown : correlation(distinct) <= 0;
    runs = ascending ? up : down;
    direction = ascending ? 'ascending' : 'descending';
  } else {
    direction = o.monotonicity;
    runs = coarse(fine, o.monotonicity, minCount, o);
  }

  const seen = [...specials].filter(([, t]) => t.goods + t.bads > 0).map(([value, t]) => ({ value, ...t }));
  const s = summarise(runs, missing, minCount, o, seen);
  const bins = s.bins.map(({ lo: _lo, hi: _hi, ...b }, i) => ({
    ...b,
    min: i === 0 ? undefined : cutBetween(runs[i - 1]!.hi, runs[i]!.lo),
    max: i === runs.length - 1 ? undefined : cutBetween(runs[i]!.hi, runs[i + 1]!.lo),
  }));
  return { type: 'numeric', bins, special: s.special, missing: s.missing, direction, iv: s.iv };
}

/** Runs of equal values from the sorted values of goods and of bads. */
function runsOfEqualValues(goods: Float64Array, bads: Float64Array): Run[] {
  const runs: Run[] = [];
  let g = 0;
  let b = 0;
  while (g < goods.length || b < bads.length) {
    const v = g < goods.length && (b >= bads.length || goods[g]! <= bads[b]!) ? goods[g]! : bads[b]!;
    const run: Run = { lo: v, hi: v, goods: 0, bads: 0 };
    while (g < goods.length && goods[g] === v) {
      run.goods++;
      g++;
    }
    while (b < bads.length && bads[b] === v) {
      run.bads++;
      b++;
    }
    runs.push(run);
  }
  return runs;
}

/** Bins a categorical characteristic. `target` is 1 for bad, 0 for good. */
export function binCategorical(
  values: ArrayLike<CategoricalValue>,
  target: ArrayLike<number>,
  options?: Partial<BinningOptions>,
): CategoricalBinning {
  const o = withDefaults(options);
  checkLengths(values.length, target);
  const missing: Tally = { goods: 0, bads: 0 };
  const byValue = new Map<string, Group>();
  // Columns repeat a few distinct texts: normalise each once.
  const keys = new Map<CategoricalValue, string | null>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const bad = target[i] === 1;
    let key = keys.get(v);
    if (key === undefined) {
      key = categoryKey(v);
      keys.set(v, key);
    }
    let t: Tally = missing;
    if (key !== null) {
      let g = byValue.get(key);
      if (!g) {
        g = { values: [key], goods: 0, bads: 0 };
        byValue.set(key, g);
      }
      t = g;
    }
    if (bad) t.bads++;
    else t.goods++;
  }
  if (byValue.size === 0) throw new RangeError('every value is missing: nothing to bin');
  const minCount = o.minBinShare * values.length;
  const odds = (t: Tally) => binLogOdds(t, o.smoothing);
  // Kept sorted by bad rate, so that the nearest by bad rate is a neighbour in the list.
  const byRisk = (a: Group, b: Group) => odds(a) - odds(b) || compareText(a.values[0]!, b.values[0]!);
  const groups = [...byValue.values()].sort(byRisk);
  const mergeGroups = (i: number, j: number) => {
    const [a, b] = i < j ? [i, j] : [j, i];
    const kept = groups[a]!;
    const other = groups[b]!;
    kept.goods += other.goods;
    kept.bads += other.bads;
    kept.values = [...kept.values, ...other.values].sort(compareText);
    groups.splice(b, 1);
    groups.sort(byRisk);
  };

  for (;;) {
    const small = smallestFailing(groups, minCount, o);
    if (small < 0) break;
    mergeGroups(small, nearestNeighbour(groups, small, odds));
  }
  while (groups.length > o.maxBins) {
    const i = cheapestMerge(groups, o.smoothing);
    mergeGroups(i, i + 1);
  }
  groups.sort((a, b) => odds(b) - odds(a) || compareText(a.values[0]!, b.values[0]!));

  const s = summarise(groups, missing, minCount, o);
  return { type: 'categorical', bins: s.bins, missing: s.missing, iv: s.iv };
}

function checkLengths(n: number, target: ArrayLike<number>): void {
  if (n !== target.length) throw new RangeError(`${n} values but ${target.length} targets`);
  if (n === 0) throw new RangeError('cannot bin an empty sample');
}

/**
 * Quantile fine classes that never split a tie: a class closes once it reaches the next
 * quantile, and a tie that jumps over several quantiles skips them rather than leaving slivers.
 */
function fineClasses(distinct: readonly Run[], n: number, maxFine: number): Run[] {
  const out: Run[] = [];
  let current: Run | null = null;
  let cumulative = 0;
  let closed = 0;
  for (const d of distinct) {
    current = current ? { ...addTally(current, d), lo: current.lo, hi: d.hi } : { ...d };
    cumulative += d.goods + d.bads;
    if (cumulative * maxFine >= (closed + 1) * n) {
      out.push(current);
      current = null;
      closed = Math.floor((cumulative * maxFine) / n);
    }
  }
  if (current) out.push(current);
  return out;
}

/** Merges fine classes until the WoE follows the trend, every bin is credible and there are few enough. */
function coarse(
  fine: readonly Run[],
  direction: Direction | 'none',
  minCount: number,
  o: BinningOptions,
): Run[] {
  let runs = fine.map((r) => ({ ...r }));
  // Merging adjacent bins keeps a weighted-mean trend monotone, but the smoothed log-odds can
  // overshoot on tiny bins, so the passes repeat until nothing changes.
  for (;;) {
    const before = runs.length;
    if (direction !== 'none') runs = monotone(runs, direction, o.smoothing);
    for (let i = smallestFailing(runs, minCount, o); i >= 0; i = smallestFailing(runs, minCount, o)) {
      mergeRuns(
        runs,
        i,
        nearestNeighbour(runs, i, (t) => binLogOdds(t, o.smoothing)),
      );
    }
    while (runs.length > o.maxBins) {
      const i = cheapestMerge(runs, o.smoothing);
      mergeRuns(runs, i, i + 1);
    }
    if (runs.length === before || runs.length === 1) return runs;
  }
}

/**
 * Pool-adjacent-violators (Barlow et al., "Statistical Inference under Order Restrictions",
 * 1972) on the smoothed log-odds: a class that breaks the trend is pooled with the block before
 * it, and the pooled block is checked against its own predecessor in turn.
 */
function monotone(runs: readonly Run[], direction: Direction, smoothing: number): Run[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const stack: Run[] = [];
  for (const r of runs) {
    let block = { ...r };
    for (;;) {
      const prev = stack[stack.length - 1];
      if (!prev || sign * (binLogOdds(block, smoothing) - binLogOdds(prev, smoothing)) > 0) break;
      stack.pop();
      block = { ...addTally(prev, block), lo: prev.lo, hi: block.hi };
    }
    stack.push(block);
  }
  return stack;
}

function mergeRuns(runs: Run[], i: number, j: number): void {
  const [a, b] = i < j ? [i, j] : [j, i];
  runs.splice(a, 2, { ...addTally(runs[a]!, runs[b]!), lo: runs[a]!.lo, hi: runs[b]!.hi });
}

/** The smallest bin that is not credible, or -1. Ties go to the first. */
function smallestFailing(bins: readonly Tally[], minCount: number, o: BinningOptions): number {
  if (bins.length < 2) return -1;
  let found = -1;
  let size = Number.POSITIVE_INFINITY;
  bins.forEach((b, i) => {
    if (!isCredible(b, minCount, o) && b.goods + b.bads < size) {
      found = i;
      size = b.goods + b.bads;
    }
  });
  return found;
}

/** The neighbour (i - 1 or i + 1) whose log-odds is closest to bin i's; ties go to the smaller. */
function nearestNeighbour(bins: readonly Tally[], i: number, odds: (t: Tally) => number): number {
  const left = bins[i - 1];
  const right = bins[i + 1];
  if (!left) return i + 1;
  if (!right) return i - 1;
  const x = odds(bins[i]!);
  const dl = Math.abs(odds(left) - x);
  const dr = Math.abs(odds(right) - x);
  if (dl !== dr) return dl < dr ? i - 1 : i + 1;
  return left.goods + left.bads <= right.goods + right.bads ? i - 1 : i + 1;
}

/** The adjacent pair (i, i + 1) whose merging loses the least information value. */
function cheapestMerge(bins: readonly Tally[], smoothing: number): number {
  let best = 0;
  let bestIv = Number.NEGATIVE_INFINITY;
  for (let i = 0; i + 1 < bins.length; i++) {
    const merged = [...bins.slice(0, i), addTally(bins[i]!, bins[i + 1]!), ...bins.slice(i + 2)];
    const iv = weightOfEvidence(merged, smoothing).iv;
    if (iv > bestIv) {
      best = i;
      bestIv = iv;
    }
  }
  return best;
}

function ivOf(bins: readonly Tally[], smoothing: number): number {
  return weightOfEvidence(bins, smoothing).iv;
}

/** Pearson correlation of value and bad flag, from runs of equal values. */
function correlation(runs: readonly Run[]): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (const r of runs) {
    n += r.goods + r.bads;
    sx += r.lo * (r.goods + r.bads);
    sy += r.bads;
  }
  if (n < 2) return 0;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const r of runs) {
    const dx = r.lo - mx;
    sxy += dx * (r.bads * (1 - my) + r.goods * -my);
    sxx += dx * dx * (r.goods + r.bads);
    syy += r.bads * (1 - my) ** 2 + r.goods * my * my;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/**
 * The roundest number c with a < c <= b: a cut point there sends exactly the same training values
 * to each side as b itself, but reads as 25 or 0.45 rather than 24.999 or 0.45321.
 */
export function cutBetween(a: number, b: number): number {
  if (!(a < b)) throw new RangeError(`no cut point between ${a} and ${b}`);
  const magnitude = Math.max(Math.abs(a), Math.abs(b));
  const start = magnitude > 0 ? -Math.ceil(Math.log10(magnitude)) - 1 : 0;
  for (let d = start; d <= 15; d++) {
    // Integer steps stay exact: scale up for negative d, divide for positive.
    const c = d < 0 ? (Math.floor(a / 10 ** -d) + 1) * 10 ** -d : (Math.floor(a * 10 ** d) + 1) / 10 ** d;
    if (c > a && c <= b) return c;
  }
  return b;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
