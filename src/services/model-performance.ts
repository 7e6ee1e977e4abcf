/**
 * Model performance: a model's live scores (as champion or challenger) joined with the outcomes
 * of the same subjects, and its recent scores compared with its training distribution.
 */
import type { Kysely } from 'kysely';
import { listOutcomesSince } from '../db/repositories/outcome.repository.js';
import { listRunsOfModel } from '../db/repositories/score-run.repository.js';
import type { Database } from '../db/schema.js';
import { invalidInput } from '../domain/errors.js';
import { parseIsoDate } from '../domain/iso-date.js';
import {
  countsFrom,
  DEFAULT_RECENT_DAYS,
  DEFAULT_WINDOW_DAYS,
  type FirstRun,
  type ObservedOutcome,
  type Performance,
  performance,
  referenceDistribution,
  stability,
} from '../domain/monitoring.js';
import { BAD_DAYS_PAST_DUE, type OutcomeKind } from '../domain/outcomes.js';
import type { Psi } from '../domain/training/validation.js';
import type { Clock } from '../lib/clock.js';
import type { ModelRegistry } from './model-registry.js';
import type { Principal } from './principal.js';
import type { ShadowResult, StoredOutcome } from './score-outcome.js';

const PAGE = 5000;
const DAY = 86_400_000;

export interface PerformanceQuery {
  windowDays?: number | undefined;
  recentDays?: number | undefined;
  /** Runs from this time (ISO 8601), inclusive; default: all. */
  from?: string | undefined;
  /** Runs before this time; default: now. */
  to?: string | undefined;
}

export interface ModelPerformance extends Performance {
  model: { id: string; service: string; version: number; name: string };
  definition: { bad: string; good: string; windowDays: number };
  period: { from: string | null; to: string };
  runs: { champion: number; challenger: number };
  stability: {
    recentDays: number;
    from: string;
    scores: number;
    psi: Psi | null;
    /** Why there is no PSI, when there is none. */
    note: string | null;
  };
}

export const BAD_DEFINITION = `a loan in default or written off, or at least ${BAD_DAYS_PAST_DUE} days past due; a negative feedback flag`;
export const GOOD_DEFINITION =
  'a loan current or paid (under 90 days past due), a positive flag, an accepted application; ' +
  'a subject with any bad outcome in the window is bad';

export class ModelPerformanceService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly models: ModelRegistry,
    private readonly clock: Clock,
  ) {}

  async of(who: Principal, modelId: string, q: PerformanceQuery = {}): Promise<ModelPerformance> {
    const model = await this.models.get(who.tenantId, modelId);
    const windowDays = q.windowDays ?? DEFAULT_WINDOW_DAYS;
    const recentDays = q.recentDays ?? DEFAULT_RECENT_DAYS;
    const now = this.clock.now().getTime();
    const to = q.to ? parseIsoDate(q.to, 'to') : now;
    const from = q.from ? parseIsoDate(q.from, 'from') : null;
    if (from !== null && !(from < to)) throw invalidInput('from', 'from must be before to');
    const recentFrom = to - recentDays * DAY;

    const first = new Map<string, FirstRun>();
    const recent: number[] = [];
    const runs = { champion: 0, challenger: 0 };
    let earliest = Number.POSITIVE_INFINITY;
    for (let after: string | undefined; ; ) {
      const page = await listRunsOfModel(this.db, {
        tenantId: who.tenantId,
        modelId,
        from: from === null ? undefined : new Date(from).toISOString(),
        // Without `to`, every run so far, including one stamped this very millisecond.
        to: q.to ? new Date(to).toISOString() : undefined,
        after,
        limit: PAGE,
      });
      for (const r of page) {
        const score = scoreOf(
          r.model_id === modelId ? r.result : r.challenger_result,
          r.model_id === modelId,
        );
        if (score === null) continue;
        if (r.model_id === modelId) runs.champion++;
        else runs.challenger++;
        const at = Date.parse(r.created_at);
        earliest = Math.min(earliest, at);
        const prior = first.get(r.subject_id);
        if (!prior || at < prior.at) first.set(r.subject_id, { score, at });
        if (at >= recentFrom) recent.push(score);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }

    const outcomes: ObservedOutcome[] = [];
    if (first.size > 0) {
      for (let after: string | undefined; ; ) {
        const page = await listOutcomesSince(this.db, {
          tenantId: who.tenantId,
          from: new Date(countsFrom(earliest)).toISOString(),
          after,
          limit: PAGE,
        });
        for (const o of page) {
          if (!first.has(o.subject_id)) continue;
          outcomes.push({
            subjectId: o.subject_id,
            kind: o.kind as OutcomeKind,
            status: o.status,
            daysPastDue: o.days_past_due,
            observedAt: Date.parse(o.observed_at),
          });
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.id;
      }
    }

    const reference = referenceDistribution((model.document as { metadata?: unknown }).metadata);
    const result = performance(first, outcomes, windowDays, reference?.bands ?? null);
    let note: string | null = null;
    if (!reference) note = 'the model records no training score distribution (train it with credence train)';
    else if (recent.length === 0) note = `no run in the last ${recentDays} days of the period`;
    return {
      model: { id: model.id, service: model.service, version: model.version, name: model.name },
      definition: { bad: BAD_DEFINITION, good: GOOD_DEFINITION, windowDays },
      period: { from: from === null ? null : new Date(from).toISOString(), to: new Date(to).toISOString() },
      runs,
      ...result,
      stability: {
        recentDays,
        from: new Date(recentFrom).toISOString(),
        scores: recent.length,
        psi: reference && recent.length > 0 ? stability(reference, recent) : null,
        note,
      },
    };
  }
}

/** The score a stored result holds: the champion's outcome, or a challenger's shadow result. */
function scoreOf(text: string | null, champion: boolean): number | null {
  if (!text) return null;
  const parsed = JSON.parse(text) as StoredOutcome | ShadowResult;
  if (champion) return (parsed as StoredOutcome).scorecard.score;
  return 'scorecard' in parsed ? parsed.scorecard.score : null;
}
