import type { PendingRun } from './run-store.js';

/** Where scoring runs go: each write resolves with the run's subject id once it is committed. */
export interface History {
  write(run: PendingRun): Promise<string>;
  /** Forgets cached subject ids, e.g. after a subject was erased. */
  forgetSubject(tenantId: string, partnerId: string): void;
  /** Resolves when every run handed in so far has been committed or refused. */
  drain(): Promise<void>;
  /** Drains, then releases what the history holds (a writer thread, if any). */
  close(): Promise<void>;
  /** Transactions committed and runs written since start. */
  readonly stats: { commits: number; runs: number };
}
