/**
 * `credit_rating_estimation`: the subject's credit rating from the scores the tenant already
 * holds for them. The rating is the subject's most recent score run, whatever its service (the
 * freshest view of the person); the package says which service that was, how old it is, and
 * how many services have scored the person.
 */
import type { IndicatorDefinition } from './definition.js';
import { cannotCalculate, DAY_MS, type Indicator, indicator, noRecord } from './values.js';

/** A score run as this package reads it. */
export interface RatedRun {
  service: string;
  createdAt: string;
  score: number;
  minScore: number;
  maxScore: number;
  pd: number;
  grade: string | null;
  /** Reason codes, most important first. */
  reasons: readonly string[];
  missingAttributes: readonly string[];
}

export interface CreditRatingInput {
  /** Whether the id number or the phone number led to one of the tenant's subjects. */
  subjectFound: boolean;
  /** The subject's latest score run, whatever its service. */
  latest: RatedRun | undefined;
  /** How many different scoring services have scored the subject, in all its history. */
  servicesScored: number;
}

/** Upper PD bounds of bands 1 to 9; band 10 is everything from 20 %. */
export const PD_BAND_UPPER = [0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2] as const;

export function pdBand(pd: number): number {
  const i = PD_BAND_UPPER.findIndex((upper) => pd < upper);
  return i === -1 ? PD_BAND_UPPER.length + 1 : i + 1;
}

export const CREDIT_RATING_INDICATORS: readonly IndicatorDefinition[] = [
  {
    name: 'cre_rating_grade',
    type: 'string',
    range: "the scoring model's grades, e.g. A (best) to F",
    meaning: 'The grade of the latest score. 202 when that model defines no grades.',
  },
  {
    name: 'cre_pd_band',
    type: 'integer',
    range: '1-10',
    meaning:
      'Band of the probability of default of the latest score: 1 below 0.25 %, 2 below 0.5 %, 3 below 1 %, 4 below 2 %, 5 below 3.5 %, 6 below 5 %, 7 below 7.5 %, 8 below 10 %, 9 below 20 %, 10 from 20 %.',
  },
  {
    name: 'cre_pd_bps',
    type: 'integer',
    range: '0-10000',
    meaning: 'The probability of default of the latest score, in basis points (100 = 1 %).',
  },
  {
    name: 'cre_score',
    type: 'integer',
    range: '0-1000',
    meaning:
      "The latest score placed on 0-1000 between its model's lowest and highest possible scores (higher is better), so scores of different models compare.",
  },
  {
    name: 'cre_score_source',
    type: 'string',
    range:
      'a scoring service: demographic_score, deposit_score, repayment_score, friendlyscore, device_score or telco_score',
    meaning: 'The service that gave the latest score.',
  },
  {
    name: 'cre_score_age_days',
    type: 'integer',
    range: '0 or more',
    meaning: 'Whole days since the latest score was given.',
  },
  {
    name: 'cre_services_scored',
    type: 'integer',
    range: '1 or more',
    meaning:
      "How many different scoring services have scored the person, over all the person's score runs (a payment schedule that judged no month scored nothing).",
  },
  {
    name: 'cre_top_reason_code',
    type: 'string',
    range: 'a reason code of the model, or NONE',
    meaning:
      'The reason code that cost the latest score the most points against the best possible; NONE when nothing did.',
  },
  {
    name: 'cre_missing_attributes',
    type: 'integer',
    range: '0 or more',
    meaning: 'How many of the attributes the latest score uses were missing (data completeness).',
  },
];

export function creditRatingIndicators(input: CreditRatingInput, now: Date): Indicator[] {
  const names = CREDIT_RATING_INDICATORS.map((d) => d.name);
  if (!input.subjectFound) return names.map(noRecord);
  const latest = input.latest;
  if (!latest) return names.map(cannotCalculate);
  const span = latest.maxScore - latest.minScore;
  const values: Record<string, number | string | undefined> = {
    cre_rating_grade: latest.grade ?? undefined,
    cre_pd_band: pdBand(latest.pd),
    cre_pd_bps: Math.round(latest.pd * 10_000),
    cre_score:
      span > 0
        ? Math.round((1000 * Math.min(Math.max(latest.score - latest.minScore, 0), span)) / span)
        : undefined,
    cre_score_source: latest.service,
    cre_score_age_days: Math.max(0, Math.floor((now.getTime() - Date.parse(latest.createdAt)) / DAY_MS)),
    cre_services_scored: input.servicesScored,
    cre_top_reason_code: latest.reasons[0] ?? 'NONE',
    cre_missing_attributes: latest.missingAttributes.length,
  };
  return names.map((name) => {
    const v = values[name];
    return v === undefined ? cannotCalculate(name) : indicator(name, v);
  });
}
