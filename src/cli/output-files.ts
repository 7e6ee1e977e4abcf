/** Checks made before a command spends time computing what it will write to a file. */
import fs from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../domain/errors.js';

/** Refuses an output file whose folder does not exist, naming the option that gave it. */
export function requireOutputFolder(option: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw invalidInput(option, `the folder ${dir} does not exist`);
}
