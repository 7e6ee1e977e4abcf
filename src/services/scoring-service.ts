/**
 * Scoring use-cases: compute the features a service needs, evaluate the tenant's active
 * scorecard, and keep the run (input snapshot, result, model) in the history before answering.
 */
import type { History } from '../db/history.js';
import { CredenceError, isCredenceError } from '../domain/errors.js';
import { identifiersIn } from '../domain/identifiers.js';
import {
  type ScheduleFieldNames,
  type ScheduleInput,
  scheduleFeatures,
  scoreSchedule,
} from '../domain/schedule/payment-schedule.js';
import type { Scorecard, ScorecardResult } from '../domain/scoring/scorecard.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { ActiveModel, ModelRegistry, ServingModels } from './model-registry.js';
import type { Principal } from './principal.js';
import {
  type AttributeService,
  type FootprintService,
  type ModelRef,
  type ScheduleService,
  type ScoreOutcome,
  type ServiceName,
  type ShadowResult,
  storedScorecard,
  type TelcoService,
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
  TELCO_SERVICES,
  type TelcoService,
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
  /** The purpose the caller declared for this score (a CAMARA token's `dpv:` scope), kept with the run. */
  purpose?: string | undefined;
}

export class ScoringService {
  /** Told of every score kept (the metrics count them by service and dialect). */
  onScored?: (service: string, dialect: string) => void;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly history: History,
    private readonly clock: Clock,
  ) {}

  /** Scores a person's attributes with the service's scorecard (demographic, digital footprint). */
  scoreAttributes<S extends AttributeService | FootprintService | TelcoService>(
    who: Principal,
    service: S,
    attributes: Readonly<Record<string, unknown>>,
    ctx: RunContext & { ignore?: ReadonlySet<string> },
  ): Promise<
    ScoredRun<Extract<ScoreOutcome, { service: AttributeService | FootprintService | TelcoService }>>
  > {
    return this.withModels(who.tenantId, service, (champion, challenger) => {
      const scorecard = champion.scorecard.evaluate(attributes, ctx.ignore);
      const shadow = challenger && inShadow(challenger, (card) => card.evaluate(attributes, ctx.ignore));
      return this.keep(who, ctx, { service, model: ref(champion), scorecard }, shadow);
    });
  }

  /** Scores how a person kept to a monthly schedule (deposits or repayments). */
  scoreSchedule(
    who: Principal,
    service: ScheduleService,
    input: ScheduleInput,
    names: ScheduleFieldNames,
    ctx: RunContext,
  ): Promise<ScoredRun<Extract<ScoreOutcome, { service: ScheduleService }>>> {
    return this.withModels(who.tenantId, service, (champion, challenger) => {
      const schedule = scoreSchedule(input, this.clock.now(), names);
      const features = scheduleFeatures(schedule);
      const scorecard = champion.scorecard.evaluate(features);
      const shadow = challenger && inShadow(challenger, (card) => card.evaluate(features));
      return this.keep(who, ctx, { service, model: ref(champion), scorecard, schedule }, shadow);
    });
  }

  /**
   * Runs `score` with the service's champion and challenger. With the models in memory (nearly
   * always) it runs at once, without waiting a turn; whatever it throws becomes the rejection.
   */
  private withModels<T>(
    tenantId: string,
    service: ServiceName,
    score: (champion: ActiveModel, challenger: ActiveModel | null) => Promise<T>,
  ): Promise<T> {
    const cached = this.registry.cachedServingModels(tenantId, service);
    if (!cached)
      return this.registry.servingModels(tenantId, service).then((m) => scoreWith(m, service, score));
    try {
      return scoreWith(cached, service, score);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Hands the run to the history; resolves once it is committed. */
  private keep<O extends ScoreOutcome>(
    who: Principal,
    ctx: RunContext,
    outcome: O,
    shadow: Shadow | null,
  ): Promise<ScoredRun<O>> {
    const id = ctx.runId ?? newId('run');
    const createdAt = this.clock.now().toISOString();
    const raw = ctx.rawInput;
    const identifiers =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw)
        ? identifiersIn(raw as Record<string, unknown>)
        : [];
    const written = this.history.write({
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
      challenger_model_id: shadow ? shadow.model.id : null,
      challenger_model_version: shadow ? shadow.model.version : null,
      challenger_result: shadow ? JSON.stringify(shadow.result) : null,
      purpose: ctx.purpose ?? null,
    });
    return written.then((subjectId) => {
      this.onScored?.(outcome.service, ctx.dialect);
      return { id, subjectId, createdAt, outcome };
    });
  }
}

function scoreWith<T>(
  { champion, challenger }: ServingModels,
  service: ServiceName,
  score: (champion: ActiveModel, challenger: ActiveModel | null) => Promise<T>,
): Promise<T> {
  if (!champion) throw new CredenceError('CREDENCE_NO_ACTIVE_MODEL', `no model is active for ${service}`);
  return score(champion, challenger);
}

const ref = (m: ModelRef): ModelRef => ({ id: m.id, version: m.version, name: m.name });

interface Shadow {
  model: ActiveModel;
  result: ShadowResult;
}

/** Scores with the challenger; whatever happens there stays there, the champion answers. */
function inShadow(model: ActiveModel, score: (card: Scorecard) => ScorecardResult): Shadow {
  try {
    return { model, result: { scorecard: storedScorecard(score(model.scorecard)) } };
  } catch (err) {
    const code = isCredenceError(err) ? err.code : 'CREDENCE_INTERNAL';
    const message = isCredenceError(err) ? err.message : 'the challenger failed to score';
    return { model, result: { error: { code, message } } };
  }
}
