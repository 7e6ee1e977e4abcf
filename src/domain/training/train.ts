/**
 * The training pipeline behind `credence train` and the starter models: split, bin, select, fit,
 * restate as points, and score every row through the scoring engine, so that the figures of the
 * validation report are those of the card as it will be served. Pure and seeded: the same data,
 * options and seed give the same model, byte for byte.
 */
import { invalidInput } from '../errors.js';
import type { Characteristic, Grade, ScorecardModel } from '../scoring/model-format.js';
import { Scorecard } from '../scoring/scorecard.js';
import type { BinningOptions } from './bins.js';
import { type Discrimination, discrimination } from './metrics.js';
import {
  buildScorecard,
  DEFAULT_POINTS_SCALING,
  type PointsScaling,
  type ScoredCharacteristic,
} from './points.js';
import { mulberry32, type Random, type Split, stratifiedKFold, stratifiedSplit, takeRows } from './random.js';
import { type Selection, type SelectionOptions, selectWoeModel } from './selection.js';
import type { TrainingVariable } from './woe-model.js';

/** A candidate characteristic and how the card presents and reads it. */
export interface Candidate {
  variable: TrainingVariable;
  description?: string | undefined;
  /** Where the engine reads the value, when not from an attribute of the variable's name. */
  source?: Pick<ScoredCharacteristic, 'attribute' | 'ratio' | 'valid'> | undefined;
  reasonCode?: string | undefined;
  missingReasonCode?: string | undefined;
  synonyms?: ScoredCharacteristic['synonyms'];
}

export type SplitSpec =
  /** Stratified hold-out: `testShare` for the test, optionally `validationShare` for a validation set. */
  | { kind: 'holdout'; testShare: number; validationShare?: number | undefined }
  /** Stratified k-fold cross-validation; the card is then fitted on every row. */
  | { kind: 'kfold'; folds: number };

