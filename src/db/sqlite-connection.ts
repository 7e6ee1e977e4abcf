import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface SqliteOptions {
  /** Pages in the WAL past which a commit of this connection checkpoints (SQLite's default: 1,000). */
  walAutoCheckpoint?: number;
}

/**
 * Opens a SQLite connection configured the way every Credence connection to the file is: WAL (so
 * readers never wait for the writer), full synchronous commits (a commit is on disk before the
 * response that depends on it is sent), foreign keys, and a busy timeout so that two connections
 * writing at the same moment wait for each other instead of failing, and deleted content zeroed
 * (secure_delete), so that an erasure leaves nothing in the file's free pages. Sample statistics that an
 * ANALYZE left behind are removed (see below).
 */
/** The size the WAL is cut back to when it is reused: far above what steady writing needs. */
export const WAL_SIZE_LIMIT = 16 * 1024 * 1024;

export function openSqlite(file: string, options: SqliteOptions = {}): SQLite.Database {
  // A folder made here holds personal data: its owner alone may enter it.
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // A new database file is its owner's alone; SQLite gives the WAL and shared-memory files the
    // database file's permissions. (./data, which ships the datasets, is an existing folder.)
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows (an erased person) are overwritten with zeros, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  // The WAL is reused from its start once checkpointed, not shrunk: after a long read (an online
  // backup) let it grow to hundreds of megabytes, it kept that size, and whatever was written
  // meanwhile (an erased person's rows among it) beyond what steady writing reuses, until the
  // process ended. Past this size it is cut back when it is next reused.
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  if (options.walAutoCheckpoint !== undefined)
    sqlite.pragma(`wal_autocheckpoint = ${options.walAutoCheckpoint}`);
  dropStat4Samples(sqlite);
  return sqlite;
}

/**
 * This build of SQLite plans with the samples in `sqlite_stat4` when an ANALYZE has left any, and
 * a statement whose plan could depend on a bound value is then compiled again every time it runs
 * with new values. Every lookup of ours binds new values, so each became a compile: a two-table
 * primary-key join took 25 µs instead of 5. Our queries get the same plans from `sqlite_stat1`
 * alone, which is kept; the samples are deleted and the statistics reloaded.
 */
function dropStat4Samples(sqlite: SQLite.Database): void {
  if (sqlite.readonly || sqlite.memory) return;
  const table = sqlite.prepare(`select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'`);
  if (!table.get()) return;
  if (!sqlite.prepare('select 1 from sqlite_stat4 limit 1').get()) return;
  sqlite.exec('delete from sqlite_stat4; analyze sqlite_schema');
}
