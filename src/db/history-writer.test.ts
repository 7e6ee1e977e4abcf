import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/helpers/databases.js';
import { newId } from '../lib/ids.js';
import { PiiCipher } from '../security/pii-cipher.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import type { History } from './history.js';
import { HistoryWriter, type PendingRun } from './history-writer.js';
import { migrateToLatest } from './migrate.js';
import { KyselyRunStore } from './run-store.js';
import { SqliteRunStore } from './sqlite-run-store.js';
import { ThreadedHistory } from './threaded-history.js';

const KEY = randomBytes(32);
const cipher = new PiiCipher([KEY]);

const WRITERS: { engine: (typeof ENGINES)[number]; kind: string; make: (h: DatabaseHandle) => History }[] = [
  ...ENGINES.map((engine) => ({
    engine,
    kind: 'group commit through Kysely',
    make: (h: DatabaseHandle) => new HistoryWriter(new KyselyRunStore(h.db, cipher)),
  })),
  {
    engine: 'sqlite',
    kind: 'group commit with prepared statements',
    make: (h: DatabaseHandle) => new HistoryWriter(new SqliteRunStore(h.sqlite!, cipher, h.db)),
  },
  {
    engine: 'sqlite',
    kind: 'the SQLite writer thread',
    make: (h: DatabaseHandle) => new ThreadedHistory({ file: h.sqliteFile!, keys: [KEY] }),
  },
  {
    engine: 'sqlite',
    kind: 'the SQLite writer thread, started at the first write',
    make: (h: DatabaseHandle) => new ThreadedHistory({ file: h.sqliteFile!, keys: [KEY] }, { lazy: true }),
  },
];

const run = (partnerId: string, tenantId = 'ten_test'): PendingRun => ({
  id: newId('run'),
  tenant_id: tenantId,
  partner_id: partnerId,
  service: 'demographic_score',
  dialect: 'test',
  model_id: null,
  model_version: null,
  request_id: null,
  input: '{}',
  result: '{}',
  created_at: new Date().toISOString(),
});

