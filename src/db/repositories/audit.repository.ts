import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../schema.js';

export async function insertAudit(db: Kysely<Database>, row: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}
