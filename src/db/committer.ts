/**
 * Runs small units of work, each all-or-nothing, and resolves each once it is committed.
 *
 * On SQLite there is one writer, and a commit runs on the event loop: units that arrive in the same
 * turn of the loop are committed together, in one transaction, each inside a savepoint of its own,
 * so a unit that fails (its error is its answer) undoes only its own writes. For a database file
 * the commit does not wait for the disk: the WAL is synced on libuv's thread pool (wal-sync.ts)
 * while the loop serves other requests, and the units that arrive meanwhile form the next batch,
 * committed once that sync is done. One sync then serves many calls, and no unit is answered
 * before its writes are on disk.
 * On PostgreSQL each unit is a transaction of its own on a pooled connection: concurrent units
 * run in parallel, and the server groups their commits itself.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DatabaseHandle } from './database.js';
import type { Database } from './schema.js';
import type { WalSync } from './wal-sync.js';

export type Unit<T> = (trx: Transaction<Database>) => Promise<T>;

// Compiled once: every unit of a batch runs two of them.
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release savepoint unit');
const ROLLBACK = CompiledQuery.raw('rollback to savepoint unit');

export interface Committer {
  run<T>(unit: Unit<T>): Promise<T>;
}

export class TransactionPerUnit implements Committer {
  constructor(private readonly db: Kysely<Database>) {}

  run<T>(unit: Unit<T>): Promise<T> {
    return this.db.transaction().execute(unit);
  }
}

interface Pending {
  unit: Unit<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  settled: boolean;
}

export class GroupCommitter implements Committer {
  private queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  readonly stats = { commits: 0, units: 0 };

  /** Without `walSync` (an in-memory database) each commit is synced, if at all, as it runs. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly walSync: WalSync | null = null,
    private readonly maxBatch = 256,
  ) {}

  run<T>(unit: Unit<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit, resolve: resolve as (v: unknown) => void, reject, settled: false });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // The end of this turn of the loop: every unit started in it joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.running = true;
    const batch = this.queue.splice(0, this.maxBatch);
    const committed: { p: Pending; value: unknown }[] = [];
    const settle = (p: Pending, fn: () => void) => {
      if (p.settled) return;
      p.settled = true;
      fn();
    };
    const units = async (trx: Transaction<Database>) => {
      for (const p of batch) {
        await trx.executeQuery(SAVEPOINT);
        try {
          const value = await p.unit(trx);
          await trx.executeQuery(RELEASE);
          committed.push({ p, value });
        } catch (err) {
          await trx.executeQuery(ROLLBACK);
          await trx.executeQuery(RELEASE);
          settle(p, () => p.reject(err));
        }
      }
    };
    try {
      if (this.walSync) {
        await this.walSync.commit(this.db, units);
        // A failed sync leaves the batch committed but not known to be on disk: its units hear
        // the error rather than an answer that might not survive.
        await this.walSync.synced();
      } else {
        await this.db.transaction().execute(units);
      }
      this.stats.commits++;
      this.stats.units += committed.length;
      for (const { p, value } of committed) settle(p, () => p.resolve(value));
    } catch (err) {
      // The batch did not commit: nothing of it was written, and every unit hears so.
      for (const p of batch) settle(p, () => p.reject(err));
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

/** Group commit on SQLite, a transaction per unit on PostgreSQL. */
export function committerFor(handle: DatabaseHandle): Committer {
  return handle.engine === 'sqlite'
    ? new GroupCommitter(handle.db, handle.walSync ?? null)
    : new TransactionPerUnit(handle.db);
}
