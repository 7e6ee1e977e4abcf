/**
 * The SQLite path of the run store. Kysely prepares every statement anew, and a multi-row insert
 * of a different size each batch is a different statement; here each statement is prepared once
 * and the whole batch runs as one synchronous better-sqlite3 transaction. It runs while holding
 * Kysely's connection, so it can never interleave with a Kysely transaction on the same handle.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { newId } from '../lib/ids.js';
import { subjectKey } from './repositories/subject.repository.js';
import type { CommittedBatch, PendingRun, RunStore } from './run-store.js';
import type { Database } from './schema.js';

// The score_runs columns, in the order of the prepared insert.
const RUN_COLUMNS = [
  'id',
  'tenant_id',
  'subject_id',
  'service',
  'dialect',
  'model_id',
  'model_version',
  'request_id',
  'input',
  'result',
  'created_at',
] as const;

interface Statements {
  insertSubject: BetterSqlite3.Statement;
  findSubject: BetterSqlite3.Statement<[string, string], { id: string }>;
  insertRun: BetterSqlite3.Statement;
  insertIdentifier: BetterSqlite3.Statement;
  transaction: BetterSqlite3.Transaction<
    (batch: readonly PendingRun[], cached: (key: string) => string | undefined) => CommittedBatch
  >;
}

export class SqliteRunStore implements RunStore {
  private statements: Statements | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: BetterSqlite3.Database,
  ) {}

  commit(batch: readonly PendingRun[], cached: (key: string) => string | undefined): Promise<CommittedBatch> {
    return this.db.connection().execute(async () => this.prepare().transaction(batch, cached));
  }

  private prepare(): Statements {
    if (this.statements) return this.statements;
    const s = this.sqlite;
    const insertSubject = s.prepare(
      'insert into subjects (id, tenant_id, partner_id, created_at, updated_at) values (?, ?, ?, ?, ?) on conflict (tenant_id, partner_id) do nothing',
    );
    const findSubject = s.prepare<[string, string], { id: string }>(
      'select id from subjects where tenant_id = ? and partner_id = ?',
    );
    const insertRun = s.prepare(
      `insert into score_runs (${RUN_COLUMNS.join(', ')}) values (${RUN_COLUMNS.map(() => '?').join(', ')})`,
    );
    const insertIdentifier = s.prepare(
      'insert into subject_identifiers (id, tenant_id, subject_id, kind, blind_index, ciphertext, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, kind, blind_index) do nothing',
    );
    const transaction = s.transaction(
      (batch: readonly PendingRun[], cached: (key: string) => string | undefined) => {
        const resolved = new Map<string, string>();
        const subjectIds: string[] = new Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const run = batch[i]!;
          const key = subjectKey(run.tenant_id, run.partner_id);
          let subjectId = resolved.get(key) ?? cached(key);
          if (subjectId === undefined) {
            const candidate = newId('sub');
            const created = insertSubject.run(
              candidate,
              run.tenant_id,
              run.partner_id,
              run.created_at,
              run.created_at,
            );
            subjectId = created.changes > 0 ? candidate : findSubject.get(run.tenant_id, run.partner_id)!.id;
            resolved.set(key, subjectId);
          }
          subjectIds[i] = subjectId;
          insertRun.run(
            run.id,
            run.tenant_id,
            subjectId,
            run.service,
            run.dialect,
            run.model_id ?? null,
            run.model_version ?? null,
            run.request_id ?? null,
            run.input,
            run.result,
            run.created_at,
          );
          for (const ident of run.identifiers ?? []) {
            insertIdentifier.run(
              newId('sid'),
              run.tenant_id,
              subjectId,
              ident.kind,
              ident.blind_index,
              ident.ciphertext,
              run.created_at,
            );
          }
        }
        return { subjectIds, resolved };
      },
    );
    this.statements = { insertSubject, findSubject, insertRun, insertIdentifier, transaction };
    return this.statements;
  }
}
