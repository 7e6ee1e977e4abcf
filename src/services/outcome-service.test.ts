import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { CredenceError } from '../domain/errors.js';
import { outcomeClass } from '../domain/outcomes.js';
import { PiiCipher } from '../security/pii-cipher.js';
import type { Principal } from './principal.js';

for (const engine of ENGINES) {
  describe(`outcomes on ${engine}`, () => {
    let t: TestApp;
    let a: Principal;
    let b: Principal;
    const who = (tenantId: string): Principal => ({
      tenantId,
      clientId: 'cli_x',
      credentialId: 'key_x',
      credentialType: 'server',
      scopes: ['*'],
    });

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = who((await t.ctx.tenants.create('tenant-a')).id);
      b = who((await t.ctx.tenants.create('tenant-b')).id);
    });
    afterAll(async () => t?.close());

    it('records loan outcomes against subjects, creating ones never scored, and stores a re-sent record once', async () => {
      const loan = {
        kind: 'loan' as const,
        status: 'arrears' as const,
        observedAt: '2024-06-30',
        loanId: 'L-1',
        daysPastDue: 35,
        amount: 5000,
        amountOverdue: 1200,
        currency: 'KES',
        externalId: 'perf-1',
      };
      expect(await t.ctx.outcomes.record(a, [{ partnerId: 'p-1', outcome: loan }], 'api')).toEqual({
        stored: 1,
        duplicates: 0,
      });
      expect(await t.ctx.outcomes.record(a, [{ partnerId: 'p-1', outcome: loan }], 'api')).toEqual({
        stored: 0,
        duplicates: 1,
      });
      // Another tenant may use the same external id.
      expect(await t.ctx.outcomes.record(b, [{ partnerId: 'p-1', outcome: loan }], 'api')).toEqual({
        stored: 1,
        duplicates: 0,
      });
      const subject = await t.ctx.history.subjectByPartnerId(a, 'p-1');
      const stored = await t.ctx.outcomes.ofSubject(a, subject.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        status: 'arrears',
        daysPastDue: 35,
        currency: 'KES',
        observedAt: '2024-06-30T00:00:00.000Z',
      });
      expect(await t.ctx.outcomes.ofSubject(b, subject.id)).toEqual([]);
    });

    it('reads a time without an offset as UTC whatever time zone the host is in', async () => {
      const zone = process.env.TZ;
      process.env.TZ = 'Asia/Kolkata';
      try {
        const outcome = { kind: 'loan' as const, status: 'current' as const, observedAt: '2024-09-30T10:00' };
        await t.ctx.outcomes.record(a, [{ partnerId: 'tz-1', outcome }], 'api');
        const subject = await t.ctx.history.subjectByPartnerId(a, 'tz-1');
        const [stored] = await t.ctx.outcomes.ofSubject(a, subject.id);
        expect(stored?.observedAt).toBe('2024-09-30T10:00:00.000Z');
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });

    it("seals the lender's free-form details at rest, and still reads those kept in plain text before", async () => {
      const details = { officer: 'Wanjiru Kamau', note: 'called on +254712345678' };
      await t.ctx.outcomes.record(
        a,
        [
          {
            partnerId: 'p-details',
            outcome: { kind: 'loan', status: 'paid', observedAt: '2024-07-01', details },
          },
        ],
        'api',
      );
      const subject = await t.ctx.history.subjectByPartnerId(a, 'p-details');
      const rows = await t.ctx.database.db
        .selectFrom('outcomes')
        .select(['id', 'details'])
        .where('subject_id', '=', subject.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(PiiCipher.isSealed(rows[0]!.details)).toBe(true);
      expect(rows[0]!.details).not.toContain('Wanjiru');
      expect(t.ctx.cipher.decrypt(rows[0]!.details)).toBe(JSON.stringify(details));
      expect((await t.ctx.outcomes.ofSubject(a, subject.id))[0]!.details).toEqual(details);
      // A row written before details were sealed.
      await t.ctx.database.db
        .updateTable('outcomes')
        .set({ details: JSON.stringify({ legacy: true }) })
        .where('id', '=', rows[0]!.id)
        .execute();
      expect((await t.ctx.outcomes.ofSubject(a, subject.id))[0]!.details).toEqual({ legacy: true });
    });

    it('stores nothing when one outcome of a batch is invalid', async () => {
      const before = (
        await t.ctx.outcomes.ofSubject(a, (await t.ctx.history.subjectByPartnerId(a, 'p-1')).id)
      ).length;
      await expect(
        t.ctx.outcomes.record(
          a,
          [
            { partnerId: 'p-1', outcome: { kind: 'loan', status: 'paid', observedAt: '2024-07-01' } },
            {
              partnerId: 'p-2',
              outcome: { kind: 'loan', status: 'declined' as never, observedAt: '2024-07-01' },
            },
          ],
          'api',
        ),
      ).rejects.toThrow(CredenceError);
      const after = (await t.ctx.outcomes.ofSubject(a, (await t.ctx.history.subjectByPartnerId(a, 'p-1')).id))
        .length;
      expect(after).toBe(before);
      await expect(t.ctx.history.subjectByPartnerId(a, 'p-2')).rejects.toThrow(/not found/);
    });
  });
}

describe('outcome classes', () => {
  it('counts default, write-off, 90+ days past due and negative flags as bad', () => {
    expect(outcomeClass({ kind: 'loan', status: 'default' })).toBe('bad');
    expect(outcomeClass({ kind: 'loan', status: 'written_off' })).toBe('bad');
    expect(outcomeClass({ kind: 'loan', status: 'arrears', daysPastDue: 90 })).toBe('bad');
    expect(outcomeClass({ kind: 'loan', status: 'arrears', daysPastDue: 30 })).toBe('unknown');
    expect(outcomeClass({ kind: 'loan', status: 'paid' })).toBe('good');
    expect(outcomeClass({ kind: 'feedback', status: 'negative' })).toBe('bad');
    expect(outcomeClass({ kind: 'feedback', status: 'positive' })).toBe('good');
    expect(outcomeClass({ kind: 'application', status: 'declined' })).toBe('unknown');
  });
});
