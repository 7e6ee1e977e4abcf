import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/helpers/databases.js';
import { eraseWhileRunning } from '../../test/helpers/erased-while-running.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { claimJobs } from '../db/repositories/job.repository.js';
import { openSqlite } from '../db/sqlite-connection.js';
import { systemClock } from '../lib/clock.js';
import { backoffDelay } from './backoff.js';
import { EmbeddedQueue } from './embedded-queue.js';
import { JobWithdrawnError, PermanentJobError, RetryJobError } from './queue.js';

describe('backoff', () => {
  it('doubles from the base up to the cap, with up to half of each step random', () => {
    const o = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelay(1, o, () => 0)).toBe(500);
    expect(backoffDelay(1, o, () => 1)).toBe(1000);
    expect(backoffDelay(3, o, () => 0)).toBe(2000);
    expect(backoffDelay(10, o, () => 1)).toBe(10_000);
  });
});

for (const engine of ENGINES) {
  describe(`embedded job queue on ${engine}`, () => {
    let db: TestDatabase;
    let handle: DatabaseHandle;
    const queues: EmbeddedQueue[] = [];
    const queue = (o: ConstructorParameters<typeof EmbeddedQueue>[2] = {}) => {
      const q = new EmbeddedQueue(handle, systemClock, { pollIntervalMs: 20, ...o });
      queues.push(q);
      return q;
    };

    const setup = async () => {
      db = await createTestDatabase(engine);
      handle = openDatabase(db.config.database);
      await migrateToLatest(handle);
    };
    afterEach(async () => {
      for (const q of queues.splice(0)) await q.stop({ graceMs: 0 });
      await handle.close();
      await db.drop();
    });

    it('runs every job once and marks it completed', async () => {
      await setup();
      const q = queue();
      const seen: number[] = [];
      q.register<{ n: number }>('test.echo', async (p) => {
        seen.push(p.n);
      });
      q.start();
      const jobs = await Promise.all(Array.from({ length: 50 }, (_, n) => q.enqueue('test.echo', { n })));
      await q.drain(10_000);
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
      const info = await q.get(jobs[7]!.id);
      expect(info).toMatchObject({ status: 'completed', attempts: 1, payload: { n: 7 } });
    });

    it("completes a job in the handler's own transaction, and only if it commits", async () => {
      await setup();
      const q = queue();
      let calls = 0;
      q.register(
        'test.tx-complete',
        async (_p, job) => {
          calls++;
          await job.transaction(async (trx) => {
            await trx
              .insertInto('sequences')
              .values({ name: `job-${job.attempt}`, value: 1 })
              .execute();
            if (job.attempt === 1) throw new Error('rolled back');
          });
        },
        { backoffBaseMs: 10, backoffMaxMs: 10 },
      );
      q.start();
      const { id } = await q.enqueue('test.tx-complete', {});
      for (let i = 0; i < 300 && (await q.get(id))!.status !== 'completed'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(calls).toBe(2);
      expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 2 });
      const rows = await handle.db.selectFrom('sequences').select('name').execute();
      expect(rows.map((r) => r.name)).toEqual(['job-2']);
    });

    it('deletes finished jobs, completed or failed for good, once their retention has passed, and keeps the others', async () => {
      await setup();
      const q = queue();
      q.register('test.done', async () => {});
      q.register('test.fails', async () => {
        throw new PermanentJobError('never');
      });
      q.start();
      const done = await q.enqueue('test.done', {});
      const failed = await q.enqueue('test.fails', {});
      await q.drain();
      expect((await q.get(failed.id))!.status).toBe('failed');
      const waiting = await q.enqueue('test.unhandled', {});
      const sweeper = queue({ retentionMs: 0 });
      sweeper.start();
      const gone = async () => (await q.get(done.id)) === undefined && (await q.get(failed.id)) === undefined;
      for (let i = 0; i < 200 && !(await gone()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await q.get(done.id)).toBeUndefined();
      expect(await q.get(failed.id)).toBeUndefined();
      expect((await q.get(waiting.id))!.status).toBe('queued');
    });

    it('returns the same job for the same key', async () => {
      await setup();
      const q = queue();
      const a = await q.enqueue('test.keyed', { n: 1 }, { key: 'k1' });
      const [b, c] = await Promise.all([
        q.enqueue('test.keyed', { n: 2 }, { key: 'k1' }),
        q.enqueue('test.keyed', { n: 3 }, { key: 'k2' }),
      ]);
      expect(a.created).toBe(true);
      expect(b).toEqual({ id: a.id, created: false });
      expect(c!.created).toBe(true);
      expect((await q.get(a.id))!.payload).toEqual({ n: 1 });
    });

    it('retries a failing job with backoff, then completes it', async () => {
      await setup();
      const q = queue();
      let calls = 0;
      q.register(
        'test.flaky',
        async (_p, job) => {
          calls++;
          if (job.attempt < 3) throw new Error(`failure ${job.attempt}`);
        },
        { backoffBaseMs: 10, backoffMaxMs: 20 },
      );
      q.start();
      const { id } = await q.enqueue('test.flaky', {});
      await q.drain(10_000);
      // drain() only waits for due jobs: wait for the retries too.
      for (let i = 0; i < 200 && (await q.get(id))!.status !== 'completed'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(calls).toBe(3);
      expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 3, lastError: 'failure 2' });
    });

    it('honours a delay the handler asks for, and fails for good after the last attempt', async () => {
      await setup();
      const q = queue();
      const times: number[] = [];
      q.register(
        'test.doomed',
        async () => {
          times.push(Date.now());
          throw new RetryJobError('try later', 150);
        },
        { maxAttempts: 2 },
      );
      q.register('test.permanent', async () => {
        throw new PermanentJobError('never');
      });
      q.start();
      const doomed = await q.enqueue('test.doomed', {});
      const permanent = await q.enqueue('test.permanent', {});
      for (let i = 0; i < 300 && (await q.get(doomed.id))!.status !== 'failed'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(times).toHaveLength(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(140);
      expect(await q.get(doomed.id)).toMatchObject({ status: 'failed', attempts: 2 });
      expect(await q.get(permanent.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'never' });
    });

    it('tells its listener how each run ended, and how long it took', async () => {
      await setup();
      const q = queue();
      const ended: [string, string][] = [];
      const durations: number[] = [];
      q.onFinished = (name, outcome, seconds) => {
        ended.push([name, outcome]);
        durations.push(seconds);
      };
      q.register(
        'test.twice',
        async (_p, job) => {
          if (job.attempt === 1) throw new Error('first');
        },
        { backoffBaseMs: 10, backoffMaxMs: 20 },
      );
      q.register('test.slow', async (_p, job) => {
        await new Promise((r) => setTimeout(r, 60));
        await job.transaction(async () => {});
      });
      q.register('test.never', async () => {
        throw new PermanentJobError('never');
      });
      q.start();
      const twice = await q.enqueue('test.twice', {});
      await q.enqueue('test.slow', {});
      await q.enqueue('test.never', {});
      for (let i = 0; i < 300 && (await q.get(twice.id))!.status !== 'completed'; i++)
        await new Promise((r) => setTimeout(r, 10));
      await q.drain(10_000);
      expect(ended.sort()).toEqual([
        ['test.never', 'failed'],
        ['test.slow', 'completed'],
        ['test.twice', 'completed'],
        ['test.twice', 'retry'],
      ]);
      expect(Math.max(...durations)).toBeGreaterThanOrEqual(0.05);

      const stuck = await q.enqueue('test.stuck', {});
      // It gives up once the grace period is over, as handlers do when their signal is aborted.
      q.register(
        'test.stuck',
        (_p, job) =>
          new Promise<void>((_resolve, reject) =>
            job.signal.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      );
      while ((await q.get(stuck.id))!.status !== 'running') await new Promise((r) => setTimeout(r, 5));
      await q.stop({ graceMs: 50 });
      await new Promise((r) => setImmediate(r));
      expect(ended).toContainEqual(['test.stuck', 'released']);
    });

    it('queues the dead letter of a job that failed for good, once, and of one whose workers died every time', async () => {
      await setup();
      const q = queue({ visibilityTimeoutMs: 1000 });
      const dead: unknown[] = [];
      q.register('test.dead', async (p) => {
        dead.push(p);
      });
      const o = { maxAttempts: 2, backoffBaseMs: 10, deadLetter: 'test.dead' };
      q.register(
        'test.doomed',
        async () => {
          throw new Error('boom');
        },
        o,
      );
      q.register(
        'test.permanent',
        async () => {
          throw new PermanentJobError('never');
        },
        o,
      );
      let flaky = 0;
      q.register(
        'test.flaky',
        async () => {
          if (++flaky === 1) throw new Error('once');
        },
        o,
      );
      q.register('test.orphan', async () => {}, { ...o, maxAttempts: 1 });
      const doomed = await q.enqueue('test.doomed', { n: 1 }, { tenantId: 't1', subjectId: 's1' });
      const permanent = await q.enqueue('test.permanent', { n: 2 });
      const ok = await q.enqueue('test.flaky', { n: 3 });
      const orphan = await q.enqueue('test.orphan', { n: 4 });
      // The orphan's only attempt: a worker claimed it and died.
      const now = new Date();
      await claimJobs(handle.db, {
        name: 'test.orphan',
        limit: 1,
        worker: 'dead-worker',
        now: now.toISOString(),
        lockedUntil: new Date(now.getTime() + 300).toISOString(),
        postgres: engine === 'postgres',
      });
      q.start();
      for (let i = 0; i < 500 && dead.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      await q.drain(5000);
      expect(dead).toHaveLength(3);
      expect(dead).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 4 }]));
      expect(await q.get(doomed.id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'boom' });
      expect(await q.get(permanent.id)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(await q.get(ok.id)).toMatchObject({ status: 'completed', attempts: 2 });
      expect(await q.get(orphan.id)).toMatchObject({
        status: 'failed',
        lastError: 'the job was interrupted on every attempt',
      });
      // Each dead letter is a job of its own, keyed by the job that failed and about its subject.
      const letters = await handle.db
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'test.dead')
        .orderBy('dedupe_key')
        .execute();
      expect(letters.map((l) => l.dedupe_key).sort()).toEqual([doomed.id, permanent.id, orphan.id].sort());
      expect(letters.every((l) => l.status === 'completed')).toBe(true);
      expect(letters.find((l) => l.dedupe_key === doomed.id)).toMatchObject({
        tenant_id: 't1',
        subject_id: 's1',
      });
    });

    it('takes again a job whose worker died, once its visibility timeout passed', async () => {
      await setup();
      const q = queue({ visibilityTimeoutMs: 1000 });
      const { id } = await q.enqueue('test.orphan', { n: 1 });
      // A worker that claimed the job and then died: its lock is never extended.
      const now = new Date();
      const claimed = await claimJobs(handle.db, {
        name: 'test.orphan',
        limit: 1,
        worker: 'dead-worker',
        now: now.toISOString(),
        lockedUntil: new Date(now.getTime() + 500).toISOString(),
        postgres: engine === 'postgres',
      });
      expect(claimed.map((j) => j.id)).toEqual([id]);
      let ran = 0;
      q.register('test.orphan', async () => {
        ran++;
      });
      q.start();
      await new Promise((r) => setTimeout(r, 50));
      expect(ran).toBe(0);
      for (let i = 0; i < 200 && ran === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await q.drain(5000);
      expect(ran).toBe(1);
      expect(await q.get(id)).toMatchObject({ status: 'completed', attempts: 2 });
    });

    it.runIf(engine === 'sqlite')(
      'looks for due jobs with reads only, so an idle worker never waits behind another writer',
      async () => {
        await setup();
        // A write that found the lock taken would now fail at once instead of blocking the loop.
        handle.sqlite!.pragma('busy_timeout = 0');
        const other = openSqlite(handle.sqliteFile!);
        other.exec('BEGIN IMMEDIATE');
        const statements: string[] = [];
        const prepare = handle.sqlite!.prepare.bind(handle.sqlite!);
        vi.spyOn(handle.sqlite!, 'prepare').mockImplementation((source: string) => {
          statements.push(source);
          return prepare(source);
        });
        const errors: unknown[] = [];
        const q = queue({ logger: { info: () => {}, warn: () => {}, error: (o) => errors.push(o) } });
        let ran = 0;
        q.register('test.idle', async () => {
          ran++;
        });
        q.start();
        // Ten poll intervals with the lock held. Statements are prepared once and cached, so
        // the list holds each kind of statement the worker ran, not each run.
        await new Promise((r) => setTimeout(r, 200));
        // (The purge of finished jobs, once a minute, is an idle worker's only write.)
        const onJobs = statements.filter((s) => /"jobs"/.test(s) && !/^delete/.test(s));
        expect(onJobs.some((s) => /^select "id" from "jobs"/.test(s))).toBe(true);
        expect(onJobs.filter((s) => !/^select/.test(s))).toEqual([]);
        expect(errors).toEqual([]);

        other.exec('COMMIT');
        other.close();
        vi.restoreAllMocks();
        handle.sqlite!.pragma('busy_timeout = 5000');
        await q.enqueue('test.idle', {});
        await q.drain(5000);
        expect(ran).toBe(1);
      },
    );

    it('extends the lock of a long job, so no second worker takes it', async () => {
      await setup();
      // Margins are wide: the heartbeat (every third of the timeout) may be late on a busy machine.
      const a = queue({ visibilityTimeoutMs: 900 });
      const b = queue({ visibilityTimeoutMs: 900 });
      let runs = 0;
      const slow = async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 2500));
      };
      a.register('test.slow', slow);
      b.register('test.slow', slow);
      a.start();
      const { id } = await a.enqueue('test.slow', {});
      await new Promise((r) => setTimeout(r, 100));
      b.start();
      await a.drain(10_000);
      expect(runs).toBe(1);
      expect((await a.get(id))!.status).toBe('completed');
    });

    it('finishes running jobs on stop, and releases those that outlast the grace period', async () => {
      await setup();
      const q = queue();
      let release: () => void = () => {};
      const quick = await q.enqueue('test.quick', {});
      const stuck = await q.enqueue('test.stuck', {});
      q.register('test.quick', async () => {
        await new Promise((r) => setTimeout(r, 50));
      });
      q.register('test.stuck', () => new Promise<void>((r) => (release = r)));
      q.start();
      while ((await q.get(stuck.id))!.status !== 'running') await new Promise((r) => setTimeout(r, 5));
      await q.stop({ graceMs: 200 });
      expect((await q.get(quick.id))!.status).toBe('completed');
      expect(await q.get(stuck.id)).toMatchObject({ status: 'queued', attempts: 0 });
      release();

      const next = queue();
      let ran = false;
      next.register('test.stuck', async () => {
        ran = true;
      });
      next.register('test.quick', async () => {});
      next.start();
      await next.drain(5000);
      expect(ran).toBe(true);
      expect((await next.get(stuck.id))!.status).toBe('completed');
    });

    it('enqueues inside a transaction only if it commits, and cancels the jobs of an erased subject', async () => {
      await setup();
      const q = queue();
      await expect(
        handle.db.transaction().execute(async (trx) => {
          await q.enqueue('test.tx', {}, { transaction: trx, key: 'rolled-back' });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const kept = await handle.db
        .transaction()
        .execute((trx) => q.enqueue('test.tx', {}, { transaction: trx, key: 'kept' }));
      const again = await q.enqueue('test.tx', {}, { key: 'rolled-back' });
      expect(again.created).toBe(true);
      expect((await q.get(kept.id))!.status).toBe('queued');

      const a = await q.enqueue('test.subject', {}, { tenantId: 't1', subjectId: 's1' });
      const b = await q.enqueue('test.subject', {}, { tenantId: 't1', subjectId: 's2' });
      expect(await q.cancelForSubject('t1', 's1')).toBe(1);
      expect((await q.get(a.id))!.status).toBe('cancelled');
      expect((await q.get(b.id))!.status).toBe('queued');
    });

    it('rolls back the transaction of a job that ran while its subject was erased, and keeps nothing of it', async () => {
      await setup();
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const q = queue({ logger });
      const ended: string[] = [];
      q.onFinished = (name, outcome) => ended.push(`${name} ${outcome}`);
      const r = await eraseWhileRunning(handle.db, q, 't1', 's1');
      expect(r).toMatchObject({ cancelled: 1, forgotten: 1, written: 0 });
      expect(r.error).toBeInstanceOf(JobWithdrawnError);
      await q.drain(10_000);
      expect(ended).toEqual(['test.erased withdrawn']);
      expect(await q.get(r.id)).toBeUndefined();
      const left = await handle.db.selectFrom('jobs').select('id').where('subject_id', '=', 's1').execute();
      expect(left).toEqual([]);
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.error).not.toHaveBeenCalled();
    });
  });
}
