/**
 * Fits the starter demographic scorecard with the pipeline behind `credence train`
 * (src/domain/training/train.ts), then measures what the doc reports beyond the validation report.
 */
import type { ScorecardModel } from '../../src/domain/scoring/model-format.js';
import { Scorecard } from '../../src/domain/scoring/scorecard.js';
import type { Binning } from '../../src/domain/training/bins.js';
import { aucStandardError, type Discrimination, discrimination } from '../../src/domain/training/metrics.js';
import { buildScorecard } from '../../src/domain/training/points.js';
import { takeRows } from '../../src/domain/training/random.js';
import { buildReport, trainingMetadata, type ValidationReport } from '../../src/domain/training/report.js';
import type { Selection } from '../../src/domain/training/selection.js';
import { type SplitSpec, trainScorecard } from '../../src/domain/training/train.js';
import { woeModelLogOdds } from '../../src/domain/training/woe-model.js';
import {
  type Applicant,
  BINNING,
  candidates,
  DATA,
  DOC,
  EXPERT,
  KEEP,
  loadApplicants,
  REASON_CODES,
  REPORT,
  SCALING,
  SEED,
  SYNONYMS,
  TRAIN_SHARE,
} from './inputs.js';

export interface FitResult {
  model: ScorecardModel;
  report: ValidationReport;
  selection: Selection;
  candidates: { name: string; description: string; binning: Binning }[];
  trainRows: number;
  testRows: number;
  trainBadRate: number;
  testBadRate: number;
  /** Discrimination of the scorecard (rounded points, through the scoring engine). */
  card: { train: Discrimination; test: Discrimination };
  /** The card with the data's own missing bins (the exact restatement of the logistic model). */
  restated: { test: Discrimination };
  /** Discrimination of the unrounded logistic model. */
  logistic: { train: Discrimination; test: Discrimination };
  maxPdGap: number;
  aucStandardError: number;
  income: { zero: number; missing: number; missingBadRate: number; presentBadRate: number };
  /** The lowest and highest score the card can give. */
  scoreRange: { min: number; max: number };
  /** Held-out rows per grade. */
  grades: { grade: string; minScore: number; rows: number; bads: number }[];
  /** How much some candidates overlap, on the training rows, to explain why they were dropped. */
  overlap: {
    ageTenure: number;
    ownersMarried: number;
    ownersOther: number;
    assetsOwners: number;
    assetsOthers: number;
  };
}

