import type { Command } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { SERVICE_NAME } from '../../domain/scoring/model-format.js';
import type { BinningOptions, Monotonicity } from '../../domain/training/bins.js';
import type { SplitSpec } from '../../domain/training/train.js';
import type { TrainFileOptions } from '../../services/model-training.js';
import { emit, fail } from '../output.js';
import {
  integerOption,
  list,
  numberOption,
  requireDistinctOutputs,
  requireOutputFolder,
  writeAll,
} from './files.js';

export interface TrainOptions {
  data: string;
  target: string;
  badValue?: string;
  out: string;
  report?: string;
  reportJson?: string;
  name?: string;
  service: string;
  seed: string;
  testShare: string;
  validationShare: string;
  folds?: string;
  baseScore: string;
  baseOdds: string;
  pdo: string;
  minBinShare: string;
  minBinEvents: string;
  maxBins: string;
  fineBins: string;
  trend?: string[];
  special?: string[];
  include?: string[];
  exclude?: string[];
  categorical?: string[];
  numeric?: string[];
  na?: string[];
  minIv: string;
  maxPValue: string;
  maxCorrelation: string;
  keep?: string[];
  l2: string;
  missingBins: string;
  json?: boolean;
}

const TRENDS: readonly Monotonicity[] = ['auto', 'ascending', 'descending', 'none'];

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'train a points scorecard from a labelled CSV (or ARFF) file and write the model and its validation report',
    )
    .requiredOption('--data <file>', 'training data: CSV with a header line, or .arff')
    .requiredOption('--target <column>', 'the outcome column')
    .option(
      '--bad-value <value>',
      'the target value that means bad (default: 1 for a 0/1 target, else "bad")',
    )
    .requiredOption('--out <file>', 'where to write the model (JSON)')
    .option('--report <file>', 'where to write the validation report (self-contained HTML)')
    .option('--report-json <file>', 'where to write the validation report as JSON')
    .option('--name <name>', 'the model name')
    .option('--service <service>', 'the service the model scores', 'demographic_score')
    .option('--seed <n>', 'seed of the split: the same seed gives the same model', '42')
    .option('--test-share <share>', 'stratified hold-out share for the test', '0.3')
    .option(
      '--validation-share <share>',
      'stratified share for a validation sample (taken from training)',
      '0',
    )
    .option(
      '--folds <k>',
      'stratified k-fold cross-validation instead of a hold-out; the card is fitted on every row',
    )
    .option('--base-score <points>', 'score at the base odds', '600')
    .option('--base-odds <odds>', 'good:bad odds at the base score', '50')
    .option('--pdo <points>', 'points to double the odds', '20')
    .option('--min-bin-share <share>', 'smallest share of rows a bin may hold', '0.05')
    .option('--min-bin-events <n>', 'fewest bads (and goods) a bin may hold', '5')
    .option('--max-bins <n>', 'most bins per characteristic', '8')
    .option('--fine-bins <n>', 'quantile classes to start from before merging', '20')
    .option(
      '--trend <trends>',
      'WoE trend of numeric characteristics: auto, ascending, descending or none; COLUMN=TREND for one column (comma-separated)',
      list,
    )
    .option(
      '--special <values>',
      'special numeric values with bins of their own: VALUE for every numeric column, COLUMN=VALUE for one (comma-separated)',
      list,
    )
    .option('--include <columns>', 'only these columns are candidates (comma-separated)', list)
    .option('--exclude <columns>', 'these columns are not candidates', list)
    .option('--categorical <columns>', 'read these columns as categories even if numeric', list)
    .option('--numeric <columns>', 'these columns must be numeric', list)
    .option('--na <values>', 'texts that mean missing, besides an empty field (e.g. NA,?)', list)
    .option('--min-iv <iv>', 'drop characteristics with less information value', '0.02')
    .option(
      '--max-p-value <p>',
      'drop the least significant characteristic while its p-value is above this',
      '0.05',
    )
    .option(
      '--max-correlation <r>',
      'of two characteristics whose WoE correlates above this, drop the weaker',
      '0.7',
    )
    .option(
      '--keep <columns>',
      'keep these characteristics past the IV, correlation and significance screens',
      list,
    )
    .option('--l2 <penalty>', 'ridge penalty of the logistic regression', '0')
    .option(
      '--missing-bins <how>',
      'fitted (absence is informative) or neutral (0 points when missing)',
      'fitted',
    )
    .option('--json', 'print a summary as one JSON object')
    .action(async (opts: TrainOptions) => {
      try {
        const options = parseTrainOptions(opts);
        const { trainFromFile } = await import('../../services/model-training.js');
        const trained = await trainFromFile(options);
        const outputs = [{ file: opts.out, text: `${JSON.stringify(trained.model, null, 2)}\n` }];
        if (opts.report) outputs.push({ file: opts.report, text: trained.html });
        if (opts.reportJson)
          outputs.push({ file: opts.reportJson, text: `${JSON.stringify(trained.report, null, 2)}\n` });
        writeAll(outputs);
        const r = trained.report;
        const summary = {
          model: opts.out,
          report: opts.report ?? null,
          reportJson: opts.reportJson ?? null,
          rows: trained.dataset.rows,
          characteristics: trained.result.model.characteristics.map((c) => c.name),
          dropped: r.variables
            .filter((v) => v.status === 'dropped')
            .map((v) => ({ name: v.name, reason: v.reason })),
          // Columns left out before binning (more categories than a card can group).
          skipped: trained.dataset.skipped,
          samples: r.samples,
          cv: r.cv,
          psi: { total: r.psi.total, verdict: r.psi.verdict },
        };
        emit(opts, summary, () => {
          const t = r.samples.test;
          const lines = [
            `trained on ${trained.dataset.rows} rows of ${opts.data}: ${summary.characteristics.length} characteristics (${summary.characteristics.join(', ')})`,
            `${r.testLabel}: AUC ${t.auc.toFixed(3)}, Gini ${t.gini.toFixed(3)}, KS ${t.ks.toFixed(3)}; PSI train/test ${r.psi.total.toFixed(3)} (${r.psi.verdict})`,
          ];
          for (const c of trained.dataset.skipped) lines.push(`left out column ${c.name}: ${c.reason}`);
          if (r.cv)
            lines.push(
              `mean AUC over ${r.folds.length} folds: ${r.cv.meanAuc.toFixed(3)} ± ${r.cv.sdAuc.toFixed(3)}`,
            );
          lines.push(`wrote ${outputs.map((o) => o.file).join(', ')}`);
          return lines.join('\n');
        });
      } catch (err) {
        fail(opts, err);
      }
    });
}

