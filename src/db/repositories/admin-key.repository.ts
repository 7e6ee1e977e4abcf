import type { Kysely } from 'kysely';
import type { AdminKeyRow, Database } from '../schema.js';

type Db = Kysely<Database>;

export async function insertAdminKey(db: Db, row: AdminKeyRow): Promise<void> {
  await db.insertInto('admin_keys').values(row).execute();
}

export async function findAdminKeyByHash(db: Db, hash: string): Promise<AdminKeyRow | undefined> {
  return db.selectFrom('admin_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function findAdminKeyById(db: Db, id: string): Promise<AdminKeyRow | undefined> {
  return db.selectFrom('admin_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAdminKeys(db: Db): Promise<AdminKeyRow[]> {
  return db.selectFrom('admin_keys').selectAll().orderBy('created_at').execute();
}

export async function revokeAdminKey(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('admin_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}
