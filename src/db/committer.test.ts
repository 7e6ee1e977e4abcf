import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/helpers/databases.js';
import { committerFor, GroupCommitter } from './committer.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

for (const engine of ENGINES) {
  describe(`committer on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    beforeEach(async () => {
      tdb = await createTestDatabase(engine);
      handle = openDatabase(tdb.config.database);
      await migrateToLatest(handle);
    });
    afterEach(async () => {
      await handle.close();
      await tdb.drop();
    });

    const tenant = (name: string) => ({
      id: `ten_${name}`,
      name,
      created_at: '2025-01-01T00:00:00Z',
      disabled_at: null,
    });
    const names = async () =>
      (await handle.db.selectFrom('tenants').select('name').orderBy('name').execute()).map((r) => r.name);

    it('commits every unit that succeeds and undoes only the writes of one that fails', async () => {
      const c = committerFor(handle);
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
      const c = committerFor(handle);
      await c.run((trx) => trx.insertInto('tenants').values(tenant('x')).execute());
      // Read through a second connection: what was answered is there for anyone.
      const other = openDatabase(tdb.config.database);
      try {
        expect(await other.db.selectFrom('tenants').select('name').execute()).toEqual([{ name: 'x' }]);
      } finally {
        await other.close();
      }
    });
  });
}

describe('group commit on SQLite', () => {
  it('commits the units of one turn of the event loop together', async () => {
    const tdb = await createTestDatabase('sqlite');
    const handle = openDatabase(tdb.config.database);
    try {
      await migrateToLatest(handle);
      const c = new GroupCommitter(handle.db);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          c.run((trx) =>
            trx
              .insertInto('tenants')
              .values({ id: `ten_${i}`, name: `t${i}`, created_at: 'x', disabled_at: null })
              .execute(),
          ),
        ),
      );
      expect(c.stats).toEqual({ commits: 1, units: 20 });
    } finally {
      await handle.close();
      await tdb.drop();
    }
  });
});
