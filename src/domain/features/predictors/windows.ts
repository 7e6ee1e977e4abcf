/**
 * Time windows in FinBox's naming: `_cN` is the last N days before the snapshot's time; `_mN` is
 * the calendar month N back in UTC (`_m1` the last complete month, `_m0` the current one so far).
 */
const DAY = 86_400_000;

export const withinDays = (time: number, asOf: number, days: number) =>
  time <= asOf && time > asOf - days * DAY;

/** How many calendar months before the snapshot's month `time` falls (0 = the same month). */
export function monthsBack(time: number, asOf: number): number {
  const a = new Date(asOf);
  const t = new Date(time);
  return (a.getUTCFullYear() - t.getUTCFullYear()) * 12 + (a.getUTCMonth() - t.getUTCMonth());
}

export const daysBetween = (from: number, to: number) => Math.floor((to - from) / DAY);
