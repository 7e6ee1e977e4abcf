/**
 * A scoring outcome as it is kept with its run: the scorecard's results with the bin of every
 * characteristic, but not the descriptions and labels the model already holds. Reading a run back
 * expands it from the model (models are immutable), so the history stays fully explainable while
 * each run costs a fraction of the space and of the work to write.
 */
import type { ScheduleResult } from '../domain/schedule/payment-schedule.js';
import type { Contribution, ReasonCode, Scorecard, ScorecardResult } from '../domain/scoring/scorecard.js';

export const ATTRIBUTE_SERVICES = ['demographic_score'] as const;
export const SCHEDULE_SERVICES = ['deposit_score', 'repayment_score'] as const;
export type AttributeService = (typeof ATTRIBUTE_SERVICES)[number];
export type ScheduleService = (typeof SCHEDULE_SERVICES)[number];
/** Services scored from a digital footprint: FriendlyScore's, and device data's predictors. */
export const FOOTPRINT_SERVICES = ['friendlyscore', 'device_score'] as const;
export type FootprintService = (typeof FOOTPRINT_SERVICES)[number];
/** Services scored from a telecom operator's subscriber data (CAMARA Customer Insights). */
export const TELCO_SERVICES = ['telco_score'] as const;
export type TelcoService = (typeof TELCO_SERVICES)[number];
export type ServiceName = AttributeService | ScheduleService | FootprintService | TelcoService;
/** The services scored on request from attributes or schedules (Cladfy's). */
export const SERVICES: readonly (AttributeService | ScheduleService)[] = [
  ...ATTRIBUTE_SERVICES,
  ...SCHEDULE_SERVICES,
];
type ScorecardService = AttributeService | FootprintService | TelcoService;
/** Every service whose runs the history keeps (and so the composite score combines). */
export const SCORED_SERVICES: readonly ServiceName[] = [
  ...SERVICES,
  ...FOOTPRINT_SERVICES,
  ...TELCO_SERVICES,
];

export interface ModelRef {
  id: string;
  version: number;
  name: string;
}

/** What a scoring call returns. */
export type ScoreOutcome =
  | { service: ScorecardService; model: ModelRef; scorecard: ScorecardResult }
  | { service: ScheduleService; model: ModelRef; scorecard: ScorecardResult; schedule: ScheduleResult };

export interface StoredScorecard extends Omit<ScorecardResult, 'reasons'> {
  /** The codes of the reasons returned; their descriptions are in the model. */
  reasons: string[];
}

/** What a run keeps. */
export type StoredOutcome =
  | { service: ScorecardService; model: ModelRef; scorecard: StoredScorecard }
  | { service: ScheduleService; model: ModelRef; scorecard: StoredScorecard; schedule: ScheduleResult };

export interface ExplainedScorecard extends ScorecardResult {
  contributions: Contribution[];
}

/** A run's outcome expanded for people: reasons with their descriptions, and every contribution. */
export type ExplainedOutcome =
  | { service: ScorecardService; model: ModelRef; scorecard: ExplainedScorecard }
  | { service: ScheduleService; model: ModelRef; scorecard: ExplainedScorecard; schedule: ScheduleResult };

export function toStored(outcome: ScoreOutcome): StoredOutcome {
  return { ...outcome, scorecard: storedScorecard(outcome.scorecard) } as StoredOutcome;
}

export function storedScorecard(r: ScorecardResult): StoredScorecard {
  const reasons: string[] = new Array(r.reasons.length);
  for (let i = 0; i < reasons.length; i++) reasons[i] = r.reasons[i]!.code;
  // Every field named, rather than copied with a spread: this runs for every score kept.
  return {
    score: r.score,
    minScore: r.minScore,
    maxScore: r.maxScore,
    pd: r.pd,
    grade: r.grade,
    missingAttributes: r.missingAttributes,
    extraAttributes: r.extraAttributes,
    bins: r.bins,
    reasons,
  };
}

/**
 * What a challenger scored in shadow, as its run keeps it (the model id and version are columns of
 * their own). A challenger that cannot score the input (it reads an attribute of the wrong type
 * that the champion ignores) keeps the error instead: the request is still answered by the champion.
 */
export type ShadowResult = { scorecard: StoredScorecard } | { error: { code: string; message: string } };

export function explain(stored: StoredOutcome, card: Scorecard): ExplainedOutcome {
  const bins = stored.scorecard.bins;
  const reasons: ReasonCode[] = card.reasonsOf(bins);
  return {
    ...stored,
    scorecard: { ...stored.scorecard, reasons, contributions: card.explain(bins) },
  } as ExplainedOutcome;
}
