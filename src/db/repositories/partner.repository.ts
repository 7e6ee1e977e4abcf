import { type Kysely, sql } from 'kysely';
import { everyColumn, fixedInsert, fixedQuery } from '../fixed-query.js';
import type { Database, PartnerLedgerRow, PartnerPackageRow, PartnerRow } from '../schema.js';

type Db = Kysely<Database>;

// The queries of every metered call, compiled once (fixed-query.ts).
const debitQuery = fixedQuery((db: Db, id: string, amount: number) =>
  db
    .updateTable('partners')
    .set({ balance: sql<number>`balance - ${amount}` })
    .where('id', '=', id)
    .where('balance', '>=', amount)
    .returning('balance'),
);

const packageQuery = fixedQuery((db: Db, partnerId: string, pkg: string) =>
  db
    .selectFrom('partner_packages')
    .innerJoin('partners', 'partners.id', 'partner_packages.partner_id')
    .selectAll('partner_packages')
    .select('partners.balance')
    .where('partner_packages.partner_id', '=', partnerId)
    .where('partner_packages.package', '=', pkg),
);

const LEDGER_COLUMNS = everyColumn<PartnerLedgerRow>()([
  'id',
  'partner_id',
  'kind',
  'amount',
  'balance_after',
  'sequence_id',
  'actor',
  'created_at',
]);

const ledgerQuery = fixedInsert(LEDGER_COLUMNS, (db: Db, row: PartnerLedgerRow) =>
  db.insertInto('partner_ledger').values(row),
);

export interface PartnerWithTenant extends PartnerRow {
  tenant_name: string;
  tenant_disabled_at: string | null;
}

export async function insertPartner(db: Db, row: PartnerRow): Promise<void> {
  await db.insertInto('partners').values(row).execute();
}

export async function findPartnerByCode(db: Db, code: string): Promise<PartnerWithTenant | undefined> {
  return db
    .selectFrom('partners')
    .innerJoin('tenants', 'tenants.id', 'partners.tenant_id')
    .selectAll('partners')
    .select(['tenants.name as tenant_name', 'tenants.disabled_at as tenant_disabled_at'])
    .where('partners.code', '=', code)
    .executeTakeFirst();
}

export async function listPartners(db: Db, tenantId: string): Promise<PartnerRow[]> {
  return db
    .selectFrom('partners')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updatePartner(
  db: Db,
  id: string,
  set: Partial<Pick<PartnerRow, 'key_hash' | 'key_start' | 'key_created_at' | 'disabled_at' | 'countries'>>,
): Promise<void> {
  await db.updateTable('partners').set(set).where('id', '=', id).execute();
}

/**
 * Adds `amount` to the balance unless that would take it above `max`, in one statement. Returns
 * the new balance, or undefined when it would have gone above.
 */
export async function creditPartner(
  db: Db,
  id: string,
  amount: number,
  max: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('partners')
    .set({ balance: sql<number>`balance + ${amount}` })
    .where('id', '=', id)
    .where('balance', '<=', max - amount)
    .returning('balance')
    .executeTakeFirst();
  return row ? Number(row.balance) : undefined;
}

/**
 * Takes `amount` from the balance only if the balance covers it, in one statement: concurrent
 * debits can never overdraw (PostgreSQL re-checks the condition on the row it has locked; SQLite
 * runs one writer at a time). Returns the new balance, or undefined when it did not cover it.
 */
export async function debitPartner(db: Db, id: string, amount: number): Promise<number | undefined> {
  const row = (await debitQuery(db, id, amount)).rows[0];
  return row ? Number(row.balance) : undefined;
}

export async function findPartnerBalance(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('partners')
    .select('balance')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

export async function upsertPackage(db: Db, row: PartnerPackageRow): Promise<void> {
  await db
    .insertInto('partner_packages')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['partner_id', 'package']).doUpdateSet({
        price: row.price,
        starts_at: row.starts_at,
        expires_at: row.expires_at,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findPackage(
  db: Db,
  partnerId: string,
  pkg: string,
): Promise<(PartnerPackageRow & { balance: number }) | undefined> {
  const row = (await packageQuery(db, partnerId, pkg)).rows[0];
  return row ? { ...row, price: Number(row.price), balance: Number(row.balance) } : undefined;
}

export async function listPackages(db: Db, partnerId: string): Promise<PartnerPackageRow[]> {
  const rows = await db
    .selectFrom('partner_packages')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('package')
    .execute();
  return rows.map((r) => ({ ...r, price: Number(r.price) }));
}

export async function setPackageStatus(
  db: Db,
  partnerId: string,
  pkg: string,
  status: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('partner_packages')
    .set({ status, updated_at: at })
    .where('partner_id', '=', partnerId)
    .where('package', '=', pkg)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertLedgerEntry(db: Db, row: PartnerLedgerRow): Promise<void> {
  await ledgerQuery(db, row);
}

/** A partner's ledger, newest first. */
export async function listLedger(db: Db, partnerId: string, limit: number): Promise<PartnerLedgerRow[]> {
  const rows = await db
    .selectFrom('partner_ledger')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, amount: Number(r.amount), balance_after: Number(r.balance_after) }));
}

export async function sumLedger(db: Db, partnerId: string): Promise<number> {
  const row = await db
    .selectFrom('partner_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('total'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
