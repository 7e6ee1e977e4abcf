/** API keys: created for a client of a tenant, shown once, stored as a hash, revocable. */
import type { Kysely } from 'kysely';
import { generateApiKey, hashApiKey, isKeyType, type KeyType, visibleStart } from '../auth/api-key-format.js';
import { blockListOf } from '../auth/ip-allowlist.js';
import { ALL_SCOPES, isValidScope } from '../auth/scopes.js';
import {
  findApiKeyByHash,
  findApiKeyById,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  updateApiKey,
} from '../db/repositories/api-key.repository.js';
import type { ApiKeyRow, Database } from '../db/schema.js';
import { invalidInput, notFound } from '../domain/errors.js';
import { parseIsoDate } from '../domain/iso-date.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';
import { DEFAULT_CLIENT, type TenantService } from './tenant-service.js';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  clientId: string;
  type: string;
  name: string | null;
  start: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** CIDR blocks the key may call from; null for every address. */
  ipAllow: string[] | null;
  /** Requests per second; null for no per-key limit. */
  rateLimit: number | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The key itself: shown this once, never stored. */
  key: string;
}

export interface CreateKeyOptions {
  tenant: string;
  client?: string | undefined;
  type?: string | undefined;
  name?: string | undefined;
  scopes?: readonly string[] | undefined;
  expiresAt?: string | undefined;
  ipAllow?: readonly string[] | null | undefined;
  rateLimit?: number | null | undefined;
  actor?: string | undefined;
}

/** What an operator may change on a key after it is issued; an absent field is left as it is. */
export interface KeyChanges {
  scopes?: readonly string[] | undefined;
  ipAllow?: readonly string[] | null | undefined;
  rateLimit?: number | null | undefined;
}

/**
 * The scopes to store: every scope (`*`) when none are given. A list given empty is refused: it
 * means a mistake (`--scopes "$UNSET"`), and reading it as "every scope" would hand out the
 * widest key there is.
 */
function checkScopes(scopes: readonly string[] | undefined): string[] {
  if (scopes !== undefined && scopes.length === 0)
    throw invalidInput('scopes', 'scopes must name at least one scope, or * for every scope');
  const list = scopes !== undefined ? [...scopes] : [ALL_SCOPES];
  for (const s of list) if (!isValidScope(s)) throw invalidInput('scopes', `"${s}" is not a valid scope`);
  return list;
}

/** An allowlist as stored: validated CIDR blocks as JSON, or null (an empty list means none). */
function storedAllowlist(cidrs: readonly string[] | null): string | null {
  if (!cidrs || cidrs.length === 0) return null;
  blockListOf(cidrs);
  return JSON.stringify(cidrs.map((c) => c.trim()));
}

function checkRateLimit(perSecond: number | null): number | null {
  if (perSecond === null) return null;
  if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > 100_000)
    throw invalidInput('rate_limit', 'a rate limit is a whole number of requests per second, 1-100000');
  return perSecond;
}

/**
 * The options each key type acts on. Any other would be stored and silently ignored, so it is
 * refused: a device key only syncs device data, with no scopes or rate limit of its own; a
 * DeviceConnect server key answers no scopes and keeps its allowlist beside its SERVER_HASH
 * (services/device/finbox-keys.ts), set when it is made.
 */
const TYPE_OPTIONS: Record<KeyType, ReadonlySet<keyof KeyChanges>> = {
  server: new Set(['scopes', 'ipAllow', 'rateLimit']),
  device: new Set(['ipAllow']),
  'finbox-server': new Set(['rateLimit']),
};
const REFUSALS: Record<keyof KeyChanges, [field: string, message: (type: KeyType) => string]> = {
  scopes: ['scopes', (type) => `scopes do not apply to a ${type} key`],
  ipAllow: ['ip_allow', (type) => `a ${type} key's IP allowlist is set when the key is created`],
  rateLimit: ['rate_limit', (type) => `a rate limit does not apply to a ${type} key`],
};

/** Whether an option asks for something other than the default (every scope, no allowlist, no limit). */
function setsOption(option: keyof KeyChanges, v: KeyChanges[keyof KeyChanges]): boolean {
  if (v === undefined || v === null) return false;
  if (!Array.isArray(v)) return true;
  return option === 'scopes' ? v.some((s) => s !== ALL_SCOPES) : v.length > 0;
}

function refuseInapplicable(type: KeyType, o: KeyChanges): void {
  for (const option of ['scopes', 'ipAllow', 'rateLimit'] as const) {
    if (!setsOption(option, o[option]) || TYPE_OPTIONS[type].has(option)) continue;
    const [field, message] = REFUSALS[option];
    throw invalidInput(field, message(type));
  }
}

/** A key checked and made but not yet stored (`ApiKeyService.prepare`). */
export interface PreparedApiKey {
  created: CreatedApiKey;
  row: ApiKeyRow;
  actor: string;
}

export const toApiKeyInfo = (r: ApiKeyRow): ApiKeyInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  clientId: r.client_id,
  type: r.type,
  name: r.name,
  start: r.start,
  // A key whose type takes no scopes (a device key, a DeviceConnect server key) holds none: its
  // type alone says what it may call. Its stored `*` would read as "every scope".
  scopes: isKeyType(r.type) && !TYPE_OPTIONS[r.type].has('scopes') ? [] : (JSON.parse(r.scopes) as string[]),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  ipAllow: r.ip_allow ? (JSON.parse(r.ip_allow) as string[]) : null,
  rateLimit: r.rate_limit,
});

