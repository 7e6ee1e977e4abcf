/**
 * OAuth 2.0 access tokens: JWTs (RFC 9068 profile) signed by Credence with its rotating signing
 * keys. Verifying one needs no database: the signature is checked against the cached public keys,
 * and whether its client is still usable is cached for a second. Only ES256 is accepted, so a
 * token with `alg: none` or any other algorithm is refused.
 */
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Principal } from '../services/principal.js';
import type { OAuthClient, OAuthClientService } from './oauth-clients.js';
import { grants, isValidScope } from './scopes.js';
import { ACCESS_TOKEN_ALG, type SigningKeyStore } from './signing-keys.js';
import { tokenFault } from './token-faults.js';

export const TOKEN_TYPE = 'at+jwt';
export const OAUTH_CREDENTIAL = 'oauth_client';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  /**
   * The scopes granted, and the purpose declared beside them; null when the client asked for no
   * scope and declared no purpose (it gets all of its own).
   */
  scope: string | null;
}

export type TokenCheck =
  | {
      ok: true;
      principal: Principal;
      expiresAt: number;
      /** The person a 3-legged token was issued for (its `sub`); absent on a 2-legged token. */
      subject?: string;
    }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class ScopeNotAllowedError extends Error {
  override name = 'ScopeNotAllowedError';
}

/**
 * Throws ScopeNotAllowedError unless the client may ask for every scope in `requested`: each must
 * be a scope (a client allowed everything, `*`, may still not ask for one that grants nothing) and
 * one the client holds. Checked when a token is asked for and, for CIBA, when the authentication
 * starts, so that a request that cannot end in a token is refused before it is approved.
 */
export function assertRequestable(client: Pick<OAuthClient, 'scopes'>, requested: readonly string[]): void {
  for (const s of requested) {
    if (!isValidScope(s)) throw new ScopeNotAllowedError(`Unknown scope ${s}`);
    if (!grants(client.scopes, s)) throw new ScopeNotAllowedError(`The client may not ask for ${s}`);
  }
}

type VerifiedClaims = Omit<Extract<TokenCheck, { ok: true }>, 'ok'>;

export class TokenService {
  private readonly verified = new LRUCache<string, VerifiedClaims>({ max: 20_000 });

  constructor(
    private readonly keys: SigningKeyStore,
    private readonly clients: OAuthClientService,
    private readonly clock: Clock,
    /** Read at each use: the public URL can be known only once the server listens. */
    private readonly issuer: () => string = () => 'credence',
  ) {}

  /**
   * Issues an access token for `audience` (the API that will accept it). `requested` narrows the
   * client's scopes; a scope the client does not hold throws ScopeNotAllowedError.
   */
  async issue(
    client: OAuthClient,
    o: {
      audience: string;
      requested?: readonly string[] | undefined;
      ttlSeconds?: number;
      /** Binds the token to a person (a 3-legged token): its `sub`. Otherwise `sub` is the client. */
      subject?: string;
      /** The purpose the client declared (`dpv:...`), carried in `scope` beside the scopes it grants. */
      purpose?: string | undefined;
    },
  ): Promise<IssuedToken> {
    const ttl = o.ttlSeconds ?? 3600;
    let scopes = client.scopes;
    if (o.requested && o.requested.length > 0) {
      assertRequestable(client, o.requested);
      scopes = [...o.requested];
    }
    const scope = (o.purpose ? [...scopes, o.purpose] : scopes).join(' ');
    const key = await this.keys.signingKey();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({
      client_id: client.clientId,
      ten: client.tenantId,
      app: client.applicationId,
      scope,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE })
      .setIssuer(this.issuer())
      .setSubject(o.subject ?? client.clientId)
      .setAudience(o.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(newId('tok'))
      .sign(key.key);
    return {
      accessToken: token,
      expiresIn: ttl,
      scope: (o.requested && o.requested.length > 0) || o.purpose ? scope : null,
    };
  }

  /**
   * An OpenID Connect ID token (OIDC Core §2) for the person a CIBA request authenticated, signed
   * with the algorithm the client registered (RS256 unless it chose ES256).
   */
  async issueIdToken(client: OAuthClient, subject: string, o: { authReqId: string; ttlSeconds?: number }) {
    const key = await this.keys.signingKey(client.idTokenAlg);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ 'urn:openid:params:jwt:claim:auth_req_id': o.authReqId })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer())
      .setSubject(subject)
      .setAudience(client.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (o.ttlSeconds ?? 3600))
      .sign(key.key);
  }

  /**
   * Checks a bearer token meant for `audience` and resolves the principal it stands for. A token
   * whose signature and claims were checked once is remembered until it expires (keyed by its
   * exact text, so nothing about it can differ): a client calling with the same token pays for
   * one ECDSA verification, not one per request. Whether its client is still usable is asked
   * every time (cached for a second, and forgotten at once on revocation in this process).
   */
  async verify(token: string | undefined, audience: string): Promise<TokenCheck> {
    if (token === undefined || token.trim() === '') return { ok: false, reason: 'missing' };
    const text = token.trim();
    const key = `${audience}\n${text}`;
    let claims = this.verified.get(key);
    try {
      if (!claims) {
        const { payload } = await jwtVerify(text, this.keys.resolve, {
          issuer: this.issuer(),
          audience,
          algorithms: [ACCESS_TOKEN_ALG],
          typ: TOKEN_TYPE,
          currentDate: this.clock.now(),
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        });
        const { sub, ten, app, scope, exp, client_id } = payload as Record<string, unknown>;
        if (typeof sub !== 'string' || typeof ten !== 'string' || typeof app !== 'string')
          return { ok: false, reason: 'invalid' };
        const clientId = typeof client_id === 'string' ? client_id : sub;
        claims = {
          expiresAt: Number(exp) * 1000,
          ...(sub !== clientId ? { subject: sub } : {}),
          principal: {
            tenantId: ten,
            clientId: app,
            credentialId: clientId,
            credentialType: OAUTH_CREDENTIAL,
            scopes: typeof scope === 'string' && scope !== '' ? scope.split(' ') : [],
          },
        };
        this.verified.set(key, claims);
      } else if (claims.expiresAt <= this.clock.now().getTime()) {
        this.verified.delete(key);
        return { ok: false, reason: 'expired' };
      }
    } catch (err) {
      return { ok: false, reason: tokenFault(err) };
    }
    if (!(await this.clients.isUsable(claims.principal.credentialId)))
      return { ok: false, reason: 'invalid' };
    return { ok: true, ...claims };
  }
}
