/**
 * Opens the database named by the configuration: SQLite through better-sqlite3 (WAL, full
 * synchronous commits) or PostgreSQL through a pg pool. Everything above this file is engine-neutral.
 */
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { ConfigError, type DatabaseConfig, type DatabaseEngine } from '../config.js';
import type { Database } from './schema.js';
import { BACKSTOP_FRAMES, SqliteCheckpointer } from './sqlite-checkpointer.js';
import { openSqlite, type SqliteOptions } from './sqlite-connection.js';
import { WalSync } from './wal-sync.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: DatabaseEngine;
  /** The better-sqlite3 connection behind `db`, on SQLite (for the prepared-statement fast path). */
  sqlite?: SQLite.Database;
  /** The PostgreSQL pool behind `db` (its gauges are in the metrics). */
  pool?: pg.Pool;
  /** The SQLite file, or `:memory:`. */
  sqliteFile?: string;
  /** Whether a thread checkpoints the SQLite file (its other connections then leave that to it). */
  checkpointThread?: boolean;
  /** How every other connection to the SQLite file is to be opened (the writer thread's, say). */
  sqliteOptions?: SqliteOptions;
  /** For group commits on `sqlite` whose sync runs off the event loop (an SQLite file only). */
  walSync?: WalSync;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT come back from pg as strings; every count we keep fits a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface OpenOptions {
  /** PostgreSQL pool size. */
  poolMax?: number;
  /**
   * An SQLite file is checkpointed by a thread of its own rather than by the connection that
   * commits (sqlite-checkpointer.ts): for a long-lived process that commits on its event loop.
   */
  checkpointThread?: boolean;
  /** Told if the checkpoint thread fails (the connections' own checkpoints then take over). */
  onCheckpointError?: (message: string) => void;
}

/** How long a request waits for a PostgreSQL connection. */
const CONNECT_TIMEOUT_MS = 10_000;

/** What SQLite or the system says of a path that is no database this process can open and write. */
const UNOPENABLE = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_AUTH',
]);

/**
 * Opens the SQLite file, or says which file could not be opened and why, as a bad setting: a
 * folder, a file that is not a database, a read-only one.
 */
function openSqliteFile(file: string, options: SqliteOptions): SQLite.Database {
  try {
    return openSqlite(file, options);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!UNOPENABLE.has(code)) throw err;
    throw new ConfigError([
      `CREDENCE_DATABASE_URL names ${file}, which cannot be opened as a writable SQLite database: ${(err as Error).message}`,
    ]);
  }
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): DatabaseHandle {
  if (config.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: options.poolMax ?? 10,
      // A database that accepts no connection fails the request that waits for one, in time.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // A client that loses its connection must not crash the process. An idle one is reported on
    // the pool, which replaces it; one in use on itself: its query fails, and the pool drops it
    // when it comes back (a database restarted or failed over under load).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', pool, close: () => db.destroy() };
  }
  const file = config.sqlitePath ?? ':memory:';
  const checkpointing = options.checkpointThread === true && file !== ':memory:';
  const sqliteOptions: SqliteOptions = checkpointing ? { walAutoCheckpoint: BACKSTOP_FRAMES } : {};
  const sqlite = openSqliteFile(file, sqliteOptions);
  const checkpointer = checkpointing
    ? new SqliteCheckpointer(file, options.onCheckpointError ? { onError: options.onCheckpointError } : {})
    : null;
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  // Only with a WAL to sync: a file system without shared memory leaves SQLite in rollback-journal
  // mode, whose commits stay synchronous.
  const inWal = sqlite.pragma('journal_mode', { simple: true }) === 'wal';
  const walSync = inWal ? new WalSync(sqlite, file) : undefined;
  return {
    db,
    engine: 'sqlite',
    sqlite,
    sqliteFile: file,
    checkpointThread: checkpointer !== null,
    sqliteOptions,
    ...(walSync ? { walSync } : {}),
    async close() {
      await walSync?.close();
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query it runs; preparing costs more than running most of ours. The same
 * text gets the same prepared statement back, from a bounded cache. Statements run synchronously
 * and Kysely holds the one connection for the whole of a streamed query, so a statement is never
 * used by two queries at once.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text);
      } else {
        stmt = sqlite.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/**
 * Transactions that take SQLite's write lock when they begin (`begin immediate`), not at their first
 * write. The writer thread and the checkpointer commit through connections of their own: a
 * transaction begun deferred that read before one of their commits and then wrote failed at once
 * with SQLITE_BUSY_SNAPSHOT (its snapshot was stale), which no busy timeout waits out. Begun
 * immediate, it waits its turn (the busy timeout) and then reads what is committed.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: SqliteDialectConfig) {
    super(sqliteConfig);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
