/**
 * The validation report of a trained scorecard, as JSON: every figure the HTML page
 * (report-html.ts) draws, computed once. Deterministic: no clock, so the same training gives
 * the same report byte for byte.
 */
import type { Characteristic } from '../scoring/model-format.js';
import type { Binning } from './bins.js';
import type { Discrimination } from './metrics.js';
import type { DropReason } from './selection.js';
import type { SplitSpec, TrainingResult } from './train.js';
import {
  bandShares,
  type GainsRow,
  gainsTable,
  type KsPoint,
  ksCurve,
  type Psi,
  psi,
  quantileBands,
  type RocPoint,
  rocCurve,
  type ScoreBand,
  scoreHistogram,
} from './validation.js';

export const REPORT_FORMAT = 'credence.validation-report/v1';

export interface SampleSummary extends Discrimination {
  rows: number;
  bads: number;
  badRate: number;
}

export interface VariableReport {
  name: string;
  type: 'numeric' | 'categorical';
  iv: number;
  /** Numeric: the WoE trend the bins follow. */
  trend: string | null;
  status: 'selected' | 'kept' | 'dropped';
  reason: DropReason | 'kept_without_points' | null;
  /** Why, in words, for a dropped or kept characteristic. */
  note: string | null;
  coefficient: number | null;
  bins: {
    label: string;
    count: number;
    goods: number;
    bads: number;
    badRate: number;
    woe: number;
    points: number | null;
  }[];
}

export interface ValidationReport {
  format: typeof REPORT_FORMAT;
  model: { name: string; service: string; characteristics: number; minScore: number; maxScore: number };
  data: Record<string, unknown>;
  split: SplitSpec & { seed: number };
  samples: { train: SampleSummary; validation: SampleSummary | null; test: SampleSummary };
  /** What the test sample is: held-out rows, or out-of-fold scores under k-fold. */
  testLabel: string;
  folds: { fold: number; rows: number; auc: number; gini: number; ks: number }[];
  cv: { meanAuc: number; sdAuc: number } | null;
  roc: { train: RocPoint[]; test: RocPoint[] };
  ks: { points: KsPoint[]; ks: number; score: number; at: KsPoint };
  histogram: { from: number; width: number; goods: number[]; bads: number[] };
  /** Score bands cut at the training deciles; gains and calibration of the test sample. */
  bands: ScoreBand[];
  gains: GainsRow[];
  psi: Psi;
  variables: VariableReport[];
}

const DROP_NOTES: Record<DropReason, string> = {
  no_information:
    'a single bin, and no missing or special bin apart from it: no split leaves enough goods and bads ' +
    '(--min-bin-events) on each side (a column that separates them completely, a target leak, ends here too)',
  low_iv: 'information value below the threshold',
  correlated: 'WoE too closely correlated with a stronger characteristic',
  wrong_sign: 'its coefficient came out with the wrong sign next to the others',
  not_significant: 'not significant next to the others',
};

export function buildReport(
  result: TrainingResult,
  o: { split: SplitSpec; seed: number; data: Record<string, unknown>; minIv?: number; maxPValue?: number },
): ValidationReport {
  const { train, validation, test, card } = result;
  const bands = quantileBands(train.scores, 10);
  const expected = bandShares(bands, train.scores);
  const actual = bandShares(bands, test.scores);
  const folds = result.folds.map((f) => ({ fold: f.fold, rows: f.rows, ...f.metrics }));
  const mean = folds.length ? folds.reduce((s, f) => s + f.auc, 0) / folds.length : 0;
  const sd =
    folds.length > 1 ? Math.sqrt(folds.reduce((s, f) => s + (f.auc - mean) ** 2, 0) / (folds.length - 1)) : 0;
  return {
    format: REPORT_FORMAT,
    model: {
      name: result.model.name,
      service: result.model.service,
      characteristics: result.model.characteristics.length,
      minScore: card.minScore,
      maxScore: card.maxScore,
    },
    data: o.data,
    split: { ...o.split, seed: o.seed },
    samples: {
      train: summary(train),
      validation: validation ? summary(validation) : null,
      test: summary(test),
    },
    testLabel: o.split.kind === 'kfold' ? `out-of-fold (${o.split.folds} folds)` : 'held out',
    folds,
    cv: folds.length ? { meanAuc: mean, sdAuc: sd } : null,
    roc: { train: rocCurve(train.scores, train.target), test: rocCurve(test.scores, test.target) },
    ks: ksCurve(test.scores, test.target),
    histogram: scoreHistogram(test.scores, test.target),
    bands,
    gains: gainsTable(bands, test.scores, test.target, test.pd),
    psi: psi(bands, expected, actual),
    variables: variableReports(result, o),
  };
}

