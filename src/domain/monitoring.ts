/**
 * Model monitoring: how a model's live scores turned out. Each subject is judged on its first run
 * with the model in the period (the application score), against the outcomes observed within the
 * observation window after that run: bad if any is bad, good if any is good and none bad, left
 * out otherwise (docs/model-building.md#monitoring).
 */
import type { OutcomeKind } from './outcomes.js';
import { outcomeClass } from './outcomes.js';
import { type Discrimination, discrimination } from './training/metrics.js';
import {
  bandOf,
  bandShares,
  type Psi,
  psi,
  quantileBands,
  type RocPoint,
  rocCurve,
  type ScoreBand,
} from './training/validation.js';

/** Twelve months: the usual performance window of an application scorecard. */
export const DEFAULT_WINDOW_DAYS = 365;
/** Live scores compared with training for stability. */
export const DEFAULT_RECENT_DAYS = 30;

export interface FirstRun {
  score: number;
  /** Epoch milliseconds. */
  at: number;
}

export interface ObservedOutcome {
  subjectId: string;
  kind: OutcomeKind;
  status: string;
  daysPastDue: number | null;
  /** Epoch milliseconds. */
  observedAt: number;
}

export interface BandPerformance extends ScoreBand {
  rows: number;
  bads: number;
  badRate: number | null;
}

export interface Performance {
  subjects: number;
  goods: number;
  bads: number;
  /** Subjects with no outcome in their window, or only ones that say nothing (declined, arrears). */
  unlabelled: number;
  /** Null until both goods and bads have been observed. */
  discrimination: Discrimination | null;
  /** Bad rate by score band, of the labelled subjects. */
  bands: BandPerformance[];
  /** The ROC curve of the labelled subjects (at most 50 points); empty while one class is missing. */
  roc: RocPoint[];
}

const DAY_MS = 86_400_000;

/**
 * The first moment an outcome counts for a run made at `runAt`: the start of its day (UTC), since an
 * outcome dated that day (a date without a time is its midnight) came after the application.
 */
export const countsFrom = (runAt: number): number => runAt - (runAt % DAY_MS);

export function performance(
  firstRuns: ReadonlyMap<string, FirstRun>,
  outcomes: readonly ObservedOutcome[],
  windowDays: number,
  bands: readonly ScoreBand[] | null,
): Performance {
  const windowMs = windowDays * DAY_MS;
  const inWindow = (o: ObservedOutcome) => {
    const run = firstRuns.get(o.subjectId);
    return run !== undefined && o.observedAt >= countsFrom(run.at) && o.observedAt <= run.at + windowMs;
  };
  // A feedback flag is set and unset (FriendlyScore's positive/1 and /0): the newest one stands.
  const newestFlag = new Map<string, ObservedOutcome>();
  for (const o of outcomes) {
    if (o.kind !== 'feedback' || !inWindow(o)) continue;
    const seen = newestFlag.get(o.subjectId);
    if (!seen || o.observedAt >= seen.observedAt) newestFlag.set(o.subjectId, o);
  }
  const label = new Map<string, 'good' | 'bad'>();
  for (const o of outcomes) {
    if (!inWindow(o) || (o.kind === 'feedback' && newestFlag.get(o.subjectId) !== o)) continue;
    const c = outcomeClass({ kind: o.kind, status: o.status as never, daysPastDue: o.daysPastDue });
    if (c === 'bad') label.set(o.subjectId, 'bad');
    else if (c === 'good' && !label.has(o.subjectId)) label.set(o.subjectId, 'good');
  }
  const scores: number[] = [];
  const target: number[] = [];
  for (const [subject, run] of firstRuns) {
    const l = label.get(subject);
    if (!l) continue;
    scores.push(run.score);
    target.push(l === 'bad' ? 1 : 0);
  }
  const bads = target.reduce((s, t) => s + t, 0);
  const goods = target.length - bads;
  const useBands = bands ?? (scores.length ? quantileBands(scores, 10) : []);
  const rows = useBands.map((b) => ({ ...b, rows: 0, bads: 0, badRate: null as number | null }));
  scores.forEach((s, i) => {
    const r = rows[bandOf(useBands, s)]!;
    r.rows++;
    r.bads += target[i]!;
  });
  for (const r of rows) r.badRate = r.rows ? r.bads / r.rows : null;
  const bothClasses = goods > 0 && bads > 0;
  return {
    subjects: firstRuns.size,
    goods,
    bads,
    unlabelled: firstRuns.size - target.length,
    discrimination: bothClasses
      ? discrimination(
          scores.map((s) => -s),
          target,
        )
      : null,
    bands: rows,
    roc: bothClasses ? rocCurve(scores, target, 50) : [],
  };
}

/** The training score distribution a model records (metadata.scoreDistribution), if it does. */
export function referenceDistribution(metadata: unknown): { bands: ScoreBand[]; shares: number[] } | null {
  const d = (metadata as { scoreDistribution?: { bands?: unknown } } | undefined)?.scoreDistribution;
  if (!d || !Array.isArray(d.bands) || d.bands.length < 2) return null;
  const bands: ScoreBand[] = [];
  const shares: number[] = [];
  for (const b of d.bands as { min?: unknown; max?: unknown; share?: unknown }[]) {
    if (typeof b.share !== 'number') return null;
    bands.push({
      min: typeof b.min === 'number' ? b.min : undefined,
      max: typeof b.max === 'number' ? b.max : undefined,
    });
    shares.push(b.share);
  }
  return { bands, shares };
}

/** PSI of recent live scores against the training distribution. */
export function stability(
  reference: { bands: ScoreBand[]; shares: number[] },
  recent: readonly number[],
): Psi {
  return psi(reference.bands, reference.shares, bandShares(reference.bands, recent));
}
