/**
 * OAuth 2.0 confidential clients (RFC 6749 §2.1): a client_id and a client secret, shown once and
 * stored as a SHA-256 hash, belonging to one client (application) of a tenant, with the grant
 * types and scopes it may use. Token endpoints of every dialect authenticate against this store.
 * A client registered with its public keys may also authenticate at the OpenID provider with a
 * signed JWT instead of its secret (`private_key_jwt`, RFC 7523 §2.2). Its ID tokens are signed
 * with RS256 unless it registered ES256 (`id_token_signed_response_alg`).
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

export interface OAuthClient {
  clientId: string;
  tenantId: string;
  /** The tenant's client (application) the OAuth client acts for. */
  applicationId: string;
  name: string | null;
  secretStart: string;
  grants: string[];
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  /** The public keys of its client assertions (private_key_jwt); null for a secret alone. */
  jwks: JSONWebKeySet | null;
  /** What its ID tokens are signed with (`id_token_signed_response_alg`). */
  idTokenAlg: SigningAlg;
}

export interface CreatedOAuthClient extends OAuthClient {
  /** Shown this once, never stored. */
  clientSecret: string;
}

export interface CreateOAuthClientOptions {
  tenant: string;
  /** The application's name (default `default`). */
  application?: string | undefined;
  name?: string | undefined;
  grants: readonly string[];
  scopes?: readonly string[] | undefined;
  /** A JWK Set of public keys: the client may then authenticate with private_key_jwt too. */
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
  secretStart: r.secret_start,
  grants: JSON.parse(r.grants) as string[],
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
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
    const secret = generateKeyWithCode(SECRET_CODE);
    const row: OAuthClientRow = {
      id: newId('ocl'),
      tenant_id: tenant.id,
      client_id: application.id,
      name: o.name ?? null,
      secret_start: visibleStart(secret),
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
        private_key_jwt: jwks !== null,
        id_token_signed_response_alg: o.idTokenAlg ?? DEFAULT_ID_TOKEN_ALG,
      },
    });
    return { ...toClient(row), clientSecret: secret };
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
   * The client whose id and secret these are, if it is usable: not revoked, its tenant enabled.
   * Undefined for anything else, without saying which part was wrong.
   */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    if (!isWellFormedSecret(secret, SECRET_CODE) || !clientId.startsWith('ocl_')) return undefined;
    const row = await findOAuthClient(this.db, clientId);
    if (!usable(row)) return undefined;
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