function summary(s: { target: Uint8Array; metrics: Discrimination }): SampleSummary {
  let bads = 0;
  for (const t of s.target) bads += t;
  return { rows: s.target.length, bads, badRate: s.target.length ? bads / s.target.length : 0, ...s.metrics };
}

function variableReports(
  result: TrainingResult,
  o: { minIv?: number; maxPValue?: number },
): VariableReport[] {
  const fitted = new Map(result.selection.model.variables.map((v) => [v.name, v]));
  const dropped = new Map(result.selection.dropped.map((d) => [d.name, d]));
  const inCard = new Map(result.model.characteristics.map((c) => [c.name, c]));
  return result.selection.candidates.map((c) => {
    const f = fitted.get(c.name);
    const d = dropped.get(c.name);
    const ch = inCard.get(c.name);
    const status = f ? 'selected' : ch ? 'kept' : 'dropped';
    let note: string | null = null;
    if (d) {
      note = DROP_NOTES[d.reason];
      if (d.reason === 'correlated')
        note = `WoE correlates ${fmt(d.correlation ?? 0)} with ${d.correlatedWith}, which has more IV`;
      if (d.reason === 'low_iv' && o.minIv !== undefined) note = `IV ${fmt(d.iv)} is below ${o.minIv}`;
      if (d.reason === 'not_significant' && o.maxPValue !== undefined)
        note = `p-value ${fmt(d.pValue ?? 1)} above ${o.maxPValue} next to the others`;
      if (ch) note = `${note}; kept in the card with 0 points because it was asked for`;
    }
    return {
      name: c.name,
      type: c.binning.type,
      iv: c.binning.iv,
      trend: c.binning.type === 'numeric' ? c.binning.direction : null,
      status,
      reason: d ? (ch ? 'kept_without_points' : d.reason) : null,
      note,
      coefficient: f ? f.coefficient : (d?.coefficient ?? null),
      bins: binRows(c.binning, ch),
    };
  });
}

export function interval(min: number | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return 'all';
  if (min === undefined) return `< ${max}`;
  if (max === undefined) return `>= ${min}`;
  return `[${min}, ${max})`;
}

/** The bins of a binning, with their points in the card (bins map to the card's in order). */
function binRows(b: Binning, ch: Characteristic | undefined) {
  type Stats = { count: number; goods: number; bads: number; badRate: number; woe: number };
  const row = (label: string, s: Stats, points: number | undefined) => ({
    label,
    count: s.count,
    goods: s.goods,
    bads: s.bads,
    badRate: s.badRate,
    woe: s.woe,
    points: points ?? null,
  });
  const rows =
    b.type === 'numeric'
      ? [
          ...b.bins.map((x, j) => row(interval(x.min, x.max), x, ch?.bins[j]?.points)),
          ...b.special.map((x, k) =>
            row(`special ${x.value}`, x, ch?.type === 'numeric' ? ch.special?.[k]?.points : undefined),
          ),
        ]
      : b.bins.map((x, j) => row(x.values.join(', '), x, ch?.bins[j]?.points));
  if (b.missing) {
    rows.push(
      row(b.missing.neutral ? 'missing (too few: neutral)' : 'missing', b.missing, ch?.missing.points),
    );
  }
  return rows;
}

const fmt = (x: number) => (Math.round(x * 1000) / 1000).toString();

/**
 * What a trained model records about its own validation, in its metadata: the headline figures,
 * and the training score distribution over the report's bands, which monitoring compares live
 * scores against (PSI).
 */
export function trainingMetadata(report: ValidationReport): Record<string, unknown> {
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const sample = (s: SampleSummary) => ({
    rows: s.rows,
    badRate: r4(s.badRate),
    auc: r4(s.auc),
    gini: r4(s.gini),
    ks: r4(s.ks),
  });
  return {
    split: report.split,
    samples: {
      train: sample(report.samples.train),
      ...(report.samples.validation ? { validation: sample(report.samples.validation) } : {}),
      test: sample(report.samples.test),
    },
    ...(report.cv
      ? { cv: { folds: report.folds.length, meanAuc: r4(report.cv.meanAuc), sdAuc: r4(report.cv.sdAuc) } }
      : {}),
    psiTrainTest: r4(report.psi.total),
    scoreDistribution: {
      source: 'training',
      bands: report.psi.bands.map((b) => ({
        ...(b.min === undefined ? {} : { min: b.min }),
        ...(b.max === undefined ? {} : { max: b.max }),
        share: r4(b.expected),
      })),
    },
  };
}
