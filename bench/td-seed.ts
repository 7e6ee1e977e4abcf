/**
 * Seeds the consortium for the TD benchmark: applications from several platforms, made by people
 * whose ids and phone numbers are derived from their index, with bulk inserts (prepared
 * statements in one transaction per batch on SQLite, one statement of array parameters per batch
 * on PostgreSQL).
 */
import { sql } from 'kysely';
import type { AppContext } from '../src/context.js';
import { verhoeffCheckDigit } from '../src/domain/national-id/aadhaar.js';
import type { ConsortiumHasher } from '../src/security/consortium-hasher.js';

const APPS_PER_PLATFORM = 3;
/** Applications per person on average: 1,000,000 rows are 200,000 people. */
export const PER_PERSON = 5;
const DAY = 86_400_000;

/** A deterministic pseudo-random source, so every run seeds the same consortium. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Person {
  aadhaar: string;
  phone: string;
}

/** Person n: a valid Aadhaar and a 10-digit Indian mobile number, both derived from n. */
export function person(n: number): Person {
  const body = String(20_000_000_000 + n * 37);
  const phone = String(9_000_000_000 + ((n * 7919) % 999_999_999));
  return { aadhaar: body + verhoeffCheckDigit(body), phone };
}

export async function seed(
  ctx: AppContext,
  hasher: ConsortiumHasher,
  platforms: string[],
  rowCount: number,
): Promise<number> {
  const rnd = mulberry32(42);
  const people = Math.ceil(rowCount / PER_PERSON);
  const now = Date.now();
  const hashes = Array.from({ length: people }, (_, n) => {
    const p = person(n);
    return { id: hasher.idHash('IN', p.aadhaar), phone: hasher.phoneHash(`+91${p.phone}`) };
  });
  const started = performance.now();
  const BATCH = 20_000;
  for (let done = 0; done < rowCount; done += BATCH) {
    const rows = [];
    for (let i = done; i < Math.min(rowCount, done + BATCH); i++) {
      const who = hashes[Math.floor(rnd() * people)]!;
      const platform = platforms[Math.floor(rnd() * platforms.length)]!;
      const applied = new Date(now - Math.floor(rnd() * 365 * DAY)).toISOString();
      const approved = rnd() < 0.3;
      const overdue = approved && rnd() < 0.15;
      rows.push([
        `cap_bench${String(i).padStart(9, '0')}`,
        platform,
        `app-${Math.floor(rnd() * APPS_PER_PLATFORM)}`,
        who.id,
        rnd() < 0.9 ? who.phone : null,
        approved ? 'approved' : rnd() < 0.5 ? 'declined' : 'submitted',
        applied,
        approved ? applied : null,
        overdue ? 'arrears' : approved ? 'current' : null,
        overdue ? 1 + Math.floor(rnd() * 120) : approved ? 0 : null,
        approved ? applied : null,
      ] as const);
    }
    await insertRows(ctx, rows);
    if ((done / BATCH) % 10 === 0) process.stdout.write(`  ${(done + rows.length).toLocaleString()} rows\r`);
  }
  // As an operator's maintenance would. On SQLite the server keeps the statistics but drops
  // ANALYZE's samples when it opens the file (src/db/sqlite-connection.ts).
  if (ctx.database.engine === 'sqlite') ctx.database.sqlite!.exec('ANALYZE');
  else await sql`analyze consortium_applications`.execute(ctx.database.db);
  return performance.now() - started;
}

type Row = readonly [
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  string | null,
  number | null,
  string | null,
];

async function insertRows(ctx: AppContext, rows: Row[]): Promise<void> {
  if (ctx.database.engine === 'sqlite') {
    const db = ctx.database.sqlite!;
    const stmt = db.prepare(
      `insert into consortium_applications (id, platform_id, app, external_id, sequence_id, id_hash, phone_hash, status, applied_at,
        decided_at, loan_status, loan_days_past_due, loan_observed_at, source, created_at, updated_at)
       values (?, ?, ?, null, null, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?)`,
    );
    db.transaction(() => {
      for (const r of rows) stmt.run(...r, r[6], r[6]);
    })();
    return;
  }
  // PostgreSQL: one statement per batch, each column an array parameter.
  const col = (i: number) => rows.map((r) => r[i]);
  await sql`insert into consortium_applications (id, platform_id, app, external_id, sequence_id, id_hash, phone_hash,
      status, applied_at, decided_at, loan_status, loan_days_past_due, loan_observed_at, source, created_at, updated_at)
    select id, platform_id, app, null, null, id_hash, phone_hash, status, applied_at, decided_at, loan_status, dpd,
      loan_observed_at, 'bench', applied_at, applied_at
    from unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[],
      ${col(5)}::text[], ${col(6)}::text[], ${col(7)}::text[], ${col(8)}::text[], ${col(9)}::int[], ${col(10)}::text[])
      as t(id, platform_id, app, id_hash, phone_hash, status, applied_at, decided_at, loan_status, dpd, loan_observed_at)`.execute(
    ctx.database.db,
  );
}
