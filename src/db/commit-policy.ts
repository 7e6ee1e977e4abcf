/**
 * How a batch of runs is committed so that one bad run never fails its neighbours, written once
 * for the stores that commit synchronously (the SQLite writer thread) and those that commit
 * asynchronously (Kysely). The policy yields each transaction it wants; a driver runs it and
 * resumes the policy with the subject ids it committed, or throws its failure into the policy.
 */

import { isForeignKeyViolation } from './constraint-violation.js';
import type { PendingRun } from './run-store.js';

/** One transaction the policy asks for. */
export interface Attempt {
  runs: readonly PendingRun[];
  /** Whether subject ids remembered from earlier batches may be used. */
  useCache: boolean;
}

/** What became of one run: its subject id once committed, or why it was refused. */
export type Settled = { ok: true; subjectId: string } | { ok: false; error: unknown };

type Policy = Generator<Attempt, Settled[], string[]>;

/**
 * The whole batch in one transaction. If that fails, each run alone; a run that still fails is
 * tried once more without the cache when its subject id came from it (`forgetCached` drops the
 * cached id and says whether there was one), or when its subject was not there any more when the
 * run was stored: in both cases an erasure removed the subject after it was found.
 */
export function* commitPolicy(
  batch: readonly PendingRun[],
  forgetCached: (run: PendingRun) => boolean,
): Policy {
  try {
    const ids = yield { runs: batch, useCache: true };
    return ids.map((subjectId) => ({ ok: true, subjectId }));
  } catch (err) {
    if (batch.length === 1) return [yield* alone(batch[0]!, err, forgetCached)];
    const settled: Settled[] = [];
    for (const run of batch) {
      try {
        const [subjectId] = yield { runs: [run], useCache: true };
        settled.push({ ok: true, subjectId: subjectId! });
      } catch (e) {
        settled.push(yield* alone(run, e, forgetCached));
      }
    }
    return settled;
  }
}

function* alone(
  run: PendingRun,
  firstError: unknown,
  forgetCached: (run: PendingRun) => boolean,
): Generator<Attempt, Settled, string[]> {
  const cached = forgetCached(run);
  if (!cached && !isForeignKeyViolation(firstError)) return { ok: false, error: firstError };
  try {
    const [subjectId] = yield { runs: [run], useCache: false };
    return { ok: true, subjectId: subjectId! };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs the policy, each attempt through `transact`: synchronously for a store that commits
 * synchronously, and as a promise as soon as the store answers with one.
 */
export function settle(policy: Policy, transact: (a: Attempt) => string[]): Settled[];
export function settle(policy: Policy, transact: (a: Attempt) => Promise<string[]>): Promise<Settled[]>;
export function settle(
  policy: Policy,
  transact: (a: Attempt) => string[] | Promise<string[]>,
): Settled[] | Promise<Settled[]> {
  return drive(policy, policy.next(), transact);
}

function drive(
  policy: Policy,
  first: IteratorResult<Attempt, Settled[]>,
  transact: (a: Attempt) => string[] | Promise<string[]>,
): Settled[] | Promise<Settled[]> {
  let step = first;
  while (!step.done) {
    let ids: string[] | Promise<string[]>;
    try {
      ids = transact(step.value);
    } catch (err) {
      step = policy.throw(err);
      continue;
    }
    if (ids instanceof Promise)
      return ids.then(
        (v) => drive(policy, policy.next(v), transact),
        (err: unknown) => drive(policy, policy.throw(err), transact),
      );
    step = policy.next(ids);
  }
  return step.value;
}
