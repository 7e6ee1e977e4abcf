import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, type TestDatabase } from '../../../test/helpers/databases.js';
import { databaseUpTo, insertOAuthClient, tenantWithApplication } from '../../../test/helpers/migrations.js';
import type { DatabaseHandle } from '../database.js';
import { migrateToLatest } from '../migrate.js';

for (const engine of ENGINES) {
  describe(`migration 0012_id_token_alg on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    afterEach(async () => {
      await handle.close();
      await tdb.drop();
    });

    it('keeps ES256 ID tokens for the clients made before it; new rows default to RS256', async () => {
      ({ tdb, handle } = await databaseUpTo(engine, '0011_client_keys'));
      const now = new Date().toISOString();
      await tenantWithApplication(handle.db, now);
      await insertOAuthClient(handle.db, 'ocl_old', now);
      expect(await migrateToLatest(handle)).toContain('0012_id_token_alg');
      await insertOAuthClient(handle.db, 'ocl_new', now);
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
