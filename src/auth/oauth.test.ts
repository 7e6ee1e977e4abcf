import { decodeJwt as decodeJwtPayload, decodeProtectedHeader, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { clientKey, keyedClientWithSecret } from '../../test/helpers/client-keys.js';
import { ManualClock } from '../../test/helpers/clock.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { tampered } from '../../test/helpers/secrets.js';
import { OAuthClientService } from './oauth-clients.js';
import { TokenService } from './oauth-tokens.js';
import { SigningKeyStore } from './signing-keys.js';

const DAY = 24 * 3600_000;

for (const engine of ENGINES) {
  describe(`OAuth clients and signed tokens on ${engine}`, () => {
    let t: TestApp;
    afterEach(async () => t.close());

    it('stores client secrets hashed and checks them', async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      const c = await t.ctx.oauthClients.create({
        tenant: 'acme',
        grants: ['client_credentials'],
        scopes: ['friendlyscore'],
      });
      expect(c.clientSecret).toMatch(/^crd_cs_/);
      const row = await t.ctx.database.db.selectFrom('oauth_clients').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(c.clientSecret);
      expect(await t.ctx.oauthClients.authenticate(c.clientId, c.clientSecret)).toMatchObject({
        clientId: c.clientId,
        scopes: ['friendlyscore'],
      });
      expect(await t.ctx.oauthClients.authenticate(c.clientId, tampered(c.clientSecret))).toBeUndefined();
      await expect(t.ctx.oauthClients.create({ tenant: 'acme', grants: ['implicit'] })).rejects.toThrow(
        /unknown grant type "implicit"/,
      );
      await expect(t.ctx.oauthClients.create({ tenant: 'acme', grants: [] })).rejects.toThrow(
        /give a grant type/,
      );
      // An empty list (`--scopes "$UNSET"`) is refused, not read as every scope.
      await expect(
        t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'], scopes: [] }),
      ).rejects.toThrow('scopes must name at least one scope, or * for every scope');
    });

    it('gives a client with keys no secret, and refuses a secret for one that had been given one', async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      const key = await clientKey();
      const keyed = await t.ctx.oauthClients.create({
        tenant: 'acme',
        grants: ['client_credentials'],
        jwks: key.jwks,
      });
      expect(keyed).toMatchObject({
        tokenEndpointAuthMethod: 'private_key_jwt',
        clientSecret: null,
        secretStart: null,
      });
      // The columns stay filled: with the hash of a secret nobody was shown.
      const row = await t.ctx.database.db
        .selectFrom('oauth_clients')
        .selectAll()
        .where('id', '=', keyed.clientId)
        .executeTakeFirstOrThrow();
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.secret_start).toBe('');
      const older = await keyedClientWithSecret(t, {
        tenant: 'acme',
        grants: ['client_credentials'],
        jwks: key.jwks,
      });
      expect(await t.ctx.oauthClients.authenticate(older.clientId, older.clientSecret)).toBeUndefined();
      const now = t.ctx.clock.now();
      expect(
        await t.ctx.oauthClients.authenticateWithAssertion(await key.assertion(older.clientId, 'aud', now), [
          'aud',
        ]),
      ).toMatchObject({ clientId: older.clientId, tokenEndpointAuthMethod: 'private_key_jwt' });
      const plain = await t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      expect(plain.tokenEndpointAuthMethod).toBe('client_secret_basic');
      expect(await t.ctx.oauthClients.authenticate(plain.clientId, plain.clientSecret)).toMatchObject({
        tokenEndpointAuthMethod: 'client_secret_basic',
      });
      const listed = await t.ctx.oauthClients.list('acme');
      expect(listed.map((c) => [c.clientId, c.tokenEndpointAuthMethod, c.secretStart])).toEqual(
        expect.arrayContaining([
          [keyed.clientId, 'private_key_jwt', null],
          [older.clientId, 'private_key_jwt', null],
          [plain.clientId, 'client_secret_basic', plain.secretStart],
        ]),
      );
    });

    it('rotates signing keys: new tokens use the new key, older tokens verify until they expire', async () => {
      const clock = new ManualClock('2025-01-01T00:00:00Z');
      t = await createTestApp(engine, { clock });
      await t.ctx.tenants.create('acme');
      const c = await t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      const client = (await t.ctx.oauthClients.authenticate(c.clientId, c.clientSecret))!;
      const first = await t.ctx.tokens.issue(client, { audience: 'friendlyscore' });
      const kid1 = decodeProtectedHeader(first.accessToken).kid;

      // The private key is kept encrypted.
      const key = await t.ctx.database.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
      expect(key.private_jwk).toMatch(/^v1\./);
      expect(key.public_jwk).not.toContain('"d"');

      // 30 days on, the key stops signing: the next token brings a new key.
      clock.advance(30 * DAY + 1000);
      const later = await t.ctx.tokens.issue(client, { audience: 'friendlyscore' });
      const kid2 = decodeProtectedHeader(later.accessToken).kid;
      expect(kid2).not.toBe(kid1);
      const es256 = async () =>
        (await t.ctx.signingKeys.jwks()).keys.filter((k) => k.alg === 'ES256').map((k) => k.kid);
      expect((await es256()).sort()).toEqual([kid1, kid2].sort());

      // Another process on the same database verifies both without being told about the keys.
      const store = new SigningKeyStore(t.ctx.database.db, t.ctx.cipher, clock);
      const other = new TokenService(
        store,
        new OAuthClientService(t.ctx.database.db, clock, t.ctx.tenants),
        clock,
      );
      const recent = await t.ctx.tokens.issue(client, { audience: 'friendlyscore', ttlSeconds: 60 });
      expect((await other.verify(recent.accessToken, 'friendlyscore')).ok).toBe(true);

      // A day after it stopped signing, the old key verifies nothing.
      clock.advance(DAY + 1000);
      const old = await t.ctx.tokens.issue(client, { audience: 'friendlyscore' });
      expect(decodeProtectedHeader(old.accessToken).kid).toBe(kid2);
      expect(await es256()).toEqual([kid2]);

      const rotated = await t.ctx.signingKeys.rotate();
      const fresh = await t.ctx.tokens.issue(client, { audience: 'friendlyscore' });
      expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(rotated);
      expect((await t.ctx.tokens.verify(old.accessToken, 'friendlyscore')).ok).toBe(true);
      expect((await t.ctx.tokens.verify(fresh.accessToken, 'friendlyscore')).ok).toBe(true);
    });

    it('gives replicas that find no key at the same moment one key, and knows a key another made at once', async () => {
      const clock = new ManualClock('2025-01-01T00:00:00Z');
      t = await createTestApp(engine, { clock });
      const db = t.ctx.database.db;
      const replica = () => new SigningKeyStore(db, t.ctx.cipher, clock);
      const [a, b, c] = [replica(), replica(), replica()];
      // c has looked for keys before there were any.
      expect((await c.jwks()).keys.length).toBeGreaterThan(0);
      await db.deleteFrom('signing_keys').execute();
      const made = await Promise.all([a.signingKey('ES256'), b.signingKey('ES256')]);
      expect(made[0].kid).toBe(made[1].kid);
      expect(
        await db.selectFrom('signing_keys').select('kid').where('alg', '=', 'ES256').execute(),
      ).toHaveLength(1);
      // c learns of the new key at the next read a moment later, not seconds later.
      clock.advance(300);
      await expect(c.resolve({ alg: 'ES256', kid: made[0].kid })).resolves.toBeDefined();
    });

    it('accepts access tokens signed with its ES256 key only, not with its RS256 ID-token key', async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      const c = await t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      const client = (await t.ctx.oauthClients.authenticate(c.clientId, c.clientSecret))!;
      const good = await t.ctx.tokens.issue(client, { audience: 'friendlyscore' });
      const claims = decodeJwtPayload(good.accessToken);
      const es = await t.ctx.signingKeys.signingKey('ES256');
      const rs = await t.ctx.signingKeys.signingKey('RS256');
      const signed = (alg: string, kid: string, key: typeof rs.key) =>
        new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(key);
      expect((await t.ctx.tokens.verify(good.accessToken, 'friendlyscore')).ok).toBe(true);
      // The same claims, signed by Credence's own RS256 key: a valid signature, the wrong kind of key.
      expect(await t.ctx.tokens.verify(await signed('RS256', rs.kid, rs.key), 'friendlyscore')).toEqual({
        ok: false,
        reason: 'invalid',
      });
      // A header naming the RS256 key with ES256 is not resolved to it.
      expect((await t.ctx.tokens.verify(await signed('ES256', rs.kid, es.key), 'friendlyscore')).ok).toBe(
        false,
      );
      const jwks = await t.ctx.signingKeys.jwks();
      expect(jwks.keys.map((k) => [k.kid, k.alg, k.kty]).sort()).toEqual(
        [
          [es.kid, 'ES256', 'EC'],
          [rs.kid, 'RS256', 'RSA'],
        ].sort(),
      );
    });
  });
}
