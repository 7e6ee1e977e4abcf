import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { ModelRegistry } from './model-registry.js';

for (const engine of ENGINES) {
  describe(`champion and challenger on ${engine}`, () => {
    let t: TestApp;
    let key: string;
    let tenantId: string;
    const score = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: body,
      });
    const runs = () =>
      t.ctx.database.db
        .selectFrom('score_runs')
        .select([
          'id',
          'model_id',
          'result',
          'challenger_model_id',
          'challenger_model_version',
          'challenger_result',
        ])
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key, tenantId } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('records no challenger while the tenant has none', async () => {
      const res = await score({ client_id: 'c-1', age: 30 });
      expect(res.statusCode).toBe(200);
      const [run] = await runs();
      expect(run).toMatchObject({
        challenger_model_id: null,
        challenger_model_version: null,
        challenger_result: null,
      });
    });

    it('scores the challenger in shadow, keeps its result beside the champion, and never answers with it', async () => {
      const before = (await score({ client_id: 'c-2', age: 30, marital_status: 'single' })).json();
      const { model } = await t.ctx.models.add(tenantId, testScorecard(), { source: 'upload' });
      await t.ctx.models.activate(tenantId, model.id, 'challenger');

      const res = await score({ client_id: 'c-2', age: 30, marital_status: 'single' });
      expect(res.statusCode).toBe(200);
      // The answer is the champion's, exactly as without a challenger.
      const { request_id: _a, ...answer } = res.json();
      const { request_id: _b, ...previous } = before;
      expect(answer).toEqual(previous);
      expect(JSON.stringify(res.json())).not.toContain(model.id);

      const last = (await runs()).at(-1)!;
      expect(last.model_id).not.toBe(model.id);
      expect(last.challenger_model_id).toBe(model.id);
      expect(last.challenger_model_version).toBe(model.version);
      const shadow = JSON.parse(last.challenger_result!);
      // The test card: 500 base + age [25, 40) 30 + single 10 + ratio missing 12.
      expect(shadow.scorecard).toMatchObject({ score: 552, grade: 'B', bins: [1, 1, 2] });
      // Largest shortfall first: the missing ratio costs 18 points, single 15.
      expect(shadow.scorecard.reasons).toEqual(['DTI_MISSING', 'MARITAL']);
      expect(shadow.scorecard).not.toHaveProperty('contributions');

      // The history a caller reads back shows the champion only.
      const history = await t.app.inject({
        method: 'GET',
        url: '/cladfy/v1/client_data/?client_id=c-2&service=demographic_score',
        headers: { 'x-api-key': key },
      });
      expect(history.statusCode).toBe(200);
      expect(history.body).not.toContain(model.id);
      expect(history.body).not.toContain('challenger');
    });

    it('keeps the error when the challenger cannot score the input, and still answers', async () => {
      const card = testScorecard();
      card.name = 'Challenger reading debt';
      const { model } = await t.ctx.models.add(tenantId, card, { source: 'upload' });
      await t.ctx.models.activate(tenantId, model.id, 'challenger');
      // The starter champion does not read `debt`; the challenger's ratio does, and it is not a number.
      const res = await score({ client_id: 'c-3', age: 41, debt: 'lots', monthly_net_income: 100 });
      expect(res.statusCode).toBe(200);
      const last = (await runs()).at(-1)!;
      expect(last.challenger_model_id).toBe(model.id);
      expect(JSON.parse(last.challenger_result!)).toEqual({
        error: { code: 'CREDENCE_INVALID_INPUT', message: 'debt must be a number' },
      });
    });

    it('shadows schedule services too, scoring the same features as the champion', async () => {
      const { model } = await t.ctx.models.add(tenantId, testScorecard('deposit_score'), {
        source: 'upload',
      });
      await t.ctx.models.activate(tenantId, model.id, 'challenger');
      const res = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/deposit_score/',
        headers: { 'x-api-key': key },
        payload: {
          client_id: 'c-4',
          startDate: '2024-01-01',
          endDate: '2024-03-31',
          expectedDepositDay: 1,
          expectedDepositAmount: 100,
          deposits: [],
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(model.id);
      const last = (await runs()).at(-1)!;
      expect(last.challenger_model_id).toBe(model.id);
      // The test card reads none of the schedule's features: every characteristic in its missing bin.
      expect(JSON.parse(last.challenger_result!).scorecard).toMatchObject({ score: 547, bins: [3, 2, 2] });
    });

    it('ends the challenge when the challenger is promoted, and never lets the champion challenge itself', async () => {
      const card = testScorecard();
      card.name = 'Promoted challenger';
      const { model } = await t.ctx.models.add(tenantId, card, { source: 'upload' });
      await t.ctx.models.activate(tenantId, model.id, 'challenger');
      const promoted = await t.ctx.models.activate(tenantId, model.id, 'champion');
      expect(promoted.roles).toEqual(['champion']);
      // Scored by the new champion alone: no shadow of itself.
      expect((await score({ client_id: 'c-5', age: 30 })).statusCode).toBe(200);
      const last = (await runs()).at(-1)!;
      expect(last).toMatchObject({ model_id: model.id, challenger_model_id: null, challenger_result: null });
      await expect(t.ctx.models.activate(tenantId, model.id, 'challenger')).rejects.toThrow(
        'this model is the champion: the challenger must be another model',
      );
      expect((await t.ctx.models.get(tenantId, model.id)).roles).toEqual(['champion']);
    });

    it('ends a challenge without naming another challenger, and never deactivates the champion', async () => {
      const card = testScorecard();
      card.name = 'Retired challenger';
      const { model } = await t.ctx.models.add(tenantId, card, { source: 'upload' });
      await t.ctx.models.activate(tenantId, model.id, 'challenger');
      expect((await score({ client_id: 'c-6', age: 30 })).statusCode).toBe(200);
      expect((await runs()).at(-1)!.challenger_model_id).toBe(model.id);

      const ended = await t.ctx.models.deactivate(tenantId, model.id, 'test');
      expect(ended.roles).toEqual([]);
      expect((await score({ client_id: 'c-7', age: 30 })).statusCode).toBe(200);
      expect((await runs()).at(-1)).toMatchObject({ challenger_model_id: null, challenger_result: null });
      const audited = await t.ctx.database.db
        .selectFrom('audit_log')
        .select(['actor', 'details'])
        .where('action', '=', 'model.deactivate')
        .where('target_id', '=', model.id)
        .execute();
      expect(audited).toHaveLength(1);
      expect(audited[0]!.actor).toBe('test');

      // Again: nothing to end, nothing recorded.
      expect((await t.ctx.models.deactivate(tenantId, model.id)).roles).toEqual([]);
      expect(
        await t.ctx.database.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'model.deactivate')
          .where('target_id', '=', model.id)
          .execute(),
      ).toHaveLength(1);

      const champion = (await t.ctx.models.list(tenantId, 'demographic_score')).find((m) =>
        m.roles.includes('champion'),
      )!;
      await expect(t.ctx.models.deactivate(tenantId, champion.id)).rejects.toMatchObject({
        code: 'CREDENCE_CONFLICT',
      });
      expect((await t.ctx.models.get(tenantId, champion.id)).roles).toEqual(['champion']);
    });

    it('stores a document as it was read, so another process scores with it: a key named __proto__ included', async () => {
      // A model file read with JSON.parse (credence model import) holds "__proto__" as a key.
      const doc = JSON.parse(JSON.stringify(testScorecard()).replaceAll('"AGE_MISSING"', '"__proto__"'));
      expect(Object.hasOwn(doc.reasonCodes, '__proto__')).toBe(true);
      const { model } = await t.ctx.models.add(tenantId, doc, { source: 'import' });
      await t.ctx.models.activate(tenantId, model.id);

      // The server compiles the stored version, not the importing process's cached copy.
      const server = new ModelRegistry(t.ctx.database.db, t.ctx.clock);
      const champion = await server.activeModel(tenantId, 'demographic_score');
      expect(champion?.id).toBe(model.id);
      const r = champion!.scorecard.evaluate({ marital_status: 'married' });
      expect(r.reasons.map((x) => [x.code, x.description])).toContainEqual(['__proto__', 'Age not provided']);
    });
  });
}
