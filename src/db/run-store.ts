/**
 * Where the history writer commits a batch of runs: in one transaction, the subjects they belong
 * to (found or created), the runs, and the identifiers they carried. Two implementations behind
 * this interface: Kysely for any engine (PostgreSQL), and a prepared-statement path for SQLite.
 */
import type { Kysely } from 'kysely';
import { newId } from '../lib/ids.js';
import { insertScoreRuns } from './repositories/score-run.repository.js';
import {
  attachIdentifiers,
  ensureSubjects,
  type NewIdentifier,
  subjectKey,
} from './repositories/subject.repository.js';
import type { Database, NewScoreRun } from './schema.js';

export interface PendingRun extends Omit<NewScoreRun, 'subject_id'> {
  /** The tenant's id for the subject; the store finds or creates the subject. */
  partner_id: string;
  /** Personal identifiers the request carried, encrypted and blind-indexed, to attach to the subject. */
  identifiers?: readonly NewIdentifier[];
}

export interface CommittedBatch {
  /** The subject id of each run, in batch order. */
  subjectIds: string[];
  /** Subject ids this batch looked up or created, by subjectKey(), to cache once committed. */
  resolved: Map<string, string>;
}

export interface RunStore {
  /** Commits the batch in one transaction. `cached` returns a subject id known from earlier batches. */
  commit(batch: readonly PendingRun[], cached: (key: string) => string | undefined): Promise<CommittedBatch>;
}

/** Splits a pending run into its row and the subject key it belongs to. */
export function toRow(run: PendingRun, subjectId: string): NewScoreRun {
  const { partner_id: _p, identifiers: _i, ...rest } = run;
  return { ...rest, subject_id: subjectId };
}

export class KyselyRunStore implements RunStore {
  constructor(private readonly db: Kysely<Database>) {}

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
      await insertScoreRuns(
        trx,
        batch.map((run, i) => toRow(run, subjectIds[i]!)),
      );
      for (let i = 0; i < batch.length; i++) {
        const run = batch[i]!;
        if (run.identifiers?.length) {
          await attachIdentifiers(
            trx,
            run.tenant_id,
            subjectIds[i]!,
            run.identifiers,
            () => newId('sid'),
            run.created_at,
          );
        }
      }
      return { subjectIds, resolved };
    });
  }
}
