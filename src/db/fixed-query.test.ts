import { describe, expect, it } from 'vitest';
import { ENGINES, migratedDatabaseEachTest } from '../../test/helpers/databases.js';
import type { DatabaseHandle } from './database.js';
import { everyColumn, fixedInsert, fixedQueries, fixedQuery } from './fixed-query.js';
import type { TenantRow } from './schema.js';

const TENANT_COLUMNS = everyColumn<TenantRow>()(['id', 'name', 'created_at', 'disabled_at']);

// @ts-expect-error a list that leaves a column out does not compile
everyColumn<TenantRow>()(['id', 'name', 'created_at']);

for (const engine of ENGINES) {
  describe(`fixed queries on ${engine}`, () => {
    const db = migratedDatabaseEachTest(engine);

    const insert = fixedInsert(TENANT_COLUMNS, (db: DatabaseHandle['db'], row: TenantRow) =>
      db.insertInto('tenants').values(row),
    );
    const enabledNamed = fixedQuery((db: DatabaseHandle['db'], name: string) =>
      db
        .selectFrom('tenants')
        .select(['id', 'name'])
        .where('name', '=', name)
        .where('disabled_at', 'is', null),
    );

    it('binds new values to the SQL compiled the first time, in and out of a transaction', async () => {
      const rows: TenantRow[] = [
        { id: 'ten_a', name: 'a', created_at: '2026-01-01', disabled_at: null },
        { id: 'ten_b', name: 'b', created_at: '2026-01-02', disabled_at: '2026-02-01' },
      ];
      await insert(db.handle.db, rows[0]!);
      await db.handle.db.transaction().execute((trx) => insert(trx, rows[1]!));
      expect(await db.handle.db.selectFrom('tenants').selectAll().orderBy('id').execute()).toEqual(rows);
      expect((await enabledNamed(db.handle.db, 'a')).rows).toEqual([{ id: 'ten_a', name: 'a' }]);
      // b is disabled: what the builder fixed (`is null`) stays in the SQL.
      expect((await enabledNamed(db.handle.db, 'b')).rows).toEqual([]);
    });

    it('compiles a query with in-lists once for each length of its lists', async () => {
      for (const n of ['a', 'b', 'c'])
        await insert(db.handle.db, { id: `ten_${n}`, name: n, created_at: 'x', disabled_at: null });
      const byNames = fixedQueries(
        (count: number) => String(count),
        (count) =>
          (q: DatabaseHandle['db'], ...names: string[]) =>
            q.selectFrom('tenants').select('name').where('name', 'in', names.slice(0, count)).orderBy('name'),
      );
      const names = async (...wanted: string[]) =>
        (await byNames(wanted.length)(db.handle.db, ...wanted)).rows.map((r) => r.name);
      expect(await names('a')).toEqual(['a']);
      expect(await names('c', 'a')).toEqual(['a', 'c']);
      expect(await names('b')).toEqual(['b']);
      expect(await names('x', 'b', 'c')).toEqual(['b', 'c']);
      expect(byNames(2)).toBe(byNames(2));
    });

    it('refuses a builder that uses an argument as anything but a bound value', async () => {
      const byFlag = fixedQuery((db: DatabaseHandle['db'], name: string, flag: boolean) => {
        const q = db.selectFrom('tenants').select('id').where('name', '=', name);
        return flag ? q.where('disabled_at', 'is', null) : q;
      });
      await expect(byFlag(db.handle.db, 'a', true)).rejects.toThrow(/argument 1 is not a parameter/);
    });
  });
}
