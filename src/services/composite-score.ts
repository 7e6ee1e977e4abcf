/**
 * A subject's composite score: its latest run of each service (demographic, deposit, repayment,
 * device, FriendlyScore, telco) combined by `combine` with the configured weights, with the components
 * and the reasons that weigh most (docs/composite-score.md).
 */
import type { Kysely } from 'kysely';
import { latestRunPerService } from '../db/repositories/score-run.repository.js';
import { findSubjectById } from '../db/repositories/subject.repository.js';
import type { Database } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { COMPOSITE_REASONS, combine, defaultLogOdds } from '../domain/scoring/composite.js';
import type { ModelRegistry } from './model-registry.js';
import type { Principal } from './principal.js';
import type { ModelRef, StoredOutcome } from './score-outcome.js';

export interface CompositeComponent {
  service: string;
  model: ModelRef;
  runId: string;
  score: number;
  pd: number;
  weight: number;
  scoredAt: string;
  reasons: { code: string; description: string }[];
}

export interface CompositeScore {
  subjectId: string;
  /** Null when no component has a positive weight (no runs, or only services weighted 0). */
  score: number | null;
  pd: number | null;
  components: CompositeComponent[];
  reasons: { service: string; code: string; description: string }[];
}

export class CompositeScoreService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly models: ModelRegistry,
    private readonly weights: Readonly<Record<string, number>>,
  ) {}

  async of(who: Principal, subjectId: string): Promise<CompositeScore> {
    const subject = await findSubjectById(this.db, who.tenantId, subjectId);
    if (!subject) throw notFound('subject', subjectId);
    const components: CompositeComponent[] = [];
    for (const run of await latestRunPerService(this.db, who.tenantId, subjectId)) {
      const outcome = JSON.parse(run.result) as StoredOutcome;
      const card = run.model_id ? await this.models.scorecardById(run.model_id) : null;
      const reasons = card
        ? card.reasonsOf(outcome.scorecard.bins).map((r) => ({ code: r.code, description: r.description }))
        : outcome.scorecard.reasons.map((code) => ({ code, description: code }));
      components.push({
        service: run.service,
        model: outcome.model,
        runId: run.id,
        score: outcome.scorecard.score,
        pd: outcome.scorecard.pd,
        weight: this.weights[run.service] ?? 1,
        scoredAt: run.created_at,
        reasons,
      });
    }
    const combined = combine(components);
    return {
      subjectId,
      score: combined?.score ?? null,
      pd: combined?.pd ?? null,
      components,
      reasons: topReasons(components),
    };
  }
}

/**
 * The components' own reasons (each already in its model's order of points lost), taken in turns:
 * first the first reason of every component, then the second, and so on; within a turn the
 * component that pulls the composite furthest towards default (weight × log-odds of default)
 * comes first. Components weighted 0 give none; a reason code repeated by a service counts once.
 */
function topReasons(components: readonly CompositeComponent[]): CompositeScore['reasons'] {
  const ranked = components
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight * defaultLogOdds(b.pd) - a.weight * defaultLogOdds(a.pd));
  const out: CompositeScore['reasons'] = [];
  const seen = new Set<string>();
  const turns = Math.max(0, ...ranked.map((c) => c.reasons.length));
  for (let i = 0; i < turns && out.length < COMPOSITE_REASONS; i++)
    for (const c of ranked) {
      const r = c.reasons[i];
      if (!r || seen.has(`${c.service}\u0000${r.code}`) || out.length >= COMPOSITE_REASONS) continue;
      seen.add(`${c.service}\u0000${r.code}`);
      out.push({ service: c.service, code: r.code, description: r.description });
    }
  return out;
}
