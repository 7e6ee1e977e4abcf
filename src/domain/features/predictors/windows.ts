/**
 * Time windows in FinBox's naming: `_cN` is the last N days before the snapshot's time; `_mN` is
 * the calendar month N back in UTC (`_m1` the last complete month, `_m0` the current one so far).
 */
const DAY = 86_400_000;

/**
 * How far after the snapshot's time (the server's receipt of the sync) an item may be dated and
 * still count: a phone whose clock runs fast dates its newest messages after the server received
 * them. Such an item counts as of the snapshot. Dated later than this, it is not a skewed clock
 * but a wrong date, and the item's time is not used.
 */
export const CLOCK_SKEW_MS = DAY;

/** The time an item counts at: its own, the snapshot's when dated within the skew after it, else null. */
export function countedTime(time: number, asOf: number): number | null {
  if (time <= asOf) return time;
  return time - asOf <= CLOCK_SKEW_MS ? asOf : null;
}

export const withinDays = (time: number, asOf: number, days: number) =>
  time <= asOf && time > asOf - days * DAY;

/** How many calendar months before the snapshot's month `time` falls (0 = the same month). */
export function monthsBack(time: number, asOf: number): number {
  const a = new Date(asOf);
  const t = new Date(time);
  return (a.getUTCFullYear() - t.getUTCFullYear()) * 12 + (a.getUTCMonth() - t.getUTCMonth());
}

export const daysBetween = (from: number, to: number) => Math.floor((to - from) / DAY);
