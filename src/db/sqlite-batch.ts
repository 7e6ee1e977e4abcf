/**
 * Commits a batch of runs on SQLite with statements prepared once, as one synchronous
 * better-sqlite3 transaction. Kysely prepares every statement anew, and a multi-row insert of a
 * different size each batch is a different statement; this path avoids both costs. It is used
 * on the writer thread and, for in-memory databases, in the calling thread.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { subjectKey } from './repositories/subject.repository.js';
import { type CommittedBatch, type PendingRun, sealIdentifiers } from './run-store.js';

type Cached = (key: string) => string | undefined;

export class SqliteBatchCommitter {
  private readonly run: BetterSqlite3.Transaction<
    (batch: readonly PendingRun[], cached: Cached) => CommittedBatch
  >;

  constructor(sqlite: BetterSqlite3.Database, cipher: PiiCipher) {
    const insertSubject = sqlite.prepare(
      'insert into subjects (id, tenant_id, partner_id, created_at, updated_at) values (?, ?, ?, ?, ?) ' +
        'on conflict (tenant_id, partner_id) do nothing',
    );
    const findSubject = sqlite.prepare<[string, string], { id: string }>(
      'select id from subjects where tenant_id = ? and partner_id = ?',
    );
    const insertRun = sqlite.prepare(
      'insert into score_runs (id, tenant_id, subject_id, service, dialect, model_id, model_version, request_id, ' +
        'input, result, created_at, challenger_model_id, challenger_model_version, challenger_result, purpose) ' +
        'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertIdentifier = sqlite.prepare(
      'insert into subject_identifiers (id, tenant_id, subject_id, kind, blind_index, ciphertext, created_at) ' +
        'values (?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, kind, blind_index) do nothing',
    );
    const attachedAlready = sqlite.prepare(
      'select 1 from subject_identifiers where tenant_id = ? and kind = ? and blind_index = ?',
    );
    this.run = sqlite.transaction((batch: readonly PendingRun[], cached: Cached): CommittedBatch => {
      const resolved = new Map<string, string>();
      const subjectIds: string[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const pending = batch[i]!;
        const key = subjectKey(pending.tenant_id, pending.partner_id);
        let subjectId = resolved.get(key) ?? cached(key);
        if (subjectId === undefined) {
          const candidate = newId('sub');
          const at = pending.created_at;
          const created = insertSubject.run(candidate, pending.tenant_id, pending.partner_id, at, at);
          subjectId =
            created.changes > 0 ? candidate : findSubject.get(pending.tenant_id, pending.partner_id)!.id;
          resolved.set(key, subjectId);
        }
        subjectIds[i] = subjectId;
        // The same row as sealRun() gives, bound field by field without building it.
        insertRun.run(
          pending.id,
          pending.tenant_id,
          subjectId,
          pending.service,
          pending.dialect,
          pending.model_id ?? null,
          pending.model_version ?? null,
          pending.request_id ?? null,
          cipher.encrypt(pending.input),
          pending.result,
          pending.created_at,
          pending.challenger_model_id ?? null,
          pending.challenger_model_version ?? null,
          pending.challenger_result ?? null,
          pending.purpose ?? null,
        );
        for (const ident of sealIdentifiers(pending.identifiers, cipher)) {
          // Attached under an earlier key of a rotation in progress: attached already.
          if (ident.earlier_indexes?.some((b) => attachedAlready.get(pending.tenant_id, ident.kind, b)))
            continue;
          insertIdentifier.run(
            newId('sid'),
            pending.tenant_id,
            subjectId,
            ident.kind,
            ident.blind_index,
            ident.ciphertext,
            pending.created_at,
          );
        }
      }
      return { subjectIds, resolved };
    });
  }

  commit(batch: readonly PendingRun[], cached: Cached): CommittedBatch {
    return this.run(batch, cached);
  }
}
