import type { PiiCipher } from '../security/pii-cipher.js';
import type { DatabaseHandle } from './database.js';
import type { History } from './history.js';
import { HistoryWriter } from './history-writer.js';
import { KyselyRunStore } from './run-store.js';
import { SqliteRunStore } from './sqlite-run-store.js';
import { ThreadedHistory } from './threaded-history.js';

/**
 * The history writer suited to the database: a writer thread for an SQLite file; the calling
 * thread for an in-memory SQLite database, which no second connection can open; Kysely for
 * PostgreSQL, whose driver does not block the event loop.
 */
export function historyFor(
  handle: DatabaseHandle,
  cipher: PiiCipher,
  keys: Buffer[],
  options: { lazy?: boolean } = {},
): History {
  if (handle.sqlite && handle.sqliteFile && handle.sqliteFile !== ':memory:') {
    return new ThreadedHistory(
      { file: handle.sqliteFile, keys, connection: handle.sqliteOptions ?? {} },
      options,
    );
  }
  if (handle.sqlite) return new HistoryWriter(new SqliteRunStore(handle.sqlite, cipher, handle.db));
  return new HistoryWriter(new KyselyRunStore(handle.db, cipher));
}
