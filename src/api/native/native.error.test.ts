import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseJson, testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { ERROR_CATALOG } from '../../domain/errors.js';

for (const engine of ENGINES) {
  describe(`native API on ${engine}: errors as RFC 9457 problems`, () => {
    let t: TestApp;
    let key: string;
    const api = (
      method: 'GET' | 'POST',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${key}`, ...headers },
        ...(payload !== undefined
          ? { payload: typeof payload === 'string' ? payload : (payload as object) }
          : {}),
      });
    const expectProblem = (res: Awaited<ReturnType<typeof api>>, status: number, code: string) => {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const p = res.json();
      expect(p).toMatchObject({
        status,
        code,
        type: `/docs/errors#${code.toLowerCase()}`,
        title: expect.any(String),
      });
      expect(p.request_id).toBe(res.headers['x-request-id']);
      return p;
    };

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('401 without a key, or with a bad one, naming the scheme that would do', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/models' });
      expect(expectProblem(res, 401, 'CREDENCE_UNAUTHENTICATED').detail).toBe('API key is missing');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="credence"');
      for (const headers of [{ authorization: 'Bearer crd_sk_nope' }, { 'x-api-key': 'crd_sk_nope' }]) {
        const bad = await t.app.inject({ method: 'GET', url: '/api/v1/models', headers });
        expectProblem(bad, 401, 'CREDENCE_UNAUTHENTICATED');
        expect(bad.headers['www-authenticate']).toBe('Bearer realm="credence", error="invalid_token"');
      }
      // Another scheme, or a Bearer without a token, sends no key: nothing was refused (RFC 6750 §3).
      for (const authorization of ['Basic Zm9vOmJhcg==', 'Token abc', 'Bearer ']) {
        const none = await t.app.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization } });
        expect(expectProblem(none, 401, 'CREDENCE_UNAUTHENTICATED').detail, authorization).toBe(
          'API key is missing',
        );
        expect(none.headers['www-authenticate'], authorization).toBe('Bearer realm="credence"');
      }
      // Only a 401 carries it.
      expect((await api('GET', '/models/mdl_nope')).headers['www-authenticate']).toBeUndefined();
    });

    it('401 for a good key of a type the API does not take, saying so', async () => {
      const device = (await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device' })).key;
      const onNative = await t.app.inject({
        method: 'GET',
        url: '/api/v1/models',
        headers: { authorization: `Bearer ${device}` },
      });
      expect(expectProblem(onNative, 401, 'CREDENCE_UNAUTHENTICATED').detail).toBe(
        'API key is a device key, which this API does not take',
      );
      const onSync = await t.app.inject({
        method: 'POST',
        url: '/api/v1/device-sync',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer_id: 'c-1', batch_id: 'b-1', contacts_count: 1 },
      });
      expect(expectProblem(onSync, 401, 'CREDENCE_UNAUTHENTICATED').detail).toBe(
        'device key is a server key, which this API does not take',
      );
      // A revoked one is only invalid, whatever its type.
      const revoked = await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device' });
      await t.ctx.apiKeys.revoke(revoked.id);
      const gone = await t.app.inject({
        method: 'GET',
        url: '/api/v1/models',
        headers: { authorization: `Bearer ${revoked.key}` },
      });
      expect(expectProblem(gone, 401, 'CREDENCE_UNAUTHENTICATED').detail).toBe('API key is invalid');
    });

    it('403 without the scope', async () => {
      const readOnly = await t.key('acme', ['models:read']);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/models',
        headers: { authorization: `Bearer ${readOnly}` },
        payload: testScorecard(),
      });
      expect(expectProblem(res, 403, 'CREDENCE_FORBIDDEN').detail).toBe(
        'this credential lacks the scope models:write',
      );
    });

    it('404 for an unknown model, subject, or route', async () => {
      expectProblem(await api('GET', '/models/mdl_nope'), 404, 'CREDENCE_NOT_FOUND');
      expectProblem(await api('GET', '/subjects/sub_nope'), 404, 'CREDENCE_NOT_FOUND');
      expectProblem(await api('GET', '/subjects?partner_id=ghost'), 404, 'CREDENCE_NOT_FOUND');
      expectProblem(await api('GET', '/subjects/sub_nope/score-runs'), 404, 'CREDENCE_NOT_FOUND');
      expectProblem(await api('GET', '/nothing-here'), 404, 'CREDENCE_ROUTE_NOT_FOUND');
    });

    it('400 naming the field for a bad query', async () => {
      const p = expectProblem(
        await api('GET', '/subjects/sub_x/score-runs?limit=0'),
        400,
        'CREDENCE_INVALID_INPUT',
      );
      expect(p.field).toBe('limit');
      for (const limit of ['0x10', '%2B5', '5.0']) {
        const res = await api('GET', `/subjects/sub_x/score-runs?limit=${limit}`);
        expect(expectProblem(res, 400, 'CREDENCE_INVALID_INPUT').detail, limit).toBe(
          'limit must be an integer',
        );
      }
      expect(expectProblem(await api('GET', '/subjects'), 400, 'CREDENCE_INVALID_INPUT').field).toBe(
        'partner_id',
      );
    });

    it('400 for a cursor no page gave, or a service filter that is no service name', async () => {
      for (const url of [
        '/subjects/sub_x/score-runs?after=garbage',
        '/subjects/sub_x/score-runs?after=msg_01M978QFA4YENGAPXNTD0KX2P3',
        '/webhook-deliveries?after=run_01M978QFA4YENGAPXNTD0KX2P3',
      ]) {
        const p = expectProblem(await api('GET', url), 400, 'CREDENCE_INVALID_INPUT');
        expect(p, url).toMatchObject({
          field: 'after',
          detail: 'after must be the next_cursor of a previous page',
        });
      }
      for (const url of ['/models?service=Demographic%20Score', '/subjects/sub_x/score-runs?service=a-b'])
        expect(expectProblem(await api('GET', url), 400, 'CREDENCE_INVALID_INPUT').field, url).toBe(
          'service',
        );
      // A service name no model has is a filter that finds nothing.
      const none = await api('GET', '/models?service=no_such_service');
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({ models: [] });
    });

    it('400 naming the parameter for a NUL in the path or the query (PostgreSQL cannot hold one)', async () => {
      for (const [url, field] of [
        ['/subjects/sub%00x', 'id'],
        ['/subjects/sub_x/score-runs?after=run%00', 'after'],
        ['/models/mdl%00x', 'id'],
        ['/subjects?partner_id=a%00b', 'partner_id'],
        ['/webhook-deliveries/msg%00', 'id'],
      ]) {
        const p = expectProblem(await api('GET', url!), 400, 'CREDENCE_INVALID_INPUT');
        expect(p).toMatchObject({
          field,
          detail: `${field} holds the NUL character (%00), which text may not contain`,
        });
      }
    });

    it('400 naming the parameter for a query value whose escapes are not UTF-8, not the id they spell', async () => {
      // caf%E9 is é in Latin-1: taken as the text "caf%E9", it found the subject sent as caf%25E9.
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'caf%E9', age: 30 },
      });
      expect(scored.statusCode).toBe(200);
      const p = expectProblem(await api('GET', '/subjects?partner_id=caf%E9'), 400, 'CREDENCE_INVALID_INPUT');
      expect(p).toMatchObject({
        field: 'partner_id',
        detail: 'a parameter is not UTF-8 text: "caf%E9" is percent-encoded bytes of another encoding',
      });
      expect((await api('GET', '/subjects?partner_id=caf%25E9')).json().partner_id).toBe('caf%E9');
      expect((await api('GET', '/subjects?partner_id=caf%C3%A9')).statusCode).toBe(404);
    });

    it('400 for a subject lookup by an invalid phone or by two keys at once', async () => {
      expect(
        expectProblem(await api('GET', '/subjects?phone=0712'), 400, 'CREDENCE_INVALID_INPUT').field,
      ).toBe('phone');
      expect(
        expectProblem(await api('GET', '/subjects?partner_id=a&email=b@c.de'), 400, 'CREDENCE_INVALID_INPUT')
          .field,
      ).toBe('email');
      expectProblem(await api('GET', '/subjects?email=nobody@example.com'), 404, 'CREDENCE_NOT_FOUND');
    });

    it('400 for malformed JSON and 415 for a non-JSON body', async () => {
      expectProblem(
        await api('POST', '/models', '{"format":', { 'content-type': 'application/json' }),
        400,
        'CREDENCE_INVALID_JSON',
      );
      expectProblem(
        await api('POST', '/models', 'x=1', { 'content-type': 'text/plain' }),
        415,
        'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
      );
      // An empty body is the same error with or without a Content-Type.
      for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
        const empty = expectProblem(
          await api('POST', '/outcomes', '', headers),
          400,
          'CREDENCE_INVALID_JSON',
        );
        expect(empty.detail).toBe('request body is empty');
      }
    });

    it('413 for a body over 1 MiB', async () => {
      const big = JSON.stringify({ ...testScorecard(), description: 'x'.repeat(1024 * 1024) });
      expectProblem(
        await api('POST', '/models', big, { 'content-type': 'application/json' }),
        413,
        'CREDENCE_PAYLOAD_TOO_LARGE',
      );
    });

    it('422 for an invalid model, listing every problem, and stores nothing', async () => {
      const bad = structuredClone(testScorecard()) as LooseJson;
      bad.characteristics[0].bins[1].min = 26;
      bad.characteristics[1].bins[0].reasonCode = 'UNDEFINED';
      const p = expectProblem(await api('POST', '/models', bad), 422, 'CREDENCE_INVALID_MODEL');
      expect(p.field).toBe('characteristics[0].bins[1].min');
      expect(p.errors.map((e: { path: string }) => e.path)).toEqual([
        'characteristics[0].bins[1].min',
        'characteristics[1].bins[0].reasonCode',
      ]);
      const models = (await api('GET', '/models?service=demographic_score')).json().models;
      expect(models.every((m: { source: string }) => m.source === 'starter')).toBe(true);
    });

    it('422 when an Idempotency-Key is reused with another body', async () => {
      const first = await api(
        'POST',
        '/models',
        { ...testScorecard(), name: 'A' },
        { 'idempotency-key': 'k-1' },
      );
      expect(first.statusCode).toBe(201);
      const p = expectProblem(
        await api('POST', '/models', { ...testScorecard(), name: 'B' }, { 'idempotency-key': 'k-1' }),
        422,
        'CREDENCE_IDEMPOTENCY_KEY_REUSED',
      );
      expect(p.field).toBe('Idempotency-Key');
    });

    it('does not keep a refused request against its Idempotency-Key, so the key serves the corrected one', async () => {
      const bad = { ...testScorecard(), scaling: { baseScore: 600, baseOdds: 50, pdo: 0 } };
      expect((await api('POST', '/models', bad, { 'idempotency-key': 'k-2' })).statusCode).toBe(422);
      // Refused, it did nothing: sent again, it is judged again, not replayed.
      const again = await api('POST', '/models', bad, { 'idempotency-key': 'k-2' });
      expect(again.statusCode).toBe(422);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      const fixed = await api(
        'POST',
        '/models',
        { ...testScorecard(), name: 'k-2' },
        { 'idempotency-key': 'k-2' },
      );
      expect(fixed.statusCode).toBe(201);
      // A query parameter refused inside the route, and outcomes refused as a whole, alike.
      const model = { ...testScorecard(), name: 'k-3' };
      const refused = await api('POST', '/models?activate=yes', model, { 'idempotency-key': 'k-3' });
      expect(refused.statusCode).toBe(400);
      expect((await api('POST', '/models', model, { 'idempotency-key': 'k-3' })).statusCode).toBe(201);
      const outcome = { partner_id: 'p-1', status: 'paid', observed_at: '2024-09-30' };
      const wrong = await api(
        'POST',
        '/outcomes',
        { outcomes: [{ ...outcome, status: 'bogus' }] },
        { 'idempotency-key': 'k-4' },
      );
      expect(wrong.statusCode).toBe(400);
      const right = await api('POST', '/outcomes', { outcomes: [outcome] }, { 'idempotency-key': 'k-4' });
      expect(right.statusCode).toBe(201);
      expect(right.json()).toEqual({ stored: 1, duplicates: 0 });
      // An answer that did something is kept, and replayed.
      const replay = await api('POST', '/outcomes', { outcomes: [outcome] }, { 'idempotency-key': 'k-4' });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual({ stored: 1, duplicates: 0 });
    });

    it('documents every error code in docs/errors.md', () => {
      const doc = fs.readFileSync(path.join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
      for (const code of Object.keys(ERROR_CATALOG)) expect(doc).toContain(`\`${code}\``);
    });
  });
}
