import { describe, expect, it } from 'vitest';
import { ENGINES, migratedDatabaseEachTest } from '../../../test/helpers/databases.js';
import type { DatabaseHandle } from '../database.js';
import { countScoredServices, insertScoreRuns, listLatestScoredRuns } from './score-run.repository.js';

const TENANT = 'ten_a';
const SUBJECT = 'sub_a';

/** A run's result as the scoring service keeps it, cut down to what these queries read. */
const result = (service: string, schedule?: { months: unknown[]; error?: string }) =>
  JSON.stringify({
    service,
    model: { id: 'mdl_1', version: 1, name: 'm' },
    scorecard: { score: 500, minScore: 0, maxScore: 1000, pd: 0.05, grade: 'C', reasons: [] },
    ...(schedule && { schedule: { overallScore: 0, balance: 0, expectedAmount: 100, ...schedule } }),
  });

async function seed(handle: DatabaseHandle, runs: { id: string; service: string; result: string }[]) {
  const db = handle.db;
  await db
    .insertInto('tenants')
    .values({ id: TENANT, name: 'a', created_at: 'x', disabled_at: null })
    .execute();
  await db
    .insertInto('subjects')
    .values({ id: SUBJECT, tenant_id: TENANT, partner_id: 'p1', created_at: 'x', updated_at: 'x' })
    .execute();
  await insertScoreRuns(
    db,
    runs.map((r, i) => ({
      ...r,
      tenant_id: TENANT,
      subject_id: SUBJECT,
      dialect: 'cladfy',
      input: 'sealed',
      created_at: `2025-06-0${i + 1}T00:00:00.000Z`,
    })),
  );
}

for (const engine of ENGINES) {
  describe(`score runs on ${engine}`, () => {
    const db = migratedDatabaseEachTest(engine);
    const month = { dueDate: '2025-05-05', status: 'OVERDUE', score: 0 };

    it('skips, as the latest run, a schedule that scored nothing', async () => {
      await seed(db.handle, [
        { id: 'run_1', service: 'repayment_score', result: result('repayment_score', { months: [month] }) },
        { id: 'run_2', service: 'demographic_score', result: result('demographic_score') },
        { id: 'run_3', service: 'repayment_score', result: result('repayment_score', { months: [month] }) },
        {
          id: 'run_4',
          service: 'repayment_score',
          result: result('repayment_score', { months: [], error: 'START_DATE_IN_FUTURE' }),
        },
        {
          id: 'run_5',
          service: 'deposit_score',
          result: result('deposit_score', {
            months: [{ dueDate: '2025-07-05', status: 'UPCOMING', score: null }],
            error: 'NO_SCORED_MONTHS',
          }),
        },
      ]);
      const q = { tenantId: TENANT, subjectId: SUBJECT };
      const latest = await listLatestScoredRuns(db.handle.db, { ...q, limit: 1 });
      expect(latest.map((r) => [r.service, r.created_at])).toEqual([
        ['repayment_score', '2025-06-03T00:00:00.000Z'],
      ]);
      const repayments = await listLatestScoredRuns(db.handle.db, {
        ...q,
        service: 'repayment_score',
        limit: 5,
      });
      expect(repayments.map((r) => r.created_at)).toEqual([
        '2025-06-03T00:00:00.000Z',
        '2025-06-01T00:00:00.000Z',
      ]);
      expect(await listLatestScoredRuns(db.handle.db, { ...q, service: 'deposit_score', limit: 1 })).toEqual(
        [],
      );
      // The deposit schedule judged no month: it has not scored the person.
      expect(await countScoredServices(db.handle.db, TENANT, SUBJECT)).toBe(2);
    });
  });
}
