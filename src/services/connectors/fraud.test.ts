import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`fraud signals on ${engine}`, () => {
    let t: TestApp;
    afterEach(async () => t?.close());

    async function user(tenant: string, partner: string) {
      const tenantId = (await t.ctx.tenants.get(tenant).catch(() => t.ctx.tenants.create(tenant))).id;
      const u = await t.ctx.database.db
        .transaction()
        .execute((trx) => t.ctx.friendlyscore.users.ensure(trx, tenantId, partner));
      return { tenantId, subjectId: u.subjectId };
    }
    const records = (email: string, ip: string) =>
      new Map<string, unknown>([
        ['ip_address', { ip }],
        ['user_agent', { os: 'Android 13', browser: 'Chrome 120', screenSize: '412 x 915' }],
        ['social.paypal', { token_valid: true, emails: [email], phones: ['+254712345678'], country: 'KE' }],
      ]);

    it('counts users sharing an email, phone, IP or device within the tenant only', async () => {
      t = await createTestApp(engine);
      const other = await user('other', 'x');
      await t.ctx.connectors.fraud.assess(
        other.tenantId,
        other.subjectId,
        records('amina@example.com', '41.90.64.10'),
      );
      const first = await user('acme', 'a');
      const a = await t.ctx.connectors.fraud.assess(
        first.tenantId,
        first.subjectId,
        records('amina@example.com', '41.90.64.10'),
      );
      // The other tenant's user is not counted.
      expect(a).toMatchObject({
        risk_score: 0,
        reasons: [],
        shared_with: { ip: 0, device: 0, email: 0, phone: 0 },
      });
      for (const p of ['b', 'c', 'd']) {
        const u = await user('acme', p);
        await t.ctx.connectors.fraud.assess(
          u.tenantId,
          u.subjectId,
          records(`${p}@example.com`, '41.90.64.10'),
        );
      }
      const fifth = await user('acme', 'e');
      const e = await t.ctx.connectors.fraud.assess(
        fifth.tenantId,
        fifth.subjectId,
        records('amina@example.com', '41.90.64.10'),
      );
      expect(e.shared_with).toEqual({ ip: 4, device: 4, email: 1, phone: 4 });
      expect(e.reasons.map((r) => r.code).sort()).toEqual([
        'device_velocity',
        'ip_velocity',
        'shared_email',
        'shared_phone',
      ]);
      expect(e.risk_score).toBe(85);
    });

    it('shares no phone through a placeholder that is no number', async () => {
      t = await createTestApp(engine);
      const junk = (email: string) =>
        new Map<string, unknown>([
          [
            'social.paypal',
            { token_valid: true, emails: [email], phones: ['+1', '+000 000 000'], country: 'KE' },
          ],
        ]);
      for (const p of ['a', 'b', 'c']) {
        const u = await user('acme', p);
        await t.ctx.connectors.fraud.assess(u.tenantId, u.subjectId, junk(`${p}@example.com`));
      }
      const d = await user('acme', 'd');
      const r = await t.ctx.connectors.fraud.assess(d.tenantId, d.subjectId, junk('d@example.com'));
      expect(r.shared_with.phone).toBe(0);
      expect(r.reasons.map((x) => x.code)).not.toContain('shared_phone');
    });

    it('reads a national-form phone in the country the records give, so two spellings are one phone', async () => {
      t = await createTestApp(engine);
      const kenyan = (phone: string) =>
        new Map<string, unknown>([['social.paypal', { token_valid: true, phones: [phone], country: 'KE' }]]);
      const a = await user('acme', 'a');
      await t.ctx.connectors.fraud.assess(a.tenantId, a.subjectId, kenyan('+254 712 345 678'));
      const b = await user('acme', 'b');
      const r = await t.ctx.connectors.fraud.assess(b.tenantId, b.subjectId, kenyan('0712 345 678'));
      expect(r.shared_with.phone).toBe(1);
    });

    it('reads a national-form phone in the country the request came from when the records give none', async () => {
      t = await createTestApp(engine);
      const a = await user('acme', 'a');
      await t.ctx.connectors.fraud.assess(
        a.tenantId,
        a.subjectId,
        new Map<string, unknown>([['social.paypal', { token_valid: true, phones: ['+254 712 345 678'] }]]),
      );
      const b = await user('acme', 'b');
      const r = await t.ctx.connectors.fraud.assess(
        b.tenantId,
        b.subjectId,
        new Map<string, unknown>([
          ['ip_address', { ip: '41.90.64.10' }],
          ['social.paypal', { token_valid: true, phones: ['0712 345 678'] }],
        ]),
      );
      expect(r.shared_with.phone).toBe(1);
    });

    it('counts an address however it is spelt, and users assessed at the same moment', async () => {
      t = await createTestApp(engine);
      const users = new Map<string, { tenantId: string; subjectId: string }>();
      for (const p of ['a', 'b', 'c', 'd', 'e', 'f']) users.set(p, await user('acme', p));
      const assess = (partner: string, ip: string) => {
        const u = users.get(partner)!;
        return t.ctx.connectors.fraud.assess(u.tenantId, u.subjectId, records(`${partner}@example.com`, ip));
      };
      // Three at once: of each two, at least one counts the other (each records its sighting
      // before counting), so the last counts both; none of them counts nobody at all.
      const burst = await Promise.all(['a', 'b', 'c'].map((p) => assess(p, '2c0f:fe38:2000::1')));
      const seen = burst.map((r) => r.shared_with.ip);
      expect(Math.max(...seen)).toBe(2);
      expect(seen.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(3);
      // The same address written otherwise is the same address.
      expect((await assess('d', '2C0F:FE38:2000:0:0:0:0:1')).shared_with.ip).toBe(3);
      await assess('e', '41.90.64.10');
      expect((await assess('f', '::ffff:41.90.64.10')).shared_with.ip).toBe(1);
    });

    it('flags a disposable email domain and an IP abroad', async () => {
      t = await createTestApp(engine);
      const u = await user('acme', 'a');
      const r = await t.ctx.connectors.fraud.assess(
        u.tenantId,
        u.subjectId,
        records('someone@mailinator.com', '8.8.8.8'),
      );
      expect(r.reasons.map((x) => x.code)).toEqual([
        'hosting_asn',
        'disposable_email',
        'ip_country_mismatch',
      ]);
      expect(r.risk_score).toBe(75);
      const stored = await t.ctx.dataRecords.latest(u.tenantId, u.subjectId, ['fraud.ip']);
      expect(stored.get('fraud.ip')?.data).toMatchObject({ risk_score: 75 });
    });
  });
}
