import type { Kysely } from 'kysely';
import { fixedQueries } from '../fixed-query.js';
import type {
  CibaRequestRow,
  Database,
  TelcoConsentRow,
  TelcoSubscriberRow,
  TelcoSubscriberTable,
} from '../schema.js';

type Db = Kysely<Database>;

/**
 * Inserts subscribers, replacing the data of a phone number already loaded; returns how many were
 * new. `earlierIndexes[i]` are the phone number's blind indexes of `rows[i]` under the secret keys
 * still being rotated out: a number loaded under one of them is the same subscriber, and its row
 * (its id, and with it its consents and runs) is moved to the current index and updated, rather
 * than left beside a second row that lookups and the rotation would not tell from it.
 */
export async function upsertSubscribers(
  db: Db,
  rows: readonly TelcoSubscriberTable[],
  earlierIndexes: readonly (readonly string[])[] = [],
): Promise<number> {
  if (rows.length === 0) return 0;
  const tenantId = rows[0]!.tenant_id;
  const earlier = new Map<string, TelcoSubscriberTable>();
  earlierIndexes.forEach((indexes, i) => {
    for (const index of indexes) earlier.set(index, rows[i]!);
  });
  const found = await db
    .selectFrom('telco_subscribers')
    .select('phone_index')
    .where('tenant_id', '=', tenantId)
    .where('phone_index', 'in', [...rows.map((r) => r.phone_index), ...earlier.keys()])
    .execute();
  const stored = new Set(found.map((f) => f.phone_index).filter((index) => !earlier.has(index)));
  for (const { phone_index: index } of found) {
    const row = earlier.get(index);
    if (row === undefined) continue;
    if (stored.has(row.phone_index))
      await db
        .deleteFrom('telco_subscribers')
        .where('tenant_id', '=', tenantId)
        .where('phone_index', '=', index)
        .execute();
    else
      await db
        .updateTable('telco_subscribers')
        .set({ phone_index: row.phone_index })
        .where('tenant_id', '=', tenantId)
        .where('phone_index', '=', index)
        .execute();
    stored.add(row.phone_index);
  }
  await db
    .insertInto('telco_subscribers')
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'phone_index']).doUpdateSet((eb) => ({
        phone: eb.ref('excluded.phone'),
        id_document_index: eb.ref('excluded.id_document_index'),
        id_document: eb.ref('excluded.id_document'),
        subscription_type: eb.ref('excluded.subscription_type'),
        activation_date: eb.ref('excluded.activation_date'),
        features: eb.ref('excluded.features'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return rows.length - stored.size;
}

export async function findSubscriberByPhone(
  db: Db,
  tenantId: string,
  phoneIndexes: readonly string[],
): Promise<TelcoSubscriberRow | undefined> {
  return (await subscriberByPhone(phoneIndexes.length)(db, tenantId, ...phoneIndexes)).rows[0];
}

// Every CAMARA scoring request runs it: compiled once for each number of blind indexes (one per
// secret key), fixed-query.ts.
const subscriberByPhone = fixedQueries(
  (count: number) => String(count),
  (count) =>
    (db: Db, tenantId: string, ...indexes: string[]) =>
      db
        .selectFrom('telco_subscribers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('phone_index', 'in', indexes.slice(0, count)),
);

export async function findSubscriberById(
  db: Db,
  tenantId: string,
  id: string,
): Promise<TelcoSubscriberRow | undefined> {
  return db
    .selectFrom('telco_subscribers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether any subscriber of the tenant holds the id document (by its blind indexes). */
export async function idDocumentExists(
  db: Db,
  tenantId: string,
  indexes: readonly string[],
): Promise<boolean> {
  const row = await db
    .selectFrom('telco_subscribers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id_document_index', 'in', [...indexes])
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertConsent(db: Db, row: TelcoConsentRow): Promise<void> {
  await db.insertInto('telco_consents').values(row).execute();
}

/** The consents a subscriber gave a client that stand now. */
export async function listActiveConsents(
  db: Db,
  subscriberId: string,
  oauthClientId: string,
): Promise<TelcoConsentRow[]> {
  return db
    .selectFrom('telco_consents')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('oauth_client_id', '=', oauthClientId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Every consent of a subscriber, standing or withdrawn, oldest first. */
export async function listConsents(db: Db, subscriberId: string): Promise<TelcoConsentRow[]> {
  return db
    .selectFrom('telco_consents')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .orderBy('granted_at')
    .orderBy('id')
    .execute();
}

/** A consent by id, in the tenant when one is given (consent ids are unique across tenants). */
export async function findConsent(
  db: Db,
  tenantId: string | undefined,
  id: string,
): Promise<TelcoConsentRow | undefined> {
  let q = db.selectFrom('telco_consents').selectAll().where('id', '=', id);
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
  return q.executeTakeFirst();
}

export async function revokeConsent(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('telco_consents')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertCibaRequest(db: Db, row: CibaRequestRow): Promise<void> {
  await db.insertInto('ciba_requests').values(row).execute();
}

export async function findCibaRequest(db: Db, id: string): Promise<CibaRequestRow | undefined> {
  return db.selectFrom('ciba_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes the requests that expired before `before`; how many. */
export async function deleteCibaRequestsExpiredBefore(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom('ciba_requests').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Marks a request redeemed; false when another poll redeemed it first. */
export async function redeemCibaRequest(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('ciba_requests')
    .set({ redeemed_at: at })
    .where('id', '=', id)
    .where('redeemed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many consents and backchannel authentication requests a subscriber has. */
export async function countSubscriberRecords(
  db: Db,
  subscriberId: string,
): Promise<{ consents: number; cibaRequests: number }> {
  const count = async (table: 'telco_consents' | 'ciba_requests') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('subscriber_id', '=', subscriberId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { consents: await count('telco_consents'), cibaRequests: await count('ciba_requests') };
}

/**
 * Deletes the tenant's subscriber; its consents and authentication requests go with it, by cascade.
 * False when there was none (erased already).
 */
export async function deleteSubscriber(db: Db, tenantId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('telco_subscribers')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
