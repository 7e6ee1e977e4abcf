import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/databases.js';
import { type DatabaseHandle, openDatabase } from '../database.js';
import { migrateToLatest, migrateUpTo } from '../migrate.js';

for (const engine of ENGINES) {
  describe(`migration 0012_id_token_alg on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    afterEach(async () => {
      await handle.close();
      await tdb.drop();
    });

    it('keeps ES256 ID tokens for the clients made before it; new rows default to RS256', async () => {
      tdb = await createTestDatabase(engine);
      handle = openDatabase(tdb.config.database);
      await migrateUpTo(handle, '0011_client_keys');
      const now = new Date().toISOString();
      await handle.db
        .insertInto('tenants')
        .values({ id: 'ten_1', name: 'acme', created_at: now } as never)
        .execute();
      await handle.db
        .insertInto('clients')
        .values({ id: 'cli_1', tenant_id: 'ten_1', name: 'default', created_at: now })
        .execute();
      const client = {
        tenant_id: 'ten_1',
        client_id: 'cli_1',
        name: null,
        secret_start: 'crd_cs_x',
        secret_hash: 'h',
        grants: '["client_credentials"]',
        scopes: '["*"]',
        created_at: now,
        revoked_at: null,
        jwks: null,
      };
      await handle.db
        .insertInto('oauth_clients')
        .values({ id: 'ocl_old', ...client } as never)
        .execute();
      expect(await migrateToLatest(handle)).toContain('0012_id_token_alg');
      await handle.db
        .insertInto('oauth_clients')
        .values({ id: 'ocl_new', ...client } as never)
        .execute();
      const rows = await handle.db
        .selectFrom('oauth_clients')
        .select(['id', 'id_token_alg'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'ocl_new', id_token_alg: null },
        { id: 'ocl_old', id_token_alg: 'ES256' },
      ]);
    });
  });
}
