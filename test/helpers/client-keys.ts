/** OAuth clients registered with keys (private_key_jwt), and the assertions they sign. */
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import type { TestApp } from './app.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientKey {
  jwks: JSONWebKeySet;
  /** A client assertion (RFC 7523 §3) for `clientId`, for the audience `aud`, valid five minutes. */
  assertion(clientId: string, aud: string, now: Date): Promise<string>;
}

export async function clientKey(): Promise<ClientKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
  let n = 0;
  return {
    jwks,
    assertion: (clientId, aud, now) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(aud)
        .setExpirationTime(Math.floor(now.getTime() / 1000) + 300)
        .setJti(`jti-${++n}`)
        .sign(privateKey),
  };
}

/**
 * A client registered with keys when such a client was still given a secret too: made with a
 * secret, then its keys written beside it, as a database from before one method per client holds.
 */
export async function keyedClientWithSecret(
  t: TestApp,
  o: { tenant: string; grants: string[]; scopes?: string[]; jwks: JSONWebKeySet },
): Promise<{ clientId: string; clientSecret: string }> {
  const c = await t.ctx.oauthClients.create({ tenant: o.tenant, grants: o.grants, scopes: o.scopes });
  await t.ctx.database.db
    .updateTable('oauth_clients')
    .set({ jwks: JSON.stringify(o.jwks) })
    .where('id', '=', c.clientId)
    .execute();
  return { clientId: c.clientId, clientSecret: c.clientSecret };
}
