import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES, PG_URL } from '../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`health and readiness on ${engine}`, () => {
    let t: TestApp;
    afterEach(async () => {
      vi.restoreAllMocks();
      await t?.close();
    });

    it('answers not ready, and scrapes, when the database does not answer', async () => {
      t = await createTestApp(engine);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      // A database that takes every query and answers none (a network partition, a frozen proxy).
      const db = t.ctx.database.db;
      const executor = db.getExecutor();
      vi.spyOn(db, 'getExecutor').mockReturnValue(
        Object.assign(Object.create(executor), { executeQuery: () => new Promise(() => {}) }),
      );
      vi.spyOn(t.ctx.queue, 'stats').mockReturnValue(new Promise(() => {}));
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable' });
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('credence_http_requests_total');
    });
  });
}

describe.runIf(PG_URL)('PostgreSQL connections lost under load', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('fails the queries in flight, keeps the process up, and connects again', async () => {
    t = await createTestApp('postgres');
    const marker = `lost_${randomBytes(6).toString('hex')}`;
    const db = t.ctx.database.db;
    // Queries in flight on checked-out clients, as under load.
    const inFlight = [1, 2, 3].map((i) =>
      sql
        .raw(`select pg_sleep(5) as ${marker}_${i}`)
        .execute(db)
        .then(
          () => 'answered',
          (err: Error) => err.message,
        ),
    );
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      // Their backends end (a restart, a failover, an administrator), while they run.
      for (let i = 0; i < 50; i++) {
        const r = await admin.query(
          `select pg_terminate_backend(pid) as gone from pg_stat_activity where query like '%${marker}%' and pid <> pg_backend_pid()`,
        );
        if (r.rowCount === 3) break;
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await admin.end();
    }
    for (const outcome of await Promise.all(inFlight)) expect(outcome).toMatch(/terminat/i);
    // The pool drops them as their sockets close, and connects again: the service recovers.
    let ready = 0;
    for (let i = 0; i < 40 && ready !== 200; i++) {
      ready = (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
      if (ready !== 200) await new Promise((res) => setTimeout(res, 50));
    }
    expect(ready).toBe(200);
  });
});
