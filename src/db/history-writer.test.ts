import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/helpers/databases.js';
import { newId } from '../lib/ids.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { HistoryWriter, type PendingRun } from './history-writer.js';
import { migrateToLatest } from './migrate.js';
import { KyselyRunStore, type RunStore } from './run-store.js';
import { SqliteRunStore } from './sqlite-run-store.js';

const STORES: { engine: (typeof ENGINES)[number]; store: string; make: (h: DatabaseHandle) => RunStore }[] = [
  ...ENGINES.map((engine) => ({
    engine,
    store: 'Kysely',
    make: (h: DatabaseHandle) => new KyselyRunStore(h.db),
  })),
  {
    engine: 'sqlite',
    store: 'prepared-statement',
    make: (h: DatabaseHandle) => new SqliteRunStore(h.db, h.sqlite!),
  },
];

for (const { engine, store, make } of STORES) {
  describe(`HistoryWriter with the ${store} store on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    const tenant = 'ten_test';

    const run = (partnerId: string, tenantId = tenant): PendingRun => ({
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
    });
    afterAll(async () => {
      await handle?.close();
      await tdb?.drop();
    });

    it('commits concurrent runs together and answers each after the commit', async () => {
      const writer = new HistoryWriter(make(handle));
      const runs = Array.from({ length: 300 }, (_, i) => run(`p-${i % 50}`));
      const ids = await Promise.all(runs.map((r) => writer.write(r)));
      expect(writer.stats.runs).toBe(300);
      expect(writer.stats.commits).toBeLessThan(10);
      expect(await count('score_runs')).toBe(300);
      expect(await count('subjects')).toBe(50);
      // Runs of the same person share one subject.
      expect(ids[0]).toBe(ids[50]);
      expect(new Set(ids).size).toBe(50);
    });

    it('fails only the run that cannot be stored, not its neighbours', async () => {
      const writer = new HistoryWriter(make(handle));
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
      const writer = new HistoryWriter(make(handle));
      const first = await writer.write(run('erased'));
      await handle.db.deleteFrom('subjects').where('id', '=', first).execute();
      const second = await writer.write(run('erased'));
      expect(second).not.toBe(first);
      expect(
        await handle.db.selectFrom('subjects').select('id').where('partner_id', '=', 'erased').execute(),
      ).toEqual([{ id: second }]);
    });

    it('attaches identifiers in the same transaction, once per value', async () => {
      const writer = new HistoryWriter(make(handle));
      const ident = { kind: 'phone', blind_index: `bi-${store}`, ciphertext: 'v1.x.y.z' };
      const a = await writer.write({ ...run('ident-1'), identifiers: [ident] });
      await writer.write({ ...run('ident-2'), identifiers: [ident] });
      const rows = await handle.db
        .selectFrom('subject_identifiers')
        .selectAll()
        .where('blind_index', '=', ident.blind_index)
        .execute();
      expect(rows.map((r) => r.subject_id)).toEqual([a]);
    });

    it('drain() waits for everything handed in', async () => {
      const writer = new HistoryWriter(make(handle));
      const before = await count('score_runs');
      const pending = Array.from({ length: 20 }, (_, i) => writer.write(run(`d-${i}`)));
      await writer.drain();
      expect(await count('score_runs')).toBe(before + 20);
      await Promise.all(pending);
    });
  });
}
