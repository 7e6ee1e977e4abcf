import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, type TestDatabase } from '../../../test/helpers/databases.js';
import { databaseUpTo, insertOAuthClient, tenantWithApplication } from '../../../test/helpers/migrations.js';
import type { DatabaseHandle } from '../database.js';
import { migrateToLatest } from '../migrate.js';

for (const engine of ENGINES) {
  describe(`migration 0017_standing_consent_unique on ${engine}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    afterEach(async () => {
      await handle.close();
      await tdb.drop();
    });

    it('merges consents recorded twice into the oldest, leaving every other consent as it was', async () => {
      ({ tdb, handle } = await databaseUpTo(engine, '0016_run_purpose'));
      const now = '2026-12-01T00:00:00.000Z';
      const db = handle.db;
      await tenantWithApplication(db, now);
      await insertOAuthClient(db, 'ocl_1', now);
      await db
        .insertInto('telco_subscribers')
        .values({
          id: 'tsb_1',
          tenant_id: 'ten_1',
          phone_index: 'p',
          phone: 'x',
          id_document_index: null,
          id_document: null,
          subscription_type: 'prepaid',
          activation_date: '2020-01-01',
          features: 'x',
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
      const consent = (id: string, scope: string, grantedAt: string, revokedAt: string | null = null) => ({
        id,
        tenant_id: 'ten_1',
        subscriber_id: 'tsb_1',
        oauth_client_id: 'ocl_1',
        scope,
        source: 'api',
        granted_at: grantedAt,
        revoked_at: revokedAt,
      });
      const SCOPE = 'customer-insights:scoring:read';
      await db
        .insertInto('telco_consents')
        .values([
          consent('cns_withdrawn', SCOPE, '2026-12-01T09:00:00.000Z', '2026-12-01T09:30:00.000Z'),
          consent('cns_b', SCOPE, '2026-12-01T10:00:00.000Z'),
          consent('cns_a', SCOPE, '2026-12-01T10:00:00.000Z'),
          consent('cns_later', SCOPE, '2026-12-01T11:00:00.000Z'),
          consent('cns_other_scope', 'customer-insights', '2026-12-01T12:00:00.000Z'),
        ])
        .execute();
      expect(await migrateToLatest(handle)).toContain('0017_standing_consent_unique');
      const rows = await db.selectFrom('telco_consents').select(['id', 'revoked_at']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'cns_a', revoked_at: null },
        { id: 'cns_b', revoked_at: '2026-12-01T10:00:00.000Z' },
        { id: 'cns_later', revoked_at: '2026-12-01T11:00:00.000Z' },
        { id: 'cns_other_scope', revoked_at: null },
        { id: 'cns_withdrawn', revoked_at: '2026-12-01T09:30:00.000Z' },
      ]);
    });
  });
}
