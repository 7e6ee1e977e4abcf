/** `credence client` and `credence webhook`, through the real executable. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { clientKey } from '../helpers/client-keys.js';
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
        token_endpoint_auth_method: 'client_secret_basic',
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

    it('gives a client created with keys no secret, and shows each client its one method', async () => {
      expect(runCli(['tenant', 'create', 'bank', '--json'], db.env).status).toBe(0);
      const jwksFile = path.join(db.dir, 'bank-keys.json');
      fs.writeFileSync(jwksFile, JSON.stringify((await clientKey()).jwks));
      const create = (...more: string[]) =>
        runCli(
          [
            'client',
            'create',
            '--tenant',
            'bank',
            '--grant',
            'client_credentials',
            '--jwks',
            jwksFile,
            ...more,
          ],
          db.env,
        );
      const keyed = create('--json');
      expect(keyed.status).toBe(0);
      const c = keyed.json();
      expect(c).toMatchObject({
        client_id: expect.stringMatching(/^ocl_/),
        token_endpoint_auth_method: 'private_key_jwt',
        secret_start: null,
        // It is the application's first client: the webhook secret still comes with it.
        webhook_secret: expect.stringMatching(/^whsec_/),
      });
      expect(c).not.toHaveProperty('client_secret');
      expect(keyed.stdout).not.toContain('crd_cs_');

      const text = create();
      expect(text.status).toBe(0);
      expect(text.stdout).toContain(
        'The client has no secret: it authenticates with a JWT signed by one of its keys',
      );
      expect(text.stdout).not.toMatch(/client_secret|webhook_secret|crd_cs_|only time/);

      const plain = runCli(
        ['client', 'create', '--tenant', 'bank', '--grant', 'client_credentials', '--json'],
        db.env,
      ).json();
      const listed = runCli(['client', 'list', '--tenant', 'bank', '--json'], db.env).json();
      const methods = Object.fromEntries(
        listed.clients.map((x: { client_id: string; token_endpoint_auth_method: string }) => [
          x.client_id,
          x.token_endpoint_auth_method,
        ]),
      );
      expect(methods[c.client_id]).toBe('private_key_jwt');
      expect(methods[plain.client_id]).toBe('client_secret_basic');
      const table = runCli(['client', 'list', '--tenant', 'bank'], db.env).stdout;
      expect(table).toContain('TOKEN_ENDPOINT_AUTH_METHOD');
      expect(table).toMatch(new RegExp(`${c.client_id}\\s+private_key_jwt`));
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
