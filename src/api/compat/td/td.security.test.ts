import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { createTestDatabase, ENGINES } from '../../../../test/helpers/databases.js';
import { tampered } from '../../../../test/helpers/secrets.js';
import { partnerWith, request, type TestPartner, tdCall, tdUrl } from '../../../../test/helpers/td.js';
import { buildApp } from '../../../app.js';
import { createContext } from '../../../context.js';
import { loggerOptions } from '../../logger-options.js';

const V1_1 = 'multiplatform_multi_V1_1';

for (const engine of ENGINES) {
  describe(`TD dialect on ${engine}: security`, () => {
    let t: TestApp;
    let a: TestPartner;

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = await partnerWith(t, 'tenant-a', {
        packages: [{ name: 'credit_rating_estimation' }, { name: V1_1 }, { name: 'multiplatform_multi' }],
      });
    });
    afterAll(async () => t?.close());

    const codeOf = async (p: { code: string; key: string }, body = request('MX', V1_1)) =>
      (await tdCall(t, p, body)).json() as { code: number; message: string };

    it('refuses missing, unknown and wrong credentials alike, without saying which part was wrong', async () => {
      const noCode = await t.app.inject({
        method: 'POST',
        url: `/td/api?partner_key=${a.key}`,
        payload: request('MX', V1_1),
      });
      expect(noCode.json()).toMatchObject({ code: 9060, message: 'partner_code empty' });
      const noKey = await t.app.inject({
        method: 'POST',
        url: `/td/api?partner_code=${a.code}`,
        payload: request('MX', V1_1),
      });
      expect(noKey.json()).toMatchObject({ code: 9060, message: 'partner_key empty' });
      const other = await partnerWith(t, 'tenant-b', { packages: [{ name: V1_1 }] });
      for (const wrong of [
        { code: a.code, key: other.key },
        { code: 'no-such-partner', key: a.key },
        { code: a.code, key: tampered(a.key) },
        { code: a.code, key: await t.key('tenant-a') },
      ]) {
        expect(await codeOf(wrong)).toEqual({
          code: 9061,
          sequence_id: expect.any(String),
          message: 'partner_key error',
        });
      }
      expect((await codeOf(a)).code).toBe(200);
    });

    it('stops a rotated key at once in this process, and a disabled partner', async () => {
      const p = await partnerWith(t, 'tenant-a', { packages: [{ name: V1_1 }] });
      expect((await codeOf(p)).code).toBe(200);
      const rotated = await t.ctx.partners.rotateKey(p.code);
      expect((await codeOf(p)).message).toBe('partner_key error');
      expect((await codeOf({ code: p.code, key: rotated.key })).code).toBe(200);
      await t.ctx.partners.setDisabled(p.code, true);
      expect((await codeOf({ code: p.code, key: rotated.key })).message).toBe('partner_key error');
      await t.ctx.partners.setDisabled(p.code, false);
      expect((await codeOf({ code: p.code, key: rotated.key })).code).toBe(200);
    });

    it('stops a key rotated by another process (the CLI) within one second', async () => {
      const p = await partnerWith(t, 'tenant-a', { packages: [{ name: V1_1 }] });
      expect((await codeOf(p)).code).toBe(200);
      const cli = await createContext(t.db.config);
      try {
        await cli.partners.rotateKey(p.code);
      } finally {
        await cli.close();
      }
      const started = Date.now();
      let code = 200;
      while (code === 200 && Date.now() - started < 3000) {
        code = (await codeOf(p)).code;
        if (code === 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(code).toBe(9061);
      expect(Date.now() - started).toBeLessThanOrEqual(1100);
    });

    it('stores the partner key only as a hash, and never in any table', async () => {
      const p = await t.ctx.partners.create({ tenant: 'tenant-a' });
      await tdCall(t, p, request('MX', V1_1));
      const tables = ['partners', 'partner_calls', 'partner_ledger', 'audit_log', 'consortium_applications'];
      for (const table of tables) {
        const rows = (await sql`select * from ${sql.table(table)}`.execute(t.ctx.database.db)).rows;
        expect(JSON.stringify(rows), table).not.toContain(p.key);
        expect(JSON.stringify(rows), table).not.toContain(p.key.slice(11));
      }
    });

    it("never matches another tenant's subject", async () => {
      const keyA = await t.key('tenant-a');
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': keyA },
        payload: { client_id: 'shared', age: 30, id_number: 'BOXW310820HNERXN09' },
      });
      expect(
        (await tdCall(t, a, request('MX', 'credit_rating_estimation'))).json().data[0].indicator_status,
      ).toBe(200);
      const b = await partnerWith(t, 'tenant-b', { packages: [{ name: 'credit_rating_estimation' }] });
      for (const d of (await tdCall(t, b, request('MX', 'credit_rating_estimation'))).json().data) {
        expect(d).toMatchObject({ indicator_status: 201, indicator_value: -999 });
      }
    });

    const subjectBy = async (kind: 'phone' | 'national_id', value: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects?${kind}=${encodeURIComponent(value)}`,
        headers: { authorization: `Bearer ${await t.key('tenant-a')}` },
      });

    it('does not take a subject of another country for a person with the same id digits', async () => {
      // 234123412305 is an Aadhaar number and, like any 12 digits, a PhilSys one.
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': await t.key('tenant-a') },
        payload: { client_id: 'in-1', age: 30, national_id: '234123412305', phone: '+919876501234' },
      });
      expect(scored.statusCode).toBe(200);
      const ph = request('PH', 'credit_rating_estimation', {
        id_number: '234123412305',
        phone_number: '09181234567',
      });
      for (const d of (await tdCall(t, a, ph)).json().data) {
        expect(d).toMatchObject({ indicator_status: 201, indicator_value: -999 });
      }
      // Nothing of the Philippine call was attached to the Indian subject.
      expect((await subjectBy('phone', '+639181234567')).statusCode).toBe(404);
      // The Indian person, named by the same id and another Indian phone, is still found.
      const inCall = request('IN', 'credit_rating_estimation', {
        id_number: '234123412305',
        phone_number: '9812345678',
      });
      expect((await tdCall(t, a, inCall)).json().data[0].indicator_status).toBe(200);
    });

    it('never binds a second national id to a subject found by the phone number', async () => {
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': await t.key('tenant-a') },
        payload: { client_id: 'in-2', age: 30, national_id: '234123412314', phone: '+919123456789' },
      });
      const byPhone = request('IN', 'credit_rating_estimation', {
        id_number: '234123412322',
        phone_number: '9123456789',
      });
      expect((await tdCall(t, a, byPhone)).json().data[0].indicator_status).toBe(200);
      expect((await subjectBy('national_id', '234123412322')).statusCode).toBe(404);
      // The new id with an unrelated phone is nobody the tenant knows.
      const unrelated = { ...byPhone, phone_number: '9988776655' };
      for (const d of (await tdCall(t, a, unrelated)).json().data) {
        expect(d).toMatchObject({ indicator_status: 201, indicator_value: -999 });
      }
    });

    describe('the consortium', () => {
      const person = request('MX', V1_1, { id_number: 'HEGG560427MVZRRL04', phone_number: '5544443333' });
      let c: TestPartner;
      let d: TestPartner;
      let outsider: TestPartner;

      beforeAll(async () => {
        c = await partnerWith(t, 'tenant-c', { packages: [{ name: V1_1 }, { name: 'multiplatform_multi' }] });
        d = await partnerWith(t, 'tenant-d', { packages: [{ name: V1_1 }, { name: 'multiplatform_multi' }] });
        outsider = await partnerWith(t, 'tenant-e', { packages: [{ name: V1_1 }] });
        await t.ctx.consortium.join('tenant-c');
        await t.ctx.consortium.join('tenant-d');
        // c records an application through its app twice (two calls the same day: one
        // application), and reports it as approved and overdue.
        await tdCall(t, c, { ...person, app_name: 'Secret App Of C' });
        await tdCall(t, c, { ...person, app_name: 'Secret App Of C' });
        const keyC = await t.key('tenant-c');
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { authorization: `Bearer ${keyC}` },
          payload: {
            external_id: 'c-secret-ref-42',
            country: 'MX',
            national_id: person.id_number,
            phone: person.phone_number,
            app_name: 'Secret App Of C',
            status: 'approved',
            loan: { status: 'default', days_past_due: 91 },
          },
        });
        // The outsider records too, but is not in the consortium: nothing of it is shared.
        await tdCall(t, outsider, { ...person, app_name: 'Outsider App' });
      });

      it('shows a member counts, and nothing but counts', async () => {
        for (const pkg of [V1_1, 'multiplatform_multi']) {
          const res = await tdCall(t, d, { ...person, package_name: pkg });
          const body = res.json();
          expect(Object.keys(body)).toEqual(['code', 'message', 'sequence_id', 'data']);
          for (const item of body.data) {
            expect(Object.keys(item)).toEqual(['indicator_name', 'indicator_status', 'indicator_value']);
            expect(Number.isInteger(item.indicator_value)).toBe(true);
            expect(item.indicator_name).toMatch(/^mp(11)?_[a-z0-9_]+$/);
          }
          const text = res.body.toLowerCase();
          for (const secret of [
            'secret app',
            'c-secret-ref-42',
            'tenant-c',
            c.tenantId.toLowerCase(),
            c.code.toLowerCase(),
            'outsider',
            person.id_number.toLowerCase(),
            person.phone_number,
          ]) {
            expect(text).not.toContain(secret);
          }
        }
        const counts = Object.fromEntries(
          (await tdCall(t, d, person))
            .json()
            .data.map((i: { indicator_name: string; indicator_value: number }) => [
              i.indicator_name,
              i.indicator_value,
            ]),
        );
        expect(counts).toMatchObject({
          mp11_applications_7d: 1,
          mp11_applied_platforms_7d: 1,
          mp11_applied_apps_7d: 1,
          mp11_approved_platforms_7d: 1,
          mp11_overdue_platforms_7d: 1,
        });
      });

      it('keeps a non-member out: it sees nothing, and the members never see its applications', async () => {
        for (const item of (await tdCall(t, outsider, person)).json().data) {
          expect(item).toMatchObject({ indicator_status: 202, indicator_value: -1111 });
        }
        const rows = await t.ctx.database.db
          .selectFrom('consortium_applications')
          .select('platform_id')
          .where('platform_id', '=', outsider.tenantId)
          .execute();
        expect(rows).toEqual([]);
        const keyE = await t.key('tenant-e');
        const reported = await t.app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { authorization: `Bearer ${keyE}` },
          payload: { country: 'MX', national_id: person.id_number, app_name: 'x' },
        });
        expect(reported.statusCode).toBe(403);
        expect(reported.json().code).toBe('CREDENCE_CONSORTIUM_NOT_JOINED');
      });

      it('stops counting the records of a tenant that left, at once, and deletes them on purge', async () => {
        await t.ctx.consortium.leave('tenant-c');
        const after = (await tdCall(t, d, person)).json().data;
        for (const item of after)
          expect(item).toMatchObject({ indicator_status: 201, indicator_value: -999 });
        // And c, no longer a member, sees nothing either.
        for (const item of (await tdCall(t, c, person)).json().data) expect(item.indicator_status).toBe(202);
        await t.ctx.consortium.join('tenant-c');
        expect((await tdCall(t, d, person)).json().data[0].indicator_value).toBe(1);
        const purged = await t.ctx.consortium.leave('tenant-c', { purge: true });
        expect(purged.purged).toBe(3);
        await t.ctx.consortium.join('tenant-c');
        expect((await tdCall(t, d, person)).json().data[0].indicator_value).toBe(-999);
      });

      it('keeps hashes that cannot be joined with the per-tenant identifier index', async () => {
        const keyC = await t.key('tenant-c');
        await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': keyC },
          payload: { client_id: 'p1', age: 30, id_number: 'BEML920313HCMLNS09' },
        });
        await tdCall(t, c, request('MX', V1_1, { id_number: 'BEML920313HCMLNS09', app_name: 'app' }));
        const hashes = (
          await t.ctx.database.db.selectFrom('consortium_applications').select('id_hash').execute()
        ).map((r) => r.id_hash);
        const indexes = (
          await t.ctx.database.db.selectFrom('subject_identifiers').select('blind_index').execute()
        ).map((r) => r.blind_index);
        expect(hashes.length).toBeGreaterThan(0);
        expect(hashes.filter((h) => indexes.includes(h!))).toEqual([]);
        expect(t.ctx.cipher.blindIndex('national_id', 'BEML920313HCMLNS09')).not.toBe(
          hashes[hashes.length - 1],
        );
      });

      it('answers the native report with the application state only', async () => {
        const keyD = await t.key('tenant-d');
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { authorization: `Bearer ${keyD}` },
          payload: {
            country: 'MX',
            national_id: person.id_number,
            phone: person.phone_number,
            app_name: 'D App',
          },
        });
        expect(res.statusCode).toBe(201);
        expect(Object.keys(res.json()).sort()).toEqual(
          [
            'app_name',
            'applied_at',
            'created',
            'decided_at',
            'external_id',
            'id',
            'loan',
            'sequence_id',
            'status',
          ].sort(),
        );
        expect(res.body).not.toContain(person.id_number);
        expect(res.body).not.toContain(person.phone_number);
      });
    });
  });

  describe(`TD dialect on ${engine}: logs`, () => {
    it('never writes the partner key (nor the id number) to the log', async () => {
      const db = await createTestDatabase(engine);
      let logged = '';
      const stream = new Writable({
        write(chunk, _enc, cb) {
          logged += chunk.toString();
          cb();
        },
      });
      const app = await buildApp(db.config, {
        logger: { ...(loggerOptions({ ...db.config, logLevel: 'trace' }) as object), stream },
      });
      try {
        await app.ctx.tenants.create('acme');
        const p = await app.ctx.partners.create({ tenant: 'acme' });
        await app.ctx.partners.addPackage({ partner: p.code, package: V1_1 });
        const body = request('MX', V1_1);
        const inject = (url: string, payload: unknown = body) =>
          app.inject({ method: 'POST', url, payload: payload as object });
        await inject(tdUrl(p));
        await inject(`${tdUrl(p)}&extra=1`, { ...body, phone_number: '1' });
        await inject(tdUrl({ code: p.code, key: `${p.key}x` }));
        await inject(`/td/nowhere?partner_code=${p.code}&partner_key=${p.key}`);
        await inject(`/nowhere?partner_code=${p.code}&partner_key=${p.key}`);
        await app.inject({
          method: 'POST',
          url: tdUrl(p),
          payload: '{broken',
          headers: { 'content-type': 'application/json' },
        });
        expect(logged).toContain('partner_key=***');
        expect(logged).not.toContain(p.key);
        expect(logged).not.toContain(p.key.slice(7, 20));
        expect(logged).not.toContain(body.id_number);
      } finally {
        await app.close();
        await db.drop();
      }
    });
  });
}
