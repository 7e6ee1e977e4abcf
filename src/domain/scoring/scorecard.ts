/**
 * Scorecard evaluation. A validated model is compiled once into flat arrays so that scoring an
 * applicant is a handful of comparisons per characteristic and no parsing.
 */
import { invalidInput } from '../errors.js';
import {
  attributesOf,
  type Characteristic,
  DEFAULT_TOP_REASONS,
  type ScorecardModel,
} from './model-format.js';
import { pdFromScore } from './scaling.js';
import { normaliseCategory, parseModel } from './validate-model.js';

export interface ReasonCode {
  code: string;
  description: string;
  /** The characteristic whose bin produced this reason. */
  characteristic: string;
  /** Points lost against that characteristic's best bin. */
  shortfall: number;
}

export interface Contribution {
  characteristic: string;
  /** The bin the value fell in: its label, or a generated description such as `[25, 35)`. */
  bin: string;
  points: number;
}

export interface ScorecardResult {
  score: number;
  minScore: number;
  maxScore: number;
  /** Probability of default implied by the score under the model's scaling. */
  pd: number;
  grade: string | null;
  /** Attributes the scorecard uses that the input did not carry. */
  missingAttributes: string[];
  /** Attributes the input carried that the scorecard does not use. */
  extraAttributes: string[];
  reasons: ReasonCode[];
  /** For each characteristic, in model order, the index of the bin its value fell in (see explain()). */
  bins: number[];
}

const MAX_SCORE_TABLE = 100_000;
const NUMERIC = 0;
const CATEGORICAL = 1;
/** Numeric text as the engine reads it from a request ("30", "-1.5e3"); training and batch scoring read data alike. */
export const NUMERIC_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * One characteristic, compiled. A class, so every instance has the same hidden class and the
 * evaluation loop stays monomorphic however many scorecards a process holds.
 */
class CompiledCharacteristic {
  constructor(
    readonly kind: typeof NUMERIC | typeof CATEGORICAL,
    readonly name: string,
    /** The attribute read (for a ratio, the numerator). */
    readonly attribute: string,
    /** For a ratio: the denominator attribute. */
    readonly denominator: string | null,
    /** Positions of `attribute` and `denominator` (-1 when none) in the scorecard's attributes. */
    readonly at: number,
    readonly denominatorAt: number,
    /**
     * Numeric: exclusive upper bound of each bin. The last is NaN, which no value reaches: a ratio
     * can overflow to Infinity, and it belongs in the last bin, not the one after it.
     */
    readonly uppers: Float64Array,
    /** Categorical: normalised value -> bin index. */
    readonly categories: Map<string, number>,
    /** Numeric: special value -> bin index; null when the characteristic has none. */
    readonly specials: Map<number, number> | null,
    /** Numeric: the values an attribute may take (`valid`); -Infinity and +Infinity without one. */
    readonly validMin: number,
    readonly validMax: number,
    readonly points: Float64Array,
    /** Per bin, the contribution it makes: fixed at compile time. */
    readonly contributions: readonly Contribution[],
    /** Per bin, the reason it gives (null in the best bin or without a reason code). */
    readonly reasons: readonly (ReasonCode | null)[],
    /** Index of the `other` bin (categorical), or of the missing bin when there is none. */
    readonly otherIndex: number,
    readonly missingIndex: number,
    readonly best: number,
    readonly worst: number,
  ) {}
}

export class Scorecard {
  readonly model: ScorecardModel;
  /** The input attributes the scorecard reads, in model order. */
  readonly attributes: readonly string[];
  readonly minScore: number;
  readonly maxScore: number;
  private readonly chars: CompiledCharacteristic[];
  /** Attribute -> its position in `attributes`. */
  private readonly attributeIndex: Map<string, number>;
  private readonly basePoints: number;
  private readonly topReasons: number;
  private readonly grades: { grade: string; minScore: number }[];
  /** PD and grade for every score the card can give, from minScore up: scores are integers. */
  private readonly pdByScore: Float64Array;
  private readonly gradeByScore: (string | null)[];

