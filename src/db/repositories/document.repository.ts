import type { Kysely } from 'kysely';
import type { Database, DocumentRow, DocumentTable } from '../schema.js';

type Db = Kysely<Database>;

export async function insertDocument(db: Db, row: DocumentTable): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

export async function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDocumentByExternalId(
  db: Db,
  subjectId: string,
  externalId: string,
): Promise<DocumentRow | undefined> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function parsedDocuments(db: Db, tenantId: string, subjectId: string): Promise<DocumentRow[]> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'parsed')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function settleDocument(
  db: Db,
  id: string,
  change: Pick<DocumentTable, 'status' | 'failure' | 'extraction' | 'updated_at'>,
): Promise<void> {
  await db
    .updateTable('documents')
    .set({ ...change, content: null })
    .where('id', '=', id)
    .execute();
}
