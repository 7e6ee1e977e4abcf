import type { JobQueue } from './queue.js';

/**
 * The start of a graceful stop, for the server and the worker alike: jobs stop being taken at
 * once and get `graceMs` to finish while the process's HTTP requests are answered (not after
 * them), and `cutOff` runs when that time is over, for the connections of requests still
 * unfinished (a client that sends its body slowly, or not at all).
 */
export function beginGracePeriod(queue: JobQueue, graceMs: number, cutOff: () => void): void {
  // The context's close waits for the same stop and reports its failure.
  queue.stop({ graceMs }).catch(() => undefined);
  setTimeout(cutOff, graceMs).unref();
}