export interface TrainingSpec {
  name: string;
  service: string;
  description?: string | undefined;
  candidates: readonly Candidate[];
  /** 1 for bad, 0 for good, one per row. */
  target: ArrayLike<number>;
  /** The row as the scoring engine will receive it; by default the candidates' values by name. */
  input?: ((row: number) => Readonly<Record<string, unknown>>) | undefined;
  seed: number;
  split: SplitSpec;
  binning?: Partial<BinningOptions> | undefined;
  selection?: Partial<SelectionOptions> | undefined;
  l2?: number | undefined;
  scaling?: PointsScaling | undefined;
  grades?: readonly Grade[] | undefined;
  missingBins?: 'fitted' | 'neutral' | undefined;
  /** Characteristics with points set by judgement, appended to the card. */
  expert?: readonly Characteristic[] | undefined;
  /** Descriptions of reason codes the candidates name; codes left out are generated. */
  reasonCodes?: Readonly<Record<string, string>> | undefined;
  topReasons?: number | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/** Scores of a set of rows, through the scoring engine. */
export interface ScoredRows {
  rows: number[];
  scores: Int32Array;
  pd: Float64Array;
  target: Uint8Array;
  metrics: Discrimination;
}

export interface FoldResult {
  fold: number;
  rows: number;
  metrics: Discrimination;
}

export interface TrainingResult {
  model: ScorecardModel;
  card: Scorecard;
  selection: Selection;
  /** The characteristics in the card, fitted or kept with 0 points, with their binnings. */
  scored: ScoredCharacteristic[];
  train: ScoredRows;
  validation: ScoredRows | null;
  /** Held-out rows, or every row scored by the fold that did not train on it (k-fold). */
  test: ScoredRows;
  folds: FoldResult[];
}

export function trainScorecard(spec: TrainingSpec): TrainingResult {
  const n = spec.target.length;
  let bads = 0;
  for (let i = 0; i < n; i++) bads += spec.target[i] === 1 ? 1 : 0;
  if (bads === 0 || bads === n) {
    throw invalidInput(
      'target',
      `the target has only ${bads === 0 ? 'goods' : 'bads'}: a scorecard needs both`,
    );
  }
  // The rows trained on and the rows measured on each need a bad and a good.
  const fewest = Math.min(bads, n - bads);
  if (fewest < 2)
    throw invalidInput(
      'target',
      `the target has only one ${bads === 1 ? 'bad' : 'good'}: training and testing each need one; more data is needed`,
    );
  const random = mulberry32(spec.seed);
  const input = spec.input ?? inputByName(spec.candidates);

  if (spec.split.kind === 'kfold') {
    // Each fold's test rows need a bad and a good to be measured.
    if (spec.split.folds > fewest)
      throw invalidInput(
        'folds',
        `${spec.split.folds} folds need at least as many ${bads <= n - bads ? 'bads' : 'goods'}, and the data has ${fewest}: use ${fewest} folds or fewer`,
      );
    const folds = stratifiedKFold(spec.target, spec.split.folds, random);
    const oofScores = new Int32Array(n);
    const oofPd = new Float64Array(n);
    const results = folds.map((f, k) => {
      const fitted = fitCard(spec, f.train);
      const s = scoreRows(fitted.card, f.test, spec.target, input);
      f.test.forEach((i, j) => {
        oofScores[i] = s.scores[j]!;
        oofPd[i] = s.pd[j]!;
      });
      return { fold: k + 1, rows: f.test.length, metrics: s.metrics };
    });
    const all = Array.from({ length: n }, (_, i) => i);
    const final = fitCard(spec, all);
    const target = Uint8Array.from(all, (i) => spec.target[i]!);
    const test = {
      rows: all,
      scores: oofScores,
      pd: oofPd,
      target,
      metrics: discriminationOf(oofScores, target),
    };
    return {
      ...final,
      train: scoreRows(final.card, all, spec.target, input),
      validation: null,
      test,
      folds: results,
    };
  }

  const split = holdout(spec.target, spec.split, random);
  const fitted = fitCard(spec, split.train);
  return {
    ...fitted,
    train: scoreRows(fitted.card, split.train, spec.target, input),
    validation: split.validation ? scoreRows(fitted.card, split.validation, spec.target, input) : null,
    test: scoreRows(fitted.card, split.test, spec.target, input),
    folds: [],
  };
}

function holdout(
  target: ArrayLike<number>,
  s: Extract<SplitSpec, { kind: 'holdout' }>,
  random: Random,
): { train: number[]; validation: number[] | null; test: number[] } {
  const validationShare = s.validationShare ?? 0;
  const trainShare = 1 - s.testShare - validationShare;
  if (!(s.testShare > 0) || !(trainShare > 0) || validationShare < 0)
    throw invalidInput('split', 'the test and validation shares must be above 0 and leave rows to train on');
  const first: Split = stratifiedSplit(target, trainShare, random);
  let split: { train: number[]; validation: number[] | null; test: number[] } = {
    train: first.train,
    validation: null,
    test: first.test,
  };
  if (validationShare > 0) {
    const rest = first.test;
    const second = stratifiedSplit(takeRows(target, rest), validationShare / (1 - trainShare), random);
    split = {
      train: first.train,
      validation: second.train.map((k) => rest[k]!),
      test: second.test.map((k) => rest[k]!),
    };
  }
  // Each sample is measured (or fitted) on both classes: a share so small that it holds no bad
  // (or no good) is the option's fault, said before anything is fitted.
  const classes = (rows: readonly number[]) => {
    const bads = rows.reduce((sum, i) => sum + (target[i] === 1 ? 1 : 0), 0);
    return bads === 0 ? 'bad' : bads === rows.length ? 'good' : null;
  };
  const test = classes(split.test);
  if (test)
    throw invalidInput(
      'split',
      `--test-share leaves ${split.test.length} test rows with no ${test}: raise it`,
    );
  const validation = split.validation && classes(split.validation);
  if (validation)
    throw invalidInput(
      'split',
      `--validation-share leaves ${split.validation!.length} validation rows with no ${validation}: raise it`,
    );
  const train = classes(split.train);
  if (train)
    throw invalidInput(
      'split',
      `the ${split.train.length} rows left to train on hold no ${train}: lower --test-share or --validation-share`,
    );
  return split;
}

/** Selects and fits on the given rows, and restates the fit as a validated scorecard. */
function fitCard(spec: TrainingSpec, rows: readonly number[]) {
  const candidates = spec.candidates;
  const keep = spec.selection?.keep ?? [];
  let selection: Selection;
  try {
    selection = selectWoeModel(
      candidates.map((c) => c.variable),
      spec.target,
      rows,
      {
        ...(spec.binning ? { binning: spec.binning } : {}),
        logistic: { l2: spec.l2 ?? 0 },
        ...(spec.selection ? { selection: spec.selection } : {}),
      },
    );
  } catch (err) {
    if (err instanceof RangeError && /no characteristic is left/.test(err.message)) {
      throw invalidInput(
        'features',
        'no characteristic passed selection (information value, correlation, sign and significance): ' +
          'nothing predicts the target in this data',
      );
    }
    throw err;
  }
  const fitted = new Map(selection.model.variables.map((v) => [v.name, v]));
  const binnings = new Map(selection.candidates.map((c) => [c.name, c.binning]));
  // A kept characteristic whose sign came out wrong stays in the card (the caller needs it read)
  // with a coefficient of 0: it awards no points either way.
  const scored: ScoredCharacteristic[] = candidates
    .filter((c) => fitted.has(c.variable.name) || keep.includes(c.variable.name))
    .map((c) => {
      const name = c.variable.name;
      const v = fitted.get(name);
      const code = c.reasonCode ?? reasonCodeFor(name);
      return {
        name,
        ...(c.description ? { description: c.description } : {}),
        ...c.source,
        binning: v ? v.binning : binnings.get(name)!,
        coefficient: v ? v.coefficient : 0,
        reasonCode: code,
        missingReasonCode: c.missingReasonCode ?? `${code}_MISSING`.slice(0, 64),
        ...(c.synonyms ? { synonyms: c.synonyms } : {}),
      };
    });
  // The caller's descriptions first, in its order; then generated ones for codes it left out.
  const reasonCodes: Record<string, string> = { ...spec.reasonCodes };
  for (const c of candidates) {
    const code = c.reasonCode ?? reasonCodeFor(c.variable.name);
    reasonCodes[code] ??= `${c.variable.name}: value associated with higher risk`;
    reasonCodes[c.missingReasonCode ?? `${code}_MISSING`.slice(0, 64)] ??= `${c.variable.name} not provided`;
  }
  const draft = buildScorecard({
    name: spec.name,
    service: spec.service,
    ...(spec.description ? { description: spec.description } : {}),
    scaling: spec.scaling ?? DEFAULT_POINTS_SCALING,
    intercept: selection.model.intercept,
    characteristics: scored,
    ...(spec.expert ? { expert: spec.expert } : {}),
    reasonCodes,
    ...(spec.grades ? { grades: spec.grades } : {}),
    ...(spec.topReasons !== undefined ? { topReasons: spec.topReasons } : {}),
    missingBins: spec.missingBins ?? 'fitted',
  });
  const model = { ...draft, reasonCodes: usedOnly(draft) };
  return { model, card: Scorecard.compile(model), selection, scored };
}

/** A reason code from a characteristic's name: `years_at_job` -> `YEARS_AT_JOB`. */
export function reasonCodeFor(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 55);
}

