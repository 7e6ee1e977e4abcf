/**
 * Re-encryption of personal data under the newest secret key, online: the servers keep running
 * with `CREDENCE_SECRET_KEY=<new>,<old>` (both keys decrypt, lookups try both keys' hashes) while
 * this walks every sealed column in batches. Each row is replaced only if nobody changed it in the
 * meantime, and a row already under the new key is not touched, so an interrupted rotation is
 * resumed by running it again, and running it twice changes nothing.
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/constraint-violation.js';
import {
  countStaleRows,
  countUnlinkedApplications,
  findLinkedApplications,
  findStaleRows,
  replaceSealed,
  setApplicationHashes,
} from '../../db/repositories/rotation.repository.js';
import { listIdentifiers } from '../../db/repositories/subject.repository.js';
import type { Database } from '../../db/schema.js';
import type { ConsortiumHasher } from '../../security/consortium-hasher.js';
import { PiiCipher } from '../../security/pii-cipher.js';
import { type SealedColumns, sealedColumns } from './sealed-columns.js';

export interface RotationProgress {
  table: string;
  /** Rows re-encrypted (or, for consortium applications, re-hashed) so far in this table. */
  rotated: number;
  /** Rows changed by someone else between reading and writing: already under the new key. */
  skipped: number;
  /** Rows that no configured key decrypts. */
  failed: number;
  done: boolean;
}

export interface RotationReport {
  keyId: string;
  tables: RotationProgress[];
  /** Rows still holding data under another key once the walk finished (0 when it succeeded). */
  remaining: number;
  /** Consortium applications whose keyed hashes cannot be recomputed (see docs/deployment.md). */
  unrehashable: number;
}

export class KeyRotation {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly hasher: ConsortiumHasher,
  ) {}

  async rotate(
    o: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
  ): Promise<RotationReport> {
    const batch = o.batchSize ?? 500;
    const report = (p: RotationProgress) => o.onProgress?.({ ...p });
    const keyId = this.cipher.currentKeyId;
    const tables: RotationProgress[] = [];
    const specs = sealedColumns((kind, value) => this.cipher.blindIndex(kind, value));
    for (const spec of specs) {
      const p: RotationProgress = { table: spec.table, rotated: 0, skipped: 0, failed: 0, done: false };
      let after: (string | number | null)[] | null = null;
      for (;;) {
        const rows = await findStaleRows(this.db, spec, keyId, after, batch);
        for (const row of rows) await this.reseal(spec, row, p);
        if (rows.length < batch) break;
        const last = rows[rows.length - 1]!;
        after = spec.key.map((k) => last[k]!);
        report(p);
      }
      p.done = true;
      report(p);
      tables.push(p);
    }
    tables.push(await this.rehashApplications(batch, report));
    let remaining = 0;
    for (const spec of specs) remaining += await countStaleRows(this.db, spec, keyId);
    return { keyId, tables, remaining, unrehashable: await countUnlinkedApplications(this.db) };
  }

  private async reseal(
    spec: SealedColumns,
    row: Record<string, string | number | null>,
    p: RotationProgress,
  ) {
    const plain: Record<string, string | null> = {};
    const values: Record<string, string | number | null> = {};
    try {
      for (const c of spec.sealed) {
        const v = row[c] as string | null;
        const legacy = spec.plaintextBefore === true && v !== null && !PiiCipher.isSealed(v);
        plain[c] = v === null || legacy ? v : this.cipher.decrypt(v);
        if (v !== null && (legacy || this.cipher.isStale(v))) values[c] = this.cipher.encrypt(plain[c]!);
      }
    } catch {
      p.failed++;
      return;
    }
    Object.assign(values, spec.rehash?.(row, plain) ?? {});
    const updated = await this.replace(spec, row, values);
    if (updated) p.rotated++;
    else p.skipped++;
  }

  /**
   * A process that still looked up the old keyed hash can insert the same identifier under the new
   * one while the row is being replaced; its insert commits first and this update then breaks the
   * unique constraint. Once more, the duplicate it left is seen and removed first.
   */
  private async replace(
    spec: SealedColumns,
    row: Record<string, string | number | null>,
    values: Record<string, string | number | null>,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await replaceSealed(this.db, spec, row, values, spec.rehash ? spec.unique : undefined);
      } catch (err) {
        if (attempt >= 2 || !isUniqueViolation(err)) throw err;
      }
    }
  }

  /**
   * Consortium applications hold only keyed hashes of a national id and a phone number. Those
   * recorded by a credit-indicator call are re-hashed from the identifiers the call attached to
   * its subject: the identifier whose hash (under any key) matches is hashed under the new key.
   */
  private async rehashApplications(
    batch: number,
    report: (p: RotationProgress) => void,
  ): Promise<RotationProgress> {
    const p: RotationProgress = {
      table: 'consortium_applications',
      rotated: 0,
      skipped: 0,
      failed: 0,
      done: false,
    };
    let after: string | null = null;
    for (;;) {
      const rows = await findLinkedApplications(this.db, after, batch);
      for (const a of rows) {
        const ids = await listIdentifiers(this.db, a.platform_id, a.subject_id);
        let values: { id_hash: string | null; phone_hash: string | null };
        try {
          const plain = ids.map((i) => ({ kind: i.kind, value: this.cipher.decrypt(i.ciphertext) }));
          values = {
            id_hash: this.rehash(a.id_hash, plain, 'national_id', (v) =>
              a.country ? this.hasher.idHashes(a.country, v) : [],
            ),
            phone_hash: this.rehash(a.phone_hash, plain, 'phone', (v) => this.hasher.phoneHashes(v)),
          };
        } catch {
          p.failed++;
          continue;
        }
        if (values.id_hash === a.id_hash && values.phone_hash === a.phone_hash) continue;
        if (await setApplicationHashes(this.db, a.id, a, values)) p.rotated++;
        else p.skipped++;
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!.id;
      report(p);
    }
    p.done = true;
    report(p);
    return p;
  }

  /** The hash under the newest key of the identifier whose hash under some key is `stored`. */
  private rehash(
    stored: string | null,
    plain: { kind: string; value: string }[],
    kind: string,
    hashes: (value: string) => string[],
  ): string | null {
    if (stored === null) return null;
    for (const i of plain) {
      if (i.kind !== kind) continue;
      const h = hashes(i.value);
      if (h.includes(stored)) return h[0]!;
    }
    return stored;
  }
}
