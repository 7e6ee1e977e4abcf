/** Fits the starter demographic scorecard: selection, logistic regression, points, validation. */
import type { Characteristic, ScorecardModel } from '../../src/domain/scoring/model-format.js';
import { Scorecard } from '../../src/domain/scoring/scorecard.js';
import type { Binning } from '../../src/domain/training/bins.js';
import { aucStandardError, type Discrimination, discrimination } from '../../src/domain/training/metrics.js';
import { buildScorecard, type ScoredCharacteristic } from '../../src/domain/training/points.js';
import { mulberry32, stratifiedSplit, takeRows } from '../../src/domain/training/random.js';
import { type Selection, selectWoeModel } from '../../src/domain/training/selection.js';
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
  SCALING,
  SEED,
  SYNONYMS,
  TRAIN_SHARE,
} from './inputs.js';

export interface FitResult {
  model: ScorecardModel;
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
  const split = stratifiedSplit(target, TRAIN_SHARE, mulberry32(SEED));
  const all = candidates(applicants);
  const selection = selectWoeModel(
    all.map((c) => c.variable),
    target,
    split.train,
    { binning: BINNING, selection: { keep: KEEP } },
  );
  const byName = new Map(all.map((c) => [c.variable.name, c]));
  const fitted = new Map(selection.model.variables.map((v) => [v.name, v]));
  const candidateBinning = new Map(selection.candidates.map((c) => [c.name, c.binning]));
  // Fitted characteristics, and kept ones that came out with the wrong sign: those stay in the card
  // (the API reads them) with a coefficient of 0, so they award no points either way.
  const scored: ScoredCharacteristic[] = all
    .filter((c) => fitted.has(c.variable.name) || KEEP.includes(c.variable.name))
    .map((c) => {
      const name = c.variable.name;
      const v = fitted.get(name);
      return {
        name,
        description: c.description,
        ...c.source,
        binning: v ? v.binning : candidateBinning.get(name)!,
        coefficient: v ? v.coefficient : 0,
        reasonCode: c.reasonCode,
        missingReasonCode: c.missingReasonCode,
        ...(SYNONYMS[name] ? { synonyms: SYNONYMS[name] } : {}),
      };
    });

  const spec = {
    service: 'demographic_score',
    description:
      'WoE logistic scorecard fitted on the public credit_data set (R package modeldata 1.1.0), with expert ' +
      'characteristics for attributes the data does not hold (docs/models/demographic-score.md).',
    scaling: SCALING,
    intercept: selection.model.intercept,
    characteristics: scored,
    expert: EXPERT,
    reasonCodes: usedReasonCodes(scored, EXPERT),
    topReasons: 3,
  };
  // Shipped: an attribute a lender did not send scores as the average risk (docs/models/demographic-score.md).
  const draft = buildScorecard({ name: 'Starter demographic scorecard', ...spec, missingBins: 'neutral' });
  const card = Scorecard.compile(draft);
  // The same card with the data's own missing bins: the exact restatement of the logistic model.
  const restated = Scorecard.compile(buildScorecard({ name: 'restated', ...spec, missingBins: 'fitted' }));

  const scoreWith = (c: Scorecard) => (rows: readonly number[]) =>
    Float64Array.from(rows, (i) => -c.evaluate({ ...applicants[i] }).score);
  const score = scoreWith(card);
  const y = (rows: readonly number[]) => takeRows(target, rows);
  const badsIn = (rows: readonly number[]) => y(rows).reduce((n, v) => n + v, 0);
  const variables = selection.variables;
  const lr = (rows: readonly number[]) => woeModelLogOdds(selection.model, variables, rows);
  const cardTrain = discrimination(score(split.train), y(split.train));
  const cardTest = discrimination(score(split.test), y(split.test));
  const logistic = {
    train: discrimination(lr(split.train), y(split.train)),
    test: discrimination(lr(split.test), y(split.test)),
  };
  const restatedTest = discrimination(scoreWith(restated)(split.test), y(split.test));

  // Rounding of points moves the PD a little; record by how much at most on the test rows.
  const lrTest = lr(split.test);
  let maxPdGap = 0;
  split.test.forEach((i, k) => {
    const pdCard = restated.evaluate({ ...applicants[i] }).pd;
    const pdModel = 1 / (1 + Math.exp(-lrTest[k]!));
    maxPdGap = Math.max(maxPdGap, Math.abs(pdCard - pdModel));
  });

  const model: ScorecardModel = {
    ...draft,
    metadata: {
      kind: 'fitted',
      rationale: DOC,
      data: `${DATA} (R package modeldata 1.1.0, credit_data; MIT)`,
      seed: SEED,
      trainShare: TRAIN_SHARE,
      trainRows: split.train.length,
      testRows: split.test.length,
      heldOut: rounded(cardTest),
      train: rounded(cardTrain),
      fitted: selection.model.variables.map((v) => v.name),
      keptWithoutPoints: scored.filter((c) => c.coefficient === 0).map((c) => c.name),
      expert: EXPERT.map((c) => c.name),
    },
  };
  // The file written must load as it will in the server.
  Scorecard.compile(model);

  return {
    model,
    selection,
    candidates: selection.candidates.map((c) => ({
      name: c.name,
      description: byName.get(c.name)!.description,
      binning: c.binning,
    })),
    trainRows: split.train.length,
    testRows: split.test.length,
    trainBadRate: mean(y(split.train)),
    testBadRate: mean(y(split.test)),
    card: { train: cardTrain, test: cardTest },
    restated: { test: restatedTest },
    logistic,
    maxPdGap,
    aucStandardError: aucStandardError(
      cardTest.auc,
      badsIn(split.test),
      split.test.length - badsIn(split.test),
    ),
    income: incomeSummary(applicants, target),
    scoreRange: { min: card.minScore, max: card.maxScore },
    grades: (draft.grades ?? []).map((g) => {
      const rows = split.test.filter(
        (i) => card.gradeOf(card.evaluate({ ...applicants[i] }).score) === g.grade,
      );
      return { ...g, rows: rows.length, bads: badsIn(rows) };
    }),
    overlap: overlap(takeRows(applicants, split.train)),
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

function usedReasonCodes(
  scored: readonly ScoredCharacteristic[],
  expert: readonly Characteristic[],
): Record<string, string> {
  const used = new Set<string>(['DM90']);
  for (const c of scored) used.add(c.reasonCode);
  for (const c of expert) {
    for (const b of c.bins) if (b.reasonCode) used.add(b.reasonCode);
    if (c.missing.reasonCode) used.add(c.missing.reasonCode);
  }
  return Object.fromEntries(Object.entries(REASON_CODES).filter(([code]) => used.has(code)));
}

export function rounded(d: Discrimination): Discrimination {
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return { auc: r(d.auc), gini: r(d.gini), ks: r(d.ks) };
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
