/**
 * The SQLite run store in the calling thread: on the writer thread, and for databases a second
 * connection cannot open (`:memory:`). Sharing a connection with Kysely, it runs while holding
 * Kysely's connection, so it never interleaves with a Kysely transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { CommittedBatch, PendingRun, RunStore } from './run-store.js';
import type { Database } from './schema.js';
import { SqliteBatchCommitter } from './sqlite-batch.js';

export class SqliteRunStore implements RunStore {
  readonly blocksEventLoop = true;
  private committer: SqliteBatchCommitter | undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly cipher: PiiCipher,
    /** The Kysely instance on the same connection, if any. */
    private readonly shared?: Kysely<Database>,
  ) {}

  async commit(
    batch: readonly PendingRun[],
    cached: (key: string) => string | undefined,
  ): Promise<CommittedBatch> {
    const run = async () => {
      this.committer ??= new SqliteBatchCommitter(this.sqlite, this.cipher);
      return this.committer.commit(batch, cached);
    };
    return this.shared ? this.shared.connection().execute(run) : run();
  }

  async close(): Promise<void> {}
}