/** A key as the CLI's --json and the admin API print it (snake_case; never the key itself). */
export const apiKeyJson = (k: ApiKeyInfo) => ({
  id: k.id,
  tenant_id: k.tenantId,
  client_id: k.clientId,
  type: k.type,
  name: k.name,
  start: k.start,
  scopes: k.scopes,
  ip_allow: k.ipAllow,
  rate_limit: k.rateLimit,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
});

export class ApiKeyService {
  /** Called with the key's hash after a revocation or a change, so caches in this process forget it at once. */
  onRevoke: ((hash: string) => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly tenants: TenantService,
  ) {}

  async create(o: CreateKeyOptions): Promise<CreatedApiKey> {
    const prepared = await this.prepare(o);
    await this.store(prepared, this.db);
    return prepared.created;
  }

  /**
   * Checks the options and makes a key without storing it, for a caller that stores it with rows
   * of its own in one transaction (`store`).
   */
  async prepare(o: CreateKeyOptions): Promise<PreparedApiKey> {
    const tenant = await this.tenants.get(o.tenant);
    const type = o.type ?? 'server';
    if (!isKeyType(type)) throw invalidInput('type', `unknown key type "${type}"`);
    refuseInapplicable(type, o);
    const scopes = checkScopes(o.scopes);
    const ipAllow = storedAllowlist(o.ipAllow ?? null);
    const rateLimit = checkRateLimit(o.rateLimit ?? null);
    let expiresAt: string | null = null;
    if (o.expiresAt !== undefined) {
      const at = parseIsoDate(o.expiresAt, 'expires');
      // As validated: a time without an offset is UTC (Date would read it as the host's local time).
      expiresAt = new Date(at).toISOString();
      // A key made already expired could never be used: the date is a mistake, not a wish.
      if (at <= this.clock.now().getTime())
        throw invalidInput('expires', `"${o.expiresAt}" has already passed: a key must expire in the future`);
    }
    const client = await this.tenants.client(tenant.id, o.client ?? DEFAULT_CLIENT);
    const key = generateApiKey(type as KeyType);
    const row: ApiKeyRow = {
      id: newId('key'),
      tenant_id: tenant.id,
      client_id: client.id,
      type,
      name: o.name ?? null,
      start: visibleStart(key),
      hash: hashApiKey(key),
      scopes: JSON.stringify(scopes),
      created_at: this.clock.now().toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
      ip_allow: ipAllow,
      rate_limit: rateLimit,
    };
    return { created: { ...toApiKeyInfo(row), key }, row, actor: o.actor ?? 'cli' };
  }

  /** Stores a prepared key and its audit entry, in `db` (a transaction or the database). */
  async store(p: PreparedApiKey, db: Kysely<Database>): Promise<void> {
    await insertApiKey(db, p.row);
    await audit(db, this.clock, {
      tenantId: p.row.tenant_id,
      actor: p.actor,
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: p.row.id,
      details: { type: p.row.type, scopes: p.created.scopes },
    });
  }

  async list(tenantRef: string): Promise<ApiKeyInfo[]> {
    const tenant = await this.tenants.get(tenantRef);
    return (await listApiKeys(this.db, tenant.id)).map(toApiKeyInfo);
  }

  /** Changes a key's scopes, IP allowlist or rate limit; every process sees it within a second. */
  async update(id: string, changes: KeyChanges, actor = 'cli'): Promise<ApiKeyInfo> {
    const row = await findApiKeyById(this.db, id);
    if (!row) throw notFound('API key', id);
    if (isKeyType(row.type)) refuseInapplicable(row.type, changes);
    const set: Partial<Pick<ApiKeyRow, 'scopes' | 'ip_allow' | 'rate_limit'>> = {};
    if (changes.scopes !== undefined) set.scopes = JSON.stringify(checkScopes(changes.scopes));
    if (changes.ipAllow !== undefined) set.ip_allow = storedAllowlist(changes.ipAllow);
    if (changes.rateLimit !== undefined) set.rate_limit = checkRateLimit(changes.rateLimit);
    if (Object.keys(set).length > 0) await updateApiKey(this.db, id, set);
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor,
      action: 'api_key.update',
      targetType: 'api_key',
      targetId: id,
      details: { fields: Object.keys(set) },
    });
    this.onRevoke?.(row.hash);
    return toApiKeyInfo((await findApiKeyById(this.db, id))!);
  }

  /** Revokes a key named by its id or by the key itself. */
  async revoke(given: string, actor = 'cli'): Promise<ApiKeyInfo> {
    // As pasted: the spaces around a copied key are not part of it (the admin keys' revoke agrees).
    const ref = given.trim();
    const row = ref.startsWith('key_')
      ? await findApiKeyById(this.db, ref)
      : await findApiKeyByHash(this.db, hashApiKey(ref));
    if (!row) throw notFound('API key', ref.startsWith('key_') ? ref : visibleStart(ref));
    const at = this.clock.now().toISOString();
    await revokeApiKey(this.db, row.id, at);
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor,
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: row.id,
    });
    this.onRevoke?.(row.hash);
    const fresh = await findApiKeyById(this.db, row.id);
    return toApiKeyInfo(fresh!);
  }
}
