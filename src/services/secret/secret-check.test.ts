import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

    it.runIf(engine === 'sqlite')(
      'tells an embedded install without its secret.key to put it back, and keeps no key made for it',
      async () => {
        db = await createTestDatabase(engine);
        const { secretKey: _, ...embedded } = db.config;
        await personUnder(undefined);
        const file = path.join(embedded.dataDir, 'secret.key');
        // A database restored without the secret.key it was used with.
        expect(fs.existsSync(file)).toBe(false);
        await expect(createContext(embedded)).rejects.toThrow(
          `CREDENCE_SECRET_KEY is not set and ${file} did not exist, but this database holds data sealed under key ${idOf(db.config.secretKey!)}`,
        );
        expect(fs.existsSync(file)).toBe(false);
        // Another key in the file: the file is named, not the variable.
        fs.writeFileSync(file, `${OTHER_KEY}\n`, { mode: 0o600 });
        await expect(createContext(embedded)).rejects.toThrow(
          `${file} cannot read this database: its data is sealed under key ${idOf(db.config.secretKey!)}, and that file holds ${idOf(OTHER_KEY)}`,
        );
        expect(fs.readFileSync(file, 'utf8')).toBe(`${OTHER_KEY}\n`);
        // The right key put back starts.
        fs.writeFileSync(file, `${db.config.secretKey}\n`);
        await (await createContext(embedded)).close();
      },
    );

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
