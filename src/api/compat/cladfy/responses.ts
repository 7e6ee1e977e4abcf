/** Domain results to Cladfy's response shapes. Translation only. */
import type { Static } from '@sinclair/typebox';
import type { ScheduleResult } from '../../../domain/schedule/payment-schedule.js';
import type { ScorecardResult } from '../../../domain/scoring/scorecard.js';
import type { ScoreOutcome, StoredOutcome } from '../../../services/score-outcome.js';
import type { DemographicResult, DepositResult, RepaymentResult } from './schemas.js';

export function demographicResult(
  s: Pick<ScorecardResult, 'score' | 'maxScore' | 'missingAttributes' | 'extraAttributes'>,
): Static<typeof DemographicResult> {
  return {
    score: s.score,
    max_score: s.maxScore,
    missing_attributes: s.missingAttributes,
    extra_attributes: s.extraAttributes,
  };
}

export function depositResult(r: ScheduleResult): Static<typeof DepositResult> {
  return {
    overallScore: r.overallScore,
    monthlyScores: Object.fromEntries(r.months.map((m) => [m.month, m.score])),
    onTimeStreak: r.longestOnTimeStreak,
    lateStreak: r.longestLateStreak,
    scoredMonths: r.months.map((m) => ({
      month: m.month,
      status: m.status,
      score: m.score,
      dueDate: m.dueDate,
      balance: m.balance,
    })),
    expectedDepositAmount: r.expectedAmount,
    balance: r.balance,
    ...(r.error ? { error: r.error } : {}),
  };
}

export function repaymentResult(r: ScheduleResult): Static<typeof RepaymentResult> {
  return {
    overallScore: r.overallScore,
    paidStreak: r.longestOnTimeStreak,
    overDueStreak: r.longestLateStreak,
    scoredMonths: r.months.map((m) => ({
      status: m.status,
      score: m.score,
      dueDate: m.dueDate,
      balance: m.balance,
    })),
    expectedPaymentAmount: r.expectedAmount,
    balance: r.balance,
    ...(r.error ? { error: r.error } : {}),
  };
}

function resultBody(o: ScoreOutcome | StoredOutcome): Record<string, unknown> {
  switch (o.service) {
    case 'demographic_score':
    case 'friendlyscore':
    case 'device_score':
    case 'telco_score':
      return demographicResult(o.scorecard);
    case 'deposit_score':
      return depositResult(o.schedule);
    case 'repayment_score':
      return repaymentResult(o.schedule);
  }
}

/** `results` in client_data: the result nested under the service name, as in the seed. */
export const historyResults = (clientId: string, outcome: ScoreOutcome | StoredOutcome) => ({
  client_id: clientId,
  [outcome.service]: resultBody(outcome),
});

/** "2024-01-21 09:25:53" (UTC). */
export const cladfyDateTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
