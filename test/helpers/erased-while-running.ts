/**
 * A job about a subject that is erased while its handler runs: the handler waits until the
 * erasure is done, then writes a row and enqueues a follow-up job in the job's own transaction.
 * Both queues must roll that transaction back (JobWithdrawnError) and keep nothing of the job.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { JobQueue } from '../../src/jobs/queue.js';

export async function eraseWhileRunning(
  db: Kysely<Database>,
  q: JobQueue,
  tenantId: string,
  subjectId: string,
) {
  let started!: () => void;
  const running = new Promise<void>((r) => {
    started = r;
  });
  let go!: () => void;
  const erased = new Promise<void>((r) => {
    go = r;
  });
  let finished!: (e: unknown) => void;
  const outcome = new Promise<unknown>((r) => {
    finished = r;
  });
  q.register('test.erased', async (_p, job) => {
    started();
    await erased;
    try {
      await job.transaction(async (trx) => {
        await trx.insertInto('sequences').values({ name: 'written-after-erasure', value: 1 }).execute();
        await q.enqueue('test.next', {}, { tenantId, subjectId, transaction: trx });
      });
      finished(null);
    } catch (err) {
      finished(err);
      throw err;
    }
  });
  q.start();
  const { id } = await q.enqueue('test.erased', {}, { tenantId, subjectId });
  await running;
  const cancelled = await q.cancelForSubject(tenantId, subjectId);
  const forgotten = await q.forgetSubject(tenantId, subjectId);
  go();
  const error = await outcome;
  const written = await db
    .selectFrom('sequences')
    .select('name')
    .where('name', '=', 'written-after-erasure')
    .execute();
  return { id, cancelled, forgotten, error, written: written.length };
}
