/**
 * Configuration is read once, from environment variables, into one typed object.
 * Nothing else in the code base reads `process.env`.
 */
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface DatabaseConfig {
  engine: DatabaseEngine;
  /** The URL as given, e.g. `sqlite:./data/credence.db` or `postgres://user@host/db`. */
  url: string;
  /** SQLite only: the database file path, or `:memory:`. */
  sqlitePath?: string;
}

export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** The raw `CREDENCE_SECRET_KEY` (base64 or hex of 32 bytes), if set. */
  secretKey?: string;
  /** Where an embedded install keeps its state (the SQLite file's folder, or `./data`). */
  dataDir: string;
  /** Deliver webhooks to loopback, private and link-local addresses too (tests, closed networks). */
  webhookAllowPrivate: boolean;
  /** How long a claimed job stays locked without a heartbeat before another worker takes it. */
  jobVisibilityTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/credence.db';

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { engine: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    // Accept sqlite:///abs/path and sqlite://./rel as well as sqlite:./rel.
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '')
      throw new Error('the sqlite: URL names no file (use sqlite:./data/credence.db or sqlite::memory:)');
    return { engine: 'sqlite', url, sqlitePath: file };
  }
  throw new Error(`unsupported scheme in "${url}" (expected sqlite:<file> or postgres://...)`);
}

/** Reads and validates the configuration; throws a ConfigError that lists every bad value. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const host = nonEmpty(env.CREDENCE_HOST) ?? '127.0.0.1';

  let port = 8080;
  const rawPort = nonEmpty(env.CREDENCE_PORT);
  if (rawPort !== undefined) {
    const n = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || !Number.isInteger(n) || n < 0 || n > 65535) {
      problems.push(`CREDENCE_PORT must be an integer from 0 to 65535, got "${rawPort}"`);
    } else {
      port = n;
    }
  }

  let logLevel: LogLevel = 'info';
  const rawLevel = nonEmpty(env.CREDENCE_LOG_LEVEL);
  if (rawLevel !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
    else problems.push(`CREDENCE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);
  }

  let database: DatabaseConfig = parseDatabaseUrl(DEFAULT_DATABASE_URL);
  const rawUrl = nonEmpty(env.CREDENCE_DATABASE_URL);
  if (rawUrl !== undefined) {
    try {
      database = parseDatabaseUrl(rawUrl);
    } catch (err) {
      problems.push(`CREDENCE_DATABASE_URL: ${(err as Error).message}`);
    }
  }
  if (database.engine === 'sqlite' && database.sqlitePath !== ':memory:') {
    database.sqlitePath = path.resolve(cwd, database.sqlitePath!);
  }

  const secretKey = nonEmpty(env.CREDENCE_SECRET_KEY);
  if (secretKey !== undefined) {
    const problem = describeSecretKeyProblem(secretKey);
    if (problem) problems.push(`CREDENCE_SECRET_KEY ${problem}`);
  }

  let webhookAllowPrivate = false;
  const rawAllow = nonEmpty(env.CREDENCE_WEBHOOK_ALLOW_PRIVATE);
  if (rawAllow !== undefined) {
    if (rawAllow === 'true' || rawAllow === 'false') webhookAllowPrivate = rawAllow === 'true';
    else problems.push(`CREDENCE_WEBHOOK_ALLOW_PRIVATE must be true or false, got "${rawAllow}"`);
  }

  let jobVisibilityTimeoutMs = 30_000;
  const rawVt = nonEmpty(env.CREDENCE_JOB_VISIBILITY_TIMEOUT);
  if (rawVt !== undefined) {
    const n = Number(rawVt);
    if (!/^\d+$/.test(rawVt) || n < 1 || n > 3600)
      problems.push(
        `CREDENCE_JOB_VISIBILITY_TIMEOUT must be a whole number of seconds from 1 to 3600, got "${rawVt}"`,
      );
    else jobVisibilityTimeoutMs = n * 1000;
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir =
    database.engine === 'sqlite' && database.sqlitePath !== ':memory:'
      ? path.dirname(database.sqlitePath!)
      : path.resolve(cwd, 'data');

  return {
    host,
    port,
    database,
    logLevel,
    ...(secretKey ? { secretKey } : {}),
    dataDir,
    webhookAllowPrivate,
    jobVisibilityTimeoutMs,
  };
}

/** A secret key is 32 bytes written as 64 hex digits or as base64 (standard or url-safe). */
export function decodeSecretKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const buf = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (buf.length === 32) return buf;
  }
  return undefined;
}

function describeSecretKeyProblem(value: string): string | undefined {
  for (const part of value.split(',')) {
    if (!decodeSecretKey(part)) {
      return 'must be 32 random bytes as 64 hex digits or 44 base64 characters (generate one with: openssl rand -base64 32)';
    }
  }
  return undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}
