/**
 * Whether a person is working now, by the work history a network or a CV gives: yes when a period
 * has begun and has not ended (no end, or one still ahead), no when every period has ended, and
 * unknown (null) without a period that says when it began.
 */
import type { WorkPeriod } from './records.js';
import { periodEnd, periodStart } from './work-period.js';

export function isWorking(periods: unknown, now: Date): boolean | null {
  if (!Array.isArray(periods)) return null;
  const at = now.getTime();
  let known = false;
  for (const p of periods as WorkPeriod[]) {
    if (p === null || typeof p !== 'object') continue;
    const from = periodStart(p.from);
    if (!Number.isFinite(from)) continue;
    known = true;
    // Through the end of its last month: a job to December is held on 31 December.
    if (from <= at && at < periodEnd(p.to)) return true;
  }
  return known ? false : null;
}
