import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../test/fixtures/device-sync.js';
import { type LooseJson, testScorecard } from '../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { finboxTenant, sync } from '../../test/helpers/finbox.js';
import { classifyError } from '../api/http-errors.js';
import { DEFAULT_SCOPE, insertModel, setActiveModel } from '../db/repositories/model.repository.js';
import { canonicalJson, sha256Hex } from '../lib/canonical-json.js';
import { warnOfRefusedModels } from '../server.js';
import { StoredModelInvalid } from './stored-model.js';

/** A document an older release stored and today's validation refuses: bins that overlap. */
function staleDocument(service: string, name: string): string {
  const doc = structuredClone(testScorecard(service)) as LooseJson;
  doc.name = name;
  doc.characteristics[0].bins[1].min = 26;
  return canonicalJson(doc);
}

describe('a stored model that today’s validation refuses', () => {
  it('is an internal error, whose message (and the model in it) is never the caller’s', () => {
    const row = {
      id: 'mdl_1',
      tenant_id: 't_1',
      service: 'demographic_score',
      version: 3,
      name: 'Secret card',
      checksum: '',
      document: staleDocument('demographic_score', 'Secret card'),
      source: 'upload',
      created_at: '',
    };
    expect(classifyError(new StoredModelInvalid(row, 't_1', 'invalid model: characteristics[0]'))).toEqual({
      code: 'CREDENCE_INTERNAL',
      status: 500,
      message: 'internal error',
      internal: true,
    });
  });
});

for (const engine of ENGINES) {
  describe(`a stored model that today’s validation refuses, on ${engine}`, () => {
    let t: TestApp;
    let key: string;
    let tenantId: string;
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()));
        cb();
      },
    });

    /** Stores `document` as the tenant's next version (as an older release did) and activates it. */
    async function storeStale(
      tenant: string | null,
      service: string,
      version: number,
      name: string,
      role: 'champion' | 'challenger' = 'champion',
    ) {
      const document = staleDocument(service, name);
      const id = `mdl_stale_${service}_${version}_${tenant ?? 'starter'}`;
      await insertModel(t.ctx.database.db, {
        id,
        tenant_id: tenant,
        service,
        version,
        name,
        checksum: sha256Hex(document),
        document,
        source: 'upload',
        created_at: '2024-01-01T00:00:00.000Z',
      });
      await setActiveModel(t.ctx.database.db, {
        scope: tenant ?? DEFAULT_SCOPE,
        service,
        role,
        model_id: id,
        activated_at: '2024-01-01T00:00:00.000Z',
      });
      return id;
    }
    const cladfyScore = (apiKey = key) =>
      t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': apiKey },
        payload: { client_id: 'c-1', age: 30 },
      });
    const errorLines = () => lines.filter((l) => l.level === 50);

    beforeAll(async () => {
      t = await createTestApp(engine, { logger: { level: 'warn', stream } });
      ({ key, tenantId } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('answers Cladfy’s 500, logs it once at error level, and shows nothing of the model', async () => {
      const id = await storeStale(tenantId, 'demographic_score', 7, 'Secret card');
      lines.length = 0;
      const res = await cladfyScore();
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: 'internal error' });
      expect(res.body).not.toMatch(/Secret card|characteristics|invalid model/);
      const logged = errorLines();
      expect(logged).toHaveLength(1);
      expect(logged[0]!.err).toMatchObject({
        tenantId,
        service: 'demographic_score',
        modelId: id,
        version: 7,
        validation: expect.stringMatching(/^invalid model: characteristics\[0\]\.bins\[1\]\.min/),
      });
    });

    it('is named by a warning at start, before any request', async () => {
      lines.length = 0;
      await warnOfRefusedModels(t.app);
      expect(lines.filter((l) => l.level === 40)).toEqual([
        expect.objectContaining({
          tenantId,
          service: 'demographic_score',
          modelId: 'mdl_stale_demographic_score_7_' + tenantId,
          version: 7,
          role: 'champion',
          validation: expect.stringMatching(/^invalid model: /),
        }),
      ]);
    });

    it('is set right by activating another model: the starter, or a fixed version uploaded', async () => {
      const starter = (await t.ctx.models.list(tenantId, 'demographic_score')).find(
        (m) => m.source === 'starter',
      )!;
      await t.ctx.models.activate(tenantId, starter.id);
      expect((await cladfyScore()).statusCode).toBe(200);
      // Another tenant left with a refused version active by an older release (activating one
      // now is refused: see below) uploads a fixed version.
      const other = await t.tenantWithKey('upgraded');
      await storeStale(other.tenantId, 'demographic_score', 8, 'Secret card 2');
      const otherScore = () => cladfyScore(other.key);
      expect((await otherScore()).statusCode).toBe(500);
      const { model } = await t.ctx.models.add(other.tenantId, testScorecard(), { source: 'upload' });
      await t.ctx.models.activate(other.tenantId, model.id);
      expect((await otherScore()).statusCode).toBe(200);
      expect(await t.ctx.models.refusedActiveModels()).toEqual([]);
    });

    it('as the challenger, steps aside: the champion answers and nothing is scored in shadow', async () => {
      const other = await t.tenantWithKey('challenged');
      await storeStale(other.tenantId, 'demographic_score', 3, 'Secret challenger', 'challenger');
      const res = await cladfyScore(other.key);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/Secret challenger/);
      const runs = await t.ctx.database.db
        .selectFrom('score_runs')
        .select(['challenger_model_id', 'challenger_result'])
        .where('tenant_id', '=', other.tenantId)
        .execute();
      expect(runs).toEqual([{ challenger_model_id: null, challenger_result: null }]);
    });

    it('cannot be activated again: the caller is told to upload a fixed version', async () => {
      const other = await t.tenantWithKey('reactivated');
      const id = await storeStale(other.tenantId, 'demographic_score', 4, 'Secret old card');
      const starter = (await t.ctx.models.list(other.tenantId, 'demographic_score')).find(
        (m) => m.source === 'starter',
      )!;
      await t.ctx.models.activate(other.tenantId, starter.id);
      for (const role of ['champion', 'challenger'] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/models/${id}/activate`,
          headers: { authorization: `Bearer ${other.key}` },
          payload: { role },
        });
        expect(res.statusCode, role).toBe(422);
        expect(res.json(), role).toMatchObject({ code: 'CREDENCE_INVALID_MODEL' });
        expect(res.json().detail, role).toMatch(
          /^demographic_score version 4 cannot be activated: it fails today's validation \(invalid model: .*\); upload a fixed version$/,
        );
      }
      expect((await t.ctx.models.activeModel(other.tenantId, 'demographic_score'))!.id).toBe(starter.id);
    });

    it('answers the native API’s 500 problem for a refused starter model', async () => {
      const f = await finboxTenant(t, 'devices');
      const nativeKey = await t.key('devices');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'D1', now: Date.now(), sms: 100 }));
      await storeStale(null, 'device_score', 99, 'Secret device card');
      lines.length = 0;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/device-score',
        headers: { authorization: `Bearer ${nativeKey}` },
        payload: { customer_id: 'D1' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_INTERNAL', detail: 'internal error' });
      expect(res.body).not.toMatch(/Secret device card|characteristics|invalid model/);
      expect(errorLines()).toHaveLength(1);
      expect(errorLines()[0]!.err).toMatchObject({
        tenantId: f.tenantId,
        modelId: 'mdl_stale_device_score_99_starter',
      });
    });
  });
}
