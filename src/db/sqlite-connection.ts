import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Opens a SQLite connection configured the way every Credence connection to the file is: WAL (so
 * readers never wait for the writer), full synchronous commits (a commit is on disk before the
 * response that depends on it is sent), foreign keys, and a busy timeout so that two connections
 * writing at the same moment wait for each other instead of failing.
 */
export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}
