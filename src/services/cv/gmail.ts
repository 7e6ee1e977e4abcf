/**
 * The Gmail connector: finds the CVs among the user's attachments with the Google token and reads
 * them. Gmail API v1: `GET /gmail/v1/users/me/messages?q=has:attachment ...` lists `{messages:
 * [{id, threadId}], nextPageToken}`; `GET .../messages/{id}` gives the parts (`filename`,
 * `mimeType`, `body: {attachmentId, size}`); `GET .../messages/{id}/attachments/{attachmentId}`
 * gives `{size, data}` in base64url. An attachment over the size limit is recorded as refused
 * without being downloaded. The outcome is recorded as `connector.gmail`, like a network's.
 */
import type { ConnectorConfig } from '../../config.js';
import type { MailboxReader } from '../connectors/gathering.js';
import { ConnectorFailure, ConnectorHttp, TokenRefused } from '../connectors/http-client.js';
import { bearer, obj, str, unauthorised } from '../connectors/social/connector.js';
import type { DataRecordService } from '../data-records.js';
import type { CvDocuments } from './documents.js';

const QUERY = 'has:attachment (filename:pdf OR filename:docx OR filename:txt) newer_than:5y';
/** The newest messages with attachments looked at, at most. */
const MAX_MESSAGES = 50;
const CV_TYPES = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
]);
const CV_NAME = /\.(pdf|docx|txt)$/i;

interface Part {
  filename: string;
  mimeType: string;
  attachmentId: string;
  size: number;
}

function attachmentsOf(payload: Record<string, unknown>): Part[] {
  const out: Part[] = [];
  const walk = (p: Record<string, unknown>) => {
    const body = obj(p.body);
    const filename = str(p.filename);
    const id = str(body.attachmentId);
    const mimeType = str(p.mimeType) ?? '';
    if (filename && id && (CV_TYPES.has(mimeType) || CV_NAME.test(filename)))
      out.push({ filename, mimeType, attachmentId: id, size: typeof body.size === 'number' ? body.size : 0 });
    if (Array.isArray(p.parts)) for (const c of p.parts) walk(obj(c));
  };
  walk(payload);
  return out;
}

export class GmailConnector implements MailboxReader {
  constructor(
    private readonly config: ConnectorConfig,
    private readonly records: DataRecordService,
    private readonly documents: CvDocuments,
  ) {}

  async gather(tenantId: string, subjectId: string, token: string, signal?: AbortSignal): Promise<void> {
    const http = new ConnectorHttp({
      timeoutMs: this.config.timeoutMs,
      attempts: this.config.attempts,
      signal,
    });
    const base = `${this.config.urls.gmail}/gmail/v1/users/me/messages`;
    let outcome: { status: string; error?: string; documents?: number; already_read?: number };
    try {
      let read = 0;
      let known = 0;
      let pageToken: string | undefined;
      let seen = 0;
      do {
        const url = `${base}?q=${encodeURIComponent(QUERY)}&maxResults=25${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
        const page = obj((await http.call(url, bearer(token), unauthorised)).body);
        const messages = (Array.isArray(page.messages) ? page.messages : []).map((m) => str(obj(m).id));
        for (const id of messages) {
          if (!id || seen >= MAX_MESSAGES) continue;
          seen++;
          const message = obj(
            (await http.call(`${base}/${encodeURIComponent(id)}`, bearer(token), unauthorised)).body,
          );
          for (const part of attachmentsOf(obj(message.payload))) {
            const doc = {
              source: 'gmail' as const,
              externalId: `${id}/${part.attachmentId}`,
              name: part.filename,
              mediaType: part.mimeType,
            };
            // Read at an earlier calculation: not downloaded again.
            if (await this.documents.has(subjectId, doc.externalId)) {
              known++;
              continue;
            }
            if (part.size > this.config.documentMaxBytes) {
              await this.documents.refuse(
                tenantId,
                subjectId,
                doc,
                part.size,
                this.documents.tooLarge(part.size),
              );
              continue;
            }
            const a = obj(
              (
                await http.call(
                  `${base}/${encodeURIComponent(id)}/attachments/${encodeURIComponent(part.attachmentId)}`,
                  bearer(token),
                  unauthorised,
                )
              ).body,
            );
            const content = Buffer.from(str(a.data) ?? '', 'base64url');
            const row = await this.documents.add(
              tenantId,
              subjectId,
              { ...doc, content },
              { enqueue: false },
            );
            await this.documents.read(row.id, signal);
            read++;
          }
        }
        pageToken = seen < MAX_MESSAGES ? str(page.nextPageToken) : undefined;
      } while (pageToken);
      outcome = { status: 'ok', documents: read, already_read: known };
    } catch (err) {
      if (err instanceof TokenRefused) outcome = { status: 'token_refused', error: err.message };
      else if (err instanceof ConnectorFailure) outcome = { status: 'failed', error: err.message };
      else throw err;
    }
    await this.records.add(tenantId, subjectId, [
      { kind: 'connector.gmail', source: 'connector.gmail', data: outcome },
    ]);
  }
}
