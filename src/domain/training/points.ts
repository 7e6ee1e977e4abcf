/**
 * Restates a WoE logistic model as a `credence.scorecard/v1` points scorecard (Siddiqi, "Credit
 * Risk Scorecards", ch. 6, scaling). With y = 1 for bad and x = WoE, the model gives
 * ln(bad:good odds) = a + sum_i b_i x_i, and the score is offset + factor * ln(good:bad odds), so
 *
 *   points of bin j of characteristic i = -factor * b_i * WoE_ij
 *   basePoints                           = offset - factor * a
 *
 * with factor = pdo / ln 2 and offset = baseScore - factor * ln(baseOdds), as in
 * src/domain/scoring/scaling.ts. Points are rounded to integers; the score then matches the model
 * up to that rounding.
 */
import type {
  CategoricalCharacteristic,
  Characteristic,
  Grade,
  NumericCharacteristic,
  ScorecardModel,
  SpecialBin,
} from '../scoring/model-format.js';
import { MODEL_FORMAT } from '../scoring/model-format.js';
import { scalingFactor, scalingOffset } from '../scoring/scaling.js';
import { parseModel } from '../scoring/validate-model.js';
import type { Binning, BinSummary } from './bins.js';

export interface PointsScaling {
  baseScore: number;
  /** Good:bad odds at baseScore. */
  baseOdds: number;
  pdo: number;
}

/** 600 points at 50:1 good:bad odds, 20 points to double the odds, as the starter models use. */
export const DEFAULT_POINTS_SCALING: Readonly<PointsScaling> = { baseScore: 600, baseOdds: 50, pdo: 20 };

/** The grades of the starter models in models/*.json, best first. */
export const DEFAULT_GRADES: readonly Grade[] = [
  { grade: 'A', minScore: 600 },
  { grade: 'B', minScore: 580 },
  { grade: 'C', minScore: 560 },
  { grade: 'D', minScore: 540 },
  { grade: 'E', minScore: 520 },
  { grade: 'F', minScore: 0 },
];

/**
 * Grades for a points scale: A from the base score (the base odds or better), each grade after it
 * one PDO lower (half the odds), F below E. For the default scale these are DEFAULT_GRADES; for
 * another they move with it, so a card trained at 300 points and 50 to double the odds is not
 * all F.
 */
export function gradesFor(scaling: PointsScaling): Grade[] {
  const { baseScore, pdo } = scaling;
  const step = (k: number) => Math.round((baseScore - k * pdo) * 100) / 100;
  return [
    ...['A', 'B', 'C', 'D', 'E'].map((grade, k) => ({ grade, minScore: step(k) })),
    { grade: 'F', minScore: Math.min(0, step(5)) },
  ];
}

/** A fitted characteristic: its binning, its coefficient and where the engine reads its value. */
export interface ScoredCharacteristic {
  name: string;
  description?: string;
  /** The input attribute, when it differs from `name`. */
  attribute?: string;
  /** For a numeric characteristic derived as numerator / denominator. */
  ratio?: { numerator: string; denominator: string };
  /** The values the input may take (the model format's `valid`); others are refused when scoring. */
  valid?: { min?: number; max?: number };
  binning: Binning;
  coefficient: number;
  /** Reported when a bin of this characteristic costs points against its best bin. */
  reasonCode: string;
  /** Reported when the value is missing and that costs points; defaults to `reasonCode`. */
  missingReasonCode?: string;
  /** Further values a lender may send that belong in a category's bin: category -> synonyms. */
  synonyms?: Readonly<Record<string, readonly string[]>>;
}

export interface ScorecardSpec {
  name: string;
  service: string;
  description?: string;
  scaling?: PointsScaling;
  /** The logistic intercept a (log-odds of bad). */
  intercept: number;
  characteristics: readonly ScoredCharacteristic[];
  /** Characteristics whose points were set by judgement, appended after the fitted ones. */
  expert?: readonly Characteristic[];
  reasonCodes: Readonly<Record<string, string>>;
  grades?: readonly Grade[];
  topReasons?: number;
  metadata?: Record<string, unknown>;
  /**
   * How an absent value scores. `fitted` (the default) gives the missing bin its own WoE, right when
   * absence is informative in the data (an applicant who declined to state an income); `neutral`
   * gives it 0 points, the average risk, for inputs whose absence means only that the value was not
   * collected.
   */
  missingBins?: 'fitted' | 'neutral';
}

