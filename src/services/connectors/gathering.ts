/**
 * Gathering data for a FriendlyScore calculation, as a queued job (`connectors.gather`) that runs
 * between the request and its score: the social network connectors with the submitted tokens, the
 * CVs in the Gmail account the Google token opens, then the fraud signals (which read what the
 * others found). It ends by queueing the score job in the transaction that completes it, so a
 * calculation acknowledged is scored even if the process dies in between. Each part fails on its
 * own: a network that fails is recorded and skipped, never the calculation. If the job itself
 * fails for good (its last attempt failed, or its worker died on it), its dead letter
 * (`connectors.gather.failed`) queues the payload's `onFailure` job, which ends the calculation.
 */
import type { Kysely } from 'kysely';
import { findScoreRequest } from '../../db/repositories/friendlyscore.repository.js';
import type { Database, ScoreRequestRow } from '../../db/schema.js';
import type { JobContext, JobQueue } from '../../jobs/queue.js';
import type { DataRecordService } from '../data-records.js';
import type { FraudSignals } from './fraud.js';
import type { SocialConnectors } from './social.js';

export const GATHER_JOB = 'connectors.gather';
/** A gathering job that failed for good: queues its payload's `onFailure` job. */
export const GATHER_FAILED_JOB = 'connectors.gather.failed';

export interface GatherPayload {
  requestId: string;
  /** The job to queue once the data is gathered, with its payload. */
  next: { name: string; payload: unknown };
  /** The job to queue instead when gathering failed for good, so the request still ends. */
  onFailure?: { name: string; payload: unknown };
}

/** Reads the CVs of the user's mailbox (cv/gmail.ts). */
export interface MailboxReader {
  gather(tenantId: string, subjectId: string, googleToken: string, signal?: AbortSignal): Promise<void>;
}

export class DataGathering {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly queue: JobQueue,
    private readonly records: DataRecordService,
    private readonly social: SocialConnectors,
    private readonly fraud: FraudSignals,
    private readonly mailbox: MailboxReader,
  ) {
    queue.register<GatherPayload>(
      GATHER_JOB,
      async (p, job) => {
        const req = await findScoreRequest(this.db, p.requestId);
        if (req && (req.status === 'queued' || req.status === 'running')) {
          await this.gather(req.tenant_id, req.subject_id, job.signal);
        }
        await this.queueAfter(p.requestId, req, p.next, job);
      },
      { concurrency: 8, maxAttempts: 5, deadLetter: GATHER_FAILED_JOB },
    );
    queue.register<GatherPayload>(GATHER_FAILED_JOB, async (p, job) => {
      if (p.onFailure)
        await this.queueAfter(p.requestId, await findScoreRequest(this.db, p.requestId), p.onFailure, job);
    });
  }

  /** Queues `then`, keyed by the request, in the transaction that completes `job`. */
  private async queueAfter(
    requestId: string,
    req: ScoreRequestRow | undefined,
    then: { name: string; payload: unknown },
    job: JobContext,
  ) {
    const about = { key: requestId, tenantId: req?.tenant_id, subjectId: req?.subject_id };
    await job.transaction(async (trx) => {
      await this.queue.enqueue(then.name, then.payload, { ...about, transaction: trx });
    });
    this.queue.wake();
  }

  /** Everything the connectors can find about the subject now. */
  async gather(tenantId: string, subjectId: string, signal?: AbortSignal): Promise<void> {
    const tokens = (await this.records.latest(tenantId, subjectId, ['access_tokens'])).get('access_tokens');
    const given = (tokens?.data ?? {}) as Record<string, unknown>;
    await this.social.gather(tenantId, subjectId, given, signal);
    const google =
      typeof given.google === 'string' && given.google.trim() !== '' ? given.google.trim() : undefined;
    if (google) await this.mailbox.gather(tenantId, subjectId, google, signal);
    const latest = await this.records.latest(tenantId, subjectId);
    await this.fraud.assess(tenantId, subjectId, new Map([...latest].map(([k, r]) => [k, r.data])));
  }
}
