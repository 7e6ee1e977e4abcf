/**
 * Checkpoints of an SQLite file, off the threads that commit. By default the connection whose
 * commit takes the WAL past 1,000 pages then copies them back into the database file and syncs
 * it: tens of milliseconds in which that commit, and on the event loop every request, waits.
 * With a checkpointer the committing connections leave that to a thread of its own
 * (sqlite-checkpoint-thread.ts), which checkpoints passively every `intervalMs` and, while commits
 * keep coming, again at once until it has caught up, so that the WAL starts over from its
 * beginning. They checkpoint themselves only past `BACKSTOP_FRAMES`, should the thread stop.
 */
import type { Worker } from 'node:worker_threads';
import { spawnThread } from '../lib/spawn-thread.js';

/**
 * The committing connections' own automatic checkpoint, should the thread fall behind (a long
 * reader holds back passive checkpoints, here as anywhere) or stop.
 */
export const BACKSTOP_FRAMES = 20_000;

/** Rounds in a row that chase the pages committed while the last one ran. */
export const MAX_ROUNDS = 20;

/**
 * After a checkpoint that began with `log` frames in the WAL: whether to go again at once
 * (`rounds > 0`). A round copies the pages committed before it began, and the next commit starts
 * the WAL over only if every page had been copied by then. While commits add pages, the thread
 * goes again at once, and the rounds shorten until one finds nothing new.
 */
export function chase(prev: { log: number; rounds: number }, log: number): { log: number; rounds: number } {
  const added = log !== prev.log;
  return { log, rounds: added && log > 0 && prev.rounds < MAX_ROUNDS ? prev.rounds + 1 : 0 };
}

export interface CheckpointerData {
  file: string;
  /** How long the thread waits between checkpoints once it has caught up. */
  intervalMs: number;
}

export interface CheckpointStats {
  checkpoints: number;
  errors: number;
}

export type CheckpointRequest = { type: 'close' };
export type CheckpointReply = { type: 'error'; message: string } | { type: 'closed'; stats: CheckpointStats };

export interface CheckpointerOptions extends Partial<Omit<CheckpointerData, 'file'>> {
  /** Told of the thread's first failure (the connections' own checkpoints then take over). */
  onError?: (message: string) => void;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stats: CheckpointStats | null = null;
  private closing: Promise<CheckpointStats | null> | null = null;

  constructor(file: string, options: CheckpointerOptions = {}) {
    this.worker = spawnThread(import.meta.url, 'sqlite-checkpoint-thread', {
      file,
      intervalMs: options.intervalMs ?? 50,
    } satisfies CheckpointerData);
    this.worker.on('message', (m: CheckpointReply) => {
      if (m.type === 'error') options.onError?.(m.message);
      else this.stats = m.stats;
    });
    this.worker.on('error', (err) => options.onError?.(err.message));
    // It holds no request: it does not keep the process alive.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Stops the thread after a last checkpoint; resolves with what it did (null if it had failed). */
  close(): Promise<CheckpointStats | null> {
    this.closing ??= (async () => {
      // Kept alive until it has answered, though the process may have nothing else to wait for.
      this.worker.ref();
      this.worker.postMessage({ type: 'close' } satisfies CheckpointRequest);
      await this.exited;
      return this.stats;
    })();
    return this.closing;
  }
}