/** The options as the training service takes them; a value out of its range is refused, naming the option. */
export function parseTrainOptions(o: TrainOptions): TrainFileOptions {
  const ranged = (v: string, name: string, fits: (n: number) => boolean, range: string) => {
    const n = numberOption(v, name);
    if (!fits(n)) throw invalidInput(name, `${name} must be ${range}`);
    return n;
  };
  const share = (v: string, name: string, allowZero = false) =>
    ranged(v, name, (n) => (allowZero ? n >= 0 : n > 0) && n < 1, 'a share between 0 and 1');
  const split: SplitSpec = o.folds
    ? { kind: 'kfold', folds: integerOption(o.folds, '--folds', 2) }
    : {
        kind: 'holdout',
        testShare: share(o.testShare, '--test-share'),
        ...(share(o.validationShare, '--validation-share', true) > 0
          ? { validationShare: share(o.validationShare, '--validation-share', true) }
          : {}),
      };
  const perColumn: Record<string, Partial<BinningOptions>> = {};
  const binning: Partial<BinningOptions> = {
    minBinShare: share(o.minBinShare, '--min-bin-share'),
    minBads: integerOption(o.minBinEvents, '--min-bin-events', 1),
    minGoods: integerOption(o.minBinEvents, '--min-bin-events', 1),
    maxBins: integerOption(o.maxBins, '--max-bins', 1),
    maxFineBins: integerOption(o.fineBins, '--fine-bins', 1),
  };
  for (const item of o.trend ?? []) {
    const [column, trend] = item.includes('=') ? item.split('=', 2) : [null, item];
    if (!TRENDS.includes(trend as Monotonicity))
      throw invalidInput('--trend', `--trend "${item}": the trend must be one of ${TRENDS.join(', ')}`);
    if (column) perColumn[column] = { ...perColumn[column], monotonicity: trend as Monotonicity };
    else binning.monotonicity = trend as Monotonicity;
  }
  const specialAll: number[] = [];
  for (const item of o.special ?? []) {
    const [column, text] = item.includes('=') ? item.split('=', 2) : [null, item];
    const value = numberOption(text!, '--special');
    if (column)
      perColumn[column] = {
        ...perColumn[column],
        specialValues: [...(perColumn[column]?.specialValues ?? []), value],
      };
    else specialAll.push(value);
  }
  if (specialAll.length) binning.specialValues = specialAll;
  for (const own of Object.values(perColumn)) {
    if (own.specialValues && specialAll.length) own.specialValues = [...specialAll, ...own.specialValues];
  }
  if (!new RegExp(SERVICE_NAME.pattern).test(o.service) || o.service.length > SERVICE_NAME.maxLength)
    throw invalidInput(
      '--service',
      '--service must be lower-case letters, digits and _, starting with a letter',
    );
  if (o.name !== undefined && (o.name.trim() === '' || o.name.length > 200))
    throw invalidInput('--name', '--name must be 1 to 200 characters');
  const scaling = {
    baseScore: numberOption(o.baseScore, '--base-score'),
    baseOdds: ranged(o.baseOdds, '--base-odds', (n) => n > 0, 'above 0'),
    pdo: ranged(o.pdo, '--pdo', (n) => n > 0, 'above 0'),
  };
  // A negative ridge penalty rewards large coefficients instead of shrinking them.
  const l2 = ranged(o.l2, '--l2', (n) => n >= 0, 'at least 0');
  const selection = {
    minIv: ranged(o.minIv, '--min-iv', (n) => n >= 0, 'at least 0'),
    maxPValue: ranged(o.maxPValue, '--max-p-value', (n) => n > 0 && n <= 1, 'above 0 and at most 1'),
    // Compared with the absolute value of a correlation.
    maxCorrelation: ranged(o.maxCorrelation, '--max-correlation', (n) => n >= 0 && n <= 1, 'between 0 and 1'),
    keep: o.keep ?? [],
  };
  if (o.missingBins !== 'fitted' && o.missingBins !== 'neutral')
    throw invalidInput('--missing-bins', '--missing-bins must be fitted or neutral');
  requireOutputFolder('--out', o.out);
  if (o.report) requireOutputFolder('--report', o.report);
  if (o.reportJson) requireOutputFolder('--report-json', o.reportJson);
  // The data is listed too: an output written over it would replace the data with the model.
  requireDistinctOutputs([
    { option: '--data', file: o.data },
    { option: '--out', file: o.out },
    { option: '--report', file: o.report },
    { option: '--report-json', file: o.reportJson },
  ]);
  return {
    data: o.data,
    target: o.target,
    badValue: o.badValue,
    include: o.include,
    exclude: o.exclude,
    categorical: o.categorical,
    numeric: o.numeric,
    missingValues: o.na,
    name: o.name,
    service: o.service,
    seed: integerOption(o.seed, '--seed', 0),
    split,
    scaling,
    binning,
    perColumn,
    selection,
    l2,
    missingBins: o.missingBins,
  };
}
