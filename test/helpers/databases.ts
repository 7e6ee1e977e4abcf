/**
 * The database engines a storage test runs on: SQLite always; PostgreSQL when
 * CREDENCE_TEST_DATABASE_URL is set (CI sets it, a laptop without a server leaves it unset and
 * those suites are skipped). Each PostgreSQL test database is a fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import type { Config, DatabaseEngine } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const PG_URL = process.env.CREDENCE_TEST_DATABASE_URL;
export const ENGINES: DatabaseEngine[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  engine: DatabaseEngine;
  /** CREDENCE_DATABASE_URL for this database. */
  url: string;
  /** Environment for a child process (server or CLI) that should use this database. */
  env: Record<string, string>;
  config: Config;
  dir: string;
  drop(): Promise<void>;
}

const TEST_SECRET = randomBytes(32).toString('base64');

/**
 * Tests never reach the real networks: every connector points at a closed local port (connection
 * refused at once) unless a test gives it a fake server.
 */
export const OFFLINE_CONNECTORS = Object.fromEntries(
  ['FACEBOOK', 'LINKEDIN', 'TWITTER', 'GOOGLE', 'PAYPAL', 'INSTAGRAM', 'GMAIL'].map((n) => [
    `CREDENCE_CONNECTOR_${n}_URL`,
    'http://127.0.0.1:9',
  ]),
);

export async function createTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-test-'));
  if (engine === 'sqlite') {
    const url = `sqlite:${path.join(dir, 'credence.db')}`;
    const env = {
      CREDENCE_DATABASE_URL: url,
      CREDENCE_SECRET_KEY: TEST_SECRET,
      CREDENCE_LOG_LEVEL: 'warn',
      // Test webhook receivers listen on 127.0.0.1; the SSRF tests turn this off.
      CREDENCE_WEBHOOK_ALLOW_PRIVATE: 'true',
      ...OFFLINE_CONNECTORS,
    };
    return {
      engine,
      url,
      env,
      dir,
      config: loadConfig(env, dir),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!PG_URL) throw new Error('CREDENCE_TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const url = u.toString();
  const env = {
    CREDENCE_DATABASE_URL: url,
    CREDENCE_SECRET_KEY: TEST_SECRET,
    CREDENCE_LOG_LEVEL: 'warn',
    // Test webhook receivers listen on 127.0.0.1; the SSRF tests turn this off.
    CREDENCE_WEBHOOK_ALLOW_PRIVATE: 'true',
    ...OFFLINE_CONNECTORS,
  };
  return {
    engine,
    url,
    env,
    dir,
    config: loadConfig(env, dir),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      // The pg-boss queue's schema beside it (src/jobs/queue-factory.ts).
      await c.query(`drop schema if exists ${schema}_pgboss cascade`);
      await c.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh, migrated database for each test of the calling `describe`, closed and dropped after it:
 * read `handle` (and `tdb`) inside the tests.
 */
export function migratedDatabaseEachTest(engine: DatabaseEngine): {
  readonly handle: DatabaseHandle;
  readonly tdb: TestDatabase;
} {
  const state = {} as { handle: DatabaseHandle; tdb: TestDatabase };
  beforeEach(async () => {
    state.tdb = await createTestDatabase(engine);
    state.handle = openDatabase(state.tdb.config.database);
    await migrateToLatest(state.handle);
  });
  afterEach(async () => {
    await state.handle.close();
    await state.tdb.drop();
  });
  return state;
}
