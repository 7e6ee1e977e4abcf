import { type Kysely, sql } from 'kysely';

/**
 * At most one standing consent per subscriber, client and scope. Two requests recording the same
 * consent at once could both find none and both insert; withdrawing one then left the other
 * standing, and the client's token kept working. Duplicates standing now are merged into the oldest:
 * each later one is marked withdrawn as of its own grant (it never covered anything the oldest did
 * not), so the subscriber's consent is unchanged and one withdrawal ends it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update telco_consents set revoked_at = granted_at
    where revoked_at is null and exists (
      select 1 from telco_consents older
      where older.subscriber_id = telco_consents.subscriber_id
        and older.oauth_client_id = telco_consents.oauth_client_id
        and older.scope = telco_consents.scope
        and older.revoked_at is null
        and (older.granted_at < telco_consents.granted_at
          or (older.granted_at = telco_consents.granted_at and older.id < telco_consents.id)))
  `.execute(db);
  await db.schema
    .createIndex('telco_consents_standing_unique')
    .on('telco_consents')
    .columns(['subscriber_id', 'oauth_client_id', 'scope'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('telco_consents_standing_unique').execute();
}
