import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/databases.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

describe('transactions on an SQLite file shared with other connections (the writer thread)', () => {
  let tdb: TestDatabase;
  let handle: DatabaseHandle;
  let other: SQLite.Database;
  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    handle = openDatabase(tdb.config.database);
    await migrateToLatest(handle);
    other = new SQLite(handle.sqliteFile!);
    other.pragma('busy_timeout = 0');
  });
  afterAll(async () => {
    other?.close();
    await handle?.close();
    await tdb?.drop();
  });

  const tenant = (id: string) => ({ id, name: id, created_at: '2026-12-07T00:00:00Z', disabled_at: null });

  it('hold the write lock from their start, so a commit elsewhere cannot make their snapshot stale', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('tenants').selectAll().execute();
      // Another connection's write waits for this transaction (here: is refused, with no busy timeout)
      // rather than committing under it and failing this transaction's write with SQLITE_BUSY_SNAPSHOT.
      expect(() =>
        other
          .prepare('insert into tenants (id, name, created_at, disabled_at) values (?, ?, ?, ?)')
          .run('ten_other', 'other', '2026-12-07T00:00:00Z', null),
      ).toThrow(/locked|busy/i);
      await trx.insertInto('tenants').values(tenant('ten_mine')).execute();
    });
    other
      .prepare('insert into tenants (id, name, created_at, disabled_at) values (?, ?, ?, ?)')
      .run('ten_other', 'other', '2026-12-07T00:00:00Z', null);
    const names = (await handle.db.selectFrom('tenants').select('name').orderBy('name').execute()).map(
      (r) => r.name,
    );
    expect(names).toEqual(['other', 'ten_mine']);
  });
});