export async function fitDemographicModel(): Promise<FitResult> {
  const { applicants, target } = await loadApplicants();
  const all = candidates(applicants);
  const split: SplitSpec = { kind: 'holdout', testShare: 1 - TRAIN_SHARE };
  const description =
    'WoE logistic scorecard fitted on the public credit_data set (R package modeldata 1.1.0), with expert ' +
    'characteristics for attributes the data does not hold (docs/models/demographic-score.md).';
  const result = trainScorecard({
    name: 'Starter demographic scorecard',
    service: 'demographic_score',
    description,
    candidates: all.map((c) => ({
      variable: c.variable,
      description: c.description,
      source: c.source,
      reasonCode: c.reasonCode,
      missingReasonCode: c.missingReasonCode,
      ...(SYNONYMS[c.variable.name] ? { synonyms: SYNONYMS[c.variable.name] } : {}),
    })),
    target,
    input: (i) => ({ ...applicants[i]! }),
    seed: SEED,
    split,
    binning: BINNING,
    selection: { keep: KEEP },
    scaling: SCALING,
    // Shipped: an attribute a lender did not send scores as the average risk (docs/models/demographic-score.md).
    missingBins: 'neutral',
    expert: EXPERT,
    reasonCodes: REASON_CODES,
    topReasons: 3,
  });
  const { selection, scored, card } = result;
  const trainRows = result.train.rows;
  const testRows = result.test.rows;
  const draft = result.model;
  // The same card with the data's own missing bins: the exact restatement of the logistic model.
  const restated = Scorecard.compile(
    buildScorecard({
      name: 'restated',
      service: draft.service,
      scaling: SCALING,
      intercept: selection.model.intercept,
      characteristics: scored,
      expert: EXPERT,
      reasonCodes: REASON_CODES,
      missingBins: 'fitted',
    }),
  );

  const y = (rows: readonly number[]) => takeRows(target, rows);
  const badsIn = (rows: readonly number[]) => y(rows).reduce((n, v) => n + v, 0);
  const lr = (rows: readonly number[]) => woeModelLogOdds(selection.model, selection.variables, rows);
  const cardTest = result.test.metrics;
  const logistic = {
    train: discrimination(lr(trainRows), y(trainRows)),
    test: discrimination(lr(testRows), y(testRows)),
  };
  const restatedTest = discrimination(
    Float64Array.from(testRows, (i) => -restated.evaluate({ ...applicants[i]! }).score),
    y(testRows),
  );

  // Rounding of points moves the PD a little; record by how much at most on the test rows.
  const lrTest = lr(testRows);
  let maxPdGap = 0;
  testRows.forEach((i, k) => {
    const pdCard = restated.evaluate({ ...applicants[i]! }).pd;
    const pdModel = 1 / (1 + Math.exp(-lrTest[k]!));
    maxPdGap = Math.max(maxPdGap, Math.abs(pdCard - pdModel));
  });

  const report = buildReport(result, {
    split,
    seed: SEED,
    data: { file: DATA, rows: target.length, target: 'Status', badValue: 'bad' },
    minIv: 0.02,
    maxPValue: 0.05,
  });
  const model: ScorecardModel = {
    ...draft,
    metadata: {
      kind: 'fitted',
      rationale: DOC,
      report: REPORT,
      data: `${DATA} (R package modeldata 1.1.0, credit_data; MIT)`,
      seed: SEED,
      trainShare: TRAIN_SHARE,
      trainRows: trainRows.length,
      testRows: testRows.length,
      heldOut: rounded(cardTest),
      train: rounded(result.train.metrics),
      fitted: selection.model.variables.map((v) => v.name),
      keptWithoutPoints: scored.filter((c) => c.coefficient === 0).map((c) => c.name),
      expert: EXPERT.map((c) => c.name),
      ...trainingMetadata(report),
    },
  };
  // The file written must load as it will in the server.
  Scorecard.compile(model);

  const byName = new Map(all.map((c) => [c.variable.name, c]));
  return {
    model,
    report,
    selection,
    candidates: selection.candidates.map((c) => ({
      name: c.name,
      description: byName.get(c.name)!.description,
      binning: c.binning,
    })),
    trainRows: trainRows.length,
    testRows: testRows.length,
    trainBadRate: mean(y(trainRows)),
    testBadRate: mean(y(testRows)),
    card: { train: result.train.metrics, test: cardTest },
    restated: { test: restatedTest },
    logistic,
    maxPdGap,
    aucStandardError: aucStandardError(cardTest.auc, badsIn(testRows), testRows.length - badsIn(testRows)),
    income: incomeSummary(applicants, target),
    scoreRange: { min: card.minScore, max: card.maxScore },
    grades: (draft.grades ?? []).map((g) => {
      const rows = testRows.filter(
        (i) => card.gradeOf(card.evaluate({ ...applicants[i]! }).score) === g.grade,
      );
      return { ...g, rows: rows.length, bads: badsIn(rows) };
    }),
    overlap: overlap(takeRows(applicants, trainRows)),
  };
}

function incomeSummary(applicants: readonly Applicant[], target: readonly number[]): FitResult['income'] {
  const missing = applicants.flatMap((a, i) => (a.monthly_net_income === undefined ? [target[i]!] : []));
  const present = applicants.flatMap((a, i) => (a.monthly_net_income === undefined ? [] : [target[i]!]));
  return {
    zero: applicants.filter((a) => a.monthly_net_income === 0).length,
    missing: missing.length,
    missingBadRate: mean(missing),
    presentBadRate: mean(present),
  };
}

function overlap(train: readonly Applicant[]): FitResult['overlap'] {
  const share = (rows: readonly Applicant[], test: (a: Applicant) => boolean) =>
    rows.filter(test).length / rows.length;
  const withAge = train.filter((a) => a.age !== undefined && a.years_at_job !== undefined);
  const married = train.filter((a) => a.marital_status === 'married');
  const unmarried = train.filter((a) => a.marital_status !== undefined && a.marital_status !== 'married');
  const owners = train.filter((a) => a.residence_type === 'owner');
  const others = train.filter((a) => a.residence_type !== undefined && a.residence_type !== 'owner');
  const hasAssets = (a: Applicant) => (a.assets ?? 0) > 0;
  return {
    ageTenure: pearson(
      withAge.map((a) => a.age!),
      withAge.map((a) => a.years_at_job!),
    ),
    ownersMarried: share(married, (a) => a.residence_type === 'owner'),
    ownersOther: share(unmarried, (a) => a.residence_type === 'owner'),
    assetsOwners: share(owners, hasAssets),
    assetsOthers: share(others, hasAssets),
  };
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

export function rounded(d: Discrimination): Discrimination {
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return { auc: r(d.auc), gini: r(d.gini), ks: r(d.ks) };
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
