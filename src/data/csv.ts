/**
 * A streaming CSV reader (RFC 4180: comma-separated, fields optionally in double quotes, a quote
 * inside quotes doubled, CRLF or LF line ends, line breaks allowed inside quotes). It yields the
 * records of each chunk it reads, each with the line it starts on and its raw text, so that a
 * batch scorer can copy a row through untouched and every error can name its line.
 *
 * Written here rather than taken from csv-parse because batch scoring must read 250,000 rows a
 * second end to end: csv-parse builds each record through a per-character state machine, while
 * most data rows hold no quote at all and split natively (bench/models.ts measures both).
 */
import fs from 'node:fs';
import { invalidInput } from '../domain/errors.js';
import { notUtf8, unreadable } from './text-file.js';

export interface CsvRecord {
  fields: string[];
  /** The 1-based line the record starts on. */
  line: number;
  /** The record's text as in the file, without its line end. */
  raw: string;
}

export interface CsvReadOptions {
  /** Bytes read at a time. */
  chunkSize?: number;
}

/** An error in a data file, naming the file, the line and, where it can, the column. */
export function dataError(file: string, line: number, column: string | null, message: string) {
  const where = column === null ? `${file} line ${line}` : `${file} line ${line}, column "${column}"`;
  return invalidInput(column ?? 'file', `${where}: ${message}`);
}

/**
 * Refuses a header line that names one column twice: a value read by that name could come from
 * either column, and which one would be a guess.
 */
export function requireDistinctColumns(file: string, header: readonly string[], line = 1): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw dataError(file, line, name, 'two columns have this name');
    seen.add(name);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Reads a CSV file record by record, in batches (one per chunk read). */
export async function* readCsv(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { highWaterMark: options.chunkSize ?? 1 << 20 });
  } catch (err) {
    throw unreadable(file, err);
  }
  let carry = '';
  let line = 1;
  // Fatal: bytes that are not UTF-8 (a spreadsheet's Latin-1 export) are refused, not read as
  // U+FFFD and stored or copied through mangled. A byte-order mark (Excel, Notepad) is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw notUtf8(file, line, carry, bytes);
    }
  };
  for await (const bytes of readable(file, stream)) {
    const text = carry + decode(bytes);
    const { records, rest, nextLine } = parseRecords(file, text, line, false);
    carry = rest;
    line = nextLine;
    if (records.length > 0) yield records;
  }
  carry += decode();
  if (carry.length > 0) {
    const { records } = parseRecords(file, carry, line, true);
    if (records.length > 0) yield records;
  }
}

/** The stream's chunks, with a read error (a folder, a file gone) said in words. */
async function* readable(file: string, stream: fs.ReadStream): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err;
    throw unreadable(file, err);
  }
}

/**
 * Parses the complete records in `text`. Unless `final`, the text after the last line end (and a
 * record whose quotes are still open) is returned as `rest`, to be completed by the next chunk.
 */
export function parseRecords(
  file: string,
  text: string,
  startLine: number,
  final: boolean,
): { records: CsvRecord[]; rest: string; nextLine: number } {
  const records: CsvRecord[] = [];
  let pos = 0;
  let line = startLine;
  const n = text.length;
  // The next quote at or after pos, found once and reused until passed: most text has none.
  let quote = text.indexOf('"');
  if (quote < 0) quote = n;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) {
      if (!final) break;
      end = n;
    }
    if (quote < pos) {
      quote = text.indexOf('"', pos);
      if (quote < 0) quote = n;
    }
    if (quote > end || quote === n) {
      // The common case: no quote in this record, which is then exactly this line.
      const stop = end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const raw = text.slice(pos, stop);
      records.push({ fields: raw.split(','), line, raw });
      line++;
      pos = end + 1;
      continue;
    }
    const parsed = parseQuoted(file, text, pos, line, final);
    if (!parsed) break;
    records.push(parsed.record);
    line = parsed.nextLine;
    pos = parsed.next;
  }
  return { records, rest: pos < n ? text.slice(pos) : '', nextLine: line };
}

/** One record with quoted fields, char by char; null when it runs past the text (not final). */
function parseQuoted(
  file: string,
  text: string,
  start: number,
  line: number,
  final: boolean,
): { record: CsvRecord; next: number; nextLine: number } | null {
  const fields: string[] = [];
  let field = '';
  let pos = start;
  let lines = 0;
  const n = text.length;
  for (;;) {
    // At the start of a field.
    if (pos < n && text.charCodeAt(pos) === QUOTE) {
      pos++;
      for (;;) {
        const q = text.indexOf('"', pos);
        if (q < 0) {
          if (!final) return null;
          throw dataError(file, line, null, `a quoted field in column ${fields.length + 1} is never closed`);
        }
        const part = text.slice(pos, q);
        for (let i = part.indexOf('\n'); i >= 0; i = part.indexOf('\n', i + 1)) lines++;
        field += part;
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          pos = q + 2;
          continue;
        }
        if (q + 1 >= n && !final) return null;
        pos = q + 1;
        break;
      }
      const c = pos < n ? text.charCodeAt(pos) : LF;
      if (c !== 44 && c !== LF && c !== CR) {
        throw dataError(
          file,
          line + lines,
          null,
          `column ${fields.length + 1} has text after its closing quote; a quote inside a quoted field is written ""`,
        );
      }
    } else {
      let stop = pos;
      while (stop < n) {
        const c = text.charCodeAt(stop);
        if (c === 44 || c === LF || c === CR) break;
        if (c === QUOTE) {
          throw dataError(
            file,
            line + lines,
            null,
            `column ${fields.length + 1} has a quote inside an unquoted field; quote the whole field and write the quote as ""`,
          );
        }
        stop++;
      }
      if (stop >= n && !final) return null;
      field = text.slice(pos, stop);
      pos = stop;
    }
    fields.push(field);
    field = '';
    const c = pos < n ? text.charCodeAt(pos) : LF;
    if (c === 44) {
      pos++;
      continue;
    }
    // End of record: CRLF, LF or the end of the text.
    let next = pos;
    if (c === CR) next++;
    if (next < n && text.charCodeAt(next) === LF) next++;
    else if (next >= n && !final) return null;
    const raw = text.slice(start, pos);
    return { record: { fields, line, raw }, next, nextLine: line + lines + 1 };
  }
}

/** Quotes a field for CSV output when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Reads a CSV file with a header line into records: `header` checks the first non-empty line,
 * `row` turns each later one into a record. Throws when the file has no header or no rows.
 */
export async function readCsvRecords<H, R>(
  file: string,
  header: (r: CsvRecord) => H,
  row: (h: H, r: CsvRecord) => R,
): Promise<{ records: R[]; lines: number[] }> {
  let h: H | undefined;
  let seen = false;
  let headerLine = 1;
  const records: R[] = [];
  const lines: number[] = [];
  for await (const batch of readCsv(file)) {
    for (const r of batch) {
      if (r.raw.trim() === '') continue;
      if (!seen) {
        h = header(r);
        seen = true;
        headerLine = r.line;
        continue;
      }
      records.push(row(h as H, r));
      lines.push(r.line);
    }
  }
  if (!seen) throw dataError(file, 1, null, 'the file is empty: it needs a header line and rows');
  if (records.length === 0) throw dataError(file, headerLine + 1, null, 'the file has a header but no rows');
  return { records, lines };
}