  private constructor(model: ScorecardModel) {
    this.model = model;
    const attrs: string[] = [];
    for (const c of model.characteristics)
      for (const a of attributesOf(c)) if (!attrs.includes(a)) attrs.push(a);
    this.attributes = attrs;
    this.attributeIndex = new Map(attrs.map((a, i) => [a, i]));
    this.chars = model.characteristics.map((c) =>
      compileCharacteristic(c, model.reasonCodes, this.attributeIndex),
    );
    this.basePoints = model.scaling.basePoints ?? 0;
    this.topReasons = model.topReasons ?? DEFAULT_TOP_REASONS;
    this.grades = model.grades ?? [];

    let min = this.basePoints;
    let max = this.basePoints;
    for (const c of this.chars) {
      min += c.worst;
      max += c.best;
    }
    this.minScore = roundPoints(min);
    this.maxScore = roundPoints(max);
    // A card with an enormous point range computes PD and grade per call instead.
    const span = this.maxScore - this.minScore + 1 <= MAX_SCORE_TABLE ? this.maxScore - this.minScore + 1 : 0;
    this.pdByScore = new Float64Array(span);
    this.gradeByScore = new Array(span);
    for (let i = 0; i < span; i++) {
      this.pdByScore[i] = round6(pdFromScore(model.scaling, this.minScore + i));
      this.gradeByScore[i] = this.gradeOf(this.minScore + i);
    }
  }

  /** Validates and compiles a model document; throws CREDENCE_INVALID_MODEL when it is not valid. */
  static compile(doc: unknown): Scorecard {
    return new Scorecard(parseModel(doc));
  }

  /**
   * Scores one applicant. `ignore` names input keys that are not attributes (such as a client id),
   * so they count neither as used nor as extra. Throws CREDENCE_INVALID_INPUT, naming the attribute,
   * when a value the scorecard uses has the wrong type.
   */
  evaluate(input: Readonly<Record<string, unknown>>, ignore?: ReadonlySet<string>): ScorecardResult {
    // One pass over the input's own keys and values (read in bulk): the value of each attribute
    // the card reads, by its position, and the keys it does not read. Reading each attribute by
    // name instead costs a property lookup per attribute, present or not, which is slow when the
    // inputs come in many shapes; and it would find what an object inherits (`constructor`).
    const index = this.attributeIndex;
    const values: unknown[] = new Array(index.size);
    const extra: string[] = [];
    const keys = Object.keys(input);
    const given = Object.values(input);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const at = index.get(key);
      if (at !== undefined) values[at] = given[i];
      else if (!ignore?.has(key)) extra.push(key);
    }

    const chars = this.chars;
    const n = chars.length;
    const limit = this.topReasons;
    let total = this.basePoints;
    const missing: string[] = [];
    const bins: number[] = new Array(n);
    // The top reasons by shortfall, kept sorted; N is small, so insertion is cheapest.
    const top: ReasonCode[] = [];

    for (let i = 0; i < n; i++) {
      const c = chars[i]!;
      const bin = c.kind === NUMERIC ? numericBin(c, values, missing) : categoricalBin(c, values, missing);
      total += c.points[bin]!;
      bins[i] = bin;
      const reason = c.reasons[bin];
      if (reason && limit > 0) insertReason(top, reason, limit);
    }

