import type { Kysely } from 'kysely';
import type { Database, OAuthClientRow, SigningKeyRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertOAuthClient(db: Db, row: OAuthClientRow): Promise<void> {
  await db.insertInto('oauth_clients').values(row).execute();
}

export async function findOAuthClient(
  db: Db,
  id: string,
): Promise<(OAuthClientRow & { tenant_disabled_at: string | null }) | undefined> {
  return db
    .selectFrom('oauth_clients')
    .innerJoin('tenants', 'tenants.id', 'oauth_clients.tenant_id')
    .selectAll('oauth_clients')
    .select('tenants.disabled_at as tenant_disabled_at')
    .where('oauth_clients.id', '=', id)
    .executeTakeFirst();
}

export async function listOAuthClients(db: Db, tenantId: string): Promise<OAuthClientRow[]> {
  return db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
}

export async function revokeOAuthClient(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('oauth_clients')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertSigningKey(db: Db, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}

/** The newest key of `alg` that signs at `now`, if any. */
export async function findSigningKey(db: Db, alg: string, now: string): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('alg', '=', alg)
    .where('created_at', '<=', now)
    .where('sign_until', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** Keys that may still verify a token at `now`, newest first. */
export async function listVerifyingKeys(db: Db, now: string): Promise<SigningKeyRow[]> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('verify_until', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}
