/**
 * Data records: what is known about a subject beyond its scoring requests, each with its kind and
 * source. A dialect stores what a request submitted (FriendlyScore's access tokens, IP address and
 * user agent); data connectors store what they gather (a social network profile, IP risk data,
 * a parsed CV). Records are encrypted at rest and append-only: the newest record of a kind is the
 * current one. docs/data-records.md lists the kinds and their shapes.
 */
import type { Kysely } from 'kysely';
import { insertSubjectData, listSubjectData } from '../db/repositories/subject-data.repository.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Pacer } from '../lib/pacer.js';
import type { PiiCipher } from '../security/pii-cipher.js';

export interface DataRecord {
  id: string;
  kind: string;
  source: string;
  data: unknown;
  createdAt: string;
}

export interface NewDataRecord {
  kind: string;
  source: string;
  data: unknown;
}

export class DataRecordService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores records about a subject, in `db` when it is a transaction, dated now or `at` (a caller
   * that orders its records itself: the newest of a kind is the one dated last).
   */
  async add(
    tenantId: string,
    subjectId: string,
    records: readonly NewDataRecord[],
    db: Kysely<Database> = this.db,
    at: string = this.clock.now().toISOString(),
  ): Promise<void> {
    await insertSubjectData(
      db,
      records.map((r) => ({
        id: newId('dat'),
        tenant_id: tenantId,
        subject_id: subjectId,
        kind: r.kind,
        source: r.source,
        data: this.cipher.encrypt(JSON.stringify(r.data)),
        created_at: at,
      })),
    );
  }

  /**
   * Every record of the subject of these kinds (all when none are named), oldest first. With a
   * pacer, the event loop is given back between records as they are decrypted: a device's records
   * run to megabytes each.
   */
  async list(
    tenantId: string,
    subjectId: string,
    kinds?: readonly string[],
    pacer?: Pacer,
  ): Promise<DataRecord[]> {
    const rows = await listSubjectData(this.db, tenantId, subjectId, kinds);
    const out: DataRecord[] = [];
    for (const r of rows) {
      if (pacer) await pacer.pause();
      out.push({
        id: r.id,
        kind: r.kind,
        source: r.source,
        data: JSON.parse(this.cipher.decrypt(r.data)),
        createdAt: r.created_at,
      });
    }
    return out;
  }

  /** Every record's kind, source and date, oldest first, without decrypting what it holds. */
  async sources(tenantId: string, subjectId: string): Promise<Omit<DataRecord, 'data'>[]> {
    const rows = await listSubjectData(this.db, tenantId, subjectId);
    return rows.map((r) => ({ id: r.id, kind: r.kind, source: r.source, createdAt: r.created_at }));
  }

  /** The newest record of each kind. */
  async latest(
    tenantId: string,
    subjectId: string,
    kinds?: readonly string[],
  ): Promise<Map<string, DataRecord>> {
    const latest = new Map<string, DataRecord>();
    for (const r of await this.list(tenantId, subjectId, kinds)) latest.set(r.kind, r);
    return latest;
  }
}
