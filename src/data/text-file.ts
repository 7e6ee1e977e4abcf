/**
 * Text files the CLI reads (CSV, ARFF, JSON documents) must be UTF-8: bytes that are not (a
 * spreadsheet's or an old editor's Latin-1) are refused naming their line, not decoded to U+FFFD
 * and stored or scored as text nobody wrote.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { invalidInput } from '../domain/errors.js';
import { withoutBom } from '../lib/text.js';

/**
 * The error for bytes that are not UTF-8, naming the line they are on: `line` is where `carry`
 * (text already decoded, valid) begins, and the bad bytes are in `bytes` (none: the file ends
 * inside a character). `field` is the option that named the file.
 */
export function notUtf8(
  file: string,
  line: number,
  carry: string,
  bytes: Buffer | undefined,
  field = 'file',
) {
  const text = carry + (bytes ? new TextDecoder().decode(bytes) : '');
  const bad = text.indexOf('\uFFFD', carry.length);
  const before = bad < 0 ? text : text.slice(0, bad);
  let at = line;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) at++;
  return invalidInput(
    field,
    `${file} line ${at}: is not UTF-8 text; save the file as UTF-8 (spreadsheets and some editors save Latin-1 or Windows-1252 unless told otherwise)`,
  );
}

/** The error for a file that cannot be read (missing, a folder, no permission), by its code. */
export function unreadable(file: string, err: unknown, field = 'file') {
  return invalidInput(
    field,
    `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
  );
}

/** A whole text file, without a byte-order mark; unreadable or not UTF-8 is the fault of `field`. */
export function readTextFile(file: string, field = 'file'): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw unreadable(file, err, field);
  }
  if (!isUtf8(bytes)) throw notUtf8(file, 1, '', bytes, field);
  return withoutBom(bytes.toString('utf8'));
}
