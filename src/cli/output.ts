/**
 * CLI output: with --json, exactly one JSON object on stdout (errors included, with exit code 1);
 * otherwise short human-readable lines.
 */
import { ConfigError } from '../config.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { isCredenceError } from '../domain/errors.js';

export interface OutputOptions {
  json?: boolean;
}

export function emit(opts: OutputOptions, value: Record<string, unknown>, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(value)}\n`);
  else process.stdout.write(`${human()}\n`);
}

export function fail(opts: OutputOptions, err: unknown): never {
  // A bad setting in the environment is the operator's to fix, not an internal fault; a database
  // that cannot be reached or is busy is a failure to retry, named by the setting that points at it.
  const unavailable = !isCredenceError(err) && isDatabaseUnavailable(err);
  const code = isCredenceError(err)
    ? err.code
    : err instanceof ConfigError
      ? 'CREDENCE_INVALID_INPUT'
      : unavailable
        ? 'CREDENCE_UNAVAILABLE'
        : 'CREDENCE_INTERNAL';
  const text = err instanceof Error ? err.message : String(err);
  const message = unavailable
    ? `the database named by CREDENCE_DATABASE_URL cannot be reached or is busy: ${text}`
    : text;
  // The field at fault and the list of problems, as the API's error bodies give them.
  const { field, errors } = isCredenceError(err) ? err.details : {};
  const details = { ...(field ? { field } : {}), ...(errors ? { errors } : {}) };
  if (opts.json) process.stdout.write(`${JSON.stringify({ error: { code, message, ...details } })}\n`);
  else {
    process.stderr.write(`error: ${message}\n`);
    for (const e of (details.errors ?? []).slice(1)) process.stderr.write(`  ${e.path}: ${e.message}\n`);
  }
  process.exit(1);
}

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}
