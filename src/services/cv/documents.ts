/**
 * CV documents: uploaded through the native API or downloaded from Gmail, kept encrypted until
 * read, then read once. Reading a document never fails its job: a document that cannot be read
 * (corrupt or password-protected PDF, zip bomb, text that is not UTF-8, too large, too slow) is
 * recorded as `failed` with the reason, and the queue moves on. After each document, the user's
 * `cv.<part>` records are rewritten as the union of what every readable document gave.
 */
import type { Kysely } from 'kysely';
import {
  findDocument,
  findDocumentByExternalId,
  insertDocument,
  parsedDocuments,
  settleDocument,
} from '../../db/repositories/document.repository.js';
import type { Database, DocumentRow, DocumentTable } from '../../db/schema.js';
import type { CvExtraction } from '../../domain/cv/index.js';
import { CV_PARTS, cvKind } from '../../domain/footprint/records.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { DataRecordService } from '../data-records.js';
import { readCv } from './cv-reader.js';

export const DOCUMENT_JOB = 'cv.document';
/** A document job that failed for good: fails the document. */
export const DOCUMENT_FAILED_JOB = 'cv.document.failed';
const UNREADABLE = 'the document could not be read: reading it failed on every attempt';
const SOURCE = 'credence.cv';

export interface NewDocument {
  source: 'upload' | 'gmail';
  externalId?: string | undefined;
  name: string;
  mediaType: string;
  content: Buffer;
}

export interface DocumentView {
  id: string;
  source: 'upload' | 'gmail';
  name: string;
  media_type: string;
  size: number;
  status: 'queued' | 'parsed' | 'failed';
  failure: string | null;
  extraction: CvExtraction | null;
  created_at: string;
  updated_at: string;
}

export interface DocumentLimits {
  documentMaxBytes: number;
  documentTimeoutMs: number;
}

