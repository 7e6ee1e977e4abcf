/**
 * Opens the database named by the configuration: SQLite through better-sqlite3 (WAL, full
 * synchronous commits) or PostgreSQL through a pg pool. Everything above this file is engine-neutral.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig, DatabaseEngine } from '../config.js';
import { KyselyRunStore, type RunStore } from './run-store.js';
import type { Database } from './schema.js';
import { SqliteRunStore } from './sqlite-run-store.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: DatabaseEngine;
  /** The better-sqlite3 connection behind `db`, on SQLite (for the prepared-statement fast path). */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT come back from pg as strings; every count we keep fits a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface OpenOptions {
  /** PostgreSQL pool size. */
  poolMax?: number;
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): DatabaseHandle {
  if (config.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: options.poolMax ?? 10 });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const file = config.sqlitePath ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the response that depends on it is sent.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // The CLI and the server may write at the same moment; wait for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: 'sqlite', sqlite, close: () => db.destroy() };
}

/** The run store suited to the engine: prepared statements on SQLite, Kysely elsewhere. */
export function runStoreFor(handle: DatabaseHandle): RunStore {
  return handle.sqlite ? new SqliteRunStore(handle.db, handle.sqlite) : new KyselyRunStore(handle.db);
}
