import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { ConfigError } from '../config.js';
import type { DatabaseHandle } from './database.js';
import { migrations } from './migrations/index.js';
import { scopedToSchema } from './schema-introspector.js';

/**
 * Brings the schema up to date, once however many processes start together: Kysely's migrator
 * takes an advisory lock on PostgreSQL, and on SQLite, where it takes none, so do we (below).
 */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  return migrateUpTo(handle);
}

/** Applies the migrations up to `target` included (all of them without one). */
export async function migrateUpTo(handle: DatabaseHandle, target?: string): Promise<string[]> {
  const file = handle.engine === 'sqlite' ? handle.sqliteFile : undefined;
  return file && file !== ':memory:'
    ? withSqliteMigrationLock(file, () => migrate(handle, target))
    : migrate(handle, target);
}

async function migrate(handle: DatabaseHandle, target: string | undefined): Promise<string[]> {
  // On PostgreSQL, name the schema in use (otherwise a migration table in another schema of the
  // same database would be taken for ours) and look only at it (src/db/schema-introspector.ts).
  const schema = handle.engine === 'postgres' ? await currentSchema(handle) : undefined;
  const migrator = new Migrator({
    db: schema ? scopedToSchema(handle.db, schema) : handle.db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const name = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`database migration${name} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The answers of a PostgreSQL server that no retry changes: the URL names a database, a user or a
 * password it does not have, or a host that does not resolve. They are bad settings (exit status
 * 2); a server that is down or unreachable is not, and stays a failure to start.
 */
const SETTING_ERRORS: Readonly<Record<string, string>> = {
  '3D000': 'names a database that does not exist',
  '28000': 'names a user the server does not accept',
  '28P01': 'holds a password the server does not accept',
  ENOTFOUND: 'names a host that does not resolve',
};

async function currentSchema(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ schema: string | null; path: string }>`
    select current_schema() as schema, current_setting('search_path') as path`
    .execute(handle.db)
    .catch((err: Error & { code?: string }) => {
      const problem = err.code ? SETTING_ERRORS[err.code] : undefined;
      throw problem ? new ConfigError([`CREDENCE_DATABASE_URL ${problem}: ${err.message}`]) : err;
    });
  const schema = rows[0]?.schema;
  // The URL's search_path is a setting like any other: a wrong one stops the start as a bad value
  // does (exit status 2), naming the variable, not as a failure of the database.
  if (!schema)
    throw new ConfigError([
      `CREDENCE_DATABASE_URL: the PostgreSQL search_path names no schema that exists (search_path: ${rows[0]?.path ?? ''}); create it first (CREATE SCHEMA)`,
    ]);
  return schema;
}

/** How long a process waits for another one's migrations on the same SQLite file. */
const SQLITE_LOCK_WAIT_MS = 120_000;

/**
 * Runs `fn` while holding a write lock on a small SQLite file beside the database: a lock between
 * processes that the system releases if its holder dies. Kysely runs SQLite migrations without a
 * transaction or a lock, so a server and a CLI started together on a new file both found nothing
 * applied and both created the first tables ("table tenants already exists"). The lock is tried
 * without blocking and retried after a pause, so that two connections of one process can wait for
 * each other too.
 */
async function withSqliteMigrationLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = `${file}-migrate-lock`;
  fs.closeSync(fs.openSync(lockFile, 'a', 0o600));
  const lock = new SQLite(lockFile, { timeout: 0 });
  try {
    const until = Date.now() + SQLITE_LOCK_WAIT_MS;
    for (;;) {
      try {
        lock.exec('begin immediate');
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return await fn();
  } finally {
    if (lock.inTransaction) lock.exec('rollback');
    lock.close();
  }
}