export class CvDocuments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly records: DataRecordService,
    private readonly queue: JobQueue,
    private readonly limits: DocumentLimits,
  ) {
    queue.register<{ documentId: string }>(
      DOCUMENT_JOB,
      async (p, job) => this.read(p.documentId, job.signal),
      {
        concurrency: 2,
        maxAttempts: 3,
        deadLetter: DOCUMENT_FAILED_JOB,
      },
    );
    // A document whose reading failed for good (it threw, or took its process down, every time)
    // is failed rather than left queued.
    queue.register<{ documentId: string }>(DOCUMENT_FAILED_JOB, async (p) => {
      const doc = await findDocument(this.db, p.documentId);
      if (doc?.status !== 'queued') return;
      await settleDocument(this.db, doc.id, {
        status: 'failed',
        failure: UNREADABLE,
        extraction: null,
        updated_at: this.clock.now().toISOString(),
      });
    });
  }

  /**
   * Keeps a document to be read: queued for the worker (`enqueue`), or left for the caller to
   * `read`. A document over the size limit is kept as failed, without its content. A Gmail
   * attachment already kept (same external id) is returned as it is.
   */
  /** Whether the subject has a document from this source already (a Gmail message's attachment). */
  async has(subjectId: string, externalId: string): Promise<boolean> {
    return (await findDocumentByExternalId(this.db, subjectId, externalId)) !== undefined;
  }

  async add(
    tenantId: string,
    subjectId: string,
    doc: NewDocument,
    options: { enqueue: boolean },
  ): Promise<DocumentRow> {
    if (doc.externalId) {
      const existing = await findDocumentByExternalId(this.db, subjectId, doc.externalId);
      if (existing) return existing;
    }
    const tooLarge = doc.content.length > this.limits.documentMaxBytes;
    const row = tooLarge
      ? this.row(tenantId, subjectId, doc, doc.content.length, this.tooLarge(doc.content.length))
      : {
          ...this.row(tenantId, subjectId, doc, doc.content.length, null),
          content: this.cipher.encrypt(doc.content.toString('base64')),
        };
    await this.db.transaction().execute(async (trx) => {
      await insertDocument(trx, row);
      if (options.enqueue && !tooLarge)
        await this.queue.enqueue(
          DOCUMENT_JOB,
          { documentId: row.id },
          {
            key: row.id,
            tenantId,
            subjectId,
            transaction: trx,
          },
        );
    });
    if (options.enqueue) this.queue.wake();
    return row;
  }

  tooLarge(size: number): string {
    return `the document is ${size} bytes, more than the ${this.limits.documentMaxBytes} allowed`;
  }

  /** Keeps a document known only by its size, refused for it (a Gmail attachment not downloaded). */
  async refuse(
    tenantId: string,
    subjectId: string,
    doc: Omit<NewDocument, 'content'>,
    size: number,
    failure: string,
  ): Promise<void> {
    if (doc.externalId && (await findDocumentByExternalId(this.db, subjectId, doc.externalId))) return;
    await insertDocument(this.db, this.row(tenantId, subjectId, doc, size, failure));
  }

  /** A new document's row, without content: queued, or failed with `failure`. */
  private row(
    tenantId: string,
    subjectId: string,
    doc: Omit<NewDocument, 'content'>,
    size: number,
    failure: string | null,
  ): DocumentTable {
    const now = this.clock.now().toISOString();
    return {
      id: newId('doc'),
      tenant_id: tenantId,
      subject_id: subjectId,
      source: doc.source,
      external_id: doc.externalId ?? null,
      name: this.cipher.encrypt(doc.name),
      media_type: doc.mediaType,
      size,
      content: null,
      status: failure === null ? 'queued' : 'failed',
      failure,
      extraction: null,
      created_at: now,
      updated_at: now,
    };
  }

  /** Reads a queued document, records what it gave or why not, and rewrites the user's CV records. */
  async read(documentId: string, signal?: AbortSignal): Promise<void> {
    const doc = await findDocument(this.db, documentId);
    if (doc?.status !== 'queued' || doc.content === null) return;
    const content = Buffer.from(this.cipher.decrypt(doc.content), 'base64');
    const read = await readCv(content, {
      now: this.clock.now(),
      timeoutMs: this.limits.documentTimeoutMs,
      signal,
    });
    const extraction = 'extraction' in read ? read.extraction : undefined;
    const failure = 'failure' in read ? read.failure : null;
    await settleDocument(this.db, doc.id, {
      status: extraction ? 'parsed' : 'failed',
      failure,
      extraction: extraction ? this.cipher.encrypt(JSON.stringify(extraction)) : null,
      updated_at: this.clock.now().toISOString(),
    });
    if (extraction) await this.rewriteRecords(doc.tenant_id, doc.subject_id);
  }

  private async rewriteRecords(tenantId: string, subjectId: string): Promise<void> {
    const all = (await parsedDocuments(this.db, tenantId, subjectId)).map(
      (d) => JSON.parse(this.cipher.decrypt(d.extraction!)) as CvExtraction,
    );
    await this.records.add(
      tenantId,
      subjectId,
      CV_PARTS.map((part) => {
        const seen = new Set<string>();
        const merged = all
          .flatMap((x) => x[part] as unknown[])
          .filter((v) => {
            const key = JSON.stringify(v).toLowerCase();
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
        return { kind: cvKind(part), source: SOURCE, data: merged };
      }),
    );
  }

  async view(tenantId: string, subjectId: string, id: string): Promise<DocumentView | undefined> {
    const d = await findDocument(this.db, id);
    if (!d || d.tenant_id !== tenantId || d.subject_id !== subjectId) return undefined;
    return {
      id: d.id,
      source: d.source,
      name: this.cipher.decrypt(d.name),
      media_type: d.media_type,
      size: d.size,
      status: d.status,
      failure: d.failure,
      extraction: d.extraction ? (JSON.parse(this.cipher.decrypt(d.extraction)) as CvExtraction) : null,
      created_at: d.created_at,
      updated_at: d.updated_at,
    };
  }
}