for (const { engine, kind, make } of WRITERS) {
  describe(`history by ${kind} on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    let writer: History;
    const tenant = 'ten_test';

    const count = async (table: 'score_runs' | 'subjects') =>
      Number(
        (await handle.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
      );

    beforeAll(async () => {
      tdb = await createTestDatabase(engine);
      handle = openDatabase(tdb.config.database);
      await migrateToLatest(handle);
      await handle.db
        .insertInto('tenants')
        .values({ id: tenant, name: 'test', created_at: 'x', disabled_at: null })
        .execute();
      writer = make(handle);
    });
    afterAll(async () => {
      await writer?.close();
      await handle?.close();
      await tdb?.drop();
    });

    it('commits concurrent runs together and answers each after the commit', async () => {
      const before = { ...writer.stats };
      const runs = Array.from({ length: 300 }, (_, i) => run(`p-${i % 50}`));
      const ids = await Promise.all(runs.map((r) => writer.write(r)));
      expect(writer.stats.runs - before.runs).toBe(300);
      expect(writer.stats.commits - before.commits).toBeLessThan(10);
      expect(await count('score_runs')).toBe(300);
      expect(await count('subjects')).toBe(50);
      // Runs of the same person share one subject.
      expect(ids[0]).toBe(ids[50]);
      expect(new Set(ids).size).toBe(50);
    });

    it('fails only the run that cannot be stored, not its neighbours', async () => {
      const before = await count('score_runs');
      const results = await Promise.allSettled([
        writer.write(run('good-1')),
        writer.write(run('bad', 'ten_does_not_exist')),
        writer.write(run('good-2')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await count('score_runs')).toBe(before + 2);
    });

    it('recovers when a cached subject was deleted by someone else', async () => {
      const first = await writer.write(run('erased'));
      await handle.db.deleteFrom('subjects').where('id', '=', first).execute();
      const second = await writer.write(run('erased'));
      expect(second).not.toBe(first);
      const rows = await handle.db
        .selectFrom('subjects')
        .select('id')
        .where('partner_id', '=', 'erased')
        .execute();
      expect(rows).toEqual([{ id: second }]);
    });

    it('stores every column of the run as given', async () => {
      const r: PendingRun = {
        ...run('columns'),
        model_id: 'mdl_1',
        model_version: 3,
        request_id: 'req_1',
        result: '{"score":1}',
        challenger_model_id: 'mdl_2',
        challenger_model_version: 1,
        challenger_result: '{"score":2}',
        purpose: 'dpv:CreditChecking',
      };
      await writer.write(r);
      const row = await handle.db
        .selectFrom('score_runs')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      const { partner_id: _p, identifiers: _i, input: _in, ...columns } = r;
      expect(row).toMatchObject(columns);
      const plain = await writer.write(run('no-purpose'));
      const none = await handle.db
        .selectFrom('score_runs')
        .select('purpose')
        .where('subject_id', '=', plain)
        .executeTakeFirstOrThrow();
      expect(none.purpose).toBeNull();
    });

    it('stores the input encrypted', async () => {
      const r = { ...run('enc'), input: '{"secret":"value"}' };
      await writer.write(r);
      const row = await handle.db
        .selectFrom('score_runs')
        .select('input')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(row.input).not.toContain('secret');
      expect(cipher.decrypt(row.input)).toBe('{"secret":"value"}');
    });

    it('attaches identifiers in the same transaction, encrypted, once per value', async () => {
      const ident = { kind: 'phone', value: '+254712345678' };
      const a = await writer.write({ ...run('ident-1'), identifiers: [ident] });
      await writer.write({ ...run('ident-2'), identifiers: [ident] });
      const index = cipher.blindIndex(ident.kind, ident.value);
      const rows = await handle.db
        .selectFrom('subject_identifiers')
        .selectAll()
        .where('blind_index', '=', index)
        .execute();
      expect(rows.map((r) => r.subject_id)).toEqual([a]);
      expect(rows[0]!.ciphertext).not.toContain('712345678');
      expect(cipher.decrypt(rows[0]!.ciphertext)).toBe(ident.value);
    });

    it('drain() waits for everything handed in', async () => {
      const before = await count('score_runs');
      const pending = Array.from({ length: 20 }, (_, i) => writer.write(run(`d-${i}`)));
      await writer.drain();
      expect(await count('score_runs')).toBe(before + 20);
      await Promise.all(pending);
    });
  });
}

describe('the SQLite writer thread', () => {
  it('refuses work once closed', async () => {
    const tdb = await createTestDatabase('sqlite');
    const handle = openDatabase(tdb.config.database);
    await migrateToLatest(handle);
    const history = new ThreadedHistory({ file: handle.sqliteFile!, keys: [KEY] });
    await history.close();
    await expect(history.write({} as PendingRun)).rejects.toThrow(/closed/);
    await handle.close();
    await tdb.drop();
  });

  it('starts a lazy thread only when there is something to write', async () => {
    const tdb = await createTestDatabase('sqlite');
    const handle = openDatabase(tdb.config.database);
    await migrateToLatest(handle);
    await handle.db
      .insertInto('tenants')
      .values({ id: 'ten_test', name: 'test', created_at: 'x', disabled_at: null })
      .execute();
    const idle = new ThreadedHistory({ file: handle.sqliteFile!, keys: [KEY] }, { lazy: true });
    idle.forgetSubject('ten_test', 'nobody');
    await idle.drain();
    expect(idle.started).toBe(false);
    await idle.close();
    expect(idle.started).toBe(false);

    const used = new ThreadedHistory({ file: handle.sqliteFile!, keys: [KEY] }, { lazy: true });
    const subjectId = await used.write(run('c-1'));
    expect(used.started).toBe(true);
    expect(subjectId).toMatch(/^sub_/);
    await used.close();
    await handle.close();
    await tdb.drop();
  });

  it('reports a database it cannot open instead of restarting forever', async () => {
    const history = new ThreadedHistory({ file: '/etc/hostname/credence.db', keys: [KEY] });
    await new Promise((r) => setTimeout(r, 1500));
    await expect(history.write({} as PendingRun)).rejects.toThrow(/writer thread exited/);
  });
});
