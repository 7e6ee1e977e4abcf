/**
 * The result of binning a characteristic, the options that drive it, and the WoE transform that
 * turns raw values into the numbers a logistic regression learns from. The binning algorithms
 * themselves are in binning.ts.
 */
import { normaliseCategory } from '../scoring/validate-model.js';
import { DEFAULT_SMOOTHING, type Tally, weightOfEvidence } from './woe.js';

/** `ascending`: WoE rises (risk falls) as the value rises; `descending`: the reverse. */
export type Direction = 'ascending' | 'descending';
export type Monotonicity = 'auto' | Direction | 'none';

export interface BinningOptions {
  /** Quantile bins to start from before merging (numeric). */
  maxFineBins: number;
  maxBins: number;
  /** Smallest share of all rows, missing included, that a bin may hold. */
  minBinShare: number;
  minGoods: number;
  minBads: number;
  /** WoE trend over the value (numeric). */
  monotonicity: Monotonicity;
  smoothing: number;
  /**
   * Numeric codes that stand for something other than an amount (-1 for "no account", 999 for
   * "not asked"): each keeps a bin of its own, outside the intervals, like the missing bin.
   */
  specialValues: readonly number[];
}

/**
 * 5 % per bin and about 20 fine classes follow common practice (Siddiqi); at least 5 goods and 5
 * bads keep each bin's WoE from resting on a handful of events.
 */
export const DEFAULT_BINNING_OPTIONS: Readonly<BinningOptions> = {
  maxFineBins: 20,
  maxBins: 8,
  minBinShare: 0.05,
  minGoods: 5,
  minBads: 5,
  monotonicity: 'auto',
  smoothing: DEFAULT_SMOOTHING,
  specialValues: [],
};

export interface BinSummary {
  count: number;
  goods: number;
  bads: number;
  badRate: number;
  woe: number;
  /** This bin's contribution to the characteristic's information value. */
  iv: number;
}

/** A numeric bin covers [min, max); min is undefined on the first bin, max on the last. */
export interface NumericBinSummary extends BinSummary {
  min: number | undefined;
  max: number | undefined;
}

export interface CategoricalBinSummary extends BinSummary {
  /** Normalised (trimmed, lower-case) categories, as the scoring engine matches them. */
  values: string[];
}

export interface MissingBinSummary extends BinSummary {
  /**
   * True when too few rows were missing to estimate their risk (the bin fails the same size
   * rules as any other bin): WoE is then set to 0, the risk of the average applicant.
   */
  neutral: boolean;
}

/** The bin of one special value. Neutral (WoE 0) when too few rows hold it, as for missing. */
export interface SpecialBinSummary extends BinSummary {
  value: number;
  neutral: boolean;
}

export interface NumericBinning {
  type: 'numeric';
  bins: NumericBinSummary[];
  /** One per special value seen in training, in the order the options list them. */
  special: SpecialBinSummary[];
  /** Null when no training row was missing. */
  missing: MissingBinSummary | null;
  /** The WoE trend the bins follow; `none` when it was not constrained. */
  direction: Direction | 'none';
  iv: number;
}

export interface CategoricalBinning {
  type: 'categorical';
  /** Ordered from the highest WoE (safest) to the lowest. */
  bins: CategoricalBinSummary[];
  missing: MissingBinSummary | null;
  iv: number;
}

export type Binning = NumericBinning | CategoricalBinning;

export type NumericValue = number | null | undefined;
export type CategoricalValue = string | null | undefined;

/** Null, undefined and NaN are missing; so are infinities, which no bin edge can place. */
export function isMissingNumber(v: NumericValue): v is null | undefined {
  return v === null || v === undefined || !Number.isFinite(v);
}

/** The normalised category, or null when the value is missing (absent or blank). */
export function categoryKey(v: CategoricalValue): string | null {
  if (v === null || v === undefined) return null;
  const key = normaliseCategory(v);
  return key === '' ? null : key;
}

/** Whether a bin is large enough to estimate its own risk. */
export function isCredible(t: Tally, minCount: number, o: BinningOptions): boolean {
  return t.goods + t.bads >= minCount && t.goods >= o.minGoods && t.bads >= o.minBads;
}

/**
 * WoE and IV for the final bins plus the special and missing bins. A special or missing bin takes
 * part in the shares even when neutral, so that the shares stay shares of all rows.
 */
export function summarise<B extends Tally, S extends Tally>(
  bins: readonly B[],
  missing: Tally,
  minCount: number,
  o: BinningOptions,
  specials: readonly S[] = [],
): {
  bins: (B & BinSummary)[];
  special: (S & BinSummary & { neutral: boolean })[];
  missing: MissingBinSummary | null;
  iv: number;
} {
  const hasMissing = missing.goods + missing.bads > 0;
  const all: Tally[] = [...bins, ...specials];
  if (hasMissing) all.push(missing);
  const evidence = weightOfEvidence(all, o.smoothing);
  const summary = (t: Tally, i: number): BinSummary => {
    const count = t.goods + t.bads;
    const e = evidence.bins[i]!;
    return { count, goods: t.goods, bads: t.bads, badRate: t.bads / count, woe: e.woe, iv: e.iv };
  };
  const apart = (t: Tally, i: number) => {
    const neutral = !isCredible(t, minCount, o);
    const m = summary(t, i);
    return neutral ? { ...m, woe: 0, iv: 0, neutral } : { ...m, neutral };
  };
  const out = bins.map((b, i) => ({ ...b, ...summary(b, i) }));
  const special = specials.map((t, k) => ({ ...t, ...apart(t, bins.length + k) }));
  const missingBin = hasMissing ? apart(missing, bins.length + specials.length) : null;
  let iv = 0;
  for (const b of [...out, ...special]) iv += b.iv;
  if (missingBin) iv += missingBin.iv;
  return { bins: out, special, missing: missingBin, iv };
}

/** The WoE a value maps to; unknown categories get 0, as the scorecard's neutral `other` bin. */
export function woeOf(binning: Binning, value: NumericValue | CategoricalValue): number {
  return woeTransform(binning)(value);
}

/** A function mapping raw values to WoE under a binning, prepared once for a whole column. */
export function woeTransform(binning: Binning): (value: NumericValue | CategoricalValue) => number {
  const missingWoe = binning.missing?.woe ?? 0;
  if (binning.type === 'numeric') {
    const bins = binning.bins;
    const specials = new Map(binning.special.map((b) => [b.value, b.woe]));
    return (value) => {
      if (typeof value === 'string') throw new TypeError('a numeric characteristic needs numbers');
      if (isMissingNumber(value)) return missingWoe;
      if (specials.size > 0) {
        const special = specials.get(value);
        if (special !== undefined) return special;
      }
      let i = 0;
      while (i < bins.length - 1 && value >= bins[i]!.max!) i++;
      return bins[i]!.woe;
    };
  }
  const byCategory = new Map<string, number>();
  for (const b of binning.bins) for (const v of b.values) byCategory.set(v, b.woe);
  return (value) => {
    const key = categoryKey(typeof value === 'number' ? String(value) : value);
    if (key === null) return missingWoe;
    return byCategory.get(key) ?? 0;
  };
}
