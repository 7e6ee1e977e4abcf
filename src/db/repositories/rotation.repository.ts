/**
 * The SQL of re-encryption under a new secret key: find the rows of a table that hold a column
 * sealed under another key, and replace their values only if nobody changed them in the meantime.
 * The tables are named by the caller (src/services/secret/sealed-columns.ts), so the queries are
 * built over a loosely typed view of the schema.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

type Value = string | number | null;
type Row = Record<string, Value>;
type Loose = Kysely<Record<string, Row>>;

export interface SealedTable {
  table: keyof Database;
  /** The primary key, in the order rows are walked. */
  key: readonly string[];
  /** Columns holding `v1.<key id>.…` ciphertexts (or null). */
  sealed: readonly string[];
  /** Further columns the caller needs to recompute keyed hashes. */
  also?: readonly string[];
}

/** A ciphertext written under the key `keyId` starts with this. */
export function sealedPrefix(keyId: string): string {
  return `v1.${keyId}.`;
}

/** Whether a row holds a sealed column written under another key than `keyId`. */
function staleIn(t: SealedTable, keyId: string) {
  const prefix = sealedPrefix(keyId);
  return (eb: ExpressionBuilder<Record<string, Row>, string>) =>
    eb.or(
      t.sealed.map((c) =>
        eb.and([
          eb(c, 'is not', null),
          eb(eb.fn('substr', [eb.ref(c), eb.lit(1), eb.lit(prefix.length)]), '<>', prefix),
        ]),
      ),
    );
}

/** Up to `limit` rows after `after` (in key order) with a sealed column not under `keyId`. */
export async function findStaleRows(
  db: Kysely<Database>,
  t: SealedTable,
  keyId: string,
  after: readonly Value[] | null,
  limit: number,
): Promise<Row[]> {
  let q = (db as unknown as Loose)
    .selectFrom(t.table)
    .select([...t.key, ...t.sealed, ...(t.also ?? [])])
    .where(staleIn(t, keyId));
  if (after) {
    q = q.where(
      sql<boolean>`(${sql.join(t.key.map((k) => sql.ref(k)))}) > (${sql.join(after.map((v) => sql`${v}`))})`,
    );
  }
  for (const k of t.key) q = q.orderBy(k);
  return q.limit(limit).execute();
}

/** How many rows of the table still hold a value sealed under another key than `keyId`. */
export async function countStaleRows(db: Kysely<Database>, t: SealedTable, keyId: string): Promise<number> {
  const r = await (db as unknown as Loose)
    .selectFrom(t.table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(staleIn(t, keyId))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Sets `values` on the row if `expected` still holds (compare and set), after deleting any other
 * row that holds the same values of `unique` (the duplicate a process wrote under the new key
 * while the row still had its old keyed hash; the older row wins, as it would have under one key).
 * Returns whether the row was updated.
 */
export async function replaceSealed(
  db: Kysely<Database>,
  t: SealedTable,
  expected: Row,
  values: Row,
  unique?: readonly string[],
): Promise<boolean> {
  return (db as unknown as Loose).transaction().execute(async (trx) => {
    if (unique) {
      await trx
        .deleteFrom(t.table)
        .where((eb) =>
          eb.and([
            ...unique.map((c) => eb(c, '=', (c in values ? values[c] : expected[c]) as Value)),
            eb.not(eb.and(t.key.map((k) => eb(k, '=', expected[k] as Value)))),
          ]),
        )
        .execute();
    }
    const r = await trx
      .updateTable(t.table)
      .set(values)
      .where((eb) =>
        eb.and([
          ...t.key.map((k) => eb(k, '=', expected[k] as Value)),
          ...Object.keys(values).map((c) =>
            expected[c] === null ? eb(c, 'is', null) : eb(c, '=', expected[c] as Value),
          ),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

/**
 * Consortium applications recorded by a credit-indicator call on a known subject: the only ones
 * whose identifiers (and so whose keyed hashes) can be recomputed.
 */
export async function findLinkedApplications(
  db: Kysely<Database>,
  after: string | null,
  limit: number,
): Promise<
  {
    id: string;
    platform_id: string;
    id_hash: string | null;
    phone_hash: string | null;
    subject_id: string;
    country: string | null;
  }[]
> {
  let q = db
    .selectFrom('consortium_applications as a')
    .innerJoin('partner_calls as c', 'c.sequence_id', 'a.sequence_id')
    .select(['a.id', 'a.platform_id', 'a.id_hash', 'a.phone_hash', 'c.country', 'c.subject_id'])
    .where('c.subject_id', 'is not', null)
    .$narrowType<{ subject_id: string }>();
  if (after) q = q.where('a.id', '>', after);
  return q.orderBy('a.id').limit(limit).execute();
}

/** Applications whose hashes no stored plaintext can recompute (reported without an indicator call). */
export async function countUnlinkedApplications(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('consortium_applications as a')
    .leftJoin('partner_calls as c', 'c.sequence_id', 'a.sequence_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.subject_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setApplicationHashes(
  db: Kysely<Database>,
  id: string,
  expected: { id_hash: string | null; phone_hash: string | null },
  values: { id_hash: string | null; phone_hash: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('consortium_applications')
    .set(values)
    .where('id', '=', id)
    .where((eb) =>
      eb.and(
        (['id_hash', 'phone_hash'] as const).map((c) =>
          expected[c] === null ? eb(c, 'is', null) : eb(c, '=', expected[c]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
