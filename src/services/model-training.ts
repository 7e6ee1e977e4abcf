/**
 * Training a scorecard from a lender's data file: read and check the data, run the training
 * pipeline, and produce the model with its validation report (JSON and HTML). Nothing is written
 * here; the caller writes the files once everything has succeeded.
 */
import path from 'node:path';
import { dataError } from '../data/csv.js';
import { type Dataset, type DatasetOptions, loadDataset } from '../data/dataset.js';
import { invalidInput } from '../domain/errors.js';
import { ATTRIBUTE_NAME, type ScorecardModel } from '../domain/scoring/model-format.js';
import type { BinningOptions } from '../domain/training/bins.js';
import type { PointsScaling } from '../domain/training/points.js';
import { buildReport, trainingMetadata, type ValidationReport } from '../domain/training/report.js';
import { renderReportHtml } from '../domain/training/report-html.js';
import type { SelectionOptions } from '../domain/training/selection.js';
import {
  type Candidate,
  type SplitSpec,
  type TrainingResult,
  trainScorecard,
} from '../domain/training/train.js';

export interface TrainFileOptions extends DatasetOptions {
  data: string;
  name?: string | undefined;
  service: string;
  seed: number;
  split: SplitSpec;
  scaling: PointsScaling;
  /** Defaults for every numeric and categorical column. */
  binning: Partial<BinningOptions>;
  /** Per column, overriding the defaults (a trend, special values). */
  perColumn: Readonly<Record<string, Partial<BinningOptions>>>;
  selection: Partial<SelectionOptions>;
  l2: number;
  missingBins: 'fitted' | 'neutral';
}

/** What `credence train` uses when an option is left out. */
export const TRAIN_DEFAULTS: Omit<TrainFileOptions, 'data' | 'target' | 'split'> = {
  service: 'demographic_score',
  seed: 42,
  scaling: { baseScore: 600, baseOdds: 50, pdo: 20 },
  binning: {},
  perColumn: {},
  selection: {},
  l2: 0,
  missingBins: 'fitted',
};

export interface TrainedModel {
  dataset: Dataset;
  result: TrainingResult;
  report: ValidationReport;
  model: ScorecardModel;
  html: string;
}

const attributeName = new RegExp(ATTRIBUTE_NAME.pattern);

export async function trainFromFile(o: TrainFileOptions): Promise<TrainedModel> {
  const dataset = await loadDataset(o.data, o);
  // A card reads each column as an attribute of that name: a name the model format does not
  // allow is said now, before training, rather than by the model's validation after it.
  for (const c of dataset.columns) {
    if (c.name.length > ATTRIBUTE_NAME.maxLength || !attributeName.test(c.name))
      throw dataError(
        o.data,
        1,
        c.name,
        'a column the card reads needs a name of letters, digits, _ . and - (starting with a letter or _), ' +
          'at most 100 characters: rename it, or leave it out with --exclude',
      );
  }
  for (const [name, own] of Object.entries(o.perColumn)) {
    const option = own.monotonicity !== undefined ? '--trend' : '--special';
    const column = dataset.columns.find((c) => c.name === name);
    if (!column)
      throw invalidInput(
        option,
        name === dataset.targetName
          ? `${option} names "${name}", the target: it bins the columns that predict it`
          : `${option} names "${name}", which is not a candidate column`,
      );
    if (column.type === 'categorical' && own.monotonicity !== undefined)
      throw invalidInput(
        '--trend',
        `--trend names "${name}", a categorical column: a trend orders the bins of a numeric column, and categories have no order`,
      );
  }
  const candidateNames = dataset.columns.map((c) => c.name);
  for (const name of o.selection.keep ?? []) {
    if (!candidateNames.includes(name))
      throw invalidInput(
        '--keep',
        `--keep names "${name}", which is not a candidate column; the candidates are ${candidateNames.join(', ')}`,
      );
  }
  for (const c of dataset.columns) {
    if (c.type === 'categorical' && o.perColumn[c.name]?.specialValues?.length)
      throw invalidInput(
        '--special',
        `--special names "${c.name}", a categorical column: special values are codes of numeric columns, and every category has a bin of its own already`,
      );
  }
  const candidates: Candidate[] = dataset.columns.map((c) => {
    const binning = o.perColumn[c.name];
    return {
      variable:
        c.type === 'numeric'
          ? { name: c.name, type: 'numeric', values: c.values, ...(binning ? { binning } : {}) }
          : { name: c.name, type: 'categorical', values: c.values, ...(binning ? { binning } : {}) },
    };
  });
  const file = path.basename(o.data);
  const result = trainScorecard({
    name: o.name ?? `${o.service} scorecard trained on ${file}`,
    service: o.service,
    description: `Trained by credence train on ${file}: ${dataset.rows} rows, bad when ${dataset.targetName} is "${dataset.badValue}".`,
    candidates,
    target: dataset.target,
    seed: o.seed,
    split: o.split,
    binning: o.binning,
    selection: o.selection,
    l2: o.l2,
    scaling: o.scaling,
    missingBins: o.missingBins,
  });
  const data = {
    file,
    format: dataset.format,
    rows: dataset.rows,
    target: dataset.targetName,
    badValue: dataset.badValue,
    // What meant missing besides an empty field: `credence score` reads the same texts so.
    missingValues: o.missingValues ?? [],
    columns: dataset.columns.map((c) => ({ name: c.name, type: c.type })),
    skipped: dataset.skipped,
  };
  const report = buildReport(result, {
    split: o.split,
    seed: o.seed,
    data,
    ...(o.selection.minIv !== undefined ? { minIv: o.selection.minIv } : { minIv: 0.02 }),
    ...(o.selection.maxPValue !== undefined ? { maxPValue: o.selection.maxPValue } : { maxPValue: 0.05 }),
  });
  const model: ScorecardModel = {
    ...result.model,
    metadata: { kind: 'trained', data, ...trainingMetadata(report) },
  };
  return { dataset, result, report, model, html: renderReportHtml(report) };
}
