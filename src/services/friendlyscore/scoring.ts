/**
 * FriendlyScore's asynchronous scoring. `calculate` stores the user, what the request submitted
 * and a score request, and enqueues the data connectors' job, all in one transaction, then answers
 * at once. That job queues the score job (`friendlyscore.score`), which computes the digital footprint from the user's data records, scores it
 * with the tenant's `friendlyscore` scorecard into the score run reserved by the request, and
 * sends the webhook the request named. A job that runs again (its worker died) finds the run it
 * wrote and the webhook it sent, so each request is scored once and notified under one webhook-id.
 * Every request ends: when either job fails for good (its last attempt failed, or its worker died
 * on it), its dead letter marks the request failed and its webhook gets a
 * `friendlyscore.score.failed` event.
 */
import type { Kysely } from 'kysely';
import {
  findScoreRequest,
  insertScoreRequest,
  latestScoreRequests,
  setScoreRequestStatus,
} from '../../db/repositories/friendlyscore.repository.js';
import { findScoreRun } from '../../db/repositories/score-run.repository.js';
import type { Database, ScoreRequestRow, ScoreRunRow } from '../../db/schema.js';
import { type DataPoint, dataPoints } from '../../domain/footprint/data-points.js';
import { footprint } from '../../domain/footprint/features.js';
import { type SentimentReason, sentimentReasons } from '../../domain/footprint/reasons.js';
import type { Scorecard } from '../../domain/scoring/scorecard.js';
import type { JobContext, JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { WebhookEvent, WebhookService } from '../../webhooks/webhook-service.js';
import { GATHER_JOB, type GatherPayload } from '../connectors/gathering.js';
import type { DataRecordService, NewDataRecord } from '../data-records.js';
import type { ModelRegistry } from '../model-registry.js';
import type { Principal } from '../principal.js';
import type { StoredOutcome } from '../score-outcome.js';
import type { ScoringService } from '../scoring-service.js';
import { type FriendlyScoreUser, type FriendlyScoreUsers, withRetries } from './users.js';

export const SCORE_JOB = 'friendlyscore.score';
const SERVICE = 'friendlyscore';
const DIALECT = 'friendlyscore';
/** Ends a request whose score job, or data connectors' job, failed for good. */
export const FAIL_JOB = 'friendlyscore.fail';
export const SCORE_READY_EVENT = 'friendlyscore.score.calculated';
export const NO_DATA_EVENT = 'friendlyscore.score.no_data';
export const FAILED_EVENT = 'friendlyscore.score.failed';
const EVENT_TYPES = { scored: SCORE_READY_EVENT, no_data: NO_DATA_EVENT, failed: FAILED_EVENT } as const;

export interface CalculateInput {
  /** The network access tokens as given (stored encrypted, never returned). */
  accessTokens: Record<string, string>;
  userIp: string;
  userAgent?: Record<string, unknown> | undefined;
  webhook?: string | undefined;
}

export type ScoreState =
  | { state: 'pending' }
  | { state: 'no_data' }
  | { state: 'failed' }
  | {
      state: 'scored';
      score: number;
      minScore: number;
      maxScore: number;
      band: string | null;
      pd: number;
      reasons: SentimentReason[];
      calculatedAt: string;
    };

interface ScoredRun {
  run: ScoreRunRow;
  stored: StoredOutcome;
  card: Scorecard | null;
}

export type ScoredPoints = Extract<ScoreState, { state: 'scored' }> & { points: DataPoint[] };

export class FriendlyScoreScoring {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly users: FriendlyScoreUsers,
    private readonly records: DataRecordService,
    private readonly scoring: ScoringService,
    private readonly models: ModelRegistry,
    private readonly queue: JobQueue,
    private readonly webhooks: WebhookService,
  ) {
    // A score that cannot be made ends the request, so get_score stops answering 202 for it.
    queue.register<{ requestId: string }>(SCORE_JOB, async (p, job) => this.run(p.requestId, job), {
      concurrency: 8,
      maxAttempts: 5,
      deadLetter: FAIL_JOB,
    });
    queue.register<{ requestId: string }>(FAIL_JOB, async (p, job) => this.fail(p.requestId, job), {
      concurrency: 8,
      maxAttempts: 10,
    });
  }

  /**
   * Schedules a score for the user (made if the partner id is new; an unknown FriendlyScore id is
   * not found). Resolves once the request and its job are committed.
   */
  async calculate(
    who: Principal,
    user: { existing: FriendlyScoreUser } | { partnerId: string },
    input: CalculateInput,
    requestId: string,
  ): Promise<FriendlyScoreUser> {
    const submitted: NewDataRecord[] = [
      { kind: 'access_tokens', source: DIALECT, data: input.accessTokens },
      { kind: 'ip_address', source: DIALECT, data: { ip: input.userIp } },
    ];
    if (input.userAgent) submitted.push({ kind: 'user_agent', source: DIALECT, data: input.userAgent });
    const fsUser = await withRetries(this.db, async (trx) => {
      const u =
        'existing' in user ? user.existing : await this.users.ensure(trx, who.tenantId, user.partnerId);
      await this.records.add(who.tenantId, u.subjectId, submitted, trx);
      const now = this.clock.now().toISOString();
      const request: ScoreRequestRow = {
        id: newId('srq'),
        tenant_id: who.tenantId,
        subject_id: u.subjectId,
        client_id: who.clientId,
        service: SERVICE,
        dialect: DIALECT,
        status: 'queued',
        run_id: newId('run'),
        request_id: requestId,
        webhook_url: input.webhook ? this.cipher.encrypt(input.webhook) : null,
        created_at: now,
        updated_at: now,
      };
      await insertScoreRequest(trx, request);
      // The data connectors run first; their job queues the score.
      const gather: GatherPayload = {
        requestId: request.id,
        next: { name: SCORE_JOB, payload: { requestId: request.id } },
        onFailure: { name: FAIL_JOB, payload: { requestId: request.id } },
      };
      await this.queue.enqueue(GATHER_JOB, gather, {
        key: request.id,
        tenantId: who.tenantId,
        subjectId: u.subjectId,
        transaction: trx,
      });
      return u;
    });
    this.queue.wake();
    return fsUser;
  }

  /** Where the user's newest score stands. */
  async state(user: FriendlyScoreUser): Promise<ScoreState> {
    return (await this.states(user.tenantId, [user])).get(user.subjectId)!;
  }

  async states(tenantId: string, users: readonly FriendlyScoreUser[]): Promise<Map<string, ScoreState>> {
    const latest = await latestScoreRequests(
      this.db,
      tenantId,
      users.map((u) => u.subjectId),
      SERVICE,
    );
    const out = new Map<string, ScoreState>();
    for (const u of users) {
      const r = latest.get(u.subjectId);
      out.set(u.subjectId, r ? await this.stateOf(r) : { state: 'no_data' });
    }
    return out;
  }

  /**
   * The data points of the user's newest score (docs/friendlyscore.md#data-points), or where its
   * calculation stands when it has none.
   */
  async dataPoints(
    user: FriendlyScoreUser,
  ): Promise<Exclude<ScoreState, { state: 'scored' }> | ScoredPoints> {
    const r = (await latestScoreRequests(this.db, user.tenantId, [user.subjectId], SERVICE)).get(
      user.subjectId,
    );
    if (!r) return { state: 'no_data' };
    if (r.status !== 'scored') return (await this.stateOf(r)) as Exclude<ScoreState, { state: 'scored' }>;
    const found = await this.scoredRun(r);
    if (!found?.card) return { state: 'failed' };
    const attributes = JSON.parse(this.cipher.decrypt(found.run.input)) as Record<string, unknown>;
    return {
      ...this.scoredState(found),
      points: dataPoints(found.card.model, found.card.explain(found.stored.scorecard.bins), attributes),
    };
  }

  /** A scored request's run, its stored outcome and the scorecard that made it. */
  private async scoredRun(r: ScoreRequestRow): Promise<ScoredRun | undefined> {
    const run = await findScoreRun(this.db, r.tenant_id, r.run_id);
    if (!run) return undefined;
    const stored = JSON.parse(run.result) as StoredOutcome;
    const card = run.model_id ? await this.models.scorecardById(run.model_id) : null;
    return { run, stored, card };
  }

  private async stateOf(r: ScoreRequestRow): Promise<ScoreState> {
    if (r.status === 'queued' || r.status === 'running') return { state: 'pending' };
    if (r.status === 'no_data') return { state: 'no_data' };
    if (r.status !== 'scored') return { state: 'failed' };
    const found = await this.scoredRun(r);
    return found ? this.scoredState(found) : { state: 'failed' };
  }

  private scoredState({ run, stored, card }: ScoredRun): Extract<ScoreState, { state: 'scored' }> {
    const reasons = card
      ? sentimentReasons(
          card.model,
          card.reasonsOf(stored.scorecard.bins),
          card.explain(stored.scorecard.bins),
        )
      : [];
    return {
      state: 'scored',
      score: stored.scorecard.score,
      minScore: stored.scorecard.minScore,
      maxScore: stored.scorecard.maxScore,
      band: stored.scorecard.grade,
      pd: stored.scorecard.pd,
      reasons,
      calculatedAt: run.created_at,
    };
  }

  /**
   * The job: score the request once, then record the result and the webhook event together. A
   * run that finds the request settled only makes sure its event exists (an earlier run may have
   * died between the two).
   */
  private async run(requestId: string, job: JobContext): Promise<void> {
    const req = await findScoreRequest(this.db, requestId);
    if (!req) return; // the user was erased
    if (req.status === 'queued' || req.status === 'running') req.status = await this.score(req);
    await this.settle(req, job);
  }

  /**
   * Ends a request that cannot be scored: marks it failed and queues its webhook event. A request
   * already settled is left.
   */
  private async fail(requestId: string, job: JobContext): Promise<void> {
    const req = await findScoreRequest(this.db, requestId);
    if (!req || req.status === 'scored' || req.status === 'no_data') return;
    req.status = 'failed';
    await this.settle(req, job);
  }

  /** Records the request's status, queues its webhook event and completes `job`, together. */
  private async settle(req: ScoreRequestRow, job: JobContext): Promise<void> {
    const event = req.webhook_url ? await this.event(req) : undefined;
    await job.transaction(async (trx) => {
      await setScoreRequestStatus(trx, req.id, req.status, this.clock.now().toISOString());
      if (event) await this.webhooks.send(event, { transaction: trx });
    });
    if (event) this.queue.wake();
  }

  private async score(req: ScoreRequestRow): Promise<'scored' | 'no_data'> {
    if (await findScoreRun(this.db, req.tenant_id, req.run_id)) return 'scored';
    const latest = await this.records.latest(req.tenant_id, req.subject_id);
    const fp = footprint(new Map([...latest].map(([k, r]) => [k, r.data])), this.clock.now());
    if (!fp.usable) return 'no_data';
    const user = await this.db
      .selectFrom('subjects')
      .select('partner_id')
      .where('id', '=', req.subject_id)
      .executeTakeFirst();
    if (!user) return 'no_data';
    await this.scoring.scoreAttributes(
      {
        tenantId: req.tenant_id,
        clientId: req.client_id,
        credentialId: req.id,
        credentialType: 'job',
        scopes: [],
      },
      SERVICE,
      fp.attributes,
      {
        partnerId: user.partner_id,
        dialect: DIALECT,
        requestId: req.request_id ?? undefined,
        rawInput: fp.attributes,
        runId: req.run_id,
      },
    );
    return 'scored';
  }

  private async event(req: ScoreRequestRow): Promise<WebhookEvent | undefined> {
    const row = await this.db
      .selectFrom('friendlyscore_users')
      .innerJoin('subjects', 'subjects.id', 'friendlyscore_users.subject_id')
      .select(['friendlyscore_users.user_number', 'subjects.partner_id'])
      .where('friendlyscore_users.subject_id', '=', req.subject_id)
      .executeTakeFirst();
    if (!row) return undefined;
    const state = await this.stateOf(req);
    const base = { user_id: String(row.user_number), partner_user_id: row.partner_id };
    const data =
      state.state === 'scored'
        ? {
            ...base,
            status: 'calculated',
            friendlyscore: state.score,
            score: state.score,
            band: state.band,
            min_score: state.minScore,
            max_score: state.maxScore,
            reason_codes: state.reasons.map((r) => ({
              code: r.code,
              sentiment: r.sentiment,
              description: r.description,
            })),
            calculated_at: state.calculatedAt,
          }
        : { ...base, status: state.state };
    return {
      tenantId: req.tenant_id,
      clientId: req.client_id,
      subjectId: req.subject_id,
      url: this.cipher.decrypt(req.webhook_url!),
      type: EVENT_TYPES[state.state === 'pending' ? 'failed' : state.state],
      data,
      key: `friendlyscore:${req.id}`,
    };
  }
}
