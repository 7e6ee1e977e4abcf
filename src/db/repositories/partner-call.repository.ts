import type { Kysely } from 'kysely';
import { everyColumn, fixedInsert } from '../fixed-query.js';
import type { Database, PartnerCallRow } from '../schema.js';

type Db = Kysely<Database>;

const CALL_COLUMNS = everyColumn<PartnerCallRow>()([
  'sequence_id',
  'partner_id',
  'package',
  'country',
  'code',
  'message',
  'charged',
  'idempotency_key',
  'request_hash',
  'subject_id',
  'request_id',
  'response',
  'created_at',
  'id_hash',
  'phone_hash',
]);

const insertCallQuery = fixedInsert(CALL_COLUMNS, (db: Db, row: PartnerCallRow) =>
  db
    .insertInto('partner_calls')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['partner_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing(),
    ),
);

/**
 * Records a call. A charged call holds its idempotency key: when another charged call of the
 * partner holds it already, nothing is inserted and the result is false.
 */
export async function insertCall(db: Db, row: PartnerCallRow): Promise<boolean> {
  const r = await insertCallQuery(db, row);
  return Number(r.numAffectedRows ?? 0) > 0;
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

/**
 * Detaches calls from the person they were about: the ledger keeps each call (code, package,
 * charge), but no longer the subject nor the answer kept for replays, and it gives up its
 * idempotency key, since there is no answer left to replay: the same key then makes a new call.
 * The calls are a subject's, or those of the given sequence ids (the calls that recorded a person's
 * consortium applications, made before the person was a subject). Returns the detached calls.
 */
export async function detachCalls(
  db: Db,
  tenantId: string,
  which:
    | { subjectId: string }
    | { sequenceIds: readonly string[] }
    | { idHashes: readonly string[]; phoneHashes: readonly string[] },
): Promise<{ sequence_id: string; country: string | null }[]> {
  if ('sequenceIds' in which && which.sequenceIds.length === 0) return [];
  if ('idHashes' in which && which.idHashes.length + which.phoneHashes.length === 0) return [];
  const calls = await db
    .selectFrom('partner_calls')
    .innerJoin('partners', 'partners.id', 'partner_calls.partner_id')
    .select(['partner_calls.sequence_id', 'partner_calls.country'])
    .where('partners.tenant_id', '=', tenantId)
    .where((eb) => {
      if ('subjectId' in which) return eb('partner_calls.subject_id', '=', which.subjectId);
      if ('sequenceIds' in which) return eb('partner_calls.sequence_id', 'in', which.sequenceIds);
      const { idHashes, phoneHashes } = which;
      return eb.or([
        ...(idHashes.length > 0 ? [eb('partner_calls.id_hash', 'in', idHashes)] : []),
        ...(phoneHashes.length > 0 ? [eb('partner_calls.phone_hash', 'in', phoneHashes)] : []),
      ]);
    })
    .execute();
  if (calls.length > 0) {
    await db
      .updateTable('partner_calls')
      .set({
        subject_id: null,
        response: null,
        request_hash: null,
        idempotency_key: null,
        id_hash: null,
        phone_hash: null,
      })
      .where(
        'sequence_id',
        'in',
        calls.map((c) => c.sequence_id),
      )
      .execute();
  }
  return calls;
}