    const score = roundPoints(total);
    const at = score - this.minScore;
    return {
      score,
      minScore: this.minScore,
      maxScore: this.maxScore,
      pd: at < this.pdByScore.length ? this.pdByScore[at]! : round6(pdFromScore(this.model.scaling, score)),
      grade: at < this.pdByScore.length ? this.gradeByScore[at]! : this.gradeOf(score),
      missingAttributes: missing,
      extraAttributes: extra,
      reasons: top,
      bins,
    };
  }

  /** The bin and points of every characteristic, from a result's bins. */
  explain(bins: readonly number[]): Contribution[] {
    return this.chars.map((c, i) => {
      const contribution = c.contributions[bins[i]!];
      if (!contribution) throw new RangeError(`bin ${bins[i]} does not exist in characteristic ${c.name}`);
      return contribution;
    });
  }

  /** The reason codes a result's bins give, with their descriptions, as evaluate() returns them. */
  reasonsOf(bins: readonly number[]): ReasonCode[] {
    const top: ReasonCode[] = [];
    if (this.topReasons === 0) return top;
    this.chars.forEach((c, i) => {
      const reason = c.reasons[bins[i]!];
      if (reason) insertReason(top, reason, this.topReasons);
    });
    return top;
  }

  gradeOf(score: number): string | null {
    const g = this.grades;
    if (g.length === 0) return null;
    for (let i = 0; i < g.length; i++) if (score >= g[i]!.minScore) return g[i]!.grade;
    return g[g.length - 1]!.grade;
  }
}

/**
 * Inserts a reason in shortfall order, keeping at most `limit` and one entry per code: the one with
 * the largest shortfall (the first on a tie), wherever in the card it comes.
 */
function insertReason(top: ReasonCode[], reason: ReasonCode, limit: number): void {
  let length = top.length;
  for (let j = 0; j < length; j++) {
    if (top[j]!.code !== reason.code) continue;
    if (top[j]!.shortfall >= reason.shortfall) return;
    top.splice(j, 1);
    length--;
    break;
  }
  let k = length;
  while (k > 0 && top[k - 1]!.shortfall < reason.shortfall) k--;
  if (k >= limit) return;
  // Shift the shorter shortfalls down one place, the last falling off a full list.
  for (let j = length < limit ? length : limit - 1; j > k; j--) top[j] = top[j - 1]!;
  top[k] = reason;
}

function numericBin(c: CompiledCharacteristic, values: readonly unknown[], missing: string[]): number {
  let value = readNumber(values[c.at], c.attribute, missing);
  if (c.denominator !== null) {
    const d = readNumber(values[c.denominatorAt], c.denominator, missing);
    if (value !== undefined) checkValid(c, value, c.attribute);
    if (d !== undefined) checkValid(c, d, c.denominator);
    value = value === undefined || d === undefined || d === 0 ? undefined : value / d;
  }
  if (value === undefined) return c.missingIndex;
  if (c.specials !== null) {
    const special = c.specials.get(value);
    if (special !== undefined) return special;
  }
  if (c.denominator === null) checkValid(c, value, c.attribute);
  const uppers = c.uppers;
  let i = 0;
  while (value >= uppers[i]!) i++;
  return i;
}

function categoricalBin(c: CompiledCharacteristic, values: readonly unknown[], missing: string[]): number {
  const raw = values[c.at];
  let key: string;
  if (typeof raw === 'string') {
    key = normaliseCategory(raw);
    if (key === '') {
      pushOnce(missing, c.attribute);
      return c.missingIndex;
    }
  } else if (raw === undefined || raw === null) {
    pushOnce(missing, c.attribute);
    return c.missingIndex;
  } else if (typeof raw === 'number' || typeof raw === 'boolean') {
    key = String(raw);
  } else {
    throw invalidInput(c.attribute, `${c.attribute} must be a string`);
  }
  const bin = c.categories.get(key);
  return bin === undefined ? c.otherIndex : bin;
}

/** Refuses a value outside the characteristic's `valid` range, naming the attribute. */
function checkValid(c: CompiledCharacteristic, value: number, attribute: string): void {
  if (value >= c.validMin && value <= c.validMax) return;
  const min = Number.isFinite(c.validMin) ? c.validMin : undefined;
  const max = Number.isFinite(c.validMax) ? c.validMax : undefined;
  const range =
    min !== undefined && max !== undefined
      ? `from ${min} to ${max}`
      : min !== undefined
        ? `at least ${min}`
        : `at most ${max}`;
  throw invalidInput(attribute, `${attribute} must be ${range}`);
}

