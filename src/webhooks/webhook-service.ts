/**
 * Webhooks: events sent to a URL a tenant gave, signed per Standard Webhooks with the secret of
 * the tenant's client (application). Every event is a stored delivery with its attempts; a job
 * (`webhook.deliver`) makes the attempts. A non-2xx answer or a timeout (10 s) is retried with
 * exponential backoff and jitter, or after the receiver's Retry-After, for up to 24 hours; a 410
 * Gone stops at once. Every attempt and replay of a delivery carries the same `webhook-id`, so a
 * receiver can drop repeats. Any dialect or feature sends its events through `send`.
 */
import type { Kysely } from 'kysely';
import {
  type AttemptOutcome,
  currentWebhookSecret,
  deleteSubjectDeliveries,
  expireWebhookSecrets,
  findDelivery,
  findDeliveryByKey,
  insertDelivery,
  insertWebhookSecret,
  listAttempts,
  listDeliveries,
  liveWebhookSecrets,
  recordAttempt,
  restartDelivery,
} from '../db/repositories/webhook.repository.js';
import type { Database, WebhookAttemptRow, WebhookDeliveryRow } from '../db/schema.js';
import { CredenceError, notFound } from '../domain/errors.js';
import { backoffDelay } from '../jobs/backoff.js';
import { type JobContext, type JobQueue, RetryJobError } from '../jobs/queue.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { unknownCursor } from '../services/cursor.js';
import type { Principal } from '../services/principal.js';
import { webhookUrlProblem } from './destination.js';
import { type AttemptResult, postWebhook } from './http-sender.js';
import { generateWebhookSecret, webhookHeaders } from './signature.js';

export const DELIVER_JOB = 'webhook.deliver';

export interface WebhookOptions {
  allowPrivate: boolean;
  /** One attempt's limit (default 10 s). */
  timeoutMs?: number;
  /** How long a delivery is retried (default 24 h). */
  windowMs?: number;
  /** First retry delay (default 5 s), doubling up to backoffMaxMs (default 1 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Deliveries made at once by this process (default 32). */
  concurrency?: number;
  /** How long a replaced secret keeps signing next to the new one (default 24 h). */
  rotationOverlapMs?: number;
  /**
   * How long after an attempt a replay is taken for the second click of a double click, and
   * refused (default 5 s).
   */
  replayQuietMs?: number;
  random?: () => number;
}

export interface WebhookEvent {
  tenantId: string;
  /** The tenant's client (application) whose secret signs the event. */
  clientId: string;
  subjectId?: string | undefined;
  url: string;
  type: string;
  data: unknown;
  /** An event sent twice with the same key is stored and delivered once. */
  key?: string | undefined;
  /** Send `data` itself as the body, for a dialect whose receivers expect the vendor's own payload. */
  bare?: boolean | undefined;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

interface DeliverPayload {
  deliveryId: string;
  /** When this series of attempts started: the original send, or a replay. */
  since: string;
}

const DAY = 24 * 3600_000;

export class WebhookService {
  /** Told of every delivery attempt's outcome (the metrics count them). */
  onAttempt?: (outcome: 'delivered' | 'failed' | 'retry') => void;
  private readonly timeoutMs: number;
  private readonly windowMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly replayQuietMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly options: WebhookOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.windowMs = options.windowMs ?? DAY;
    this.backoff = { baseMs: options.backoffBaseMs ?? 5000, maxMs: options.backoffMaxMs ?? 3600_000 };
    this.replayQuietMs = options.replayQuietMs ?? 5000;
    queue.register<DeliverPayload>(DELIVER_JOB, (p, job) => this.deliver(p, job), {
      concurrency: options.concurrency ?? 32,
      maxAttempts: 100_000,
    });
  }

  /** Why a URL cannot receive webhooks, or undefined. */
  urlProblem(url: string): string | undefined {
    return webhookUrlProblem(url, this.options.allowPrivate);
  }

