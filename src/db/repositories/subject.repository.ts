import type { Kysely } from 'kysely';
import { fixedQueries } from '../fixed-query.js';
import type { Database, SubjectRow } from '../schema.js';

type Db = Kysely<Database>;

export async function findSubjectById(db: Db, tenantId: string, id: string): Promise<SubjectRow | undefined> {
  return db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findSubjectByPartnerId(
  db: Db,
  tenantId: string,
  partnerId: string,
): Promise<SubjectRow | undefined> {
  return db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
}

/**
 * Makes sure a subject exists for each (tenant, partner id) and returns their ids, keyed by
 * `tenant \0 partner`. Concurrent writers may race to create the same subject; the unique
 * constraint and ON CONFLICT DO NOTHING settle it, and the follow-up select reads the winner.
 */
export async function ensureSubjects(
  db: Db,
  wanted: readonly { tenantId: string; partnerId: string; newId: string; at: string }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (wanted.length === 0) return ids;
  await db
    .insertInto('subjects')
    .values(
      wanted.map((w) => ({
        id: w.newId,
        tenant_id: w.tenantId,
        partner_id: w.partnerId,
        created_at: w.at,
        updated_at: w.at,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'partner_id']).doNothing())
    .execute();
  const byTenant = new Map<string, string[]>();
  for (const w of wanted) {
    const list = byTenant.get(w.tenantId) ?? [];
    list.push(w.partnerId);
    byTenant.set(w.tenantId, list);
  }
  for (const [tenantId, partnerIds] of byTenant) {
    const rows = await db
      .selectFrom('subjects')
      .select(['id', 'partner_id'])
      .where('tenant_id', '=', tenantId)
      .where('partner_id', 'in', partnerIds)
      .execute();
    for (const r of rows) ids.set(subjectKey(tenantId, r.partner_id), r.id);
  }
  return ids;
}

export const subjectKey = (tenantId: string, partnerId: string) => `${tenantId}\u0000${partnerId}`;

export interface NewIdentifier {
  kind: string;
  blind_index: string;
  ciphertext: string;
  /**
   * The value's blind indexes under the earlier keys of a rotation in progress: attached under one
   * of them, the identifier is attached already.
   */
  earlier_indexes?: readonly string[];
}

/** Attaches identifiers to a subject; an identifier already attached (to any subject) is left as it is. */
export async function attachIdentifiers(
  db: Db,
  tenantId: string,
  subjectId: string,
  identifiers: readonly NewIdentifier[],
  ids: () => string,
  at: string,
): Promise<void> {
  const earlier = identifiers.flatMap((i) => i.earlier_indexes ?? []);
  const taken =
    earlier.length === 0
      ? new Set<string>()
      : new Set(
          (
            await db
              .selectFrom('subject_identifiers')
              .select('blind_index')
              .where('tenant_id', '=', tenantId)
              .where('kind', 'in', [...new Set(identifiers.map((i) => i.kind))])
              .where('blind_index', 'in', earlier)
              .execute()
          ).map((r) => r.blind_index),
        );
  const fresh = identifiers.filter((i) => !i.earlier_indexes?.some((b) => taken.has(b)));
  if (fresh.length === 0) return;
  await db
    .insertInto('subject_identifiers')
    .values(
      fresh.map(({ earlier_indexes: _earlier, ...i }) => ({
        id: ids(),
        tenant_id: tenantId,
        subject_id: subjectId,
        created_at: at,
        ...i,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'blind_index']).doNothing())
    .execute();
}

export async function findSubjectByIdentifier(
  db: Db,
  tenantId: string,
  kind: string,
  blindIndexes: readonly string[],
): Promise<SubjectRow | undefined> {
  return db
    .selectFrom('subject_identifiers')
    .innerJoin('subjects', 'subjects.id', 'subject_identifiers.subject_id')
    .selectAll('subjects')
    .where('subject_identifiers.tenant_id', '=', tenantId)
    .where('subject_identifiers.kind', '=', kind)
    .where('subject_identifiers.blind_index', 'in', blindIndexes)
    .executeTakeFirst();
}

export async function listIdentifiers(
  db: Db,
  tenantId: string,
  subjectId: string,
): Promise<{ kind: string; ciphertext: string }[]> {
  return db
    .selectFrom('subject_identifiers')
    .select(['kind', 'ciphertext'])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .execute();
}

/** The subjects of a tenant that carry any of the given identifiers, with the kind that matched. */
export async function findSubjectsByIdentifiers(
  db: Db,
  tenantId: string,
  lookups: readonly { kind: string; blindIndexes: readonly string[] }[],
): Promise<{ subject_id: string; kind: string }[]> {
  const wanted = lookups.filter((l) => l.blindIndexes.length > 0);
  if (wanted.length === 0) return [];
  const query = identifiersQuery(wanted.map((l) => ({ kind: l.kind, count: l.blindIndexes.length })));
  return (await query(db, tenantId, ...wanted.flatMap((l) => l.blindIndexes))).rows;
}

// Every indicator call runs it: compiled once for each list of kinds and counts of blind indexes
// (one per secret key), fixed-query.ts.
const identifiersQuery = fixedQueries(
  (shape: { kind: string; count: number }[]) => shape.map((l) => `${l.kind}:${l.count}`).join(','),
  (shape) =>
    (db: Db, tenantId: string, ...indexes: string[]) => {
      let at = 0;
      const lists = shape.map((l) => {
        const list = { kind: l.kind, blindIndexes: indexes.slice(at, at + l.count) };
        at += l.count;
        return list;
      });
      return db
        .selectFrom('subject_identifiers')
        .select(['subject_id', 'kind'])
        .where('tenant_id', '=', tenantId)
        .where((eb) =>
          eb.or(lists.map((l) => eb.and([eb('kind', '=', l.kind), eb('blind_index', 'in', l.blindIndexes)]))),
        );
    },
);
