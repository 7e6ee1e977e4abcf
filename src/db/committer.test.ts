import { describe, expect, it } from 'vitest';
import { ENGINES, migratedDatabaseEachTest } from '../../test/helpers/databases.js';
import { committerFor, GroupCommitter } from './committer.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { WalSync } from './wal-sync.js';

for (const engine of ENGINES) {
  describe(`committer on ${engine}`, () => {
    const db = migratedDatabaseEachTest(engine);

    const tenant = (name: string) => ({
      id: `ten_${name}`,
      name,
      created_at: '2025-01-01T00:00:00Z',
      disabled_at: null,
    });
    const names = async () =>
      (await db.handle.db.selectFrom('tenants').select('name').orderBy('name').execute()).map((r) => r.name);

    it('commits every unit that succeeds and undoes only the writes of one that fails', async () => {
      const c = committerFor(db.handle);
      const results = await Promise.allSettled([
        c.run(async (trx) => {
          await trx.insertInto('tenants').values(tenant('a')).execute();
          return 'a';
        }),
        c.run(async (trx) => {
          await trx.insertInto('tenants').values(tenant('b')).execute();
          throw new Error('b changed its mind');
        }),
        c.run(async (trx) => {
          // A constraint violation inside a unit leaves the others alone too.
          await trx.insertInto('tenants').values(tenant('c')).execute();
          await trx.insertInto('tenants').values(tenant('c')).execute();
        }),
        c.run(async (trx) => {
          await trx.insertInto('tenants').values(tenant('d')).execute();
          return 'd';
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason.message).toBe('b changed its mind');
      expect(await names()).toEqual(['a', 'd']);
    });

    it('answers a unit only once it is committed', async () => {
      const c = committerFor(db.handle);
      await c.run((trx) => trx.insertInto('tenants').values(tenant('x')).execute());
      // Read through a second connection: what was answered is there for anyone.
      const other = openDatabase(db.tdb.config.database);
      try {
        expect(await other.db.selectFrom('tenants').select('name').execute()).toEqual([{ name: 'x' }]);
      } finally {
        await other.close();
      }
    });
  });
}

describe('group commit on an SQLite file', () => {
  const db = migratedDatabaseEachTest('sqlite');
  const insert = (i: number) => (trx: Parameters<Parameters<GroupCommitter['run']>[0]>[0]) =>
    trx
      .insertInto('tenants')
      .values({ id: `ten_${i}`, name: `t${i}`, created_at: 'x', disabled_at: null })
      .execute()
      .then(() => i);

  it('commits the units of one turn of the event loop together', async () => {
    const c = committerFor(db.handle);
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.run(insert(i))));
    expect((c as GroupCommitter).stats).toEqual({ commits: 1, units: 20 });
  });

  /** A WAL sync that waits until the test lets it go, then syncs for real. */
  class HeldSync extends WalSync {
    calls = 0;
    private release: () => void = () => {};
    private gate = new Promise<void>((r) => {
      this.release = r;
    });
    override synced(): Promise<void> {
      this.calls++;
      return this.gate.then(() => super.synced());
    }
    letGo(): void {
      this.release();
      this.gate = new Promise<void>((r) => {
        this.release = r;
      });
    }
  }
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it('answers no unit before its sync, and batches the units that arrive during one', async () => {
    const sync = new HeldSync(db.handle.sqlite!, db.handle.sqliteFile!);
    const c = new GroupCommitter(db.handle.db, sync);
    const answered: number[] = [];
    const first = c.run(insert(0)).then((i) => answered.push(i));
    await turns(3);
    expect(sync.calls).toBe(1);
    expect(answered).toEqual([]);
    // Committed, and visible to the connection, while its sync is still to come.
    expect(await db.handle.db.selectFrom('tenants').select('name').execute()).toEqual([{ name: 't0' }]);
    // Units arriving over several turns while the sync runs wait for it, then commit together.
    const later = [1, 2, 3, 4, 5].map((i, n) =>
      turns(n).then(() => c.run(insert(i)).then((v) => answered.push(v))),
    );
    await turns(8);
    expect(sync.calls).toBe(1);
    sync.letGo();
    await first;
    expect(answered).toEqual([0]);
    await turns(3);
    expect(sync.calls).toBe(2);
    sync.letGo();
    await Promise.all(later);
    expect(answered).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.stats).toEqual({ commits: 2, units: 6 });
    await sync.close();
  });

  it('commits with every later statement back under full synchronous commits', async () => {
    const c = committerFor(db.handle);
    await c.run(insert(1));
    expect(db.handle.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
    const [failed, after] = await Promise.allSettled([
      c.run(async (trx) => {
        await insert(2)(trx);
        throw new Error('no');
      }),
      c.run(insert(3)),
    ]);
    expect(failed.status).toBe('rejected');
    expect(after.status).toBe('fulfilled');
    expect(db.handle.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
    // A statement outside the committer commits synced, as every other write does.
    await db.handle.db
      .insertInto('tenants')
      .values({ id: 'ten_x', name: 'x', created_at: 'x', disabled_at: null })
      .execute();
    expect(db.handle.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('tells the units of a batch whose sync failed', async () => {
    class FailingSync extends WalSync {
      override synced(): Promise<void> {
        return Promise.reject(new Error('EIO: the disk went away'));
      }
    }
    const c = new GroupCommitter(db.handle.db, new FailingSync(db.handle.sqlite!, db.handle.sqliteFile!));
    const results = await Promise.allSettled([c.run(insert(1)), c.run(insert(2))]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason.message) : 'answered'))).toEqual([
      'EIO: the disk went away',
      'EIO: the disk went away',
    ]);
    // The committer goes on: the next batch syncs again (and fails again, here).
    await expect(c.run(insert(3))).rejects.toThrow('EIO');
  });
});

describe('group commit without a WAL', () => {
  it('commits each batch synced as it runs, in memory', async () => {
    const handle = openDatabase({ engine: 'sqlite', url: 'sqlite::memory:', sqlitePath: ':memory:' });
    try {
      await migrateToLatest(handle);
      expect(handle.walSync).toBeUndefined();
      const c = committerFor(handle);
      await c.run((trx) =>
        trx
          .insertInto('tenants')
          .values({ id: 'ten_m', name: 'm', created_at: 'x', disabled_at: null })
          .execute(),
      );
      expect(await handle.db.selectFrom('tenants').select('name').execute()).toEqual([{ name: 'm' }]);
    } finally {
      await handle.close();
    }
  });
});
