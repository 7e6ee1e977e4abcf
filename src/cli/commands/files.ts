/** Small helpers the file-based commands share: option parsing and all-or-nothing writes. */
import fs from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../../domain/errors.js';

export const list = (v: string, previous?: string[]) => [
  ...(previous ?? []),
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function numberOption(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw invalidInput(name, `${name} must be a number, not "${text}"`);
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
