/**
 * OAuth 2.0 confidential clients (RFC 6749 §2.1): a client_id and a client secret, shown once and
 * stored as a SHA-256 hash, belonging to one client (application) of a tenant, with the grant
 * types and scopes it may use. Token endpoints of every dialect authenticate against this store.
 * A client registered with its public keys authenticates with a signed JWT only
 * (`private_key_jwt`, RFC 7523 §2.2) and has no secret: OpenID Connect registers one
 * `token_endpoint_auth_method` per client, and the CAMARA security profile asks API consumers for
 * this one. Its ID tokens are signed with RS256 unless it registered ES256
 * (`id_token_signed_response_alg`).
 */
import { timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import {
  findOAuthClient,
  insertOAuthClient,
  listOAuthClients,
  revokeOAuthClient,
} from '../db/repositories/oauth.repository.js';
import type { Database, OAuthClientRow } from '../db/schema.js';
import { invalidInput, notFound } from '../domain/errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from '../services/audit.js';
import { DEFAULT_CLIENT, type TenantService } from '../services/tenant-service.js';
import { generateKeyWithCode, hashApiKey, isWellFormedSecret, visibleStart } from './api-key-format.js';
import { ASSERTION_ALGS, parseClientJwks } from './client-keys.js';
import { GRANT_TYPES, isGrantType } from './oauth-grants.js';
import { ALL_SCOPES, isValidScope } from './scopes.js';
import { DEFAULT_ID_TOKEN_ALG, isSigningAlg, SIGNING_ALGS, type SigningAlg } from './signing-keys.js';

const SECRET_CODE = 'cs';

/**
 * How a client authenticates, as OpenID Connect Dynamic Client Registration §2 names it
 * (`token_endpoint_auth_method`): one method per client. `client_secret_basic`, the registration
 * default, also covers the secret sent in the form (`client_secret_post`), as RFC 6749 §2.3.1 lets
 * a server allow.
 */
export type ClientAuthMethod = 'client_secret_basic' | 'private_key_jwt';

const authMethod = (jwks: string | null): ClientAuthMethod =>
  jwks === null ? 'client_secret_basic' : 'private_key_jwt';

export interface OAuthClient {
  clientId: string;
  tenantId: string;
  /** The tenant's client (application) the OAuth client acts for. */
  applicationId: string;
  name: string | null;
  /** The start of its secret, to recognise it by; null for a client that has none (private_key_jwt). */
  secretStart: string | null;
  grants: string[];
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** The public keys of its client assertions (private_key_jwt); null for a client with a secret. */
  jwks: JSONWebKeySet | null;
  /** What its ID tokens are signed with (`id_token_signed_response_alg`). */
  idTokenAlg: SigningAlg;
}

/** A client just made with a secret: the secret is shown this once, never stored. */
export type SecretOAuthClient = OAuthClient & {
  tokenEndpointAuthMethod: 'client_secret_basic';
  clientSecret: string;
};
/** A client just made with keys: it has no secret to show. */
export type KeyedOAuthClient = OAuthClient & {
  tokenEndpointAuthMethod: 'private_key_jwt';
  clientSecret: null;
};
export type CreatedOAuthClient = SecretOAuthClient | KeyedOAuthClient;

export interface CreateOAuthClientOptions {
  tenant: string;
  /** The application's name (default `default`). */
  application?: string | undefined;
  name?: string | undefined;
  grants: readonly string[];
  scopes?: readonly string[] | undefined;
  /** A JWK Set of public keys: the client then authenticates with private_key_jwt only. */
  jwks?: unknown;
  /** `id_token_signed_response_alg`: RS256 (the default) or ES256. */
  idTokenAlg?: string | undefined;
  actor?: string | undefined;
}

/** How far ahead a client assertion may expire: its jti is remembered until then. */
const ASSERTION_MAX_LIFETIME_S = 3600;

const toClient = (r: OAuthClientRow): OAuthClient => ({
  clientId: r.id,
  tenantId: r.tenant_id,
  applicationId: r.client_id,
  name: r.name,
  // A client registered with keys when such clients still got a secret has that secret's start
  // stored: it is not shown, since the secret no longer works.
  secretStart: r.jwks === null ? r.secret_start : null,
  grants: JSON.parse(r.grants) as string[],
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  tokenEndpointAuthMethod: authMethod(r.jwks),
  jwks: r.jwks === null ? null : (JSON.parse(r.jwks) as JSONWebKeySet),
  idTokenAlg: isSigningAlg(r.id_token_alg) ? r.id_token_alg : DEFAULT_ID_TOKEN_ALG,
});

/** Whether a client row may be used: it exists, is not revoked, and its tenant is enabled. */
const usable = <R extends { revoked_at: string | null; tenant_disabled_at: string | null }>(
  row: R | undefined,
): row is R => !!row && row.revoked_at === null && row.tenant_disabled_at === null;

export class OAuthClientService {
  /** Whether a client may still be used, cached for at most a second (as API keys are). */
  private readonly active: LRUCache<string, { usable: boolean }>;
  /** The jti of every client assertion accepted, until it expires: each is used once (RFC 7523 §3). */
  private readonly seenAssertions = new LRUCache<string, true>({ max: 200_000, ttlAutopurge: false });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly tenants: TenantService,
    options: { ttlMs?: number } = {},
  ) {
    this.active = new LRUCache({ max: 50_000, ttl: options.ttlMs ?? 1000 });
  }

  async create(o: CreateOAuthClientOptions & { jwks?: undefined }): Promise<SecretOAuthClient>;
  async create(o: CreateOAuthClientOptions): Promise<CreatedOAuthClient>;
  async create(o: CreateOAuthClientOptions): Promise<CreatedOAuthClient> {
    const tenant = await this.tenants.get(o.tenant);
    if (o.grants.length === 0) throw invalidInput('grant', `give a grant type: ${GRANT_TYPES.join(', ')}`);
    for (const g of o.grants)
      if (!isGrantType(g))
        throw invalidInput('grant', `unknown grant type "${g}" (known: ${GRANT_TYPES.join(', ')})`);
    // As for keys: none given is every scope; a list given empty is a mistake, not a wish for all.
    if (o.scopes !== undefined && o.scopes.length === 0)
      throw invalidInput('scopes', 'scopes must name at least one scope, or * for every scope');
    const scopes = o.scopes !== undefined ? [...o.scopes] : [ALL_SCOPES];
    for (const s of scopes) if (!isValidScope(s)) throw invalidInput('scopes', `"${s}" is not a valid scope`);
    const jwks = o.jwks === undefined ? null : parseClientJwks(o.jwks);
    if (o.idTokenAlg !== undefined && !isSigningAlg(o.idTokenAlg))
      throw invalidInput(
        'id_token_signed_response_alg',
        `ID tokens can be signed with ${SIGNING_ALGS.join(' or ')}, not "${o.idTokenAlg}"`,
      );
    const application = await this.tenants.client(tenant.id, o.application ?? DEFAULT_CLIENT);
    // A client with keys gets the hash of a secret nobody is shown, so that the column stays
    // filled without a migration; authenticate() refuses a secret for it anyway.
    const secret = generateKeyWithCode(SECRET_CODE);
    const row: OAuthClientRow = {
      id: newId('ocl'),
      tenant_id: tenant.id,
      client_id: application.id,
      name: o.name ?? null,
      secret_start: jwks === null ? visibleStart(secret) : '',
      secret_hash: hashApiKey(secret),
      grants: JSON.stringify([...new Set(o.grants)]),
      scopes: JSON.stringify(scopes),
      created_at: this.clock.now().toISOString(),
      revoked_at: null,
      jwks: jwks === null ? null : JSON.stringify(jwks),
      id_token_alg: o.idTokenAlg ?? null,
    };
    await insertOAuthClient(this.db, row);
    await audit(this.db, this.clock, {
      tenantId: tenant.id,
      actor: o.actor ?? 'cli',
      action: 'oauth_client.create',
      targetType: 'oauth_client',
      targetId: row.id,
      details: {
        grants: JSON.parse(row.grants),
        scopes,
        token_endpoint_auth_method: authMethod(row.jwks),
        id_token_signed_response_alg: o.idTokenAlg ?? DEFAULT_ID_TOKEN_ALG,
      },
    });
    const client = toClient(row);
    return client.tokenEndpointAuthMethod === 'client_secret_basic'
      ? { ...client, tokenEndpointAuthMethod: 'client_secret_basic', clientSecret: secret }
      : { ...client, tokenEndpointAuthMethod: 'private_key_jwt', clientSecret: null };
  }

  async list(tenantRef: string): Promise<OAuthClient[]> {
    const tenant = await this.tenants.get(tenantRef);
    return (await listOAuthClients(this.db, tenant.id)).map(toClient);
  }

  async revoke(clientId: string, actor = 'cli'): Promise<OAuthClient> {
    const row = await findOAuthClient(this.db, clientId);
    if (!row) throw notFound('OAuth client', clientId);
    await revokeOAuthClient(this.db, row.id, this.clock.now().toISOString());
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor,
      action: 'oauth_client.revoke',
      targetType: 'oauth_client',
      targetId: row.id,
    });
    this.active.delete(row.id);
    return toClient((await findOAuthClient(this.db, row.id))!);
  }

  /**
   * The client whose id and secret these are, if it is usable: not revoked, its tenant enabled,
   * and authenticating by secret. A client registered with keys is refused as a wrong secret is,
   * even one that was given a secret before: its method is private_key_jwt alone. Undefined for
   * anything else, without saying which part was wrong.
   */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    if (!isWellFormedSecret(secret, SECRET_CODE) || !clientId.startsWith('ocl_')) return undefined;
    const row = await findOAuthClient(this.db, clientId);
    if (!usable(row) || authMethod(row.jwks) !== 'client_secret_basic') return undefined;
    const given = Buffer.from(hashApiKey(secret), 'hex');
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
    return toClient(row);
  }

  /**
   * The client a signed client assertion (RFC 7523 §2.2) stands for, if it is usable and the
   * assertion is valid: signed by one of the client's registered keys, `iss` and `sub` its
   * client_id, `aud` one of `audiences`, not expired nor valid for more than an hour, and its `jti`
   * never seen before by this process. Undefined for anything else, without saying why.
   */
  async authenticateWithAssertion(assertion: string, audiences: string[]): Promise<OAuthClient | undefined> {
    let clientId: string | undefined;
    try {
      clientId = decodeJwt(assertion).sub;
    } catch {
      return undefined;
    }
    if (typeof clientId !== 'string' || !clientId.startsWith('ocl_')) return undefined;
    const row = await findOAuthClient(this.db, clientId);
    if (!usable(row) || row.jwks === null) return undefined;
    const now = this.clock.now();
    let claims: { jti?: unknown; exp?: unknown };
    try {
      claims = (
        await jwtVerify(assertion, createLocalJWKSet(JSON.parse(row.jwks) as JSONWebKeySet), {
          issuer: clientId,
          subject: clientId,
          audience: audiences,
          algorithms: ASSERTION_ALGS,
          currentDate: now,
          requiredClaims: ['exp', 'jti'],
        })
      ).payload;
    } catch {
      return undefined;
    }
    const ttlMs = Number(claims.exp) * 1000 - now.getTime();
    if (typeof claims.jti !== 'string' || ttlMs > ASSERTION_MAX_LIFETIME_S * 1000) return undefined;
    const seen = `${clientId}\n${claims.jti}`;
    if (this.seenAssertions.has(seen)) return undefined;
    this.seenAssertions.set(seen, true, { ttl: Math.max(ttlMs, 1) });
    return toClient(row);
  }

  /** Whether tokens issued to the client are still honoured (cached for at most a second). */
  async isUsable(clientId: string): Promise<boolean> {
    const hit = this.active.get(clientId);
    if (hit) return hit.usable;
    const row = await findOAuthClient(this.db, clientId);
    const answer = usable(row);
    this.active.set(clientId, { usable: answer });
    return answer;
  }
}
