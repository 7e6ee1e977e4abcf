/** credence train and credence score as a user runs them: files in, files out, clear errors. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/processes.js';

let dir: string;
const cli = (...args: string[]) => runCli(args, {});
const file = (name: string, text?: string) => {
  const p = path.join(dir, name);
  if (text !== undefined) fs.writeFileSync(p, text);
  return p;
};
const CREDIT_DATA = path.join(ROOT, 'data/credit_data.csv');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-train-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('credence train', () => {
  it('trains a scorecard and writes the model and its reports, the same bytes for the same seed', () => {
    const run = (k: number) => {
      const r = cli(
        'train',
        '--data',
        CREDIT_DATA,
        '--target',
        'Status',
        '--bad-value',
        'bad',
        '--out',
        file(`model-${k}.json`),
        '--report',
        file(`report-${k}.html`),
        '--report-json',
        file(`report-${k}.json`),
        '--seed',
        '7',
        '--json',
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      return r.json();
    };
    const summary = run(1);
    expect(summary.rows).toBe(4454);
    expect(summary.samples.test.auc).toBeGreaterThan(0.8);
    expect(summary.characteristics).toContain('Seniority');
    run(2);
    for (const name of ['model', 'report']) {
      const ext = name === 'model' ? 'json' : 'html';
      expect(
        fs.readFileSync(file(`${name}-1.${ext}`)).equals(fs.readFileSync(file(`${name}-2.${ext}`))),
      ).toBe(true);
    }
    const model = JSON.parse(fs.readFileSync(file('model-1.json'), 'utf8'));
    expect(model).toMatchObject({ format: 'credence.scorecard/v1', service: 'demographic_score' });
    expect(model.metadata.scoreDistribution.bands).toHaveLength(10);
    expect(cli('model', 'validate', file('model-1.json'), '--json').json().valid).toBe(true);
    expect(fs.readFileSync(file('report-1.html'), 'utf8')).toContain('<svg id="roc-chart"');
  });

  it('trains from ARFF with k-fold cross-validation, trends and special values', () => {
    const r = cli(
      'train',
      '--data',
      path.join(ROOT, 'data/credit-g.arff'),
      '--target',
      'class',
      '--folds',
      '5',
      '--trend',
      'duration=descending,age=ascending',
      '--special',
      'num_dependents=2',
      '--max-bins',
      '5',
      '--out',
      file('german.json'),
      '--json',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.json().cv.meanAuc).toBeGreaterThan(0.7);
    const model = JSON.parse(fs.readFileSync(file('german.json'), 'utf8'));
    for (const c of model.characteristics) expect(c.bins.length).toBeLessThanOrEqual(5);
    const duration = model.characteristics.find((c: { name: string }) => c.name === 'duration');
    // Descending WoE: longer loans are riskier, so points fall as the duration rises.
    const points = duration.bins.map((b: { points: number }) => b.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });

  it('prints a human summary without --json', () => {
    const r = cli('train', '--data', CREDIT_DATA, '--target', 'Status', '--out', file('human.json'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^trained on 4454 rows of .*credit_data\.csv: \d+ characteristics/);
    expect(r.stdout).toContain('held out: AUC 0.');
  });

  it('names the columns it left out, in the summary and in the report', () => {
    const [header, ...rows] = fs.readFileSync(CREDIT_DATA, 'utf8').trimEnd().split('\n');
    const data = file(
      'with-id.csv',
      `customer,${header}\n${rows.map((r, i) => `cust-${i},${r}`).join('\n')}\n`,
    );
    const report = file('with-id.html');
    const r = cli(
      'train',
      '--data',
      data,
      '--target',
      'Status',
      '--out',
      file('with-id.json'),
      '--report',
      report,
    );
    expect(r.status, r.stderr).toBe(0);
    const why = 'more than 200 distinct values: an identifier or free text';
    expect(r.stdout).toContain(`left out column customer: ${why}`);
    expect(fs.readFileSync(report, 'utf8')).toContain(`<li>customer: ${why}</li>`);
    const json = cli('train', '--data', data, '--target', 'Status', '--out', file('with-id.json'), '--json');
    expect(json.json().skipped).toEqual([{ name: 'customer', reason: why }]);
  });

  describe('bad input: a clear error naming file, line and column, and nothing written', () => {
    const refuse = (data: string, extra: string[] = []) => {
      const out = file('refused.json');
      const report = file('refused.html');
      const r = cli(
        'train',
        '--data',
        data,
        '--target',
        'status',
        '--out',
        out,
        '--report',
        report,
        ...extra,
        '--json',
      );
      expect(r.status).toBe(1);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(report)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      return r.json().error as { code: string; message: string; field?: string };
    };
    const rows = (n: number, f: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => f(i)).join('\n');

    it('a missing target column', () => {
      const data = file(
        'no-target.csv',
        `age,outcome\n${rows(50, (i) => `${20 + i},${i % 3 ? 'good' : 'bad'}`)}\n`,
      );
      expect(refuse(data)).toEqual({
        code: 'CREDENCE_INVALID_INPUT',
        message: `${data} line 1, column "status": the target column is missing; the columns are age, outcome`,
        field: 'status',
      });
    });

    it('a target with only one class', () => {
      const data = file('one-class.csv', `age,status\n${rows(50, (i) => `${20 + i},good`)}\n`);
      expect(refuse(data, ['--bad-value', 'good']).message).toBe(
        `${data} line 1, column "status": every row has the value "good": a scorecard needs both bads and goods`,
      );
      // Whatever value is named bad, or none: the target has one value.
      for (const named of [['--bad-value', 'bad'], []])
        expect(refuse(data, named).message).toBe(
          `${data} line 1, column "status": every row has the value "good": a scorecard needs both bads and goods`,
        );
    });

    it('a feature column that is entirely empty', () => {
      const data = file(
        'empty-column.csv',
        `age,notes,status\n${rows(50, (i) => `${20 + i},,${i % 3 ? 'good' : 'bad'}`)}\n`,
      );
      expect(refuse(data).message).toBe(
        `${data} line 1, column "notes": every value in this column is empty: leave it out with --exclude`,
      );
    });

    it('malformed rows', () => {
      const short = file('short-row.csv', `age,status\n20,good\n21\n22,bad\n`);
      expect(refuse(short).message).toBe(`${short} line 3: expected 2 columns, found 1`);
      const quote = file('bad-quote.csv', `age,status\n20,good\n21,"bad"x\n`);
      expect(refuse(quote).message).toContain(`${quote} line 3: column 2 has text after its closing quote`);
      const text = file('not-number.csv', `age,status\n20,good\n21,bad\nold,good\n`);
      expect(refuse(text, ['--numeric', 'age']).message).toBe(
        `${text} line 4, column "age": "old" is not a number, and the column was declared numeric`,
      );
      const blank = file('blank-target.csv', `age,status\n20,good\n21,\n`);
      expect(refuse(blank).message).toBe(
        `${blank} line 3, column "status": the target is empty: every row needs an outcome`,
      );
    });

    it('a file that does not exist, and options out of range', () => {
      expect(refuse(file('nowhere.csv')).message).toBe(`cannot read ${file('nowhere.csv')}: ENOENT`);
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--test-share', '1.5']).message).toBe(
        '--test-share must be a share between 0 and 1',
      );
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--trend', 'Age=upwards']).message).toContain(
        'the trend must be one of auto, ascending, descending, none',
      );
      // A report folder that does not exist is refused before training, not after.
      expect(
        refuse(CREDIT_DATA, ['--target', 'Status', '--report-json', '/nonexistent/r.json']).message,
      ).toBe('the folder /nonexistent does not exist');
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--pdo', '-20']).message).toBe(
        '--pdo must be above 0',
      );
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--l2', '-1'])).toEqual({
        code: 'CREDENCE_INVALID_INPUT',
        message: '--l2 must be at least 0',
        field: '--l2',
      });
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--keep', 'Nope']).field).toBe('--keep');
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--service', 'My Score']).message).toMatch(
        /^--service must be/,
      );
      // A column name no model can carry is said before training, naming the column.
      const spaced = file(
        'spaced.csv',
        `Age (years),status\n${rows(40, (i) => `${20 + i},${i % 3 ? 'good' : 'bad'}`)}\n`,
      );
      expect(refuse(spaced).message).toBe(
        `${spaced} line 1, column "Age (years)": a column the card reads needs a name of letters, digits, _ . and - (starting with a letter or _), at most 100 characters: rename it, or leave it out with --exclude`,
      );
      // An output that is a folder, or two options naming one file, would leave one output written.
      fs.mkdirSync(file('a-folder'), { recursive: true });
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--report-json', file('a-folder')]).message).toBe(
        `${file('a-folder')} is a folder: name a file to write`,
      );
      expect(refuse(CREDIT_DATA, ['--target', 'Status', '--report-json', file('refused.json')]).message).toBe(
        '--report-json names the same file as --out',
      );
    });
  });
});

describe('credence score', () => {
  let model: string;
  beforeAll(() => {
    model = file('score-model.json');
    const r = cli('train', '--data', CREDIT_DATA, '--target', 'Status', '--out', model, '--json');
    expect(r.status).toBe(0);
  });

  it('leaves no partial output behind when interrupted with Ctrl-C', async () => {
    const [header, ...rows] = fs.readFileSync(CREDIT_DATA, 'utf8').trimEnd().split('\n');
    const body = `${rows.join('\n')}\n`;
    const input = file('many.csv', `${header}\n${body.repeat(Math.ceil(600_000 / rows.length))}`);
    const out = file('many-scored.csv');
    const child = spawn(process.execPath, [BIN, 'score', '--model', model, '--in', input, '--out', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const temp = `.${path.basename(out)}.${child.pid}.tmp`;
    // Interrupt once the scored rows are being written.
    while (!fs.readdirSync(dir).includes(temp)) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(fs.readdirSync(dir).filter((f) => f.includes('many-scored'))).toEqual([]);
  });

  it('writes each row followed by score, PD, grade and three reason codes, with progress lines', () => {
    const lines = fs.readFileSync(CREDIT_DATA, 'utf8').split('\n').slice(0, 301).join('\n');
    const input = file('applicants.csv', `${lines}\n`);
    const out = file('scored.csv');
    const r = cli('score', '--model', model, '--in', input, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scored 300 rows in [\d.]+ s/);
    // Not a terminal: plain progress lines on stderr, not a redrawn bar.
    expect(r.stderr).toContain('scoring: 300 rows (100 %)');
    expect(r.stderr).not.toContain('\r');
    const scored = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(scored).toHaveLength(301);
    expect(scored[0]).toBe(`${lines.split('\n')[0]},score,pd,grade,reason_1,reason_2,reason_3`);
    const first = scored[1]!.split(',');
    expect(first.slice(0, 14).join(',')).toBe(lines.split('\n')[1]);
    const [score, pd, grade, ...reasons] = first.slice(14);
    expect(Number(score)).toBeGreaterThan(300);
    expect(Number(pd)).toBeGreaterThan(0);
    expect(Number(pd)).toBeLessThan(1);
    expect(grade).toMatch(/^[A-F]$/);
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^[A-Z_]+$/);
  });

  it('reports the rate as JSON, with a model saved with a byte-order mark', () => {
    const input = file('few.csv', fs.readFileSync(CREDIT_DATA, 'utf8').split('\n').slice(0, 11).join('\n'));
    // As a Windows editor saves it.
    const bom = file('bom-model.json', `\uFEFF${fs.readFileSync(model, 'utf8')}`);
    const r = cli('score', '--model', bom, '--in', input, '--out', file('few-scored.csv'), '--json');
    expect(r.json()).toMatchObject({ rows: 10, absentColumns: [] });
    expect(r.stderr).toBe('');
  });

  it('stops at a bad value naming its line and column, and leaves no output', () => {
    const input = file('bad-value.csv', 'Seniority,Home,Time\n3,rent,36\nten,owner,12\n');
    const out = file('bad-scored.csv');
    const r = cli('score', '--model', model, '--in', input, '--out', out, '--json');
    expect(r.status).toBe(1);
    expect(r.json().error.message).toBe(`${input} line 3, column "Seniority": Seniority must be a number`);
    expect(fs.existsSync(out)).toBe(false);
    // A header naming a column twice: which value the card would read is a guess.
    const twice = file('twice.csv', 'Seniority,Seniority\n9,1\n');
    const refusedTwice = cli('score', '--model', model, '--in', twice, '--out', out, '--json');
    expect(refusedTwice.status).toBe(1);
    expect(refusedTwice.json().error).toEqual({
      code: 'CREDENCE_INVALID_INPUT',
      message: `${twice} line 1, column "Seniority": two columns have this name`,
      field: 'Seniority',
    });
    expect(fs.existsSync(out)).toBe(false);
    const invalid = file('invalid-model.json', '{"format":"credence.scorecard/v1"}');
    const refused = cli('score', '--model', invalid, '--in', input, '--out', out, '--json');
    expect(refused.json().error.code).toBe('CREDENCE_INVALID_MODEL');
    // A folder that does not exist is refused before any row is read, naming the option.
    const nowhere = cli('score', '--model', model, '--in', input, '--out', '/nonexistent/s.csv', '--json');
    expect(nowhere.status).toBe(1);
    expect(nowhere.json()).toEqual({
      error: {
        code: 'CREDENCE_INVALID_INPUT',
        message: 'the folder /nonexistent does not exist',
        field: '--out',
      },
    });
    // An --out naming an input would write the scored rows over it.
    const modelBefore = fs.readFileSync(model, 'utf8');
    for (const [over, option] of [
      [model, '--model'],
      [input, '--in'],
    ] as const) {
      const r = cli('score', '--model', model, '--in', input, '--out', over, '--json');
      expect(r.status).toBe(1);
      expect(r.json().error).toEqual({
        code: 'CREDENCE_INVALID_INPUT',
        message: `--out names the same file as ${option}`,
        field: '--out',
      });
    }
    expect(fs.readFileSync(model, 'utf8')).toBe(modelBefore);
  });

  it('reads the texts the model was trained with as missing, or those --na names', () => {
    const [header, ...rows] = fs.readFileSync(CREDIT_DATA, 'utf8').trimEnd().split('\n');
    const seniority = header!.split(',').indexOf('"Seniority"');
    expect(seniority).toBeGreaterThan(0);
    // Every tenth applicant's seniority is not known, written NA.
    const withNa = rows.map((r, i) => {
      const f = r.split(',');
      if (i % 10 === 0) f[seniority] = 'NA';
      return f.join(',');
    });
    const data = file('na.csv', `${header}\n${withNa.join('\n')}\n`);
    const naModel = file('na-model.json');
    const trained = cli(
      'train',
      '--data',
      data,
      '--target',
      'Status',
      '--na',
      'NA',
      '--out',
      naModel,
      '--json',
    );
    expect(trained.status, trained.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(naModel, 'utf8')).metadata.data.missingValues).toEqual(['NA']);
    // The model scores its own training file.
    const scored = cli('score', '--model', naModel, '--in', data, '--out', file('na-scored.csv'), '--json');
    expect(scored.status, scored.stdout).toBe(0);
    expect(scored.json().rows).toBe(rows.length);
    // Another file writes unknown values otherwise: --na says how.
    const other = file(
      'question.csv',
      `${header}\n${withNa.slice(0, 20).join('\n').replaceAll(',NA,', ',?,')}\n`,
    );
    const refused = cli('score', '--model', naModel, '--in', other, '--out', file('q1.csv'), '--json');
    expect(refused.json().error.message).toMatch(/column "Seniority": Seniority must be a number/);
    const told = cli(
      'score',
      '--model',
      naModel,
      '--in',
      other,
      '--out',
      file('q2.csv'),
      '--na',
      '?',
      '--json',
    );
    expect(told.status, told.stdout).toBe(0);
  });
});