/** The reason codes a card's bins use, in the order they are defined. */
function usedOnly(model: ScorecardModel): Record<string, string> {
  const used = new Set<string>();
  const use = (code: string | undefined) => {
    if (code !== undefined) used.add(code);
  };
  for (const c of model.characteristics) {
    for (const b of c.bins) use(b.reasonCode);
    if (c.type === 'numeric') for (const b of c.special ?? []) use(b.reasonCode);
    if (c.type === 'categorical') use(c.other?.reasonCode);
    use(c.missing.reasonCode);
  }
  return Object.fromEntries(Object.entries(model.reasonCodes).filter(([code]) => used.has(code)));
}

/** The engine's input for a row from the candidates' own columns; NaN and null are left out. */
function inputByName(candidates: readonly Candidate[]): (row: number) => Record<string, unknown> {
  const columns = candidates.map((c) => ({
    name: c.source?.attribute ?? c.variable.name,
    values: c.variable.values,
  }));
  return (row) => {
    const input: Record<string, unknown> = {};
    for (const c of columns) {
      const v = c.values[row];
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) input[c.name] = v;
    }
    return input;
  };
}

/** Scores rows through the engine, as the server will score applicants. */
export function scoreRows(
  card: Scorecard,
  rows: readonly number[],
  target: ArrayLike<number>,
  input: (row: number) => Readonly<Record<string, unknown>>,
): ScoredRows {
  const scores = new Int32Array(rows.length);
  const pd = new Float64Array(rows.length);
  const y = new Uint8Array(rows.length);
  rows.forEach((i, k) => {
    const r = card.evaluate(input(i));
    scores[k] = r.score;
    pd[k] = r.pd;
    y[k] = target[i] === 1 ? 1 : 0;
  });
  return { rows: [...rows], scores, pd, target: y, metrics: discriminationOf(scores, y) };
}

function discriminationOf(scores: Int32Array, target: Uint8Array): Discrimination {
  return discrimination(
    Float64Array.from(scores, (s) => -s),
    target,
  );
}