/** Unrounded points of a bin with the given WoE. */
export function binPoints(woe: number, coefficient: number, scaling: PointsScaling): number {
  return -scalingFactor(scaling) * coefficient * woe;
}

/** Unrounded base points for the given intercept. */
export function basePointsFor(intercept: number, scaling: PointsScaling): number {
  return scalingOffset(scaling) - scalingFactor(scaling) * intercept;
}

/** Builds the scorecard document; throws CREDENCE_INVALID_MODEL if the result is not a valid model. */
export function buildScorecard(spec: ScorecardSpec): ScorecardModel {
  const scaling = spec.scaling ?? DEFAULT_POINTS_SCALING;
  const doc: ScorecardModel = {
    format: MODEL_FORMAT,
    name: spec.name,
    service: spec.service,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    scaling: { ...scaling, basePoints: round(basePointsFor(spec.intercept, scaling)) },
    characteristics: [
      ...spec.characteristics.map((c) => toCharacteristic(c, scaling, spec.missingBins ?? 'fitted')),
      ...(spec.expert ?? []),
    ],
    reasonCodes: { ...spec.reasonCodes },
    grades: (spec.grades ?? gradesFor(scaling)).map((g) => ({ ...g })),
    ...(spec.topReasons === undefined ? {} : { topReasons: spec.topReasons }),
    ...(spec.metadata === undefined ? {} : { metadata: spec.metadata }),
  };
  return parseModel(doc);
}

function toCharacteristic(
  c: ScoredCharacteristic,
  scaling: PointsScaling,
  missingBins: 'fitted' | 'neutral',
): Characteristic {
  const points = (b: BinSummary) => round(binPoints(b.woe, c.coefficient, scaling));
  const b = c.binning;
  const binPts = b.bins.map(points);
  const specialPts = b.type === 'numeric' ? b.special.map(points) : [];
  // Without missing rows in training there is no evidence either way: WoE 0, the average risk.
  const missingPts = b.missing && missingBins === 'fitted' ? points(b.missing) : 0;
  // A value not seen in training scores like the riskiest known one, so that sending an unknown
  // value never earns more points than sending the true one.
  const otherPts = Math.min(...binPts);
  const best = Math.max(...binPts, ...specialPts, missingPts);
  const code = (p: number, reasonCode: string) => (p < best ? { reasonCode } : {});
  const missing: SpecialBin = {
    points: missingPts,
    ...code(missingPts, c.missingReasonCode ?? c.reasonCode),
    label: !b.missing
      ? 'missing (none in training data)'
      : missingBins === 'neutral'
        ? 'missing (neutral)'
        : 'missing',
  };
  const description = c.description === undefined ? {} : { description: c.description };

  if (b.type === 'numeric') {
    const out: NumericCharacteristic = {
      name: c.name,
      type: 'numeric',
      ...description,
      ...(c.ratio
        ? { ratio: { ...c.ratio } }
        : c.attribute && c.attribute !== c.name
          ? { attribute: c.attribute }
          : {}),
      ...(c.valid ? { valid: { ...c.valid } } : {}),
      bins: b.bins.map((bin, j) => ({
        ...(bin.min === undefined ? {} : { min: bin.min }),
        ...(bin.max === undefined ? {} : { max: bin.max }),
        points: binPts[j]!,
        ...code(binPts[j]!, c.reasonCode),
      })),
      ...(b.special.length > 0
        ? {
            special: b.special.map((bin, j) => ({
              values: [bin.value],
              points: specialPts[j]!,
              ...code(specialPts[j]!, c.reasonCode),
              label: bin.neutral
                ? `special value ${bin.value} (too few: neutral)`
                : `special value ${bin.value}`,
            })),
          }
        : {}),
      missing,
    };
    return out;
  }
  if (c.ratio) throw new RangeError(`${c.name}: a ratio must be numeric`);
  const out: CategoricalCharacteristic = {
    name: c.name,
    type: 'categorical',
    ...description,
    ...(c.attribute && c.attribute !== c.name ? { attribute: c.attribute } : {}),
    bins: b.bins.map((bin, j) => ({
      values: bin.values.flatMap((v) => [v, ...(c.synonyms?.[v] ?? [])]),
      points: binPts[j]!,
      ...code(binPts[j]!, c.reasonCode),
    })),
    other: {
      points: otherPts,
      ...code(otherPts, c.reasonCode),
      label: 'other (not seen in training data): as the riskiest bin',
    },
    missing,
  };
  return out;
}

/** Rounds half away from zero, and never to -0, so the JSON is stable. */
function round(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r;
}
