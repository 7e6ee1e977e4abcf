/** The scoring history: every run of a subject, oldest first, with its decrypted input. */
import type { Kysely } from 'kysely';
import { findRunCursor, listScoreRuns } from '../db/repositories/score-run.repository.js';
import {
  findSubjectById,
  findSubjectByIdentifier,
  findSubjectByPartnerId,
  listIdentifiers,
} from '../db/repositories/subject.repository.js';
import type { Database, ScoreRunRow, SubjectRow } from '../db/schema.js';
import { CredenceError, invalidInput, notFound } from '../domain/errors.js';
import { type IdentifierKind, maskIdentifier, normaliseIdentifier } from '../domain/identifiers.js';
import { withoutBom } from '../lib/text.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { unknownCursor } from './cursor.js';
import type { Principal } from './principal.js';
import type { StoredOutcome } from './score-outcome.js';

export interface HistoryEntry {
  id: string;
  subjectId: string;
  service: string;
  dialect: string;
  modelId: string | null;
  modelVersion: number | null;
  requestId: string | null;
  /** The purpose the caller declared for the score, if any (docs/camara.md#purpose). */
  purpose: string | null;
  input: unknown;
  outcome: StoredOutcome;
  createdAt: string;
}

export interface Subject {
  id: string;
  partnerId: string;
  /** The subject's identifiers, masked. */
  identifiers: { kind: string; masked: string }[];
  createdAt: string;
  updatedAt: string;
}

export class HistoryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
  ) {}

  /** Every run of the tenant's subject `partnerId` for `service`, oldest first; [] for an unknown subject. */
  async byPartnerId(who: Principal, partnerId: string, service?: string): Promise<HistoryEntry[]> {
    const subject = await findSubjectByPartnerId(this.db, who.tenantId, partnerId);
    if (!subject) return [];
    const rows = await listScoreRuns(this.db, { tenantId: who.tenantId, subjectId: subject.id, service });
    return rows.map((r) => this.toEntry(r));
  }

  /** One page of a subject's runs, oldest first, after the run id `after`. */
  async page(
    who: Principal,
    subjectId: string,
    q: { service?: string | undefined; after?: string | undefined; limit: number },
  ): Promise<{ entries: HistoryEntry[]; next: string | null }> {
    await this.subject(who, subjectId);
    const where = { tenantId: who.tenantId, subjectId, service: q.service };
    const after = q.after === undefined ? undefined : await findRunCursor(this.db, { ...where, id: q.after });
    if (q.after !== undefined && !after) throw unknownCursor();
    const rows = await listScoreRuns(this.db, { ...where, after, limit: q.limit + 1 });
    const entries = rows.slice(0, q.limit).map((r) => this.toEntry(r));
    return { entries, next: rows.length > q.limit ? entries[entries.length - 1]!.id : null };
  }

  async subject(who: Principal, id: string): Promise<Subject> {
    const row = await findSubjectById(this.db, who.tenantId, id);
    if (!row) throw notFound('subject', id);
    return this.toSubject(row);
  }

  async subjectByPartnerId(who: Principal, partnerId: string): Promise<Subject> {
    const row = await findSubjectByPartnerId(this.db, who.tenantId, partnerId);
    if (!row) throw notFound('subject with partner id', partnerId);
    return this.toSubject(row);
  }

  /** Finds a subject by a personal identifier, through its blind index (under every known key). */
  async subjectByIdentifier(who: Principal, kind: IdentifierKind, value: string): Promise<Subject> {
    const normalised = normaliseIdentifier(kind, value);
    if (!normalised) {
      throw invalidInput(
        kind,
        kind === 'phone'
          ? 'phone must be a valid number in international form (+254...)'
          : `${kind} is not valid`,
      );
    }
    const row = await findSubjectByIdentifier(
      this.db,
      who.tenantId,
      kind,
      this.cipher.blindIndexes(kind, normalised),
    );
    if (!row) throw new CredenceError('CREDENCE_NOT_FOUND', `no subject has that ${kind}`);
    return this.toSubject(row);
  }

  private async toSubject(r: SubjectRow): Promise<Subject> {
    const ids = await listIdentifiers(this.db, r.tenant_id, r.id);
    return {
      id: r.id,
      partnerId: r.partner_id,
      identifiers: ids.map((i) => ({
        kind: i.kind,
        masked: maskIdentifier(i.kind as IdentifierKind, this.cipher.decrypt(i.ciphertext)),
      })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  private toEntry(r: ScoreRunRow): HistoryEntry {
    return {
      id: r.id,
      subjectId: r.subject_id,
      service: r.service,
      dialect: r.dialect,
      modelId: r.model_id,
      modelVersion: r.model_version,
      requestId: r.request_id,
      purpose: r.purpose,
      // Runs kept before byte-order marks were dropped from request text may begin with one.
      input: JSON.parse(withoutBom(this.cipher.decrypt(r.input))),
      outcome: JSON.parse(r.result) as StoredOutcome,
      createdAt: r.created_at,
    };
  }
}
