import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../test/fixtures/test-scorecard.js';
import { Scorecard } from '../domain/scoring/scorecard.js';
import { scoreFile } from './batch-scoring.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-scoring-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const card = Scorecard.compile(testScorecard());

describe('scoreFile', () => {
  it('refuses a header that names one column twice, and writes nothing', async () => {
    const input = path.join(dir, 'twice.csv');
    fs.writeFileSync(input, 'age,marital_status,age\n30,married,52\n');
    const output = path.join(dir, 'twice-scored.csv');
    await expect(scoreFile(card, input, output)).rejects.toMatchObject({
      code: 'CREDENCE_INVALID_INPUT',
      message: `${input} line 1, column "age": two columns have this name`,
      details: { field: 'age' },
    });
    expect(fs.readdirSync(dir)).toEqual(['twice.csv']);
  });

  it('scores a file whose columns each have a name of their own', async () => {
    const input = path.join(dir, 'once.csv');
    fs.writeFileSync(input, 'age,marital_status\n30,married\n');
    const output = path.join(dir, 'once-scored.csv');
    await expect(scoreFile(card, input, output)).resolves.toMatchObject({ rows: 1 });
    expect(fs.readFileSync(output, 'utf8').split('\n')[0]).toBe(
      'age,marital_status,score,pd,grade,reason_1,reason_2,reason_3',
    );
  });

  it('skips blank lines, before the header and between rows, as training does', async () => {
    const plain = path.join(dir, 'plain.csv');
    fs.writeFileSync(plain, 'age,marital_status\n30,married\n52,single\n');
    const blank = path.join(dir, 'blank.csv');
    fs.writeFileSync(blank, '\n  \nage,marital_status\n30,married\n   \n52,single\n\n');
    await expect(scoreFile(card, blank, path.join(dir, 'blank-scored.csv'))).resolves.toMatchObject({
      rows: 2,
    });
    await scoreFile(card, plain, path.join(dir, 'plain-scored.csv'));
    expect(fs.readFileSync(path.join(dir, 'blank-scored.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(dir, 'plain-scored.csv'), 'utf8'),
    );
  });
});
