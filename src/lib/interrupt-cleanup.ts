/**
 * Files that an interrupted command must not leave behind: a scored CSV half written beside its
 * target. Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) removes them, then ends the
 * process with the shell's code for that signal (128 + its number), as the default would.
 */
import fs from 'node:fs';

const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof EXIT_CODES;
const SIGNALS = Object.keys(EXIT_CODES) as Signal[];
const pending = new Set<string>();

function removeAndExit(signal: Signal): void {
  for (const file of pending) fs.rmSync(file, { force: true });
  process.exit(EXIT_CODES[signal]);
}

/** Removes `file` if the process is interrupted; call the function returned once it is in place. */
export function removeOnInterrupt(file: string): () => void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, removeAndExit);
  pending.add(file);
  return () => {
    pending.delete(file);
    if (pending.size === 0) for (const s of SIGNALS) process.off(s, removeAndExit);
  };
}
