import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';

const DEPOSIT = {
  client_id: 'd1',
  startDate: '2024-01-01',
  endDate: '2024-03-31',
  expectedDepositDay: '5',
  expectedDepositAmount: 100,
  deposits: [{ date: '2024-01-05', amount: 100 }],
};
const REPAYMENT = {
  client_id: 'r1',
  paymentStartDate: '2024-01-01',
  paymentEndDate: '2024-03-31',
  expectedPaymentDay: 5,
  expectedPaymentAmount: 100,
  payments: [{ date: '2024-01-05', amount: 100 }],
};

for (const engine of ENGINES) {
  describe(`Cladfy dialect on ${engine}: errors`, () => {
    let t: TestApp;
    let key: string;

    const raw = (
      method: 'GET' | 'POST',
      url: string,
      payload?: string,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url: `/cladfy/v1/${url}`,
        headers: { 'x-api-key': key, ...headers },
        ...(payload !== undefined ? { payload } : {}),
      });
    const post = (url: string, body: unknown) =>
      raw('POST', url, JSON.stringify(body), { 'content-type': 'application/json' });
    const nothingWritten = async () => {
      const runs = await t.ctx.database.db
        .selectFrom('score_runs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      const subjects = await t.ctx.database.db
        .selectFrom('subjects')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(runs.n)).toBe(0);
      expect(Number(subjects.n)).toBe(0);
    };

    beforeAll(async () => {
      t = await createTestApp(engine);
      const acme = await t.tenantWithKey('acme');
      key = acme.key;
      const { model } = await t.ctx.models.add(acme.tenantId, testScorecard(), { source: 'upload' });
      await t.ctx.models.activate(acme.tenantId, model.id);
    });
    afterAll(async () => t?.close());

    describe('401', () => {
      it.each([
        ['missing', undefined, 'API key is missing'],
        ['empty', '', 'API key is missing'],
        ['malformed', 'not-a-key', 'API key is invalid'],
        ['never issued', 'crd_sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1AAAAAA', 'API key is invalid'],
      ])('for a %s key', async (_name, apiKey, message) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: apiKey === undefined ? {} : { 'x-api-key': apiKey },
          payload: { client_id: '1' },
        });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: message });
      });

      it('for a revoked key, before looking at the body', async () => {
        const revoked = await t.key('acme');
        await t.ctx.apiKeys.revoke(revoked);
        const res = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': revoked },
          payload: '{not json',
        });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: 'API key is invalid' });
      });

      it('for client_data too', async () => {
        const res = await t.app.inject({
          method: 'GET',
          url: '/cladfy/v1/client_data/?client_id=1&service=deposit_score',
        });
        expect(res.statusCode).toBe(401);
      });

      it('for an expired key', async () => {
        // A key is made to expire in the future; its date then passes.
        const k = await t.ctx.apiKeys.create({ tenant: 'acme', expiresAt: '2999-01-01T00:00:00Z' });
        await t.ctx.database.db
          .updateTable('api_keys')
          .set({ expires_at: '2020-01-01T00:00:00.000Z' })
          .where('id', '=', k.id)
          .execute();
        const res = await t.app.inject({
          method: 'GET',
          url: '/cladfy/v1/client_data/?client_id=1&service=deposit_score',
          headers: { 'x-api-key': k.key },
        });
        expect(res.statusCode).toBe(401);
      });
    });

    describe('400, naming the field, writing nothing', () => {
      it.each([
        ['invalid JSON', '{"client_id": "1",', 'request body is not valid JSON', undefined],
        ['an empty body', '', 'request body is empty', undefined],
        ['a JSON array', '[1,2]', 'request body must be a JSON object', undefined],
        ['a JSON string', '"hello"', 'request body must be a JSON object', undefined],
        ['JSON null', 'null', 'request body must be a JSON object', undefined],
        ['no client_id', '{"age": 30}', 'client_id is required', 'client_id'],
        ['a numeric client_id', '{"client_id": 12345}', 'client_id must be a string', 'client_id'],
        ['an empty client_id', '{"client_id": ""}', 'client_id must not be empty', 'client_id'],
        [
          // PostgreSQL cannot hold it in text: a 500 there, where SQLite took it.
          'a NUL character in client_id',
          '{"client_id": "a\\u0000b"}',
          'client_id holds the NUL character (\\u0000), which text may not contain',
          'client_id',
        ],
        [
          'text where a number is scored',
          '{"client_id": "1", "age": "thirty"}',
          'age must be a number',
          'age',
        ],
        [
          'an object where a category is scored',
          '{"client_id": "1", "marital_status": {"x": 1}}',
          'marital_status must be a string',
          'marital_status',
        ],
        [
          'a prototype-poisoning key',
          '{"client_id": "1", "__proto__": {"x": 1}}',
          'request body must not use the key "__proto__", nor "constructor" with a "prototype"',
          undefined,
        ],
        [
          // Kept, it could not be written out again in client_data.
          'an extra attribute nested 5,000 levels deep',
          `{"client_id": "1", "a": ${'['.repeat(5000)}1${']'.repeat(5000)}}`,
          'request body is nested more than 64 levels deep (objects and arrays inside one another)',
          undefined,
        ],
        [
          'a number beyond the range of a double',
          '{"client_id": "1", "age": 1e400}',
          'age is a number too large to represent',
          'age',
        ],
      ])('demographic_score with %s', async (_name, payload, message, field) => {
        const res = await raw('POST', 'demographic_score/', payload, { 'content-type': 'application/json' });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual(field === undefined ? { error: message } : { error: message, field });
        await nothingWritten();
      });

      it('demographic_score under the starter card with a value below its valid range', async () => {
        // The starter card says which values it accepts: a negative count or amount is refused,
        // where it would have fallen in the best bin (no dependants, the lowest expense ratio).
        const beta = await t.tenantWithKey('beta');
        for (const [body, message, field] of [
          [{ client_id: '1', dependants: -7 }, 'dependants must be at least 0', 'dependants'],
          [
            { client_id: '1', expenses: 5000, monthly_net_income: -1 },
            'monthly_net_income must be at least 0',
            'monthly_net_income',
          ],
          [
            { client_id: '1', expenses: -5000, monthly_net_income: 1000 },
            'expenses must be at least 0',
            'expenses',
          ],
        ] as const) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/cladfy/v1/demographic_score/',
            headers: { 'x-api-key': beta.key },
            payload: body,
          });
          expect(res.statusCode).toBe(400);
          expect(res.json()).toEqual({ error: message, field });
        }
        await nothingWritten();
      });

      it('demographic_score with a body that is not UTF-8, under any Content-Type', async () => {
        // "José" in Latin-1: the é is the single byte 0xE9, which read as UTF-8 is U+FFFD.
        const latin1 = Buffer.from('{"client_id":"José","age":30}', 'latin1');
        for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/cladfy/v1/demographic_score/',
            headers: { 'x-api-key': key, 'content-type': type },
            payload: latin1,
          });
          expect(res.statusCode, type).toBe(400);
          expect(res.json()).toEqual({
            error: 'request body is not UTF-8 text (JSON must be sent as UTF-8)',
          });
        }
        await nothingWritten();
      });

      it('demographic_score with no body and no Content-Type', async () => {
        const res = await raw('POST', 'demographic_score/');
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: 'request body is empty' });
        await nothingWritten();
      });

      it.each([
        ['startDate', { startDate: undefined }, 'startDate is required'],
        [
          'startDate',
          { startDate: '05/01/2024' },
          'startDate must be a date as YYYY-MM-DD or an ISO 8601 date-time',
        ],
        ['startDate', { startDate: '2024-02-30' }, 'startDate is not a calendar date: 2024-02-30'],
        ['endDate', { endDate: '2023-12-31' }, 'endDate must not be before startDate'],
        ['expectedDepositDay', { expectedDepositDay: undefined }, 'expectedDepositDay is required'],
        [
          'expectedDepositDay',
          { expectedDepositDay: '32' },
          'expectedDepositDay must be a day of the month from 1 to 31',
        ],
        [
          'expectedDepositDay',
          { expectedDepositDay: true },
          'expectedDepositDay must be a day of the month from 1 to 31',
        ],
        [
          'expectedDepositAmount',
          { expectedDepositAmount: '100' },
          'expectedDepositAmount must be a number greater than 0 and at most 1000000000000',
        ],
        [
          'expectedDepositAmount',
          { expectedDepositAmount: 0 },
          'expectedDepositAmount must be a number greater than 0 and at most 1000000000000',
        ],
        [
          'expectedDepositAmount',
          { expectedDepositAmount: 1e13 },
          'expectedDepositAmount must be a number greater than 0 and at most 1000000000000',
        ],
        ['deposits', { deposits: undefined }, 'deposits is required'],
        ['deposits', { deposits: {} }, 'deposits must be an array'],
        ['deposits[0]', { deposits: [5] }, 'deposits[0] must be a JSON object'],
        ['deposits[0].date', { deposits: [{ amount: 1 }] }, 'deposits[0].date is required'],
        [
          'deposits[0].amount',
          { deposits: [{ date: '2024-01-01', amount: -1 }] },
          'deposits[0].amount must be a number from 0 to 1000000000000',
        ],
        [
          'deposits[1].date',
          {
            deposits: [
              { date: '2024-01-01', amount: 1 },
              { date: 'soon', amount: 1 },
            ],
          },
          'deposits[1].date must be a date as YYYY-MM-DD or an ISO 8601 date-time',
        ],
      ])('deposit_score with a bad %s', async (field, change, message) => {
        const res = await post('deposit_score/', { ...DEPOSIT, ...change });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: message, field });
        await nothingWritten();
      });

      it.each([
        [
          'paymentStartDate',
          { paymentStartDate: 20240101 },
          'paymentStartDate must be a date as YYYY-MM-DD or an ISO 8601 date-time',
        ],
        [
          'paymentEndDate',
          { paymentEndDate: '2024-13-01' },
          'paymentEndDate is not a calendar date: 2024-13-01',
        ],
        [
          'expectedPaymentDay',
          { expectedPaymentDay: 0 },
          'expectedPaymentDay must be a day of the month from 1 to 31',
        ],
        [
          'expectedPaymentAmount',
          { expectedPaymentAmount: null },
          'expectedPaymentAmount must be a number greater than 0 and at most 1000000000000',
        ],
        ['payments', { payments: 'none' }, 'payments must be an array'],
        [
          'payments[0].amount',
          { payments: [{ date: '2024-01-01', amount: '5' }] },
          'payments[0].amount must be a number from 0 to 1000000000000',
        ],
        [
          'payments[1].amount',
          {
            payments: [
              { date: '2024-01-01', amount: 5 },
              { date: '2024-01-02', amount: 1e308 },
            ],
          },
          'payments[1].amount must be a number from 0 to 1000000000000',
        ],
        ['scoreBeforeStartDate', { scoreBeforeStartDate: 'yes' }, 'scoreBeforeStartDate must be a boolean'],
        ['reference', { reference: 42 }, 'reference must be a string of at most 256 characters'],
        [
          'paymentEndDate',
          { paymentEndDate: '' },
          'paymentEndDate must be a date as YYYY-MM-DD or an ISO 8601 date-time',
        ],
      ])('repayment_score with a bad %s', async (field, change, message) => {
        const res = await post('repayment_score/', { ...REPAYMENT, ...change });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: message, field });
        await nothingWritten();
      });

      it.each([
        ['client_id=1', 'service is required', 'service'],
        ['service=deposit_score', 'client_id is required', 'client_id'],
        [
          'client_id=1&service=credit_score',
          'service must be one of: demographic_score, deposit_score, repayment_score',
          'service',
        ],
        [
          'client_id=a%00b&service=deposit_score',
          'client_id holds the NUL character (%00), which text may not contain',
          'client_id',
        ],
        [
          'client_id=caf%E9&service=deposit_score',
          'a parameter is not UTF-8 text: "caf%E9" is percent-encoded bytes of another encoding',
          'client_id',
        ],
      ])('client_data with %s', async (query, message, field) => {
        const res = await raw('GET', `client_data/?${query}`);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: message, field });
      });
    });

    it('413 for a body over 1 MiB, writing nothing', async () => {
      const big = JSON.stringify({ client_id: '1', blob: 'x'.repeat(1024 * 1024) });
      const res = await raw('POST', 'demographic_score/', big, { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'request body is larger than the 1 MiB limit' });
      await nothingWritten();
    });

    it('429 with Retry-After for a key over its own rate limit, writing nothing for it', async () => {
      const limited = await t.ctx.apiKeys.create({ tenant: 'acme', rateLimit: 1 });
      const call = () =>
        t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': limited.key },
          payload: { client_id: 'limited-1', age: 30 },
        });
      const answers = [await call(), await call()];
      expect(answers.map((r) => r.statusCode)).toContain(200);
      const refused = answers.find((r) => r.statusCode !== 200) ?? (await call());
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({
        error: expect.stringMatching(/^rate limit exceeded; retry in \d+ s$/),
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const history = await t.app.inject({
        method: 'GET',
        url: '/cladfy/v1/client_data/?client_id=limited-1&service=demographic_score',
        headers: { 'x-api-key': key },
      });
      expect(history.json()).toHaveLength(answers.filter((r) => r.statusCode === 200).length);
    });

    it('404 for an unknown Cladfy path', async () => {
      const res = await post('credit_score/', { client_id: '1' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'no route POST /cladfy/v1/credit_score/' });
      // Whatever its body: a form post (curl -d), an empty or broken one, one over the limit.
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const json = { 'content-type': 'application/json' };
      for (const [payload, headers] of [
        ['client_id=1', form],
        ['', json],
        ['{"client_id":', json],
        [JSON.stringify({ blob: 'x'.repeat(1024 * 1024) }), json],
      ] as const) {
        const other = await raw('POST', 'credit_score/', payload, headers);
        expect(other.statusCode, payload.slice(0, 20)).toBe(404);
        expect(other.json()).toEqual({ error: 'no route POST /cladfy/v1/credit_score/' });
      }
    });

    it('500 with a message and no internals when storage fails', async () => {
      const other = await createTestApp(engine);
      try {
        const { key: k } = await other.tenantWithKey('broken');
        await sql`drop table score_runs`.execute(other.ctx.database.db);
        const res = await other.app.inject({
          method: 'POST',
          url: '/cladfy/v1/repayment_score/',
          headers: { 'x-api-key': k },
          payload: REPAYMENT,
        });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ error: 'internal error' });
        expect(res.body).not.toMatch(/score_runs|at .*\.ts|Error:/);
      } finally {
        await other.close();
      }
    });

    it('500 naming the service when it has no active model', async () => {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-no-models-'));
      const other = await createTestApp(engine, { modelsDir: empty });
      try {
        const { key: k } = await other.tenantWithKey('fresh');
        const res = await other.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': k },
          payload: { client_id: '1' },
        });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({ error: 'no model is active for demographic_score' });
      } finally {
        await other.close();
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });
  });
}
