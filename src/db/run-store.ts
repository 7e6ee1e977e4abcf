/**
 * Where the history writer commits a batch of runs: in one transaction, the subjects they belong
 * to (found or created), the runs, and the identifiers they carried. The store encrypts the input
 * snapshots and identifiers on the way in. Implementations: Kysely for any engine (PostgreSQL),
 * prepared statements on SQLite in this thread, and the same on a writer thread.
 */
import type { Kysely } from 'kysely';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { insertScoreRuns } from './repositories/score-run.repository.js';
import {
  attachIdentifiers,
  ensureSubjects,
  type NewIdentifier,
  subjectKey,
} from './repositories/subject.repository.js';
import type { Database, NewScoreRun } from './schema.js';

export interface PendingRun extends Omit<NewScoreRun, 'subject_id' | 'input'> {
  /** The tenant's id for the subject; the store finds or creates the subject. */
  partner_id: string;
  /** The request as received, as JSON text; stored encrypted. */
  input: string;
  /** Normalised personal identifiers the request carried; stored encrypted and blind-indexed. */
  identifiers?: readonly { kind: string; value: string }[];
}

export interface CommittedBatch {
  /** The subject id of each run, in batch order. */
  subjectIds: string[];
  /** Subject ids this batch looked up or created, by subjectKey(), to cache once committed. */
  resolved: Map<string, string>;
}

export interface RunStore {
  /** True when a commit runs on the event loop's own thread and blocks it. */
  readonly blocksEventLoop: boolean;
  /** Commits the batch in one transaction. `cached` returns a subject id known from earlier batches. */
  commit(batch: readonly PendingRun[], cached: (key: string) => string | undefined): Promise<CommittedBatch>;
  close(): Promise<void>;
}

/** The row to insert for a run, and its identifiers, encrypted. */
export function sealRun(
  run: PendingRun,
  subjectId: string,
  cipher: PiiCipher,
): { row: NewScoreRun; identifiers: NewIdentifier[] } {
  const { partner_id: _p, identifiers, input, ...rest } = run;
  return {
    row: { ...rest, input: cipher.encrypt(input), subject_id: subjectId },
    identifiers: sealIdentifiers(identifiers, cipher),
  };
}

/** A run's identifiers, each encrypted and blind-indexed. */
export function sealIdentifiers(identifiers: PendingRun['identifiers'], cipher: PiiCipher): NewIdentifier[] {
  if (!identifiers || identifiers.length === 0) return [];
  return identifiers.map((i) => {
    const [blindIndex, ...earlier] = cipher.blindIndexes(i.kind, i.value);
    return {
      kind: i.kind,
      blind_index: blindIndex!,
      ciphertext: cipher.encrypt(i.value),
      ...(earlier.length > 0 ? { earlier_indexes: earlier } : {}),
    };
  });
}

export class KyselyRunStore implements RunStore {
  readonly blocksEventLoop = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
  ) {}

  commit(batch: readonly PendingRun[], cached: (key: string) => string | undefined): Promise<CommittedBatch> {
    return this.db.transaction().execute(async (trx) => {
      const known = new Map<string, string>();
      const wanted = new Map<string, { tenantId: string; partnerId: string; newId: string; at: string }>();
      for (const run of batch) {
        const key = subjectKey(run.tenant_id, run.partner_id);
        if (known.has(key) || wanted.has(key)) continue;
        const hit = cached(key);
        if (hit) known.set(key, hit);
        else
          wanted.set(key, {
            tenantId: run.tenant_id,
            partnerId: run.partner_id,
            newId: newId('sub'),
            at: run.created_at,
          });
      }
      const resolved = await ensureSubjects(trx, [...wanted.values()]);
      for (const [k, v] of resolved) known.set(k, v);
      const subjectIds = batch.map((run) => known.get(subjectKey(run.tenant_id, run.partner_id))!);
      const sealed = batch.map((run, i) => sealRun(run, subjectIds[i]!, this.cipher));
      await insertScoreRuns(
        trx,
        sealed.map((s) => s.row),
      );
      for (let i = 0; i < batch.length; i++) {
        const run = batch[i]!;
        await attachIdentifiers(
          trx,
          run.tenant_id,
          subjectIds[i]!,
          sealed[i]!.identifiers,
          () => newId('sid'),
          run.created_at,
        );
      }
      return { subjectIds, resolved };
    });
  }

  async close(): Promise<void> {}
}