function readNumber(raw: unknown, attribute: string, missing: string[]): number | undefined {
  if (typeof raw === 'number') return raw;
  if (raw === undefined || raw === null) {
    pushOnce(missing, attribute);
    return undefined;
  }
  if (typeof raw === 'string') {
    if (raw.trim() === '') {
      pushOnce(missing, attribute);
      return undefined;
    }
    // Numbers sent as text ("30") are accepted, as the original service's history shows.
    if (NUMERIC_TEXT.test(raw)) {
      const n = Number(raw);
      if (Number.isFinite(n)) return n;
    }
  }
  throw invalidInput(attribute, `${attribute} must be a number`);
}

function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function compileCharacteristic(
  c: Characteristic,
  descriptions: Record<string, string>,
  attributeIndex: ReadonlyMap<string, number>,
): CompiledCharacteristic {
  const points: number[] = [];
  const codes: (string | undefined)[] = [];
  const labels: string[] = [];
  const add = (p: number, code: string | undefined, label: string) => {
    points.push(p);
    codes.push(code);
    labels.push(label);
    return points.length - 1;
  };

  let uppers: Float64Array = new Float64Array(0);
  const categories = new Map<string, number>();
  let specials: Map<number, number> | null = null;
  if (c.type === 'numeric') {
    uppers = new Float64Array(c.bins.length);
    c.bins.forEach((b, i) => {
      uppers[i] = b.max ?? Number.NaN;
      add(b.points, b.reasonCode, b.label ?? intervalLabel(b.min, b.max));
    });
    if (c.special) {
      specials = new Map();
      for (const b of c.special) {
        const idx = add(b.points, b.reasonCode, b.label ?? `special ${b.values.join(', ')}`);
        for (const v of b.values) specials.set(v, idx);
      }
    }
  } else {
    c.bins.forEach((b) => {
      const idx = add(b.points, b.reasonCode, b.label ?? b.values.join(', '));
      for (const v of b.values) categories.set(normaliseCategory(v), idx);
    });
  }
  const missingIndex = add(c.missing.points, c.missing.reasonCode, c.missing.label ?? 'missing');
  const otherIndex =
    c.type === 'categorical' && c.other
      ? add(c.other.points, c.other.reasonCode, c.other.label ?? 'other')
      : missingIndex;

  const best = Math.max(...points);
  // Results share these objects: frozen, so no caller can change another's result.
  const contributions = points.map((p, i) =>
    Object.freeze({ characteristic: c.name, bin: labels[i]!, points: p }),
  );
  const reasons = points.map((p, i) => {
    const code = codes[i];
    if (code === undefined || !(best - p > 0)) return null;
    return Object.freeze({
      code,
      description: descriptions[code] ?? code,
      characteristic: c.name,
      shortfall: round2(best - p),
    });
  });
  const ratio = c.type === 'numeric' ? c.ratio : undefined;
  const attribute = ratio ? ratio.numerator : (c.attribute ?? c.name);
  const denominator = ratio ? ratio.denominator : null;
  return new CompiledCharacteristic(
    c.type === 'numeric' ? NUMERIC : CATEGORICAL,
    c.name,
    attribute,
    denominator,
    attributeIndex.get(attribute)!,
    denominator === null ? -1 : attributeIndex.get(denominator)!,
    uppers,
    categories,
    specials,
    (c.type === 'numeric' ? c.valid?.min : undefined) ?? Number.NEGATIVE_INFINITY,
    (c.type === 'numeric' ? c.valid?.max : undefined) ?? Number.POSITIVE_INFINITY,
    Float64Array.from(points),
    contributions,
    reasons,
    otherIndex,
    missingIndex,
    best,
    Math.min(...points),
  );
}

function intervalLabel(min: number | undefined, max: number | undefined): string {
  return `[${min ?? '-inf'}, ${max ?? '+inf'})`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
/**
 * A sum of points as a whole score: taken to 6 decimals first, so that a sum a binary double
 * misses by a hair (0.1 + 4.1 + 1.3 = 5.499999999999999) rounds as the written points do (to 6).
 */
const roundPoints = (n: number) => Math.round(round6(n));
