import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../test/helpers/databases.js';
import { eraseWhileRunning } from '../../test/helpers/erased-while-running.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { PgBossQueue } from './pgboss-queue.js';
import { JobWithdrawnError, PermanentJobError, RetryJobError } from './queue.js';
import { pgBossSchemaFor } from './queue-factory.js';

describe.skipIf(!PG_URL)('pg-boss job queue on postgres', () => {
  let db: TestDatabase;
  let handle: DatabaseHandle;
  const queues: PgBossQueue[] = [];
  const queue = async (o: { visibilityTimeoutMs?: number } = {}) => {
    const q = new PgBossQueue({
      db: handle.db,
      url: db.url,
      schema: await pgBossSchemaFor(handle),
      pollIntervalMs: 20,
      ...o,
    });
    await q.open();
    queues.push(q);
    return q;
  };

  /**
   * drain() waits only for due jobs, and a job retried after a failure is not due for its backoff:
   * wait for the job's own status as well.
   */
  const settled = async (q: PgBossQueue, id: string, status: string) => {
    await q.drain(20_000);
    for (let i = 0; i < 1000 && (await q.get(id))?.status !== status; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };

  const setup = async () => {
    db = await createTestDatabase('postgres');
    handle = openDatabase(db.config.database);
    await migrateToLatest(handle);
  };
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop({ graceMs: 0 });
    await handle.close();
    await db.drop();
  });

  it('runs every job once across two workers and marks it completed', async () => {
    await setup();
    const [a, b] = [await queue(), await queue()];
    const seen: number[] = [];
    for (const q of [a, b]) q.register<{ n: number }>('test.echo', async (p) => void seen.push(p.n));
    a.start();
    b.start();
    const jobs = await Promise.all(Array.from({ length: 60 }, (_, n) => a.enqueue('test.echo', { n })));
    await a.drain(20_000);
    await b.drain(20_000);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(await a.get(jobs[7]!.id)).toMatchObject({ status: 'completed', attempts: 1, payload: { n: 7 } });
  });

  it('applies the visibility timeout in force to queues an earlier start made', async () => {
    await setup();
    const expiry = async () => {
      const schema = await pgBossSchemaFor(handle);
      const { rows } = await sql<{ expire_seconds: number }>`select expire_seconds from ${sql.id(
        schema,
        'queue',
      )} where name = 'test.timeout'`.execute(handle.db);
      return rows[0]?.expire_seconds;
    };
    const first = await queue({ visibilityTimeoutMs: 10_000 });
    await first.enqueue('test.timeout', {});
    expect(await expiry()).toBe(10);
    await first.stop({ graceMs: 0 });
    queues.splice(queues.indexOf(first), 1);
    // A restart with another CREDENCE_JOB_VISIBILITY_TIMEOUT: the queue exists, and takes the new one.
    const again = await queue({ visibilityTimeoutMs: 60_000 });
    await again.enqueue('test.timeout', {});
    expect(await expiry()).toBe(60);
  });

  it('gives the same job for the same key, and enqueues inside a transaction only if it commits', async () => {
    await setup();
    const q = await queue();
    const first = await q.enqueue('test.keyed', { n: 1 }, { key: 'k1' });
    const again = await q.enqueue('test.keyed', { n: 2 }, { key: 'k1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await q.enqueue('test.keyed', { n: 3 }, { key: 'k2', transaction: trx });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const k2 = await q.enqueue('test.keyed', { n: 4 }, { key: 'k2' });
    expect(k2.created).toBe(true);
    expect((await q.get(k2.id))?.payload).toEqual({ n: 4 });
  });

  it("completes a job in the handler's own transaction, and only if it commits", async () => {
    await setup();
    await sql`create table marks (job text primary key)`.execute(handle.db);
    const q = await queue();
    let calls = 0;
    q.register<null>(
      'test.tx',
      async (_p, job) => {
        calls++;
        await job.transaction(async (trx) => {
          await sql`insert into marks values (${job.id})`.execute(trx);
          if (calls === 1) throw new Error('first commit fails');
        });
      },
      { backoffBaseMs: 10, backoffMaxMs: 10 },
    );
    q.start();
    const { id } = await q.enqueue('test.tx', null);
    await settled(q, id, 'completed');
    expect(calls).toBe(2);
    expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 2 });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from marks`.execute(handle.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('retries after the delay a handler asks for, and fails for good on a permanent error', async () => {
    await setup();
    const q = await queue();
    const attempts: number[] = [];
    q.register<null>('test.retry', async (_p, job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new RetryJobError('not yet', 10);
    });
    q.register<null>('test.permanent', async () => {
      throw new PermanentJobError('no use');
    });
    q.start();
    const r = await q.enqueue('test.retry', null);
    const p = await q.enqueue('test.permanent', null);
    await settled(q, r.id, 'completed');
    await settled(q, p.id, 'failed');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await q.get(r.id)).toMatchObject({ status: 'completed', attempts: 3 });
    expect(await q.get(p.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'no use' });
  });

  it('cancels the queued jobs about an erased subject, and counts what waits', async () => {
    await setup();
    const q = await queue();
    await q.enqueue('test.idle', { n: 1 }, { tenantId: 'ten_a', subjectId: 'sub_1' });
    await q.enqueue('test.idle', { n: 2 }, { tenantId: 'ten_a', subjectId: 'sub_2' });
    expect(await q.stats()).toEqual([
      { name: 'test.idle', queued: 2, running: 0, oldestDueSeconds: expect.any(Number) },
    ]);
    expect(await q.cancelForSubject('ten_a', 'sub_1')).toBe(1);
    expect(await q.cancelForSubject('ten_b', 'sub_2')).toBe(0);
    expect((await q.stats())[0]?.queued).toBe(1);
  });

  it("rolls back a running job's transaction when its subject is erased, and keeps nothing of it", async () => {
    await setup();
    const q = await queue();
    const r = await eraseWhileRunning(handle.db, q, 'ten_a', 'sub_1');
    expect(r).toMatchObject({ cancelled: 1, forgotten: 1, written: 0 });
    expect(r.error).toBeInstanceOf(JobWithdrawnError);
    await q.drain(20_000);
    expect(await q.get(r.id)).toBeUndefined();
    const schema = await pgBossSchemaFor(handle);
    const left = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.job`)}
      where data->>'subjectId' = 'sub_1'`.execute(handle.db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('releases a running job at shutdown without spending an attempt, for another worker', async () => {
    await setup();
    const a = await queue();
    let release!: () => void;
    const started = new Promise<void>((r) => {
      release = r;
    });
    a.register<null>('test.slow', async (_p, job) => {
      release();
      await new Promise((r) => job.signal.addEventListener('abort', r));
    });
    a.start();
    const { id } = await a.enqueue('test.slow', null);
    await started;
    await a.stop({ graceMs: 0 });
    expect(await a.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
    const b = await queue();
    const seen: number[] = [];
    b.register<null>('test.slow', async (_p, job) => void seen.push(job.attempt));
    b.start();
    await b.drain(20_000);
    expect(seen).toEqual([1]);
  });

  it('queues the dead letter of a job that failed for good, and of one whose last worker died', async () => {
    await setup();
    const q = await queue({ visibilityTimeoutMs: 1000 });
    const dead: unknown[] = [];
    q.register('test.dead', async (p) => {
      dead.push(p);
    });
    q.register(
      'test.doomed',
      async () => {
        throw new Error('boom');
      },
      { maxAttempts: 2, backoffBaseMs: 10, deadLetter: 'test.dead' },
    );
    q.register('test.orphan', async () => {}, { maxAttempts: 1, deadLetter: 'test.dead' });
    q.register('test.fine', async () => {}, { deadLetter: 'test.dead' });
    const doomed = await q.enqueue('test.doomed', { n: 1 });
    const orphan = await q.enqueue('test.orphan', { n: 2 });
    await q.enqueue('test.fine', { n: 3 });
    // The orphan's only attempt: a worker took it and died, and nobody beats for it.
    await sql`update ${sql.raw(await pgBossSchemaFor(handle))}.job set state = 'active', started_on = now() where id = ${orphan.id}`.execute(
      handle.db,
    );
    q.start();
    for (let i = 0; i < 200 && dead.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await q.drain(20_000);
    expect(dead).toHaveLength(2);
    expect(dead).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    expect(await q.get(doomed.id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'boom' });
    expect(await q.get(orphan.id)).toMatchObject({ status: 'failed' });
  });

  it("retries a dead worker's job once its visibility timeout passes", async () => {
    await setup();
    const a = await queue({ visibilityTimeoutMs: 1000 });
    const { id } = await a.enqueue('test.orphan', null);
    // A worker that took the job and died: the job is active and nobody beats for it.
    await sql`update ${sql.raw(await pgBossSchemaFor(handle))}.job set state = 'active', started_on = now() where id = ${id}`.execute(
      handle.db,
    );
    const seen: number[] = [];
    a.register<null>('test.orphan', async (_p, job) => void seen.push(job.attempt));
    a.start();
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([2]);
  });
});
