import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from './dataset.js';

const write = (name: string, text: string | Buffer) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-')), name);
  fs.writeFileSync(file, text);
  return file;
};

describe('loadDataset', () => {
  const csv = [
    'id,age,branch,region,status',
    '1,30,01,north,good',
    '2,,02,south,bad',
    '3,41.5,01,NA,good',
    '4,52,03,north,bad',
    '',
  ].join('\n');

  it('infers types from every value, reads the target, and keeps missing values missing', async () => {
    const d = await loadDataset(write('a.csv', csv), {
      target: 'status',
      exclude: ['id'],
      missingValues: ['NA'],
    });
    expect(d).toMatchObject({ rows: 4, badValue: 'bad', format: 'csv', skipped: [] });
    expect(Array.from(d.target)).toEqual([0, 1, 0, 1]);
    const [age, branch, region] = d.columns;
    expect(age).toMatchObject({ name: 'age', type: 'numeric' });
    expect(Array.from(age!.values as Float64Array)).toEqual([30, Number.NaN, 41.5, 52]);
    // Codes with leading zeros are numbers unless declared categorical.
    expect(branch).toMatchObject({ name: 'branch', type: 'numeric' });
    expect(region).toMatchObject({ type: 'categorical', values: ['north', 'south', null, 'north'] });
  });

  it('reads declared categories as text, and a 0/1 target with 1 as bad', async () => {
    const file = write('b.csv', 'branch,default\n01,0\n02,1\n01,0\n');
    const d = await loadDataset(file, { target: 'default', categorical: ['branch'] });
    expect(d.badValue).toBe('1');
    expect(d.columns[0]).toMatchObject({ type: 'categorical', values: ['01', '02', '01'] });
  });

  it('reads the bad value in any case, found or named', async () => {
    const file = write('d.csv', 'x,y\n1,bad\n2,good\n3,BAD\n4,Bad\n5,Good\n');
    const found = await loadDataset(file, { target: 'y' });
    expect(Array.from(found.target)).toEqual([1, 0, 1, 1, 0]);
    const named = await loadDataset(file, { target: 'y', badValue: 'BAD' });
    expect(Array.from(named.target)).toEqual([1, 0, 1, 1, 0]);
  });

  it('leaves out a categorical column with more distinct values than a card can group', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `cust-${i},${i % 50},${i % 4 ? 'good' : 'bad'}`);
    const d = await loadDataset(write('c.csv', `customer,age,status\n${rows.join('\n')}\n`), {
      target: 'status',
    });
    expect(d.columns.map((c) => c.name)).toEqual(['age']);
    expect(d.skipped).toEqual([
      { name: 'customer', reason: 'more than 200 distinct values: an identifier or free text' },
    ]);
  });

  it('reads ARFF with its declared types, quoted values and ? for missing', async () => {
    const arff = [
      '% comment',
      '@relation test',
      "@attribute 'checking status' {'<0','>=200'}",
      '@attribute duration numeric',
      '@attribute class {good,bad}',
      '@data',
      "'<0',6,good",
      "'>=200',?,bad",
      "'<0',12,bad",
    ].join('\n');
    const d = await loadDataset(write('d.arff', arff), { target: 'class' });
    expect(d.format).toBe('arff');
    expect(d.columns).toEqual([
      { name: 'checking status', type: 'categorical', values: ['<0', '>=200', '<0'] },
      { name: 'duration', type: 'numeric', values: Float64Array.from([6, Number.NaN, 12]) },
    ]);
    expect(Array.from(d.target)).toEqual([0, 1, 1]);
    // A declared numeric column keeps its type: a value that is not a number is an error.
    const bad = write('d2.arff', arff.replace("'<0',12,bad", "'<0',twelve,bad"));
    await expect(loadDataset(bad, { target: 'class' })).rejects.toThrow(
      `${bad} line 9, column "duration": "twelve" is not a number, and the column was declared numeric`,
    );
    // Unless it is named categorical.
    const asCategories = await loadDataset(bad, { target: 'class', categorical: ['duration'] });
    expect(asCategories.columns[1]).toMatchObject({ name: 'duration', type: 'categorical' });
  });

  it('skips blank lines, before the header and between rows', async () => {
    const spaced = csv.replace('2,,02', '   \n2,,02');
    const d = await loadDataset(write('s.csv', `\n \n${spaced}\n\n`), {
      target: 'status',
      missingValues: ['NA'],
    });
    const plain = await loadDataset(write('p.csv', csv), { target: 'status', missingValues: ['NA'] });
    expect(d.rows).toBe(4);
    expect(d.columns).toEqual(plain.columns);
    expect(Array.from(d.target)).toEqual(Array.from(plain.target));
  });

  it('refuses training data that is not UTF-8, CSV or ARFF, naming the line', async () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const csvFile = write('l.csv', latin1('city,status\nLom\u00e9,good\nAccra,bad\n'));
    await expect(loadDataset(csvFile, { target: 'status' })).rejects.toThrow(
      `${csvFile} line 2: is not UTF-8 text`,
    );
    const arffFile = write(
      'l.arff',
      latin1('@relation r\n@attribute city {Lom\u00e9,Accra}\n@attribute class {good,bad}\n@data\n'),
    );
    await expect(loadDataset(arffFile, { target: 'class' })).rejects.toThrow(
      `${arffFile} line 2: is not UTF-8 text`,
    );
  });

  it('names the file, line and column of each problem', async () => {
    const f = write('e.csv', csv);
    await expect(loadDataset(f, { target: 'outcome' })).rejects.toThrow(
      `${f} line 1, column "outcome": the target column is missing`,
    );
    await expect(loadDataset(f, { target: 'status', include: ['colour'] })).rejects.toThrow(
      `${f} line 1, column "colour": --include names a column the file does not have`,
    );
    await expect(loadDataset(f, { target: 'status', numeric: ['region'] })).rejects.toThrow(
      `${f} line 2, column "region": "north" is not a number, and the column was declared numeric`,
    );
    // Infinity, which scoring refuses: a model must score its own training file.
    const huge = write('h.csv', csv.replace('4,52,', '4,1e999,'));
    await expect(loadDataset(huge, { target: 'status' })).rejects.toThrow(
      `${huge} line 5, column "age": "1e999" is too large for a number`,
    );
    const ages = await loadDataset(huge, { target: 'status', categorical: ['age'] });
    expect(ages.columns.find((c) => c.name === 'age')).toMatchObject({ type: 'categorical' });
    // Blank lines before the header: the header's own line is named.
    const late = write('k.csv', `\n  \n${csv}`);
    await expect(loadDataset(late, { target: 'outcome' })).rejects.toThrow(
      `${late} line 3, column "outcome": the target column is missing`,
    );
    const twice = write('j.csv', 'x,y,x\n1,bad,2\n2,good,3\n');
    await expect(loadDataset(twice, { target: 'y' })).rejects.toThrow(
      `${twice} line 1, column "x": two columns have this name`,
    );
    const noBad = write('f.csv', 'x,y\n1,yes\n2,no\n');
    await expect(loadDataset(noBad, { target: 'y' })).rejects.toThrow(
      `${noBad} line 1, column "y": name the value that means bad with --bad-value; the target holds "yes", "no"`,
    );
    const allGood = write('h.csv', 'x,y\n1,good\n2,good\n');
    await expect(loadDataset(allGood, { target: 'y' })).rejects.toThrow(
      `${allGood} line 1, column "y": every row has the value "good": a scorecard needs both bads and goods`,
    );
    const allBad = write('i.csv', 'x,y\n1,bad\n2,BAD\n');
    await expect(loadDataset(allBad, { target: 'y' })).rejects.toThrow(
      `${allBad} line 1, column "y": every row has the value "bad": a scorecard needs both bads and goods`,
    );
    const arff = write('g.arff', '@relation r\n@attribute a numeric\n@data\n{0 1}\n');
    await expect(loadDataset(arff, { target: 'a' })).rejects.toThrow(
      `${arff} line 4: sparse ARFF rows are not supported`,
    );
  });
});
