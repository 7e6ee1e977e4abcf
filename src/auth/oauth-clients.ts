/**
 * OAuth 2.0 confidential clients (RFC 6749 §2.1): a client_id and a client secret, shown once and
 * stored as a SHA-256 hash, belonging to one client (application) of a tenant, with the grant
 * types and scopes it may use. Token endpoints of every dialect authenticate against this store.
 */
import { timingSafeEqual } from 'node:crypto';
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
import { GRANT_TYPES, isGrantType } from './oauth-grants.js';
import { ALL_SCOPES, isValidScope } from './scopes.js';

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
  actor?: string | undefined;
}

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
});

export class OAuthClientService {
  /** Whether a client may still be used, cached for at most a second (as API keys are). */
  private readonly active: LRUCache<string, { usable: boolean }>;

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
    const scopes = o.scopes && o.scopes.length > 0 ? [...o.scopes] : [ALL_SCOPES];
    for (const s of scopes) if (!isValidScope(s)) throw invalidInput('scopes', `"${s}" is not a valid scope`);
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
    };
    await insertOAuthClient(this.db, row);
    await audit(this.db, this.clock, {
      tenantId: tenant.id,
      actor: o.actor ?? 'cli',
      action: 'oauth_client.create',
      targetType: 'oauth_client',
      targetId: row.id,
      details: { grants: JSON.parse(row.grants), scopes },
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
    if (!row || row.revoked_at !== null || row.tenant_disabled_at !== null) return undefined;
    const given = Buffer.from(hashApiKey(secret), 'hex');
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
    return toClient(row);
  }

  /** Whether tokens issued to the client are still honoured (cached for at most a second). */
  async isUsable(clientId: string): Promise<boolean> {
    const hit = this.active.get(clientId);
    if (hit) return hit.usable;
    const row = await findOAuthClient(this.db, clientId);
    const usable = !!row && row.revoked_at === null && row.tenant_disabled_at === null;
    this.active.set(clientId, { usable });
    return usable;
  }
}
