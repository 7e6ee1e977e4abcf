import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainFileOptions, trainFromFile } from './model-training.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-training-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// 400 loans: the younger and the renters default more often.
const data = path.join(dir, 'loans.csv');
fs.writeFileSync(
  data,
  `age,home,status\n${Array.from({ length: 400 }, (_, i) => {
    const age = 20 + (i % 40);
    const home = i % 3 === 0 ? 'rent' : 'owner';
    const bad = (i * 7919) % 100 < (age < 35 ? 30 : 10) + (home === 'rent' ? 10 : 0);
    return `${age},${home},${bad ? 'bad' : 'good'}`;
  }).join('\n')}\n`,
);

const train = (o: Partial<TrainFileOptions>) =>
  trainFromFile({
    ...TRAIN_DEFAULTS,
    data,
    target: 'status',
    split: { kind: 'holdout', testShare: 0.3 },
    ...o,
  });

describe('trainFromFile', () => {
  it('refuses --keep naming a column that is not a candidate, before training', async () => {
    for (const name of ['Nope', 'status'])
      await expect(train({ selection: { keep: [name] } })).rejects.toMatchObject({
        code: 'CREDENCE_INVALID_INPUT',
        message: `--keep names "${name}", which is not a candidate column; the candidates are age, home`,
        details: { field: '--keep' },
      });
    const kept = await train({ selection: { keep: ['home'], minIv: 10 } });
    expect(kept.result.model.characteristics.map((c) => c.name)).toEqual(['home']);
  });

  it('refuses --trend or --special naming the target or no column, and a trend for a categorical column', async () => {
    for (const [perColumn, field, message] of [
      [{ status: { monotonicity: 'ascending' } }, '--trend', '--trend names "status", the target'],
      [{ status: { specialValues: [1] } }, '--special', '--special names "status", the target'],
      [
        { Nope: { monotonicity: 'ascending' } },
        '--trend',
        '--trend names "Nope", which is not a candidate column',
      ],
      [{ home: { monotonicity: 'ascending' } }, '--trend', '--trend names "home", a categorical column'],
    ] as const)
      await expect(train({ perColumn })).rejects.toMatchObject({
        code: 'CREDENCE_INVALID_INPUT',
        message: expect.stringContaining(message),
        details: { field },
      });
    const trended = await train({
      perColumn: { age: { monotonicity: 'descending' } },
      selection: { keep: ['age'] },
    });
    expect(trended.result.model.characteristics.map((c) => c.name)).toContain('age');
  });

  it('refuses special values for a categorical column, and takes them for a numeric one', async () => {
    await expect(train({ perColumn: { home: { specialValues: [1] } } })).rejects.toMatchObject({
      code: 'CREDENCE_INVALID_INPUT',
      message:
        '--special names "home", a categorical column: special values are codes of numeric columns, and every category has a bin of its own already',
      details: { field: '--special' },
    });
    // A special value every numeric column shares is no fault of the categorical ones.
    const trained = await train({
      binning: { specialValues: [-1] },
      perColumn: { age: { specialValues: [-1, 99] } },
      selection: { keep: ['age', 'home'] },
    });
    expect(trained.result.model.characteristics.map((c) => c.name)).toEqual(['age', 'home']);
  });
});
