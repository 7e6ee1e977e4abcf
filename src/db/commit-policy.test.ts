import { describe, expect, it } from 'vitest';
import { type Attempt, commitPolicy, settle } from './commit-policy.js';
import type { PendingRun } from './run-store.js';

const run = (id: string): PendingRun => ({
  id,
  tenant_id: 'ten_a',
  partner_id: `client-${id}`,
  service: 'demographic_score',
  dialect: 'cladfy',
  input: '{}',
  result: '{}',
  created_at: '2026-01-01T00:00:00.000Z',
});

/** A store that refuses any transaction holding a run in `bad`, and runs in `stale` when it may use its cache. */
function store(bad: Set<string>, stale = new Set<string>()) {
  const attempts: { ids: string[]; useCache: boolean }[] = [];
  const transact = (a: Attempt): string[] => {
    const ids = a.runs.map((r) => r.id);
    attempts.push({ ids, useCache: a.useCache });
    if (ids.some((id) => bad.has(id) || (a.useCache && stale.has(id)))) throw new Error(`refused ${ids}`);
    return ids.map((id) => `sub_${id}`);
  };
  return { attempts, transact };
}

describe('commitPolicy', () => {
  it('commits a good batch in one transaction', () => {
    const s = store(new Set());
    const settled = settle(
      commitPolicy([run('1'), run('2')], () => false),
      s.transact,
    );
    expect(settled).toEqual([
      { ok: true, subjectId: 'sub_1' },
      { ok: true, subjectId: 'sub_2' },
    ]);
    expect(s.attempts).toEqual([{ ids: ['1', '2'], useCache: true }]);
  });

  it('fails only the bad run: the rest are committed one by one', () => {
    const s = store(new Set(['2']));
    const settled = settle(
      commitPolicy([run('1'), run('2'), run('3')], () => false),
      s.transact,
    );
    expect(settled.map((x) => x.ok)).toEqual([true, false, true]);
    expect((settled[1] as { error: Error }).error.message).toBe('refused 2');
    expect(s.attempts.map((a) => a.ids)).toEqual([['1', '2', '3'], ['1'], ['2'], ['3']]);
  });

  it('tries a run once more when its subject was erased after it was found, cached or not', () => {
    const attempts: { ids: string[]; useCache: boolean }[] = [];
    const transact = (a: Attempt): string[] => {
      attempts.push({ ids: a.runs.map((r) => r.id), useCache: a.useCache });
      if (attempts.length === 1)
        throw Object.assign(new Error('violates foreign key constraint "score_runs_subject_id_fkey"'), {
          code: '23503',
        });
      return a.runs.map((r) => `sub_new_${r.id}`);
    };
    expect(
      settle(
        commitPolicy([run('1')], () => false),
        transact,
      ),
    ).toEqual([{ ok: true, subjectId: 'sub_new_1' }]);
    expect(attempts).toEqual([
      { ids: ['1'], useCache: true },
      { ids: ['1'], useCache: false },
    ]);
  });

  it('tries a failed run once more without the cache when its subject was cached', () => {
    const forgotten: string[] = [];
    const s = store(new Set(), new Set(['2']));
    const settled = settle(
      commitPolicy([run('1'), run('2')], (r) => {
        forgotten.push(r.id);
        return true;
      }),
      s.transact,
    );
    expect(settled).toEqual([
      { ok: true, subjectId: 'sub_1' },
      { ok: true, subjectId: 'sub_2' },
    ]);
    expect(forgotten).toEqual(['2']);
    expect(s.attempts.at(-1)).toEqual({ ids: ['2'], useCache: false });
  });

  it('gives up on a run whose subject was not cached, with the first error', () => {
    const s = store(new Set(['1']));
    const settled = settle(
      commitPolicy([run('1')], () => false),
      s.transact,
    );
    expect(settled).toEqual([{ ok: false, error: new Error('refused 1') }]);
    expect(s.attempts).toHaveLength(1);
  });

  it('runs the same policy with a store that answers with promises', async () => {
    const s = store(new Set(['2']));
    const settled = await settle(
      commitPolicy([run('1'), run('2')], () => false),
      async (a) => s.transact(a),
    );
    expect(settled.map((x) => x.ok)).toEqual([true, false]);
    expect(s.attempts.map((a) => a.ids)).toEqual([['1', '2'], ['1'], ['2']]);
  });
});
