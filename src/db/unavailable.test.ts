import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { consumer, operatorWith, POSTPAID, retrieve, twoLeggedToken } from '../../test/helpers/camara.js';
import { PG_URL } from '../../test/helpers/databases.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** The error a call makes, for a look at what the library really throws. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('a database that cannot be reached or is busy', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('is told apart from a fault, in the errors node-postgres and better-sqlite3 really throw', async () => {
    // Nothing listens: refused.
    const refused = new pg.Pool({ host: '127.0.0.1', port: 9, user: 'x', database: 'x' });
    closers.push(() => refused.end());
    expect(isDatabaseUnavailable(await failure(() => refused.query('select 1')))).toBe(true);

    // A server that accepts and never answers: the pool's connection timeout.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => r());
        }),
    );
    const port = (silent.address() as net.AddressInfo).port;
    const waiting = new pg.Pool({ host: '127.0.0.1', port, user: 'x', connectionTimeoutMillis: 50 });
    closers.push(() => waiting.end().catch(() => {}));
    expect(isDatabaseUnavailable(await failure(() => waiting.query('select 1')))).toBe(true);

    // SQLite's write lock, held by another connection past the busy timeout.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-busy-'));
    closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const holder = new SQLite(path.join(dir, 'db.sqlite'));
    holder.pragma('journal_mode = WAL');
    holder.exec('create table t (id integer primary key)');
    const other = new SQLite(path.join(dir, 'db.sqlite'), { timeout: 0 });
    closers.push(() => {
      other.close();
      holder.close();
    });
    holder.exec('begin immediate');
    const busy = await failure(async () => other.exec('insert into t values (1)'));
    holder.exec('rollback');
    expect(isDatabaseUnavailable(busy)).toBe(true);

    // Faults that retrying will not mend.
    other.exec('insert into t values (1)');
    expect(isDatabaseUnavailable(await failure(async () => other.exec('insert into t values (1)')))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(await failure(async () => other.exec('select nonsense from t')))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it.runIf(PG_URL)('includes a PostgreSQL connection the server ended', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    pool.on('error', () => {});
    closers.push(() => pool.end());
    const client = await pool.connect();
    client.on('error', () => {});
    const pid = (await client.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    closers.push(() => admin.end());
    // A query in flight when the server ends the session, and one sent after.
    const inFlight = failure(() => client.query('select pg_sleep(5)'));
    await new Promise((r) => setTimeout(r, 100));
    await admin.query('select pg_terminate_backend($1)', [pid]);
    expect(isDatabaseUnavailable(await inFlight)).toBe(true);
    expect(isDatabaseUnavailable(await failure(() => client.query('select 1')))).toBe(true);
    client.release(true);
    // A statement the server refuses is the request's fault, not the database's.
    expect(isDatabaseUnavailable(await failure(() => admin.query('select * from no_such_table')))).toBe(
      false,
    );
  });

  describe('through the API', () => {
    let t: TestApp;
    afterAll(async () => t?.close());

    /** Runs `call` while another process holds the database's write lock, as long as it runs. */
    async function whileLocked<T>(call: () => Promise<T>): Promise<T> {
      const holder = new SQLite(t.db.config.database.sqlitePath!);
      holder.exec('begin immediate');
      try {
        return await call();
      } finally {
        holder.exec('rollback');
        holder.close();
      }
    }

    it('answers 503 UNAVAILABLE while another process holds the write lock past the busy timeout', async () => {
      t = await createTestApp('sqlite');
      const { key } = await t.tenantWithKey('acme');
      const outcomes = {
        outcomes: [{ partner_id: 'c-1', loan_id: 'L-1', status: 'paid', observed_at: '2026-11-30' }],
      };
      const report = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/outcomes',
          headers: { authorization: `Bearer ${key}` },
          payload: outcomes,
        });
      const refused = await whileLocked(report);
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({ status: 503, code: 'CREDENCE_UNAVAILABLE' });
      expect((await report()).statusCode).toBe(201);

      // A score run, written by the history's own thread: CAMARA's UNAVAILABLE.
      await operatorWith(t, 'operator');
      const token = await twoLeggedToken(t, await consumer(t, 'operator'));
      const scoring = await whileLocked(() =>
        retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number }),
      );
      expect(scoring.statusCode).toBe(503);
      expect(scoring.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
      expect((await retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number })).statusCode).toBe(
        200,
      );
    }, 30_000);
  });
});
