/**
 * Group commits on the event loop's SQLite connection whose sync to disk runs on libuv's thread
 * pool instead of holding the loop.
 *
 * A commit with `synchronous = FULL` writes its pages to the WAL and then syncs the WAL before it
 * returns: the event loop waits for the disk. Here the batch is committed with `synchronous =
 * NORMAL` (the pages are written, not synced) and the WAL is then synced with `fdatasync` on the
 * thread pool; the batch's units are answered only once that sync is done, so nothing is
 * acknowledged before it is on disk. `fdatasync` flushes every frame written to the file before
 * it began, whoever wrote it; SQLite itself syncs the WAL before a checkpoint copies it into the
 * database, so a checkpoint cannot publish frames that are not yet durable, and the WAL is only
 * rewritten from its start once a checkpoint has copied and synced everything in it.
 *
 * Other requests may read a batch's writes while its sync runs (a partner's balance after a debit,
 * say). A later commit's frames follow them in the WAL, and that commit is answered only after a
 * sync that began after it, which covers the earlier frames too: nothing acknowledged rests on
 * what could still be lost.
 */
import fs from 'node:fs';
import type SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export class WalSync {
  private fd: number | null = null;
  private closed = false;
  /** Syncs on the thread pool not yet done: the file stays open until they are. */
  private readonly running = new Set<Promise<void>>();

  private readonly relax: SQLite.Statement;
  private readonly restore: SQLite.Statement;

  constructor(
    sqlite: SQLite.Database,
    private readonly file: string,
  ) {
    // Prepared once: better-sqlite3's pragma() prepares its statement on every call.
    this.relax = sqlite.prepare('pragma synchronous = normal');
    this.restore = sqlite.prepare('pragma synchronous = full');
  }

  /**
   * Runs `body` in one transaction on the connection, committed without a sync (`synchronous =
   * NORMAL` for that commit alone; the connection is held throughout, so no other statement can
   * commit under the relaxed setting). Call `synced()` before answering anyone who depends on it.
   */
  commit<T>(db: Kysely<Database>, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (conn) => {
      this.relax.run();
      try {
        return await conn.transaction().execute(body);
      } finally {
        this.restore.run();
      }
    });
  }

  /** Resolves once everything committed before the call is on disk. */
  synced(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    this.fd ??= fs.openSync(`${this.file}-wal`, 'r');
    const fd = this.fd;
    const sync = new Promise<void>((resolve, reject) =>
      fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())),
    ).finally(() => this.running.delete(sync));
    this.running.add(sync);
    return sync;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
