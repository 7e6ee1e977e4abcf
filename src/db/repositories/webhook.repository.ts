import type { Kysely } from 'kysely';
import type {
  Database,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookDeliveryTable,
  WebhookSecretTable,
} from '../schema.js';

type Db = Kysely<Database>;

export async function insertWebhookSecret(db: Db, row: WebhookSecretTable): Promise<void> {
  await db.insertInto('webhook_secrets').values(row).execute();
}

/** The secrets that sign for an application at `now`, newest first. */
export async function liveWebhookSecrets(db: Db, clientId: string, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_secrets')
    .select('secret')
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.secret);
}

/** The application's current secret: the one no rotation has set to expire (undefined: none yet). */
export async function currentWebhookSecret(db: Db, clientId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_secrets')
    .select('secret')
    .where('client_id', '=', clientId)
    .where('expires_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.secret;
}

/** Makes every current secret of an application expire at `at` (a newer one replaces them). */
export async function expireWebhookSecrets(db: Db, clientId: string, at: string): Promise<void> {
  await db
    .updateTable('webhook_secrets')
    .set({ expires_at: at })
    .where('client_id', '=', clientId)
    .where('expires_at', 'is', null)
    .execute();
}

/** Inserts a delivery unless the tenant already has one with its dedupe key; returns whether it did. */
export async function insertDelivery(db: Db, row: WebhookDeliveryTable): Promise<boolean> {
  const r = await db
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findDeliveryByKey(
  db: Db,
  tenantId: string,
  key: string,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
}

export async function findDelivery(db: Db, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDeliveries(
  db: Db,
  q: { tenantId: string; status?: string | undefined; after?: string | undefined; limit: number },
): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', q.tenantId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.after) query = query.where('id', '<', q.after);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}

/** What an attempt changes on its delivery, besides the count of attempts. */
export type AttemptOutcome = Partial<
  Omit<WebhookDeliveryTable, 'id' | 'tenant_id' | 'status' | 'attempts'> & { status: 'delivered' | 'failed' }
>;

/**
 * Stores an attempt and its delivery's new state. The attempt's number is the delivery's count of
 * attempts, raised by the statement that reads it, so attempts that run at once each get their own
 * number and the count is every attempt made. Nothing is stored when the delivery was erased meanwhile.
 */
export async function recordAttempt(
  db: Db,
  attempt: Omit<WebhookAttemptRow, 'attempt'>,
  set: AttemptOutcome,
): Promise<void> {
  const row = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ ...set, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', attempt.delivery_id)
    .returning('attempts')
    .executeTakeFirst();
  if (!row) return;
  await db
    .insertInto('webhook_attempts')
    .values({ ...attempt, attempt: Number(row.attempts) })
    .execute();
}

/**
 * Puts a delivered or failed delivery back to `pending`, due at `now`; returns whether it did. A
 * pending delivery has its attempts scheduled or running and is left as it is; the condition is
 * checked by the update itself, so of two replays at once only one restarts the delivery.
 */
/**
 * Starts a new series of attempts of a delivery that is not pending and was not attempted since
 * `quietSince`: a second click of a double click finds the first one's series pending or, sent to
 * a receiver that answers at once, already delivered by an attempt that just started.
 */
export async function restartDelivery(db: Db, id: string, now: string, quietSince: string): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    // Not delivered until the new series delivers it: a pending delivery has no delivered_at.
    .set({ status: 'pending', next_attempt_at: now, updated_at: now, delivered_at: null })
    .where('id', '=', id)
    .where('status', '!=', 'pending')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_attempts')
            .select('webhook_attempts.id')
            .where('webhook_attempts.delivery_id', '=', id)
            .where('webhook_attempts.started_at', '>', quietSince),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listAttempts(db: Db, deliveryIds: readonly string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds as string[])
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

export async function deleteSubjectDeliveries(db: Db, tenantId: string, subjectId: string): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
