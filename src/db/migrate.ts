import { Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import { migrations } from './migrations/index.js';
import { scopedToSchema } from './schema-introspector.js';

/**
 * Brings the schema up to date. Kysely's migrator takes a lock (an advisory lock on PostgreSQL,
 * the database lock on SQLite), so replicas that start together migrate once.
 */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  return migrateUpTo(handle);
}

/** Applies the migrations up to `target` included (all of them without one). */
export async function migrateUpTo(handle: DatabaseHandle, target?: string): Promise<string[]> {
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

async function currentSchema(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('the PostgreSQL search_path names no schema that exists');
  return schema;
}
