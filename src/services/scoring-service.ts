/**
 * Scoring use-cases: compute the features a service needs, evaluate the tenant's active
 * scorecard, and keep the run (input snapshot, result, model) in the history before answering.
 */
import type { History } from '../db/history.js';
import { CredenceError } from '../domain/errors.js';
import { identifiersIn } from '../domain/identifiers.js';
import {
  type ScheduleFieldNames,
  type ScheduleInput,
  scheduleFeatures,
  scoreSchedule,
} from '../domain/schedule/payment-schedule.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { ModelRegistry } from './model-registry.js';
import type { Principal } from './principal.js';
import {
  type AttributeService,
  type FootprintService,
  type ModelRef,
  type ScheduleService,
  type ScoreOutcome,
  type ServiceName,
  toStored,
} from './score-outcome.js';

export {
  ATTRIBUTE_SERVICES,
  type AttributeService,
  FOOTPRINT_SERVICES,
  type FootprintService,
  type ModelRef,
  SCHEDULE_SERVICES,
  type ScheduleService,
  type ScoreOutcome,
  SERVICES,
  type ServiceName,
} from './score-outcome.js';

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
  /** The same request as the text that arrived, when the dialect kept it: stored as is. */
  rawText?: string | undefined;
  /** The run's id, when the caller reserved one (a retried job then finds its run instead of scoring twice). */
  runId?: string | undefined;
}

export class ScoringService {
  constructor(
    private readonly models: ModelRegistry,
    private readonly history: History,
    private readonly clock: Clock,
  ) {}

  /** Scores a person's attributes with the service's scorecard (demographic, digital footprint). */
  async scoreAttributes<S extends AttributeService | FootprintService>(
    who: Principal,
    service: S,
    attributes: Readonly<Record<string, unknown>>,
    ctx: RunContext & { ignore?: ReadonlySet<string> },
  ): Promise<ScoredRun<Extract<ScoreOutcome, { service: AttributeService | FootprintService }>>> {
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
    const id = ctx.runId ?? newId('run');
    const createdAt = this.clock.now().toISOString();
    const raw = ctx.rawInput;
    const identifiers =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw)
        ? identifiersIn(raw as Record<string, unknown>)
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
      input: ctx.rawText ?? JSON.stringify(ctx.rawInput),
      result: JSON.stringify(toStored(outcome)),
      created_at: createdAt,
      identifiers,
    });
    return { id, subjectId, createdAt, outcome };
  }
}

const ref = (m: ModelRef): ModelRef => ({ id: m.id, version: m.version, name: m.name });
