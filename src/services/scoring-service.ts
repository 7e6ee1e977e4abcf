/**
 * Scoring use-cases: compute the features a service needs, evaluate the tenant's active
 * scorecard, and keep the run (input snapshot, result, model) in the history before answering.
 */
import type { HistoryWriter } from '../db/history-writer.js';
import { CredenceError } from '../domain/errors.js';
import { identifiersIn } from '../domain/identifiers.js';
import {
  type ScheduleFieldNames,
  type ScheduleInput,
  type ScheduleResult,
  scheduleFeatures,
  scoreSchedule,
} from '../domain/schedule/payment-schedule.js';
import type { ScorecardResult } from '../domain/scoring/scorecard.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { ModelRegistry } from './model-registry.js';
import type { Principal } from './principal.js';

export const ATTRIBUTE_SERVICES = ['demographic_score'] as const;
export const SCHEDULE_SERVICES = ['deposit_score', 'repayment_score'] as const;
export type AttributeService = (typeof ATTRIBUTE_SERVICES)[number];
export type ScheduleService = (typeof SCHEDULE_SERVICES)[number];
export type ServiceName = AttributeService | ScheduleService;
export const SERVICES: readonly ServiceName[] = [...ATTRIBUTE_SERVICES, ...SCHEDULE_SERVICES];

export interface ModelRef {
  id: string;
  version: number;
  name: string;
}

/** What a run stores as its result, and what every dialect maps from. */
export type ScoreOutcome =
  | { service: AttributeService; model: ModelRef; scorecard: ScorecardResult }
  | { service: ScheduleService; model: ModelRef; scorecard: ScorecardResult; schedule: ScheduleResult };

export interface ScoredRun<O extends ScoreOutcome = ScoreOutcome> {
  id: string;
  subjectId: string;
  createdAt: string;
  outcome: O;
}

export interface RunContext {
  partnerId: string;
  dialect: string;
  requestId?: string | undefined;
  /** The request as received, kept (encrypted) as the run's input snapshot. */
  rawInput: unknown;
}

export class ScoringService {
  constructor(
    private readonly models: ModelRegistry,
    private readonly history: HistoryWriter,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
  ) {}

  /** Scores a person's attributes with the service's scorecard (demographic scoring). */
  async scoreAttributes(
    who: Principal,
    service: AttributeService,
    attributes: Readonly<Record<string, unknown>>,
    ctx: RunContext & { ignore?: ReadonlySet<string> },
  ): Promise<ScoredRun<Extract<ScoreOutcome, { service: AttributeService }>>> {
    const model = await this.model(who.tenantId, service);
    const scorecard = model.scorecard.evaluate(attributes, ctx.ignore);
    return this.keep(who, ctx, { service, model: ref(model), scorecard });
  }

  /** Scores how a person kept to a monthly schedule (deposits or repayments). */
  async scoreSchedule(
    who: Principal,
    service: ScheduleService,
    input: ScheduleInput,
    names: ScheduleFieldNames,
    ctx: RunContext,
  ): Promise<ScoredRun<Extract<ScoreOutcome, { service: ScheduleService }>>> {
    const model = await this.model(who.tenantId, service);
    const schedule = scoreSchedule(input, this.clock.now(), names);
    const scorecard = model.scorecard.evaluate(scheduleFeatures(schedule));
    return this.keep(who, ctx, { service, model: ref(model), scorecard, schedule });
  }

  private async model(tenantId: string, service: ServiceName) {
    const model = await this.models.activeModel(tenantId, service);
    if (!model) throw new CredenceError('CREDENCE_NO_ACTIVE_MODEL', `no model is active for ${service}`);
    return model;
  }

  private async keep<O extends ScoreOutcome>(
    who: Principal,
    ctx: RunContext,
    outcome: O,
  ): Promise<ScoredRun<O>> {
    const id = newId('run');
    const createdAt = this.clock.now().toISOString();
    const raw = ctx.rawInput;
    const identifiers =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw)
        ? identifiersIn(raw as Record<string, unknown>).map((i) => ({
            kind: i.kind,
            blind_index: this.cipher.blindIndex(i.kind, i.value),
            ciphertext: this.cipher.encrypt(i.value),
          }))
        : [];
    const subjectId = await this.history.write({
      id,
      tenant_id: who.tenantId,
      partner_id: ctx.partnerId,
      service: outcome.service,
      dialect: ctx.dialect,
      model_id: outcome.model.id,
      model_version: outcome.model.version,
      request_id: ctx.requestId ?? null,
      input: this.cipher.encrypt(JSON.stringify(ctx.rawInput)),
      result: JSON.stringify(outcome),
      created_at: createdAt,
      identifiers,
    });
    return { id, subjectId, createdAt, outcome };
  }
}

const ref = (m: ModelRef): ModelRef => ({ id: m.id, version: m.version, name: m.name });
