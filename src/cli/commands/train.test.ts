import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainOptions, type TrainOptions } from './train.js';

/** The options as commander hands them over when only the required ones are given. */
const defaults: TrainOptions = {
  data: 'loans.csv',
  target: 'status',
  out: path.join(os.tmpdir(), 'model.json'),
  service: 'demographic_score',
  seed: '42',
  testShare: '0.3',
  validationShare: '0',
  baseScore: '600',
  baseOdds: '50',
  pdo: '20',
  minBinShare: '0.05',
  minBinEvents: '5',
  maxBins: '8',
  fineBins: '20',
  minIv: '0.02',
  maxPValue: '0.05',
  maxCorrelation: '0.7',
  l2: '0',
  missingBins: 'fitted',
};
const parse = (o: Partial<TrainOptions>) => () => parseTrainOptions({ ...defaults, ...o });

describe('credence train options', () => {
  it('reads the selection and regression options at the edges of their ranges', () => {
    const o = parseTrainOptions({
      ...defaults,
      l2: '0',
      minIv: '0',
      maxPValue: '1',
      maxCorrelation: '1',
    });
    expect(o.l2).toBe(0);
    expect(o.selection).toEqual({ minIv: 0, maxPValue: 1, maxCorrelation: 1, keep: [] });
    expect(parseTrainOptions({ ...defaults, l2: '2.5', keep: ['age'] })).toMatchObject({
      l2: 2.5,
      selection: { minIv: 0.02, maxPValue: 0.05, maxCorrelation: 0.7, keep: ['age'] },
    });
  });

  it('refuses a value out of its range, naming the option', () => {
    const cases: [Partial<TrainOptions>, string, string][] = [
      // A negative ridge penalty rewards large coefficients: another model, or a singular Hessian.
      [{ l2: '-1' }, '--l2', '--l2 must be at least 0'],
      [{ l2: '-1000' }, '--l2', '--l2 must be at least 0'],
      [{ minIv: '-1' }, '--min-iv', '--min-iv must be at least 0'],
      [{ maxPValue: '2' }, '--max-p-value', '--max-p-value must be above 0 and at most 1'],
      [{ maxPValue: '0' }, '--max-p-value', '--max-p-value must be above 0 and at most 1'],
      [{ maxCorrelation: '-0.5' }, '--max-correlation', '--max-correlation must be between 0 and 1'],
      [{ maxCorrelation: '1.5' }, '--max-correlation', '--max-correlation must be between 0 and 1'],
      [{ pdo: '0' }, '--pdo', '--pdo must be above 0'],
      [{ baseOdds: '-50' }, '--base-odds', '--base-odds must be above 0'],
      [{ testShare: '1' }, '--test-share', '--test-share must be a share between 0 and 1'],
      [{ maxBins: '2.5' }, '--max-bins', '--max-bins must be a whole number of at least 1, not "2.5"'],
      [{ maxBins: '1e2' }, '--max-bins', '--max-bins must be a whole number of at least 1, not "1e2"'],
      [{ fineBins: '0x10' }, '--fine-bins', '--fine-bins must be a whole number of at least 1, not "0x10"'],
      [
        { minBinEvents: '5.0' },
        '--min-bin-events',
        '--min-bin-events must be a whole number of at least 1, not "5.0"',
      ],
      [{ seed: ' 42' }, '--seed', '--seed must be a whole number of at least 0, not " 42"'],
      [{ folds: '1e1' }, '--folds', '--folds must be a whole number of at least 2, not "1e1"'],
      [{ l2: 'none' }, '--l2', '--l2 must be a number, not "none"'],
      // An output over the training data would replace the data with the model or its report.
      [{ data: defaults.out }, '--out', '--out names the same file as --data'],
      [{ report: defaults.data }, '--report', '--report names the same file as --data'],
      [{ reportJson: defaults.data }, '--report-json', '--report-json names the same file as --data'],
    ];
    for (const [given, field, message] of cases)
      expect(parse(given), JSON.stringify(given)).toThrow(
        expect.objectContaining({ code: 'CREDENCE_INVALID_INPUT', message, details: { field } }),
      );
  });
});
