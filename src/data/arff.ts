/**
 * ARFF, Weka's attribute-relation file format (https://waikato.github.io/weka-wiki/formats_and_processing/arff_stable/):
 * `@attribute name numeric` or `@attribute name {a,b,c}` lines, then the rows after `@data`,
 * comma-separated, values optionally in single or double quotes, `?` for missing, `%` comments.
 * Sparse rows (`{0 x, 3 y}`) are not supported.
 */
import { type CsvRecord, dataError } from './csv.js';
import { readTextFile } from './text-file.js';

export interface ArffAttribute {
  name: string;
  type: 'numeric' | 'categorical';
}

export interface ArffFile {
  attributes: ArffAttribute[];
  /** The data rows, `?` turned into empty fields; `line` is the line in the file. */
  records: CsvRecord[];
}

export function readArff(file: string): ArffFile {
  const text = readTextFile(file);
  const lines = text.split(/\r?\n/);
  const attributes: ArffAttribute[] = [];
  const records: CsvRecord[] = [];
  let inData = false;
  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('%')) return;
    if (!inData) {
      const lower = trimmed.toLowerCase();
      if (lower.startsWith('@relation')) return;
      if (lower.startsWith('@data')) {
        if (attributes.length === 0) throw dataError(file, line, null, '@data comes before any @attribute');
        inData = true;
        return;
      }
      if (!lower.startsWith('@attribute'))
        throw dataError(file, line, null, 'expected @relation, @attribute or @data');
      const [name, rest] = splitName(file, line, trimmed.slice('@attribute'.length).trim());
      const type = rest.trim().toLowerCase();
      if (type.startsWith('{')) attributes.push({ name, type: 'categorical' });
      else if (['numeric', 'real', 'integer'].includes(type)) attributes.push({ name, type: 'numeric' });
      else if (type === 'string') attributes.push({ name, type: 'categorical' });
      else
        throw dataError(
          file,
          line,
          name,
          `attribute type "${rest.trim()}" is not supported (numeric, nominal or string)`,
        );
      return;
    }
    if (trimmed.startsWith('{')) throw dataError(file, line, null, 'sparse ARFF rows are not supported');
    const fields = splitValues(file, line, trimmed);
    if (fields.length !== attributes.length)
      throw dataError(file, line, null, `expected ${attributes.length} values, found ${fields.length}`);
    records.push({ fields: fields.map((f) => (f === '?' ? '' : f)), line, raw: rawLine });
  });
  if (!inData) throw dataError(file, lines.length, null, 'no @data section');
  return { attributes, records };
}

/** An attribute name, possibly quoted, and what follows it. */
function splitName(file: string, line: number, text: string): [string, string] {
  const q = text[0];
  if (q === "'" || q === '"') {
    const end = text.indexOf(q, 1);
    if (end < 0) throw dataError(file, line, null, 'an attribute name is never closed');
    return [text.slice(1, end), text.slice(end + 1)];
  }
  const m = /^(\S+)\s+(.*)$/.exec(text);
  if (!m) throw dataError(file, line, null, 'an @attribute needs a name and a type');
  return [m[1]!, m[2]!];
}

/** Comma-separated values, each optionally quoted with ' or ", with backslash escapes inside quotes. */
function splitValues(file: string, line: number, text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    while (i < n && text[i] === ' ') i++;
    const q = text[i];
    let value = '';
    if (q === "'" || q === '"') {
      i++;
      for (;;) {
        if (i >= n)
          throw dataError(file, line, null, `a quoted value in column ${out.length + 1} is never closed`);
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === q) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      while (i < n && text[i] === ' ') i++;
      if (i < n && text[i] !== ',')
        throw dataError(file, line, null, `column ${out.length + 1} has text after its closing quote`);
    } else {
      const end = text.indexOf(',', i);
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? n : end;
    }
    out.push(value);
    if (i >= n) break;
    i++; // the comma
  }
  return out;
}
