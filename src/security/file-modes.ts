/**
 * Files that hold personal data or keys are their owner's alone. Files this version creates are
 * made that way; files an older version left readable by other users of the machine (an SQLite
 * database created with the process's umask, usually mode 644) are brought to it at start.
 */
import fs from 'node:fs';

export interface TightenedModes {
  /** Files that others could read or write, now owner-only. */
  tightened: string[];
  /** Files that others can read or write and that this process may not change (not its own). */
  refused: string[];
}

/** Takes every permission of group and others off the files that exist among `files`. */
export function ownerOnly(files: readonly string[]): TightenedModes {
  const result: TightenedModes = { tightened: [], refused: [] };
  // Windows keeps no such bits: chmod there only toggles read-only.
  if (process.platform === 'win32') return result;
  for (const file of files) {
    let mode: number;
    try {
      mode = fs.statSync(file).mode;
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    try {
      fs.chmodSync(file, mode & 0o700);
      result.tightened.push(file);
    } catch {
      result.refused.push(file);
    }
  }
  return result;
}

/** The files of an SQLite database in WAL mode, and the lock its migrations take. */
export const sqliteFiles = (file: string): string[] => [
  file,
  `${file}-wal`,
  `${file}-shm`,
  `${file}-migrate-lock`,
];
