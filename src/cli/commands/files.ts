/**
 * Small helpers the file-based commands share: option parsing, reading JSON, checks made before a
 * command spends time computing what it will write, and all-or-nothing writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTextFile } from '../../data/text-file.js';
import { invalidInput } from '../../domain/errors.js';
import { decimalNumber } from '../../lib/decimal.js';

export const list = (v: string, previous?: string[]) => [
  ...(previous ?? []),
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function numberOption(text: string, name: string): number {
  const n = decimalNumber(text);
  if (n === undefined) throw invalidInput(name, `${name} must be a number, not "${text}"`);
  return n;
}

/**
 * A count, a size or a seed: plain decimal digits and nothing else. `Number()` would also read
 * `1e2`, `0x10`, `1.0` and ` 5`, none of which a person means as a whole number of something.
 */
const DIGITS = /^[0-9]+$/;

/** The value of an integer option from `min` to `max`, or a 400 naming the option and its range. */
export function integerOption(text: string, name: string, min: number, max?: number): number {
  const n = DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= (max ?? Number.MAX_SAFE_INTEGER)))
    throw invalidInput(
      name,
      `${name} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}, not ${JSON.stringify(text)}`,
    );
  return n;
}

/**
 * Writes every file or none: each goes to a temporary file beside its target first, and only
 * when all are written are they renamed into place.
 */
export function writeAll(outputs: readonly { file: string; text: string }[]): void {
  const temps: string[] = [];
  try {
    for (const o of outputs) {
      const temp = path.join(
        path.dirname(path.resolve(o.file)),
        `.${path.basename(o.file)}.${process.pid}.tmp`,
      );
      fs.writeFileSync(temp, o.text);
      temps.push(temp);
    }
    outputs.forEach((o, i) => {
      fs.renameSync(temps[i]!, o.file);
    });
  } catch (err) {
    for (const t of temps) fs.rmSync(t, { force: true });
    throw invalidInput('file', `cannot write: ${(err as Error).message}`);
  }
}

/** A JSON file's content; a file that cannot be read or parsed is the fault of the option `field`. */
export function readJson(file: string, field = 'file'): unknown {
  // A byte-order mark, as some Windows editors write, is not part of the JSON.
  const text = readTextFile(file, field);
  try {
    return JSON.parse(text);
  } catch (err) {
    // The parser quotes the text it stopped at, line breaks and all: written as \n, the error
    // stays on one line.
    const reason = (err as Error).message.replaceAll('\r', '\\r').replaceAll('\n', '\\n');
    throw invalidInput(field, `${file} is not valid JSON: ${reason}`);
  }
}

/** Refuses an output file whose folder does not exist, naming the option that gave it. */
export function requireOutputFolder(option: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw invalidInput(option, `the folder ${dir} does not exist`);
  if (fs.statSync(path.resolve(file), { throwIfNoEntry: false })?.isDirectory())
    throw invalidInput(option, `${file} is a folder: name a file to write`);
}

/**
 * Outputs that are each a file of their own, and none of them an input listed before them: two
 * options naming one file would overwrite each other, or the input.
 */
export function requireDistinctOutputs(
  outputs: readonly { option: string; file: string | undefined }[],
): void {
  const seen = new Map<string, string>();
  for (const { option, file } of outputs) {
    if (file === undefined) continue;
    const at = path.resolve(file);
    const other = seen.get(at);
    if (other) throw invalidInput(option, `${option} names the same file as ${other}`);
    seen.set(at, option);
  }
}
