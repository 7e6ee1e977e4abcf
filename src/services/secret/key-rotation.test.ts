import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { PEOPLE, partnerWith, request, type TestPartner, tdCall } from '../../../test/helpers/td.js';
import { buildApp } from '../../app.js';
import { createContext } from '../../context.js';
import { scopedToSchema } from '../../db/schema-introspector.js';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.js';
import { PiiCipher } from '../../security/pii-cipher.js';

const NEW_KEY = randomBytes(32).toString('base64');
const SOCIAL = { token_valid: true, name: 'Yolanda Idempotova', emails: ['yolanda@example.org'] };
const OUTCOME = { officer: 'Otieno Sealedson' };
const LEGACY_OUTCOME = { officer: 'Akinyi Plaintextova' };
const principal = (tenantId: string) => ({
  tenantId,
  clientId: 'test',
  credentialId: 'test',
  credentialType: 'api_key' as const,
  scopes: ['*'],
});

for (const engine of ENGINES) {
  describe(`secret rotation on ${engine}`, () => {
    let t: TestApp;
    let acme: TestPartner;
    let apiKey: string;
    let oldKey: string;
    let app: FastifyInstance | undefined;
    const person = request('MX', 'credit_rating_estimation', { app_name: 'CashNow' });
    const postSocial = (on: FastifyInstance, subjectId: string, idempotencyKey: string) =>
      on.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/data/social/paypal`,
        headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': idempotencyKey },
        payload: SOCIAL,
      });

    beforeAll(async () => {
      // Everything below is written under the old key alone.
      t = await createTestApp(engine);
      oldKey = t.db.config.secretKey!;
      const packages = [{ name: 'credit_rating_estimation' }, { name: 'multiplatform_multi' }];
      acme = await partnerWith(t, 'acme', { countries: ['MX'], packages, balance: '100' });
      await t.ctx.consortium.join('acme');
      apiKey = await t.key('acme');
      for (const [client, phone] of [
        ['p-1', '+254712000001'],
        ['p-2', '+254712000002'],
        ['p-3', '+254712000003'],
      ]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': apiKey },
          payload: { client_id: client, age: 33, phone_number: phone },
        });
        expect(r.statusCode).toBe(200);
      }
      // The person of the indicator call is a known subject: the call attaches the phone to it.
      const known = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': apiKey },
        payload: { client_id: 'td-person', age: 30, id_number: PEOPLE.MX.id_number },
      });
      expect(known.statusCode).toBe(200);
      expect((await tdCall(t, acme, person, { 'idempotency-key': 'k-1' })).json().code).toBe(200);
      const subject = await t.ctx.history.subjectByPartnerId(principal(acme.tenantId), 'p-1');
      await t.ctx.dataRecords.add(acme.tenantId, subject.id, [
        { kind: 'ip_address', source: 'test', data: { ip: '203.0.113.7' } },
      ]);
      // A native POST with an Idempotency-Key keeps its response, sealed; one kept before
      // responses were sealed is plain text, with a plain SHA-256 of its request.
      const kept = await postSocial(t.app, subject.id, 'n-1');
      expect(kept.statusCode).toBe(201);
      await t.ctx.database.db
        .insertInto('idempotency_keys')
        .values({
          tenant_id: acme.tenantId,
          key: 'legacy-1',
          request_hash: sha256Hex(
            `POST /api/v1/subjects/:id/data/social/:network\n/api/v1/subjects/${subject.id}/data/social/paypal\n${canonicalJson(SOCIAL)}`,
          ),
          created_at: new Date().toISOString(),
          status_code: 201,
          response_body: JSON.stringify({ kind: 'social.paypal', data: SOCIAL }),
          content_type: 'application/json; charset=utf-8',
        })
        .execute();
      // An outcome's details, sealed; and one kept in plain text before details were sealed.
      await t.ctx.outcomes.record(
        principal(acme.tenantId),
        [
          {
            partnerId: 'p-1',
            outcome: { kind: 'loan', status: 'paid', observedAt: '2024-07-01', details: OUTCOME },
          },
          { partnerId: 'p-2', outcome: { kind: 'loan', status: 'paid', observedAt: '2024-07-01' } },
        ],
        'api',
      );
      const p2 = await t.ctx.history.subjectByPartnerId(principal(acme.tenantId), 'p-2');
      await t.ctx.database.db
        .updateTable('outcomes')
        .set({ details: JSON.stringify(LEGACY_OUTCOME) })
        .where('subject_id', '=', p2.id)
        .execute();
      await t.ctx.signingKeys.signingKey();
      await t.app.close();
    });
    afterAll(async () => {
      await app?.close();
      await t?.db.drop();
    });

    it('re-encrypts online while a server with both keys keeps writing, and resumes idempotently', async () => {
      const config = { ...t.db.config, secretKey: `${NEW_KEY},${oldKey}` };
      // A server during the rotation: both keys, new data under the new one.
      const serving = await buildApp(config, { logger: false });
      const ctx = await createContext(config);
      try {
        const writes = Promise.all(
          ['p-4', 'p-1', 'p-5'].map((client, i) =>
            serving.inject({
              method: 'POST',
              url: '/cladfy/v1/demographic_score/',
              headers: { 'x-api-key': apiKey },
              payload: { client_id: client, age: 40, phone_number: `+25471200000${i + 1}` },
            }),
          ),
        );
        const progress: string[] = [];
        const report = await ctx.keyRotation.rotate({
          batchSize: 2,
          onProgress: (p) => progress.push(p.table),
        });
        for (const r of await writes) expect(r.statusCode).toBe(200);
        expect(report.remaining).toBe(0);
        expect(report.tables.every((x) => x.failed === 0)).toBe(true);
        const rotated = Object.fromEntries(report.tables.map((x) => [x.table, x.rotated + x.skipped]));
        expect(rotated).toMatchObject({
          subject_identifiers: 5,
          partner_calls: 1,
          // The sealed response under the old key and the plain one, both sealed now.
          idempotency_keys: 2,
          subject_data: 2,
          signing_keys: 1,
          // The sealed details and the plain ones, both sealed now.
          outcomes: 2,
        });
        expect(rotated.score_runs).toBeGreaterThanOrEqual(4);
        expect(report.unrehashable).toBe(0);
        // The application the indicator call recorded is re-hashed from the call's identifiers.
        expect(rotated.consortium_applications).toBe(1);
        expect(progress).toContain('score_runs');
        // Running it again finds nothing left to do.
        const again = await ctx.keyRotation.rotate();
        expect(again.tables.every((x) => x.rotated === 0 && x.failed === 0)).toBe(true);
        expect(again.remaining).toBe(0);
      } finally {
        await ctx.close();
        await serving.close();
      }
      // No text column of any table still holds anything sealed under the old key.
      const oldId = new PiiCipher([Buffer.from(oldKey, 'base64')]).currentKeyId;
      const check = await createContext({ ...t.db.config, secretKey: NEW_KEY });
      try {
        const schema =
          engine === 'postgres'
            ? (await sql<{ s: string }>`select current_schema() as s`.execute(check.database.db)).rows[0]!.s
            : undefined;
        let checked = 0;
        // Only this database's tables (not the queue's schema, nor other schemas of the server,
        // which other tests create and drop meanwhile).
        const db = schema ? scopedToSchema(check.database.db, schema) : check.database.db;
        for (const table of await db.introspection.getTables()) {
          checked++;
          const rows = await check.database.db
            .selectFrom(table.name as 'score_runs')
            .selectAll()
            .execute();
          expect(JSON.stringify(rows), table.name).not.toContain(`v1.${oldId}.`);
        }
        expect(checked).toBeGreaterThan(20);
      } finally {
        await check.close();
      }
    });

    it('reads everything with only the new key: history, lookups by blind index, replays, consortium', async () => {
      app = await buildApp({ ...t.db.config, secretKey: NEW_KEY }, { logger: false });
      await app.ready();
      const ctx = app.ctx;
      const who = principal(acme.tenantId);
      // Blind-index lookups find the subjects written under the old key.
      for (const [client, phone] of [
        ['p-1', '+254712000001'],
        ['p-3', '+254712000003'],
      ]) {
        const s = await ctx.history.subjectByIdentifier(who, 'phone', phone!);
        expect(s.partnerId).toBe(client);
      }
      // Score-run inputs decrypt.
      const history = await ctx.history.byPartnerId(who, 'p-2');
      expect(history).toHaveLength(1);
      expect(JSON.stringify(history[0])).toContain('+254712000002');
      // Data records decrypt.
      const subject = await ctx.history.subjectByPartnerId(who, 'p-1');
      expect((await ctx.dataRecords.list(acme.tenantId, subject.id))[0]!.data).toEqual({ ip: '203.0.113.7' });
      // The idempotent replay of the indicator call decrypts the answer kept for it.
      const first = await tdCall({ app } as TestApp, acme, person, { 'idempotency-key': 'k-1' });
      expect(first.json().code).toBe(200);
      // The consortium still matches the person by both keyed hashes.
      const records = await ctx.consortium.recordsOf({
        country: 'MX',
        nationalId: PEOPLE.MX.id_number,
        phone: `+52${PEOPLE.MX.phone_number}`,
      });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ byId: true, byPhone: true });
      // Kept native responses replay, the one kept in plain text before too; none is stored in
      // plain text any more.
      for (const key of ['n-1', 'legacy-1']) {
        const replay = await postSocial(app, subject.id, key);
        expect(replay.statusCode, key).toBe(201);
        expect(replay.headers['idempotent-replayed'], key).toBe('true');
        expect(replay.json(), key).toEqual({ kind: 'social.paypal', data: SOCIAL });
      }
      const bodies = await ctx.database.db.selectFrom('idempotency_keys').select('response_body').execute();
      expect(JSON.stringify(bodies)).not.toContain('Yolanda');
      // Outcomes' details decrypt, the ones kept in plain text before too, now sealed.
      expect((await ctx.outcomes.ofSubject(who, subject.id))[0]!.details).toEqual(OUTCOME);
      const p2 = await ctx.history.subjectByPartnerId(who, 'p-2');
      expect((await ctx.outcomes.ofSubject(who, p2.id))[0]!.details).toEqual(LEGACY_OUTCOME);
      const details = await ctx.database.db.selectFrom('outcomes').select('details').execute();
      expect(JSON.stringify(details)).not.toMatch(/Sealedson|Plaintextova/);
      // The signing key decrypts: tokens can be signed.
      expect((await ctx.signingKeys.signingKey()).kid).toBeTruthy();
    });
  });
}
