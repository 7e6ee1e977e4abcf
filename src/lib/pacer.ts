/**
 * Long work on the event loop cut into slices. A loop over many items checks `due()` between
 * them and, when a slice's time has passed, awaits `yield()`: timers, I/O and other requests run
 * before it goes on. One large customer's device data then delays the rest of the server by a
 * slice at a time instead of by the whole of its parsing or featurization.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export class Pacer {
  private since = performance.now();

  constructor(private readonly sliceMs = 10) {}

  /** Whether the current slice has run its time. */
  due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /** Gives the event loop back until its next turn, and starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }

  /** Yields if the slice has run its time. */
  async pause(): Promise<void> {
    if (this.due()) await this.yield();
  }
}
