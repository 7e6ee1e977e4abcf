import type { JobQueue } from './queue.js';

/**
 * How long, once the grace period is over, closing may still take before the process exits
 * without it: closing waits for the database, and one that stopped answering (frozen, or cut off
 * without the connection being reset) would otherwise hold the process for as long as it lasts.
 */
export const CLOSE_OVERRUN_MS = 10_000;

/**
 * The start of a graceful stop, for the server and the worker alike: jobs stop being taken at
 * once and get `graceMs` to finish while the process's HTTP requests are answered (not after
 * them), and `cutOff` runs when that time is over, for the connections of requests still
 * unfinished (a client that sends its body slowly, or not at all). A process still closing
 * `CLOSE_OVERRUN_MS` after that says so and exits 1.
 */
export function beginGracePeriod(
  queue: JobQueue,
  graceMs: number,
  cutOff: () => void,
  log: { error(o: object, msg: string): void },
): void {
  // The context's close waits for the same stop and reports its failure.
  queue.stop({ graceMs }).catch(() => undefined);
  setTimeout(cutOff, graceMs).unref();
  setTimeout(() => {
    log.error(
      { graceMs, overrunMs: CLOSE_OVERRUN_MS },
      'still closing 10 s after the grace period (the database does not answer?): exiting without it',
    );
    process.exit(1);
  }, graceMs + CLOSE_OVERRUN_MS).unref();
}
