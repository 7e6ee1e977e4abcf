import type { Kysely } from 'kysely';
import type { Database, PartnerCallRow } from '../schema.js';

type Db = Kysely<Database>;

/**
 * Records a call. A charged call holds its idempotency key: when another charged call of the
 * partner holds it already, nothing is inserted and the result is false.
 */
export async function insertCall(db: Db, row: PartnerCallRow): Promise<boolean> {
  const r = await db
    .insertInto('partner_calls')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['partner_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing(),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findChargedCall(
  db: Db,
  partnerId: string,
  idempotencyKey: string,
): Promise<PartnerCallRow | undefined> {
  const row = await db
    .selectFrom('partner_calls')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row ? { ...row, charged: Number(row.charged) } : undefined;
}

export async function findCall(db: Db, sequenceId: string): Promise<PartnerCallRow | undefined> {
  const row = await db
    .selectFrom('partner_calls')
    .selectAll()
    .where('sequence_id', '=', sequenceId)
    .executeTakeFirst();
  return row ? { ...row, charged: Number(row.charged) } : undefined;
}

/** A partner's calls, newest first. */
export async function listCalls(db: Db, partnerId: string, limit: number): Promise<PartnerCallRow[]> {
  const rows = await db
    .selectFrom('partner_calls')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('created_at', 'desc')
    .orderBy('sequence_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, charged: Number(r.charged) }));
}

export async function countCalls(
  db: Db,
  partnerId: string,
): Promise<{ calls: number; succeeded: number; charged: number }> {
  const row = await db
    .selectFrom('partner_calls')
    .select((eb) => [
      eb.fn.countAll<number>().as('calls'),
      eb.fn.sum<number>(eb.case().when('code', '=', 200).then(1).else(0).end()).as('succeeded'),
      eb.fn.sum<number>('charged').as('charged'),
    ])
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  return {
    calls: Number(row.calls),
    succeeded: Number(row.succeeded ?? 0),
    charged: Number(row.charged ?? 0),
  };
}
