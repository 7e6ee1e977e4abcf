/**
 * A labelled data set for training, read from CSV (or ARFF) in two passes: the first checks every
 * row and infers each column's type from all its values, the second fills typed columns (numbers
 * as a Float64Array with NaN for missing, categories as shared strings). So a million rows cost
 * no more memory than their values, and every problem is found, naming its line and column,
 * before anything is trained or written.
 */
import { NUMERIC_TEXT } from '../domain/scoring/scorecard.js';
import { readArff } from './arff.js';
import { type CsvRecord, dataError, readCsv, requireDistinctColumns } from './csv.js';

export interface DatasetOptions {
  /** The outcome column. */
  target: string;
  /** The target value that means bad; by default `1` for a 0/1 target, or `bad`. */
  badValue?: string | undefined;
  /** Columns to read as categories even when every value is a number (codes such as branch ids). */
  categorical?: readonly string[] | undefined;
  /** Columns that must be numeric: a value that is not a number is an error. */
  numeric?: readonly string[] | undefined;
  /** Only these columns (besides the target) are candidates. */
  include?: readonly string[] | undefined;
  /** These columns are not candidates. */
  exclude?: readonly string[] | undefined;
  /** Texts that mean missing, besides an empty field. */
  missingValues?: readonly string[] | undefined;
}

export type Column =
  | { name: string; type: 'numeric'; values: Float64Array }
  | { name: string; type: 'categorical'; values: (string | null)[] };

export interface Dataset {
  file: string;
  format: 'csv' | 'arff';
  rows: number;
  targetName: string;
  badValue: string;
  /** 1 for bad, 0 for good. */
  target: Uint8Array;
  columns: Column[];
  /** Columns left out without being asked, and why. */
  skipped: { name: string; reason: string }[];
}

/** More distinct values than a scorecard can sensibly group: an identifier or free text. */
export const MAX_CATEGORIES = 200;

interface ColumnScan {
  name: string;
  present: number;
  /** The first line whose value is not a number, if any. */
  textLine: number;
  textValue: string;
  /** The first line whose number is beyond a double's range (`1e999`), which scoring refuses. */
  hugeLine: number;
  hugeValue: string;
  distinct: Set<string>;
}

type Source = () => AsyncIterable<CsvRecord[]>;

export async function loadDataset(file: string, o: DatasetOptions): Promise<Dataset> {
  if (/\.arff$/i.test(file)) {
    const arff = readArff(file);
    const header = arff.attributes.map((a) => a.name);
    const declared = arff.attributes.filter((a) => a.type === 'categorical').map((a) => a.name);
    // Declared numeric is numeric: a value that is not a number is an error, not a reason to
    // read the column as categories (unless --categorical says so).
    const numeric = arff.attributes
      .filter(
        (a) =>
          a.type === 'numeric' &&
          a.name !== o.target &&
          !o.categorical?.includes(a.name) &&
          !o.exclude?.includes(a.name),
      )
      .map((a) => a.name);
    const source: Source = async function* () {
      yield arff.records;
    };
    return load(file, 'arff', header, source, {
      ...o,
      categorical: [...declared.filter((n) => !o.numeric?.includes(n)), ...(o.categorical ?? [])],
      numeric: [...new Set([...numeric, ...(o.numeric ?? [])])],
    });
  }
  // The header is the first line that is not blank, as it is for every file Credence reads.
  let header: CsvRecord | undefined;
  for await (const batch of readCsv(file)) {
    header = batch.find((r) => r.raw.trim() !== '');
    if (header) break;
  }
  if (!header) throw dataError(file, 1, null, 'the file is empty: it needs a header line and rows');
  const { line } = header;
  const source: Source = async function* () {
    for await (const batch of readCsv(file)) yield batch.filter((r) => r.line > line);
  };
  return load(
    file,
    'csv',
    header.fields.map((f) => f.trim()),
    source,
    o,
    line,
  );
}

