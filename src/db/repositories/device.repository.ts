import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DevicePredictorsRow } from '../schema-device.js';

type Db = Kysely<Database>;

/** Records a batch; false when the customer already sent this batch id. */
export async function insertBatch(
  db: Db,
  row: {
    tenant_id: string;
    subject_id: string;
    batch_id: string;
    seq: string;
    summary: string;
    received_at: string;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('device_batches')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'subject_id', 'batch_id']).doNothing())
    .returning('seq')
    .execute();
  return r.length > 0;
}

export async function findBatch(db: Db, tenantId: string, subjectId: string, batchId: string) {
  return db
    .selectFrom('device_batches')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
}

export async function updateBatchSummary(
  db: Db,
  tenantId: string,
  subjectId: string,
  batchId: string,
  set: { summary: string; seq: string },
) {
  await db
    .updateTable('device_batches')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('batch_id', '=', batchId)
    .execute();
}

const SMS_CHUNK = 400;

/** Stores the messages not stored before; returns how many were new. */
/** Inserts messages, skipping those already stored; returns the ids of those inserted. */
export async function insertSms(db: Db, rows: Database['device_sms'][]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += SMS_CHUNK) {
    const r = await db
      .insertInto('device_sms')
      .values(rows.slice(i, i + SMS_CHUNK))
      .onConflict((oc) => oc.columns(['tenant_id', 'subject_id', 'fingerprint']).doNothing())
      .returning('id')
      .execute();
    for (const { id } of r) stored.add(id);
  }
  return stored;
}

/** Facts kept per message (how messages were stored before facts moved to batch records). */
export async function listSmsFacts(db: Db, tenantId: string, subjectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('device_sms')
    .select('fact')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('fact', '<>', '')
    .execute();
  return rows.map((r) => r.fact);
}

/** Drops the raw text of messages whose retention has passed; returns how many. */
export async function purgeSmsBodies(db: Db, now: string): Promise<number> {
  const r = await db
    .updateTable('device_sms')
    .set({ body: null, body_expires_at: null })
    .where('body_expires_at', 'is not', null)
    .where('body_expires_at', '<=', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Locks the customer's device state for the rest of the transaction and returns its watermark and
 * time (an empty watermark when the customer has none yet: the row is made, and set before commit).
 * A concurrent sync of the customer waits here until this one commits, then reads what it wrote.
 */
export async function lockDeviceState(
  db: Db,
  row: { tenant_id: string; subject_id: string; at: string },
): Promise<{ watermark: string; as_of: string }> {
  return db
    .insertInto('device_state')
    .values({
      tenant_id: row.tenant_id,
      subject_id: row.subject_id,
      watermark: '',
      as_of: row.at,
      updated_at: row.at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'subject_id']).doUpdateSet({ updated_at: row.at }))
    .returning(['watermark', 'as_of'])
    .executeTakeFirstOrThrow();
}

/** Moves the customer's watermark forward (never back, whatever order concurrent syncs commit in). */
export async function advanceWatermark(
  db: Db,
  row: { tenant_id: string; subject_id: string; watermark: string; as_of: string; updated_at: string },
): Promise<void> {
  await db
    .insertInto('device_state')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'subject_id'])
        .doUpdateSet({ watermark: row.watermark, as_of: row.as_of, updated_at: row.updated_at })
        .where('device_state.watermark', '<', row.watermark),
    )
    .execute();
}

export async function findDeviceState(db: Db, tenantId: string, subjectId: string) {
  return db
    .selectFrom('device_state')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

/** The customer's subject and data watermark, by the id the device synced with. */
export async function findDeviceCustomer(db: Db, tenantId: string, customerId: string) {
  return db
    .selectFrom('subjects')
    .leftJoin('device_state', (j) =>
      j
        .onRef('device_state.subject_id', '=', 'subjects.id')
        .onRef('device_state.tenant_id', '=', 'subjects.tenant_id'),
    )
    .select(['subjects.id as subject_id', 'device_state.watermark', 'device_state.as_of'])
    .where('subjects.tenant_id', '=', tenantId)
    .where('subjects.partner_id', '=', customerId)
    .executeTakeFirst();
}

export async function findPredictors(
  db: Db,
  tenantId: string,
  subjectId: string,
  watermark: string,
  version: number,
): Promise<DevicePredictorsRow | undefined> {
  return db
    .selectFrom('device_predictors')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('watermark', '=', watermark)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertPredictors(db: Db, rows: DevicePredictorsRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('device_predictors')
    .values(rows)
    .onConflict((oc) => oc.columns(['tenant_id', 'subject_id', 'watermark', 'version']).doNothing())
    .execute();
}

export async function insertNotice(db: Db, row: Database['finbox_notices']): Promise<void> {
  await db.insertInto('finbox_notices').values(row).execute();
}

export async function findNotice(db: Db, tenantId: string, requestId: string) {
  return db
    .selectFrom('finbox_notices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}
