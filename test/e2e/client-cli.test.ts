/** `credence client` and `credence webhook`, through the real executable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { runCli } from '../helpers/processes.js';

for (const engine of ENGINES) {
  describe(`credence client on ${engine}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(engine);
      expect(runCli(['tenant', 'create', 'acme', '--json'], db.env).status).toBe(0);
    });
    afterAll(async () => db.drop());

    it('creates a client whose secret is shown once and works, lists and revokes it', async () => {
      const created = runCli(
        [
          'client',
          'create',
          '--tenant',
          'acme',
          '--grant',
          'client_credentials',
          '--scopes',
          'friendlyscore',
          '--json',
        ],
        db.env,
      );
      expect(created.status).toBe(0);
      const c = created.json();
      expect(c).toMatchObject({
        client_id: expect.stringMatching(/^ocl_/),
        client_secret: expect.stringMatching(/^crd_cs_/),
        webhook_secret: expect.stringMatching(/^whsec_/),
        grants: ['client_credentials'],
        scopes: ['friendlyscore'],
      });
      // The application's webhook secret comes with its first client only.
      const second = runCli(
        ['client', 'create', '--tenant', 'acme', '--grant', 'client_credentials', '--json'],
        db.env,
      ).json();
      expect(second.webhook_secret).toBeUndefined();

      const ctx = await createContext(db.config);
      try {
        expect(await ctx.oauthClients.authenticate(c.client_id, c.client_secret)).toBeDefined();
      } finally {
        await ctx.close();
      }

      const list = runCli(['client', 'list', '--tenant', 'acme', '--json'], db.env);
      expect(list.stdout).not.toContain(c.client_secret);
      expect(list.json().clients.map((x: { client_id: string }) => x.client_id)).toContain(c.client_id);

      const revoked = runCli(['client', 'revoke', c.client_id, '--json'], db.env).json();
      expect(revoked.revoked_at).toEqual(expect.any(String));

      const rotated = runCli(['webhook', 'secret', '--tenant', 'acme', '--json'], db.env).json();
      expect(rotated.webhook_secret).toMatch(/^whsec_/);
      expect(rotated.webhook_secret).not.toBe(c.webhook_secret);
    });

    it('explains a bad grant or tenant as one JSON error', () => {
      const grant = runCli(['client', 'create', '--tenant', 'acme', '--grant', 'password', '--json'], db.env);
      expect(grant.status).toBe(1);
      expect(grant.json()).toEqual({
        error: {
          code: 'CREDENCE_INVALID_INPUT',
          message:
            'unknown grant type "password" (known: client_credentials, urn:openid:params:grant-type:ciba)',
          field: 'grant',
        },
      });
      const tenant = runCli(
        ['client', 'create', '--tenant', 'nobody', '--grant', 'client_credentials', '--json'],
        db.env,
      );
      expect(tenant.json().error.code).toBe('CREDENCE_NOT_FOUND');
    });
  });
}
