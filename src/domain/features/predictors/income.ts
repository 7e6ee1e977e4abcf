/**
 * The income estimate. Salary credits are the strongest evidence: with them, income is the median
 * monthly salary over the last three complete months. Without them, it is the median of the
 * monthly credits that are not loans, with a lower confidence. Confidence (0-1) grows with the
 * number of months that carry evidence.
 */
import type { FeatureBase } from './base.js';
import { monthsBack, withinDays } from './windows.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

export interface IncomeEstimate {
  income: number | null;
  confidence: number;
  salaryMonths: number;
}

export function estimateIncome(b: FeatureBase): IncomeEstimate {
  const salaryByMonth = [0, 0, 0];
  for (const s of b.salaries) {
    const m = monthsBack(s.time, b.asOf);
    if (m >= 1 && m <= 3) salaryByMonth[m - 1]! += s.amount;
  }
  const salaryMonths = salaryByMonth.filter((x) => x > 0);
  if (salaryMonths.length > 0) {
    return {
      income: round2(median(salaryMonths)),
      confidence: round2(0.5 + 0.5 * (salaryMonths.length / 3)),
      salaryMonths: salaryMonths.length,
    };
  }
  const credits = b.incomeCreditsByMonth.slice(1, 4).filter((x) => x > 0);
  if (credits.length === 0) return { income: null, confidence: 0, salaryMonths: 0 };
  return { income: round2(median(credits)), confidence: round2(0.4 * (credits.length / 3)), salaryMonths: 0 };
}

export const salaryCountWithin = (b: FeatureBase, days: number) =>
  b.salaries.filter((s) => withinDays(s.time, b.asOf, days)).length;
