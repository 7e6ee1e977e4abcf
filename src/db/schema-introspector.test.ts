import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../test/helpers/databases.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { SchemaIntrospector } from './schema-introspector.js';

describe.skipIf(!PG_URL)('the migrator looks only at its own PostgreSQL schema', () => {
  let mine: TestDatabase;
  let other: TestDatabase;
  let handle: DatabaseHandle;
  let schema: string;

  beforeAll(async () => {
    [mine, other] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
    handle = openDatabase(mine.config.database);
    schema = (await sql<{ s: string }>`select current_schema() as s`.execute(handle.db)).rows[0]!.s;
  });
  afterAll(async () => {
    await handle?.close();
    await mine?.drop();
    await other?.drop();
  });

  it("lists its schema and that schema's tables, nothing of another schema", async () => {
    const otherHandle = openDatabase(other.config.database);
    await sql`create table lonely (id int)`.execute(otherHandle.db);
    await otherHandle.close();
    await sql`create table mine_only (id int)`.execute(handle.db);
    const introspector = new SchemaIntrospector(handle.db as Kysely<unknown>, schema);
    expect(await introspector.getSchemas()).toEqual([{ name: schema }]);
    const tables = await introspector.getTables();
    expect(tables.map((t) => t.name)).toContain('mine_only');
    expect(tables.map((t) => t.name)).not.toContain('lonely');
    expect(tables.every((t) => t.schema === schema)).toBe(true);
  });

  it('migrates, then finds its migrations done, while other schemas come and go', async () => {
    const churn = (async () => {
      for (let i = 0; i < 20; i++) {
        const t = await createTestDatabase('postgres');
        const h = openDatabase(t.config.database);
        await sql`create table passing (id int)`.execute(h.db);
        await h.close();
        await t.drop();
      }
    })();
    const first = await migrateToLatest(handle);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrateToLatest(handle)).toEqual([]);
    await churn;
  });

  it("hides Kysely's migration tables unless asked for them, as Kysely's own introspector does", async () => {
    await migrateToLatest(handle);
    const introspector = new SchemaIntrospector(handle.db as Kysely<unknown>, schema);
    const names = (await introspector.getTables()).map((t) => t.name);
    expect(names).toContain('score_runs');
    expect(names).not.toContain('kysely_migration');
    const all = (await introspector.getTables({ withInternalKyselyTables: true })).map((t) => t.name);
    expect(all).toEqual(expect.arrayContaining(['kysely_migration', 'kysely_migration_lock', 'score_runs']));
  });
});
