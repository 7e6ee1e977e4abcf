/**
 * Reads every row of every table of a test database (and, on PostgreSQL, of the pg-boss queue's
 * schema beside it) and finds the rows that still hold something of a person: an id, a plain
 * identifier, or a blind index or keyed hash of one. Sealed values are opened first, so that an
 * encrypted copy of the person counts as much as a plain one.
 */
import { sql } from 'kysely';
import { pgBossSchemaFor } from '../../src/jobs/queue-factory.js';
import { PiiCipher } from '../../src/security/pii-cipher.js';
import type { TestApp } from './app.js';

export type Row = Record<string, unknown>;

/** Every table the schema has, so that a table added later must be placed here to be swept. */
export const TABLES = [
  'tenants',
  'clients',
  'api_keys',
  'admin_keys',
  'subjects',
  'subject_identifiers',
  'models',
  'active_models',
  'score_runs',
  'idempotency_keys',
  'secret_check',
  'outcomes',
  'audit_log',
  'jobs',
  'oauth_clients',
  'signing_keys',
  'webhook_secrets',
  'webhook_deliveries',
  'webhook_attempts',
  'subject_data',
  'score_requests',
  'friendlyscore_users',
  'sequences',
  'partners',
  'partner_packages',
  'partner_ledger',
  'partner_calls',
  'consortium_members',
  'consortium_applications',
  'telco_subscribers',
  'telco_consents',
  'ciba_requests',
  'sightings',
  'documents',
  'finbox_server_keys',
  'device_batches',
  'device_sms',
  'device_state',
  'device_predictors',
  'finbox_notices',
  'kysely_migration',
  'kysely_migration_lock',
  // pg-boss's, on PostgreSQL (schema version 24, pg-boss 10).
  'pgboss.job',
  'pgboss.archive',
  'pgboss.queue',
  'pgboss.schedule',
  'pgboss.subscription',
  'pgboss.version',
];

/** The tables of `tables` that TABLES does not list: a new table must be placed there to be swept. */
export function unknownTables(tables: ReadonlyMap<string, Row[]>): string[] {
  return [...tables.keys()].filter((n) => !TABLES.includes(n));
}

/** Opens a sealed value with the app's cipher; undefined for anything else. */
export function opener(t: TestApp): (text: string) => string | undefined {
  return (text) => {
    try {
      return PiiCipher.isSealed(text) ? t.ctx.cipher.decrypt(text) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The distinct `table: needle` pairs found, sorted: a readable failure message. */
export const where = (found: Finding[]) => [...new Set(found.map((f) => `${f.table}: ${f.needle}`))].sort();

/** How many rows of each table hold each needle. */
export function tally(found: Finding[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const f of found) n[`${f.table}: ${f.needle}`] = (n[`${f.table}: ${f.needle}`] ?? 0) + 1;
  return n;
}

/** Every table, by name (`pgboss.<table>` for the queue's); Kysely's own migration tables too. */
export async function everyTable(t: TestApp): Promise<Map<string, Row[]>> {
  const db = t.ctx.database.db;
  const tables = new Map<string, Row[]>();
  if (t.ctx.database.engine === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of rows) {
      tables.set(name, (await sql<Row>`select * from ${sql.table(name)}`.execute(db)).rows);
    }
    return tables;
  }
  // Partitions are read through their table: pg-boss keeps each queue's jobs in a partition of `job`.
  const { rows } = await sql<{ schema: string; name: string; queue: boolean }>`
    select n.nspname as schema, c.relname as name, n.nspname <> current_schema() as queue
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition
       and n.nspname in (current_schema(), current_schema() || '_pgboss')`.execute(db);
  for (const r of rows) {
    const found = await sql<Row>`select * from ${sql.table(`${r.schema}.${r.name}`)}`.execute(db);
    tables.set(r.queue ? `pgboss.${r.name}` : r.name, found.rows);
  }
  return tables;
}

export interface Needle {
  /** What it is, for the failure message: `partner id`, `phone blind index`, ... */
  label: string;
  value: string;
  /** A value the same person has with the control tenant too: rows of that tenant may hold it. */
  shared?: boolean;
}

export interface Finding {
  table: string;
  needle: string;
  row: Row;
}

/**
 * The tenant a row belongs to: its own column, the consortium's platform, a TD partner's tenant,
 * or the tenant a queued job names.
 */
function tenantOf(row: Row, partnerTenants: ReadonlyMap<string, string>): string | undefined {
  if (typeof row.tenant_id === 'string') return row.tenant_id;
  if (typeof row.platform_id === 'string') return row.platform_id;
  if (typeof row.partner_id === 'string' && partnerTenants.has(row.partner_id))
    return partnerTenants.get(row.partner_id);
  const data = typeof row.data === 'string' ? safeJson(row.data) : row.data;
  const payload = typeof row.payload === 'string' ? safeJson(row.payload) : undefined;
  for (const d of [data, payload]) {
    if (d && typeof d === 'object' && typeof (d as Row).tenantId === 'string')
      return (d as Row).tenantId as string;
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A row as text, its sealed values opened (twice: a sealed JSON may hold sealed values). */
function textOf(row: Row, open: (text: string) => string | undefined): string {
  const parts: string[] = [];
  const add = (v: unknown) => {
    if (v === null || v === undefined) return;
    const s = Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    parts.push(s);
    for (const sealed of s.match(/v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g) ?? []) {
      const opened = open(sealed);
      if (opened !== undefined) add(opened);
    }
  };
  for (const v of Object.values(row)) add(v);
  return parts.join('\n');
}

/**
 * The rows that hold a needle. A `shared` needle in a row of `controlTenantId` is that tenant's
 * own knowledge of the person, not a leftover.
 */
export function findNeedles(
  tables: ReadonlyMap<string, Row[]>,
  needles: readonly Needle[],
  o: { open: (text: string) => string | undefined; controlTenantId: string },
): Finding[] {
  const partnerTenants = new Map(
    (tables.get('partners') ?? []).map((p) => [String(p.id), String(p.tenant_id)] as const),
  );
  const found: Finding[] = [];
  for (const [table, rows] of tables) {
    for (const row of rows) {
      const text = textOf(row, o.open);
      const control = tenantOf(row, partnerTenants) === o.controlTenantId;
      for (const n of needles) {
        if (n.shared && control) continue;
        if (text.includes(n.value)) found.push({ table, needle: n.label, row });
      }
    }
  }
  return found;
}

const ARCHIVED_COLUMNS =
  'id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, started_on, singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until, dead_letter, policy, output';

/**
 * On PostgreSQL, moves the finished jobs named `name` to pg-boss's archive, as its maintenance
 * does a day after they finished (pg-boss 10, plans.js `archive`): a sweep then finds jobs in both
 * tables. Nothing to do on the embedded queue, which has no archive.
 */
export async function archiveFinishedJobs(t: TestApp, name: string): Promise<void> {
  if (t.ctx.database.engine !== 'postgres') return;
  const schema = await pgBossSchemaFor(t.ctx.database);
  await sql`
    with moved as (delete from ${sql.table(`${schema}.job`)} where name = ${name} and state > 'active' returning *)
    insert into ${sql.table(`${schema}.archive`)} (${sql.raw(ARCHIVED_COLUMNS)})
    select ${sql.raw(ARCHIVED_COLUMNS)} from moved`.execute(t.ctx.database.db);
}