  /**
   * Makes a new signing secret for an application and returns it (shown once). Secrets it
   * replaces keep signing next to it for a day, so receivers can switch without losing events.
   */
  async rotateSecret(tenantId: string, clientId: string): Promise<string> {
    const secret = generateWebhookSecret();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await expireWebhookSecrets(
        trx,
        clientId,
        new Date(now.getTime() + (this.options.rotationOverlapMs ?? DAY)).toISOString(),
      );
      await insertWebhookSecret(trx, {
        id: newId('whs'),
        tenant_id: tenantId,
        client_id: clientId,
        secret: this.cipher.encrypt(secret),
        created_at: now.toISOString(),
        expires_at: null,
      });
    });
    return secret;
  }

  /** A new secret when the application has none yet (returned, to show once); else undefined. */
  async ensureSecret(tenantId: string, clientId: string): Promise<string | undefined> {
    const live = await liveWebhookSecrets(this.db, clientId, this.clock.now().toISOString());
    return live.length > 0 ? undefined : this.rotateSecret(tenantId, clientId);
  }

  /**
   * An application's current secret (during a rotation, the new one), made when it has none. For
   * a payload that carries a value derived from the secret (DeviceConnect's webhook salt).
   */
  async currentSecret(tenantId: string, clientId: string): Promise<string> {
    const current = await currentWebhookSecret(this.db, clientId);
    return current !== undefined ? this.cipher.decrypt(current) : this.rotateSecret(tenantId, clientId);
  }

  /**
   * Stores the event and schedules its delivery; returns its id (the `webhook-id`). Given a
   * transaction, both happen in it (call `queue.wake()` after the commit).
   *
   * A URL is checked where it is registered (a key's webhook, a request's callback). One refused
   * now, because CREDENCE_WEBHOOK_ALLOW_PRIVATE was turned off since, say, makes a delivery that
   * failed at once, with the reason: the event is kept (to be replayed once the destination is
   * allowed) and the caller's own writes stand, where throwing would undo them.
   */
  async send(
    e: WebhookEvent,
    o: { transaction?: Kysely<Database> } = {},
  ): Promise<{ id: string; created: boolean }> {
    const db = o.transaction ?? this.db;
    const problem = this.urlProblem(e.url);
    const now = this.clock.now().toISOString();
    const id = newId('msg');
    const body = JSON.stringify(e.bare ? e.data : { type: e.type, timestamp: now, data: e.data });
    const created = await insertDelivery(db, {
      id,
      tenant_id: e.tenantId,
      client_id: e.clientId,
      subject_id: e.subjectId ?? null,
      event_type: e.type,
      url: this.cipher.encrypt(e.url),
      payload: this.cipher.encrypt(body),
      dedupe_key: e.key ?? null,
      status: problem ? 'failed' : 'pending',
      attempts: 0,
      next_attempt_at: problem ? null : now,
      last_status_code: null,
      last_error: problem ? `not sent: the webhook URL ${problem}` : null,
      created_at: now,
      updated_at: now,
      delivered_at: null,
    });
    const delivery = created ? { id, created_at: now } : await findDeliveryByKey(db, e.tenantId, e.key!);
    if (!delivery) throw new Error('a webhook delivery vanished while it was being stored');
    if (problem) return { id: delivery.id, created };
    // Enqueued even when the delivery existed: an earlier sender may have died before enqueueing.
    await this.queue.enqueue<DeliverPayload>(
      DELIVER_JOB,
      { deliveryId: delivery.id, since: delivery.created_at },
      { key: delivery.id, tenantId: e.tenantId, subjectId: e.subjectId, transaction: o.transaction },
    );
    return { id: delivery.id, created };
  }

  async list(
    who: Principal,
    q: { status?: DeliveryStatus | undefined; after?: string | undefined; limit: number },
  ): Promise<{ deliveries: WebhookDelivery[]; next: string | null }> {
    // A cursor is a delivery of the tenant's (its status may have changed since its page).
    if (q.after !== undefined && (await findDelivery(this.db, q.after))?.tenant_id !== who.tenantId)
      throw unknownCursor();
    const rows = await listDeliveries(this.db, {
      tenantId: who.tenantId,
      status: q.status,
      after: q.after,
      limit: q.limit + 1,
    });
    const deliveries = rows.slice(0, q.limit).map((r) => this.toDelivery(r));
    return { deliveries, next: rows.length > q.limit ? deliveries[deliveries.length - 1]!.id : null };
  }

  async get(
    who: Principal,
    id: string,
  ): Promise<WebhookDelivery & { payload: unknown; attemptLog: WebhookAttempt[] }> {
    const row = await this.owned(who, id);
    const attempts = await listAttempts(this.db, [row.id]);
    return {
      ...this.toDelivery(row),
      payload: JSON.parse(this.cipher.decrypt(row.payload)),
      attemptLog: attempts.map((a) => toAttempt(a, this.cipher)),
    };
  }

  /**
   * Sends a delivered or failed delivery again (same webhook-id and body), with a fresh 24-hour
   * window. A pending one already has its next attempt scheduled or running: it is refused
   * (CREDENCE_CONFLICT) rather than given a second series of attempts.
   */
  async replay(who: Principal, id: string): Promise<WebhookDelivery> {
    const row = await this.owned(who, id);
    const now = this.clock.now().toISOString();
    // Back to pending only together with the job that attempts it: both commit, or neither.
    const restarted = await this.db.transaction().execute(async (trx) => {
      const quietSince = new Date(Date.parse(now) - this.replayQuietMs).toISOString();
      if (!(await restartDelivery(trx, row.id, now, quietSince))) return false;
      await this.queue.enqueue<DeliverPayload>(
        DELIVER_JOB,
        { deliveryId: row.id, since: now },
        {
          key: `${row.id}@${now}`,
          tenantId: row.tenant_id,
          subjectId: row.subject_id ?? undefined,
          transaction: trx,
        },
      );
      return true;
    });
    if (restarted) this.queue.wake();
    const current = await this.owned(who, id);
    if (!restarted) {
      throw new CredenceError(
        'CREDENCE_CONFLICT',
        current.status === 'pending'
          ? `webhook delivery ${id} is still pending (next attempt ${current.next_attempt_at ?? 'now'}): ` +
              'replay it once it is delivered or failed'
          : `webhook delivery ${id} was attempted less than ${this.replayQuietMs / 1000} s ago (a double click?): ` +
              'replay it again after that',
      );
    }
    return this.toDelivery(current);
  }

  /** Erases the deliveries about a subject (their bodies may carry its data). */
  forgetSubject(db: Kysely<Database>, tenantId: string, subjectId: string): Promise<number> {
    return deleteSubjectDeliveries(db, tenantId, subjectId);
  }

  private async owned(who: Principal, id: string): Promise<WebhookDeliveryRow> {
    const row = await findDelivery(this.db, id);
    if (!row || row.tenant_id !== who.tenantId) throw notFound('webhook delivery', id);
    return row;
  }

  private async deliver(p: DeliverPayload, job: JobContext): Promise<void> {
    const row = await findDelivery(this.db, p.deliveryId);
    // Erased, or already settled by an earlier run of this job.
    if (row?.status !== 'pending') return;
    const started = this.clock.now();
    let secrets = (await liveWebhookSecrets(this.db, row.client_id, started.toISOString())).map((s) =>
      this.cipher.decrypt(s),
    );
    if (secrets.length === 0) secrets = [await this.rotateSecret(row.tenant_id, row.client_id)];
    const body = this.cipher.decrypt(row.payload);
    const url = this.cipher.decrypt(row.url);
    const headers = webhookHeaders(secrets, row.id, Math.floor(started.getTime() / 1000), body);
    const r = await postWebhook(url, body, headers, {
      timeoutMs: this.timeoutMs,
      allowPrivate: this.options.allowPrivate,
      now: () => this.clock.now().getTime(),
    });
    const attemptRow = {
      id: newId('att'),
      delivery_id: row.id,
      started_at: started.toISOString(),
      duration_ms: r.durationMs,
      status_code: r.status,
      error: r.error,
      // The receiver's answer may echo the event's personal data: kept sealed.
      response_excerpt: r.excerpt === null ? null : this.cipher.encrypt(r.excerpt),
    };
    // The attempt and the delivery's new state commit together; with the job's completion when
    // the delivery is settled.
    const record = (set: AttemptOutcome, settled = true) => {
      const write = (trx: Kysely<Database>) => recordAttempt(trx, attemptRow, set);
      return settled ? job.transaction(write) : this.db.transaction().execute(write);
    };
    const now = this.clock.now();
    const base = {
      last_status_code: r.status,
      last_error:
        r.error ?? (r.status !== null && (r.status < 200 || r.status >= 300) ? `HTTP ${r.status}` : null),
      updated_at: now.toISOString(),
    };
    // The backoff is paced by this series' own attempts (its job's), so a replay starts again at
    // the first step; the attempt's number, across every series, is counted by the database.
    const outcome = this.judge(r, job.attempt, now.getTime(), Date.parse(p.since));
    this.onAttempt?.(outcome.kind);
    if (outcome.kind === 'delivered') {
      await record({
        ...base,
        status: 'delivered',
        delivered_at: now.toISOString(),
        next_attempt_at: null,
      });
      return;
    }
    if (outcome.kind === 'failed') {
      await record({
        ...base,
        status: 'failed',
        // Also for a delivery replayed while an earlier series' delivered_at was still kept.
        delivered_at: null,
        next_attempt_at: null,
        last_error: outcome.reason,
      });
      return;
    }
    await record(
      { ...base, next_attempt_at: new Date(now.getTime() + outcome.delayMs).toISOString() },
      false,
    );
    throw new RetryJobError(base.last_error ?? 'not delivered', outcome.delayMs);
  }

  private judge(
    r: AttemptResult,
    attempt: number,
    now: number,
    since: number,
  ): { kind: 'delivered' } | { kind: 'failed'; reason: string } | { kind: 'retry'; delayMs: number } {
    if (r.status !== null && r.status >= 200 && r.status < 300) return { kind: 'delivered' };
    if (r.status === 410) return { kind: 'failed', reason: 'the receiver answered 410 Gone: not retried' };
    if (r.refused) return { kind: 'failed', reason: r.error ?? 'destination refused' };
    const left = since + this.windowMs - now;
    // The receiver's Retry-After is a time not to come before; the backoff's wait is cut short at
    // the window's end, so that the last attempt comes then rather than a step before.
    const delayMs =
      r.retryAfterMs !== null
        ? Math.max(1000, r.retryAfterMs)
        : Math.min(backoffDelay(attempt, this.backoff, this.options.random), left);
    if (left <= 0 || delayMs > left) {
      return {
        kind: 'failed',
        reason: `not delivered within ${duration(this.windowMs)}: ${r.error ?? `HTTP ${r.status}`}`,
      };
    }
    return { kind: 'retry', delayMs };
  }

  private toDelivery(r: WebhookDeliveryRow): WebhookDelivery {
    return {
      id: r.id,
      eventType: r.event_type,
      url: displayUrl(this.cipher.decrypt(r.url)),
      status: r.status as DeliveryStatus,
      attempts: r.attempts,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deliveredAt: r.delivered_at,
    };
  }
}

/** An attempt as stored; an excerpt kept in plain text before excerpts were sealed is read as it is. */
const toAttempt = (a: WebhookAttemptRow, cipher: PiiCipher): WebhookAttempt => ({
  attempt: a.attempt,
  startedAt: a.started_at,
  durationMs: a.duration_ms,
  statusCode: a.status_code,
  error: a.error,
  responseExcerpt: a.response_excerpt === null ? null : cipher.decryptOrPlain(a.response_excerpt),
});

const duration = (ms: number) =>
  ms >= 3600_000 ? `${+(ms / 3600_000).toFixed(1)} h` : `${+(ms / 1000).toFixed(1)} s`;

/** The URL without its query string, which may carry a token. */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}
