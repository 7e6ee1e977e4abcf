import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/databases.js';
import { createContext } from '../../context.js';
import { PiiCipher } from '../../security/pii-cipher.js';

const OTHER_KEY = randomBytes(32).toString('base64');
const idOf = (key: string) => new PiiCipher([Buffer.from(key, 'base64')]).currentKeyId;

for (const engine of ENGINES) {
  describe(`the secret key check on ${engine}`, () => {
    let db: TestDatabase;
    afterEach(async () => db?.drop());

    async function personUnder(key: string | undefined) {
      const ctx = await createContext({ ...db.config, ...(key ? { secretKey: key } : {}) });
      try {
        const tenant = await ctx.tenants.create('acme');
        const u = await ctx.database.db
          .transaction()
          .execute((trx) => ctx.friendlyscore.users.ensure(trx, tenant.id, 'p-1'));
        await ctx.dataRecords.add(tenant.id, u.subjectId, [
          { kind: 'ip_address', source: 'test', data: { ip: '41.90.64.10' } },
        ]);
      } finally {
        await ctx.close();
      }
    }

    it('refuses to start under a key that cannot read the data, naming both keys', async () => {
      db = await createTestDatabase(engine);
      await personUnder(undefined);
      const own = idOf(db.config.secretKey!);
      await expect(createContext({ ...db.config, secretKey: OTHER_KEY })).rejects.toThrow(
        `CREDENCE_SECRET_KEY cannot read this database: its data is sealed under key ${own}, and this process has ${idOf(OTHER_KEY)}`,
      );
      // The right key, and the new key with the old one during a rotation, start.
      await (await createContext(db.config)).close();
      await (await createContext({ ...db.config, secretKey: `${OTHER_KEY},${db.config.secretKey}` })).close();
    });

    it('checks the data of a database from before the check before sealing its value', async () => {
      db = await createTestDatabase(engine);
      await personUnder(undefined);
      const ctx = await createContext(db.config);
      await ctx.database.db.deleteFrom('secret_check').execute();
      await ctx.close();
      // Started first with the wrong key, it refuses, rather than sealing the check under it.
      await expect(createContext({ ...db.config, secretKey: OTHER_KEY })).rejects.toThrow(
        /cannot read this database/,
      );
      const right = await createContext(db.config);
      try {
        const rows = await right.database.db.selectFrom('secret_check').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]!.sealed.split('.')[1]).toBe(idOf(db.config.secretKey!));
      } finally {
        await right.close();
      }
    });
  });
}
