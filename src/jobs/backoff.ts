/**
 * Exponential backoff with jitter ("equal jitter", AWS Architecture Blog, "Exponential Backoff
 * and Jitter", 2015): half the delay is fixed, half random, so retries of jobs that failed
 * together spread out while each still waits at least half its step. Pure: the random source is
 * passed in.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** The delay before retry number `attempt` (1 for the first retry). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
