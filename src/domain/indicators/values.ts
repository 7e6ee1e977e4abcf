/**
 * An indicator's value and status, with the special values of the seed: -1111 "unable to
 * calculate", -999 "no record in the library"; statuses 200 success, 201 no record (neither the
 * phone number nor the id number is known), 202 cannot be calculated, 500 system error.
 */

export const NO_RECORD = -999;
export const UNABLE_TO_CALCULATE = -1111;

export const INDICATOR_STATUS = {
  success: 200,
  noRecord: 201,
  cannotCalculate: 202,
  systemError: 500,
} as const;
export type IndicatorStatus = (typeof INDICATOR_STATUS)[keyof typeof INDICATOR_STATUS];

export interface Indicator {
  name: string;
  value: number | string;
  status: IndicatorStatus;
}

export const indicator = (name: string, value: number | string): Indicator => ({
  name,
  value,
  status: INDICATOR_STATUS.success,
});
export const noRecord = (name: string): Indicator => ({
  name,
  value: NO_RECORD,
  status: INDICATOR_STATUS.noRecord,
});
export const cannotCalculate = (name: string): Indicator => ({
  name,
  value: UNABLE_TO_CALCULATE,
  status: INDICATOR_STATUS.cannotCalculate,
});
export const systemError = (name: string): Indicator => ({
  name,
  value: UNABLE_TO_CALCULATE,
  status: INDICATOR_STATUS.systemError,
});

export const DAY_MS = 86_400_000;
/** The look-back windows of the windowed indicators, in days. */
export const WINDOWS = [7, 30, 90, 180] as const;

/**
 * Whether a time (ISO text or epoch ms) lies within the last `days` days before `now`. A time
 * ahead of `now` counts as now: the APIs accept records dated a little ahead of the server's clock
 * (a consortium application up to 5 minutes, a loan outcome up to a day, for time zones ahead of
 * UTC), and such a record was made by now, so it falls in every window rather than in none.
 */
export function within(at: string | number | null | undefined, days: number, now: number): boolean {
  if (at === null || at === undefined) return false;
  const t = typeof at === 'number' ? at : Date.parse(at);
  return Math.min(t, now) > now - days * DAY_MS;
}
