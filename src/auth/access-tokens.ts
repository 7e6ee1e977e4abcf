/**
 * Bearer tokens of the CAMARA Customer Insights API, from either of two issuers: Credence's own
 * OpenID Connect provider (client credentials and CIBA tokens it signs), or the operator's own
 * provider (CREDENCE_OIDC_ISSUER, its keys read from CREDENCE_OIDC_JWKS_URL). Neither costs a
 * database round trip per request: our public keys are cached by the signing-key store, the
 * operator's by jose's remote key set, and whether a client is still usable for a second.
 */
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { ConfigError, type ExternalOidcConfig } from '../config.js';
import { isCredenceError } from '../domain/errors.js';
import { readCapped } from '../lib/capped-body.js';
import type { Clock } from '../lib/clock.js';
import type { Principal } from '../services/principal.js';
import type { Tenant, TenantService } from '../services/tenant-service.js';
import type { TokenService } from './oauth-tokens.js';
import { tokenFault } from './token-faults.js';

/** Who a token says the person is: nobody (2-legged), our subscriber id, or a phone number. */
export type TokenSubject =
  | { kind: 'none' }
  | { kind: 'subscriber'; id: string }
  | { kind: 'phone'; phone: string };

export type AccessCheck =
  | { ok: true; principal: Principal; subject: TokenSubject }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export interface AccessTokenVerifier {
  verify(token: string | undefined): Promise<AccessCheck>;
  /**
   * Checks, when the server starts, what every request will need; throws what would stop them all,
   * and returns a warning for what may still be set right while the server runs.
   */
  checkAtStart?(): Promise<{ warning?: string }>;
}

/** Tokens of Credence's own provider: `sub` is the client on a 2-legged token, the subscriber on a CIBA one. */
export function ownTokens(tokens: TokenService, audience: () => string): AccessTokenVerifier {
  return {
    async verify(token) {
      const check = await tokens.verify(token, audience());
      if (!check.ok) return check;
      return {
        ok: true,
        principal: check.principal,
        subject: check.subject ? { kind: 'subscriber', id: check.subject } : { kind: 'none' },
      };
    },
  };
}

export const EXTERNAL_CREDENTIAL = 'oidc_external';
/** The largest JWK Set read from the operator's provider. */
const MAX_JWKS_BYTES = 512 * 1024;

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Tokens of the operator's provider. A token that carries the subscriber claim (a phone number,
 * with or without `tel:`) is 3-legged, whatever the claim's value; one without it is 2-legged. The API consumer is the
 * `client_id` claim, else `azp`, else `sub`; scopes are `scope` (space-separated) or `scp`.
 */
export class ExternalTokens implements AccessTokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private tenant: Promise<{ tenantId: string; applicationId: string }> | null = null;

  constructor(
    private readonly config: ExternalOidcConfig,
    private readonly tenants: TenantService,
    private readonly clock: Clock,
  ) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 5000,
      // A key set is a few kilobytes: one that goes on past the limit is refused as it arrives.
      [customFetch]: async (url, options) => {
        const res = await fetch(url, options);
        const body = await readCapped(
          res,
          MAX_JWKS_BYTES,
          () => new Error(`the JWK Set at ${url} is larger than ${MAX_JWKS_BYTES} bytes`),
        );
        return new Response(body, { status: res.status, headers: res.headers });
      },
    });
  }

  async verify(token: string | undefined): Promise<AccessCheck> {
    if (token === undefined || token.trim() === '') return { ok: false, reason: 'missing' };
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token.trim(), this.keys, {
        issuer: this.config.issuer,
        ...(this.config.audience ? { audience: this.config.audience } : {}),
        algorithms: ALGORITHMS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      return { ok: false, reason: tokenFault(err) };
    }
    const client = [payload.client_id, payload.azp, payload.sub].find((c) => typeof c === 'string') as
      | string
      | undefined;
    if (!client) return { ok: false, reason: 'invalid' };
    const scopes =
      typeof payload.scope === 'string'
        ? payload.scope.split(' ').filter(Boolean)
        : Array.isArray(payload.scp)
          ? payload.scp.filter((s): s is string => typeof s === 'string')
          : [];
    // A token that carries the claim is about a person, whatever its value: one that is not a
    // phone number (empty, a number, false, null) names nobody. Read as 2-legged, it would let the
    // caller name any subscriber in the body.
    const claim = Object.hasOwn(payload, this.config.subscriberClaim)
      ? payload[this.config.subscriberClaim]
      : undefined;
    const subject: TokenSubject =
      claim === undefined
        ? { kind: 'none' }
        : { kind: 'phone', phone: typeof claim === 'string' ? claim.replace(/^tel:/i, '') : '' };
    const { tenantId, applicationId } = await this.resolveTenant();
    return {
      ok: true,
      subject,
      principal: {
        tenantId,
        clientId: applicationId,
        credentialId: `ext:${client}`,
        credentialType: EXTERNAL_CREDENTIAL,
        scopes,
      },
    };
  }

  /**
   * Resolves the tenant now, so that a CREDENCE_OIDC_TENANT that names no tenant, or is unset while
   * there are several, stops the server at start rather than failing every call. With no tenant at
   * all (a fresh install, whose tenant may still be made through the admin API) it only warns, and
   * calls fail (500) until the tenant exists.
   */
  async checkAtStart(): Promise<{ warning?: string }> {
    try {
      await this.resolveTenant();
      return {};
    } catch (err) {
      if ((await this.tenants.list()).length === 0)
        return {
          warning: `${err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message}: the CAMARA API answers 500 until one is created`,
        };
      throw err;
    }
  }

  /**
   * The tenant named by CREDENCE_OIDC_TENANT, else the only one; resolved once. A failure is the
   * operator's configuration, not the caller's request: a plain error (500 INTERNAL, logged).
   */
  private resolveTenant() {
    this.tenant ??= (async () => {
      const tenant = await this.configuredTenant();
      return { tenantId: tenant.id, applicationId: (await this.tenants.client(tenant.id)).id };
    })().catch((err: unknown) => {
      this.tenant = null;
      throw err;
    });
    return this.tenant;
  }

  private async configuredTenant(): Promise<Tenant> {
    const wanted = this.config.tenant;
    if (wanted)
      return this.tenants.get(wanted).catch((err: unknown) => {
        throw isCredenceError(err) && err.code === 'CREDENCE_NOT_FOUND'
          ? new ConfigError([`CREDENCE_OIDC_TENANT names no tenant: "${wanted}"`])
          : err;
      });
    const all = await this.tenants.list();
    if (all.length !== 1)
      throw new ConfigError([
        `CREDENCE_OIDC_TENANT must name the tenant whose subscribers the operator's tokens speak of: there are ${all.length} tenants${
          all.length > 0 ? ` (${all.map((t) => t.name).join(', ')})` : ''
        }`,
      ]);
    return all[0]!;
  }
}
