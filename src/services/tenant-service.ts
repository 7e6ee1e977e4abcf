/** Tenants and their clients (applications). Operators manage them from the CLI. */
import type { Kysely } from 'kysely';
import { conflictOnUnique } from '../db/constraint-violation.js';
import {
  findClientByName,
  findTenant,
  insertClient,
  insertTenant,
  listClients,
  listTenants,
} from '../db/repositories/tenant.repository.js';
import type { ClientRow, Database, TenantRow } from '../db/schema.js';
import { CredenceError, invalidInput, notFound } from '../domain/errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  disabled: boolean;
}

export interface Client {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
}

const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const DEFAULT_CLIENT = 'default';

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  disabled: r.disabled_at !== null,
});
const toClient = (r: ClientRow): Client => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  createdAt: r.created_at,
});

export class TenantService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(name: string, actor = 'cli'): Promise<Tenant> {
    if (!TENANT_NAME.test(name)) {
      throw invalidInput(
        'name',
        `a tenant name is 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit, not ${JSON.stringify(name)}`,
      );
    }
    const exists = () => new CredenceError('CREDENCE_CONFLICT', `tenant "${name}" already exists`);
    if (await findTenant(this.db, name)) throw exists();
    const now = this.clock.now().toISOString();
    const row: TenantRow = { id: newId('ten'), name, created_at: now, disabled_at: null };
    // Made by another request between the check and the insert: the unique name says so.
    await conflictOnUnique(exists, () =>
      this.db.transaction().execute(async (trx) => {
        await insertTenant(trx, row);
        await insertClient(trx, {
          id: newId('cli'),
          tenant_id: row.id,
          name: DEFAULT_CLIENT,
          created_at: now,
        });
        await audit(trx, this.clock, {
          tenantId: row.id,
          actor,
          action: 'tenant.create',
          targetType: 'tenant',
          targetId: row.id,
        });
      }),
    );
    return toTenant(row);
  }

  async list(): Promise<Tenant[]> {
    return (await listTenants(this.db)).map(toTenant);
  }

  /** A tenant by id or name. */
  async get(ref: string): Promise<Tenant> {
    const row = await findTenant(this.db, ref);
    if (!row) throw notFound('tenant', ref);
    return toTenant(row);
  }

  async createClient(tenantRef: string, name: string, actor = 'cli'): Promise<Client> {
    const tenant = await this.get(tenantRef);
    if (!TENANT_NAME.test(name))
      throw invalidInput('name', 'a client name is 1-63 lower-case letters, digits, "-" or "_"');
    const exists = () =>
      new CredenceError('CREDENCE_CONFLICT', `client "${name}" already exists in tenant ${tenant.name}`);
    if (await findClientByName(this.db, tenant.id, name)) throw exists();
    const row: ClientRow = {
      id: newId('cli'),
      tenant_id: tenant.id,
      name,
      created_at: this.clock.now().toISOString(),
    };
    await conflictOnUnique(exists, () => insertClient(this.db, row));
    await audit(this.db, this.clock, {
      tenantId: tenant.id,
      actor,
      action: 'client.create',
      targetType: 'client',
      targetId: row.id,
    });
    return toClient(row);
  }

  /** The named client of a tenant, created on first use for the default client. */
  async client(tenantId: string, name = DEFAULT_CLIENT): Promise<Client> {
    const row = await findClientByName(this.db, tenantId, name);
    if (row) return toClient(row);
    if (name !== DEFAULT_CLIENT) throw notFound('client', name);
    const created: ClientRow = {
      id: newId('cli'),
      tenant_id: tenantId,
      name,
      created_at: this.clock.now().toISOString(),
    };
    await insertClient(this.db, created);
    return toClient(created);
  }

  async clients(tenantRef: string): Promise<Client[]> {
    const tenant = await this.get(tenantRef);
    return (await listClients(this.db, tenant.id)).map(toClient);
  }
}