async function load(
  file: string,
  format: Dataset['format'],
  header: string[],
  source: Source,
  o: DatasetOptions,
  headerLine = 1,
): Promise<Dataset> {
  checkNames(file, header, o, headerLine);
  const targetIndex = header.indexOf(o.target);
  const missing = new Set(['', ...(o.missingValues ?? [])]);
  const isMissing = (v: string) => missing.has(v) || missing.has(v.trim());
  const scans: ColumnScan[] = header.map((name) => ({
    name,
    present: 0,
    textLine: 0,
    textValue: '',
    hugeLine: 0,
    hugeValue: '',
    distinct: new Set(),
  }));
  const targetValues = new Map<string, number>();
  let rows = 0;

  // Pass 1: structure, types, target values.
  for await (const batch of source()) {
    for (const r of batch) {
      if (r.raw.trim() === '') continue;
      if (r.fields.length !== header.length)
        throw dataError(file, r.line, null, `expected ${header.length} columns, found ${r.fields.length}`);
      rows++;
      const t = r.fields[targetIndex]!.trim();
      if (isMissing(t))
        throw dataError(file, r.line, o.target, 'the target is empty: every row needs an outcome');
      targetValues.set(t, (targetValues.get(t) ?? 0) + 1);
      for (let j = 0; j < header.length; j++) {
        const v = r.fields[j]!;
        if (j === targetIndex || isMissing(v)) continue;
        const s = scans[j]!;
        s.present++;
        if (s.textLine === 0 && !NUMERIC_TEXT.test(v)) {
          s.textLine = r.line;
          s.textValue = v;
        } else if (s.hugeLine === 0 && !Number.isFinite(Number(v))) {
          s.hugeLine = r.line;
          s.hugeValue = v;
        }
        if (s.distinct.size <= MAX_CATEGORIES) s.distinct.add(v.trim().toLowerCase());
      }
    }
  }
  if (rows === 0) throw dataError(file, headerLine + 1, null, 'the file has a header but no rows');
  const badValue = chooseBadValue(file, o, targetValues);
  const badLower = badValue.toLowerCase();

  const candidates = header
    .map((name, j) => ({ name, j }))
    .filter(
      ({ name, j }) =>
        j !== targetIndex && !o.exclude?.includes(name) && (!o.include || o.include.includes(name)),
    );
  const skipped: Dataset['skipped'] = [];
  const plan: { j: number; type: Column['type'] }[] = [];
  for (const { name, j } of candidates) {
    const s = scans[j]!;
    if (s.present === 0)
      throw dataError(
        file,
        headerLine,
        name,
        'every value in this column is empty: leave it out with --exclude',
      );
    const forcedNumeric = o.numeric?.includes(name) ?? false;
    if (forcedNumeric && s.textLine > 0)
      throw dataError(
        file,
        s.textLine,
        name,
        `"${s.textValue}" is not a number, and the column was declared numeric`,
      );
    const type =
      o.categorical?.includes(name) || (s.textLine > 0 && !forcedNumeric) ? 'categorical' : 'numeric';
    // Read as infinity it would train a bin that scoring, which refuses it, could never reach.
    if (type === 'numeric' && s.hugeLine > 0)
      throw dataError(file, s.hugeLine, name, `"${s.hugeValue.trim()}" is too large for a number`);
    if (type === 'categorical' && s.distinct.size > MAX_CATEGORIES && !o.include?.includes(name)) {
      skipped.push({
        name,
        reason: `more than ${MAX_CATEGORIES} distinct values: an identifier or free text`,
      });
      continue;
    }
    plan.push({ j, type });
  }

  // Pass 2: the columns.
  const target = new Uint8Array(rows);
  const numbers = plan.map((p) => (p.type === 'numeric' ? new Float64Array(rows) : null));
  const texts = plan.map((p) => (p.type === 'categorical' ? new Array<string | null>(rows) : null));
  const interned = plan.map(() => new Map<string, string>());
  let i = 0;
  for await (const batch of source()) {
    for (const r of batch) {
      if (r.raw.trim() === '') continue;
      target[i] = r.fields[targetIndex]!.trim().toLowerCase() === badLower ? 1 : 0;
      plan.forEach((p, k) => {
        const v = r.fields[p.j]!;
        if (p.type === 'numeric') numbers[k]![i] = isMissing(v) ? Number.NaN : Number(v);
        else if (isMissing(v)) texts[k]![i] = null;
        else {
          // One string per distinct value, shared by every row that holds it.
          const pool = interned[k]!;
          let s = pool.get(v);
          if (s === undefined) {
            s = v.trim();
            pool.set(v, s);
          }
          texts[k]![i] = s;
        }
      });
      i++;
    }
  }
  const columns: Column[] = plan.map((p, k) =>
    p.type === 'numeric'
      ? { name: header[p.j]!, type: 'numeric', values: numbers[k]! }
      : { name: header[p.j]!, type: 'categorical', values: texts[k]! },
  );
  if (columns.length === 0) throw dataError(file, headerLine, null, 'no feature column is left to train on');
  return { file, format, rows, targetName: o.target, badValue, target, columns, skipped };
}

function checkNames(file: string, header: readonly string[], o: DatasetOptions, line: number): void {
  header.forEach((name, j) => {
    if (name === '') throw dataError(file, line, null, `column ${j + 1} has no name`);
  });
  requireDistinctColumns(file, header, line);
  const known = (list: readonly string[] | undefined, option: string) => {
    for (const name of list ?? []) {
      if (!header.includes(name))
        throw dataError(
          file,
          line,
          name,
          `${option} names a column the file does not have; its columns are ${header.join(', ')}`,
        );
    }
  };
  if (!header.includes(o.target))
    throw dataError(
      file,
      line,
      o.target,
      `the target column is missing; the columns are ${header.join(', ')}`,
    );
  known(o.include, '--include');
  known(o.exclude, '--exclude');
  known(o.categorical, '--categorical');
  known(o.numeric, '--numeric');
}

function chooseBadValue(file: string, o: DatasetOptions, values: Map<string, number>): string {
  const seen = [...values.keys()];
  const listed = seen
    .slice(0, 10)
    .map((v) => `"${v}"`)
    .join(', ');
  if (seen.length === 1)
    throw dataError(
      file,
      1,
      o.target,
      `every row has the value "${seen[0]}": a scorecard needs both bads and goods`,
    );
  let bad = o.badValue;
  if (bad === undefined) {
    if (seen.every((v) => v === '0' || v === '1')) bad = '1';
    else bad = seen.find((v) => v.toLowerCase() === 'bad');
    if (bad === undefined)
      throw dataError(
        file,
        1,
        o.target,
        `name the value that means bad with --bad-value; the target holds ${listed}`,
      );
  }
  // Labels are matched in any case: `bad`, `Bad` and `BAD` in one file are one outcome.
  const isBad = (v: string) => v.toLowerCase() === bad.toLowerCase();
  if (!seen.some(isBad))
    throw dataError(file, 1, o.target, `no row has the bad value "${bad}"; the target holds ${listed}`);
  if (seen.every(isBad))
    throw dataError(
      file,
      1,
      o.target,
      `every row has the value "${bad}": a scorecard needs both bads and goods`,
    );
  return bad;
}
