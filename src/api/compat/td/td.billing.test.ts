import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { partnerWith, request, tdCall } from '../../../../test/helpers/td.js';
import { createContext } from '../../../context.js';
import { sumLedger } from '../../../db/repositories/partner.repository.js';

const PKG = 'multiplatform_multi_V1_1';

for (const engine of ENGINES) {
  describe(`TD billing on ${engine}: parallel calls`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => t?.close());

    const ledgerTotal = async (code: string) => {
      const p = await t.ctx.database.db
        .selectFrom('partners')
        .select(['id', 'balance'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      return { balance: Number(p.balance), ledger: await sumLedger(t.ctx.database.db, p.id) };
    };

    it('never overdraws the balance, however many calls arrive at once', async () => {
      // Enough for exactly 7 calls at 0.3; 40 arrive together.
      const p = await partnerWith(t, 'racer', {
        countries: ['MX', 'IN'],
        packages: [{ name: PKG, price: '0.3' }],
        balance: '2.1',
      });
      const bodies = Array.from({ length: 40 }, (_, i) => request(i % 2 ? 'MX' : 'IN', PKG));
      const answers = (await Promise.all(bodies.map((b) => tdCall(t, p, b)))).map((r) => r.json());
      const codes = answers.map((a) => a.code);
      expect(codes.filter((c) => c === 200)).toHaveLength(7);
      expect(codes.filter((c) => c === 303)).toHaveLength(33);
      expect(new Set(answers.map((a) => a.sequence_id)).size).toBe(40);
      expect(await ledgerTotal(p.code)).toEqual({ balance: 0, ledger: 0 });
      const usage = await t.ctx.partners.usage(p.code, 100);
      expect(usage.totals).toEqual({ calls: 40, succeeded: 7, charged: 2.1 });
      expect(usage.ledger.filter((l) => l.kind === 'charge')).toHaveLength(7);
    });

    it('keeps the ledger equal to the balance while calls and top-ups from another process interleave', async () => {
      const p = await partnerWith(t, 'topper', {
        countries: ['MX'],
        packages: [{ name: PKG, price: '1' }],
        balance: '5',
      });
      const cli = await createContext(t.db.config);
      try {
        const calls = Array.from({ length: 30 }, () => tdCall(t, p, request('MX', PKG)));
        const topups = Array.from({ length: 5 }, () => cli.partners.topUp(p.code, '2'));
        const codes = (await Promise.all(calls)).map((r) => r.json().code);
        await Promise.all(topups);
        const succeeded = codes.filter((c) => c === 200).length;
        expect(succeeded).toBeGreaterThanOrEqual(5);
        expect(succeeded).toBeLessThanOrEqual(15);
        expect(codes.every((c) => c === 200 || c === 303)).toBe(true);
        const { balance, ledger } = await ledgerTotal(p.code);
        expect(balance).toBe(ledger);
        expect(balance).toBe((15 - succeeded) * 10_000);
      } finally {
        await cli.close();
      }
    });

    it('charges a call retried in parallel with one Idempotency-Key once, and answers them all alike', async () => {
      const p = await partnerWith(t, 'retrier', {
        countries: ['MX'],
        packages: [{ name: PKG, price: '1' }],
        balance: '10',
      });
      const body = request('MX', PKG);
      const answers = (
        await Promise.all(
          Array.from({ length: 12 }, () => tdCall(t, p, body, { 'idempotency-key': 'same-call' })),
        )
      ).map((r) => r.json());
      expect(answers.every((a) => a.code === 200)).toBe(true);
      expect(new Set(answers.map((a) => a.sequence_id)).size).toBe(1);
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      const usage = await t.ctx.partners.usage(p.code);
      expect(usage.partner.balance).toBe(9);
      expect(usage.totals.succeeded).toBe(1);
      expect(await ledgerTotal(p.code)).toEqual({ balance: 90_000, ledger: 90_000 });
    });
  });
}
