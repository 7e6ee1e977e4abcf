/**
 * Chooses the job queue, once, where the context is built: pg-boss on PostgreSQL (replicas share
 * it), the embedded queue on SQLite or when `CREDENCE_QUEUE=embedded`.
 */
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { EmbeddedQueue, type EmbeddedQueueOptions } from './embedded-queue.js';
import { PgBossQueue } from './pgboss-queue.js';
import type { JobQueue } from './queue.js';

/**
 * pg-boss keeps its tables in a schema of its own: `pgboss` beside `public`, else
 * `<schema>_pgboss` beside the schema Credence's search_path names, so that several Credence
 * databases in one PostgreSQL never share a queue.
 */
export async function pgBossSchemaFor(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
  const schema = rows[0]?.schema ?? 'public';
  return schema === 'public' ? 'pgboss' : `${schema}_pgboss`;
}

export async function createQueue(
  config: Config,
  database: DatabaseHandle,
  clock: Clock,
  options: EmbeddedQueueOptions = {},
): Promise<JobQueue> {
  if (config.queueBackend === 'pgboss' && database.engine === 'postgres') {
    const queue = new PgBossQueue({
      db: database.db,
      url: config.database.url,
      schema: await pgBossSchemaFor(database),
      visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await queue.open();
    return queue;
  }
  return new EmbeddedQueue(database, clock, {
    visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
    ...options,
  });
}
