/**
 * OAuth 2.0 access tokens: JWTs (RFC 9068 profile) signed by Credence with its rotating signing
 * keys. Verifying one needs no database: the signature is checked against the cached public keys,
 * and whether its client is still usable is cached for a second. Only ES256 is accepted, so a
 * token with `alg: none` or any other algorithm is refused.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Principal } from '../services/principal.js';
import type { OAuthClient, OAuthClientService } from './oauth-clients.js';
import { grants } from './scopes.js';
import { SIGNING_ALG, type SigningKeyStore } from './signing-keys.js';

export const TOKEN_TYPE = 'at+jwt';
export const OAUTH_CREDENTIAL = 'oauth_client';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  /** The scopes granted, or null when the client asked for none (it gets all of its own). */
  scope: string | null;
}

export type TokenCheck =
  | { ok: true; principal: Principal; expiresAt: number }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class ScopeNotAllowedError extends Error {
  override name = 'ScopeNotAllowedError';
}

export class TokenService {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly clients: OAuthClientService,
    private readonly clock: Clock,
    private readonly issuer = 'credence',
  ) {}

  /**
   * Issues an access token for `audience` (the API that will accept it). `requested` narrows the
   * client's scopes; a scope the client does not hold throws ScopeNotAllowedError.
   */
  async issue(
    client: OAuthClient,
    o: { audience: string; requested?: readonly string[] | undefined; ttlSeconds?: number },
  ): Promise<IssuedToken> {
    const ttl = o.ttlSeconds ?? 3600;
    let scopes = client.scopes;
    if (o.requested && o.requested.length > 0) {
      for (const s of o.requested)
        if (!grants(client.scopes, s)) throw new ScopeNotAllowedError(`the client may not ask for ${s}`);
      scopes = [...o.requested];
    }
    const key = await this.keys.signingKey();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({
      client_id: client.clientId,
      ten: client.tenantId,
      app: client.applicationId,
      scope: scopes.join(' '),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setSubject(client.clientId)
      .setAudience(o.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(newId('tok'))
      .sign(key.key);
    return {
      accessToken: token,
      expiresIn: ttl,
      scope: o.requested && o.requested.length > 0 ? scopes.join(' ') : null,
    };
  }

  /** Checks a bearer token meant for `audience` and resolves the principal it stands for. */
  async verify(token: string | undefined, audience: string): Promise<TokenCheck> {
    if (token === undefined || token.trim() === '') return { ok: false, reason: 'missing' };
    try {
      const { payload } = await jwtVerify(token.trim(), this.keys.resolve, {
        issuer: this.issuer,
        audience,
        algorithms: [SIGNING_ALG],
        typ: TOKEN_TYPE,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      const { sub, ten, app, scope, exp } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof ten !== 'string' || typeof app !== 'string')
        return { ok: false, reason: 'invalid' };
      if (!(await this.clients.isUsable(sub))) return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        expiresAt: Number(exp) * 1000,
        principal: {
          tenantId: ten,
          clientId: app,
          credentialId: sub,
          credentialType: OAUTH_CREDENTIAL,
          scopes: typeof scope === 'string' && scope !== '' ? scope.split(' ') : [],
        },
      };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}
