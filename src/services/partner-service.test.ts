import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';

const PKG = 'credit_rating_estimation';

for (const engine of ENGINES) {
  describe(`partner packages on ${engine}`, () => {
    let t: TestApp;
    let code: string;

    beforeAll(async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      code = (await t.ctx.partners.create({ tenant: 'acme', countries: ['MX'] })).code;
    });
    afterAll(async () => t?.close());

    const add = (o: { price?: string; starts?: string; expires?: string }) =>
      t.ctx.partners.addPackage({ partner: code, package: PKG, ...o });

    it('renews a package keeping the price, dates and suspension that the renewal leaves out', async () => {
      expect(await add({ price: '1', starts: '2025-01-01', expires: '2026-06-30' })).toMatchObject({
        price: 1,
        startsAt: '2025-01-01T00:00:00.000Z',
        expiresAt: '2026-07-01T00:00:00.000Z',
      });
      // A new period alone keeps the price.
      expect(await add({ expires: '2027-06-30' })).toMatchObject({
        price: 1,
        startsAt: '2025-01-01T00:00:00.000Z',
        expiresAt: '2027-07-01T00:00:00.000Z',
      });
      // A new price alone keeps the period.
      expect(await add({ price: '1.5' })).toMatchObject({
        price: 1.5,
        startsAt: '2025-01-01T00:00:00.000Z',
        expiresAt: '2027-07-01T00:00:00.000Z',
      });
      // A suspension is lifted by resume only, not by a renewal.
      await t.ctx.partners.setPackageStatus(code, PKG, 'suspended');
      expect(await add({ price: '2' })).toMatchObject({ price: 2, status: 'suspended' });
      expect((await t.ctx.partners.setPackageStatus(code, PKG, 'active')).status).toBe('active');
    });

    it('takes dates off a package with none, and checks the period it ends up with', async () => {
      expect(await add({ starts: 'none', expires: 'NONE' })).toMatchObject({
        price: 2,
        startsAt: null,
        expiresAt: null,
      });
      await add({ starts: '2026-01-01' });
      await expect(add({ expires: '2025-12-31' })).rejects.toMatchObject({ details: { field: 'expires' } });
      await expect(add({ expires: 'soon' })).rejects.toMatchObject({ details: { field: 'expires' } });
      // A day the calendar does not have is refused, not read as the first days of the next month.
      await expect(add({ starts: '2025-02-30' })).rejects.toMatchObject({ details: { field: 'starts' } });
    });

    it('refuses an empty list of countries rather than serving all of them', async () => {
      await expect(t.ctx.partners.create({ tenant: 'acme', countries: [] })).rejects.toMatchObject({
        details: { field: 'countries' },
      });
      await expect(t.ctx.partners.setCountries(code, [])).rejects.toMatchObject({
        details: { field: 'countries' },
      });
      expect((await t.ctx.partners.get(code)).countries).toEqual(['MX']);
    });

    it('keeps a code an integration already uses, with the characters a URL carries as they are', async () => {
      const kept = await t.ctx.partners.create({ tenant: 'acme', code: 'gamma-legacy.1~b_2' });
      expect(kept.code).toBe('gamma-legacy.1~b_2');
      expect((await t.ctx.partnerAuth.check(kept.code, kept.key)).ok).toBe(true);
      for (const code of ['ab', 'a b c', 'gamma/legacy', 'x'.repeat(65)]) {
        await expect(t.ctx.partners.create({ tenant: 'acme', code })).rejects.toMatchObject({
          details: { field: 'code' },
        });
      }
    });

    it('keeps a balance within the largest amount, so that it and its ledger stay exact', async () => {
      const other = (await t.ctx.partners.create({ tenant: 'acme', countries: ['MX'] })).code;
      await t.ctx.partners.topUp(other, '99999999999');
      expect(await t.ctx.partners.topUp(other, '1')).toMatchObject({ balance: 100_000_000_000 });
      await expect(t.ctx.partners.topUp(other, '0.0001')).rejects.toMatchObject({
        code: 'CREDENCE_INVALID_INPUT',
        details: { field: 'amount' },
      });
      const usage = await t.ctx.partners.usage(other);
      expect(usage.partner.balance).toBe(100_000_000_000);
      expect(usage.ledger).toHaveLength(2);
    });

    it('makes a new package free and open-ended unless told otherwise', async () => {
      const other = (await t.ctx.partners.create({ tenant: 'acme', countries: ['MX'] })).code;
      expect(await t.ctx.partners.addPackage({ partner: other, package: PKG })).toMatchObject({
        price: 0,
        status: 'active',
        startsAt: null,
        expiresAt: null,
      });
    });
  });
}
