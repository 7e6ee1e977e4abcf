import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`native API on ${engine}: what works`, () => {
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
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('lists the starter models, each the champion of its service', async () => {
      const res = await api('GET', '/models');
      expect(res.statusCode).toBe(200);
      const models = res.json().models as {
        service: string;
        tenant_id: string | null;
        roles: string[];
        source: string;
      }[];
      const services = models.map((m) => m.service).sort();
      expect(services).toEqual([
        'demographic_score',
        'deposit_score',
        'device_score',
        'friendlyscore',
        'repayment_score',
        'telco_score',
      ]);
      for (const m of models) {
        expect(m.tenant_id).toBeNull();
        expect(m.source).toBe('starter');
        expect(m.roles).toEqual(['champion']);
      }
    });

    it('uploads a new version, returns the same version for the same document, and activates it', async () => {
      const first = await api('POST', '/models', testScorecard());
      expect(first.statusCode).toBe(201);
      const created = first.json();
      expect(created.created).toBe(true);
      expect(created.model).toMatchObject({
        service: 'demographic_score',
        version: 1,
        name: 'Test scorecard',
        roles: [],
      });
      expect(created.model.checksum).toMatch(/^[0-9a-f]{64}$/);

      const again = await api('POST', '/models', testScorecard());
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ model: created.model, created: false });

      const v2 = await api('POST', '/models?activate=true', {
        ...testScorecard(),
        name: 'Test scorecard v2',
      });
      expect(v2.statusCode).toBe(201);
      expect(v2.json().model).toMatchObject({ version: 2, roles: ['champion'] });

      const list = (await api('GET', '/models?service=demographic_score')).json().models;
      const roles = Object.fromEntries(list.map((m: { name: string; roles: string[] }) => [m.name, m.roles]));
      expect(roles['Test scorecard v2']).toEqual(['champion']);
      expect(roles['Test scorecard']).toEqual([]);
      expect(list.find((m: { source: string }) => m.source === 'starter').roles).toEqual([]);

      const activated = await api('POST', `/models/${created.model.id}/activate`, {});
      expect(activated.statusCode).toBe(200);
      expect(activated.json()).toMatchObject({ id: created.model.id, roles: ['champion'] });

      const one = await api('GET', `/models/${created.model.id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json().document).toEqual(testScorecard());

      // Uploaded again, the stored version comes back with the roles it holds now.
      const reloaded = await api('POST', '/models', testScorecard());
      expect(reloaded.statusCode).toBe(200);
      expect(reloaded.json().model).toMatchObject({ id: created.model.id, roles: ['champion'] });
    });

    it('refuses an activate flag that is not true or false, storing nothing', async () => {
      const before = (await api('GET', '/models?service=demographic_score')).json().models;
      const doc = { ...testScorecard(), name: 'Not to be activated' };
      for (const flag of ['0', 'no', 'yes']) {
        const res = await api('POST', `/models?activate=${flag}`, doc);
        expect(res.statusCode, flag).toBe(400);
        expect(res.json(), flag).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'activate' });
      }
      expect((await api('GET', '/models?service=demographic_score')).json().models).toEqual(before);
    });

    it('stores a document uploaded several times at the same moment once, and new ones as consecutive versions', async () => {
      const same = { ...testScorecard(), name: 'Sent by two retries at once' };
      const once = await Promise.all(Array.from({ length: 6 }, () => api('POST', '/models', same)));
      expect(once.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect(once.filter((r) => r.statusCode === 200)).toHaveLength(5);
      expect(new Set(once.map((r) => r.json().model.id)).size).toBe(1);
      const distinct = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          api('POST', '/models', { ...testScorecard(), name: `Racing ${i}` }),
        ),
      );
      expect(distinct.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
      const versions = (await api('GET', '/models?service=demographic_score'))
        .json()
        .models.filter((m: { source: string }) => m.source !== 'starter')
        .map((m: { version: number }) => m.version)
        .sort((a: number, b: number) => a - b);
      expect(new Set(versions).size).toBe(versions.length);
    });

    it('never makes one model champion and challenger at once', async () => {
      const created = (await api('POST', '/models', { ...testScorecard(), name: 'Both at once?' })).json()
        .model;
      const [champion, challenger] = await Promise.all([
        api('POST', `/models/${created.id}/activate`, {}),
        api('POST', `/models/${created.id}/activate`, { role: 'challenger' }),
      ]);
      expect(champion.statusCode).toBe(200);
      const roles = (await api('GET', `/models/${created.id}`)).json().roles;
      // Whichever came second: a challenger made champion ends its challenge; the champion cannot challenge.
      expect(roles).toEqual(['champion']);
      expect([200, 400]).toContain(challenger.statusCode);
      const starter = (await api('GET', '/models?service=demographic_score'))
        .json()
        .models.find((m: { source: string }) => m.source === 'starter');
      expect((await api('POST', `/models/${starter.id}/activate`, {})).statusCode).toBe(200);
    });

    it('lets only a model of the tenant be its challenger, not the starter', async () => {
      const starter = (await api('GET', '/models?service=deposit_score'))
        .json()
        .models.find((m: { source: string }) => m.source === 'starter');
      const res = await api('POST', `/models/${starter.id}/activate`, { role: 'challenger' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'role' });
      expect((await api('GET', `/models/${starter.id}`)).json().roles).toEqual(['champion']);
    });

    it("ends a model's challenge, and answers 409 for the champion", async () => {
      const created = (
        await api('POST', '/models', { ...testScorecard(), name: 'Short-lived challenger' })
      ).json().model;
      const named = await api('POST', `/models/${created.id}/activate`, { role: 'challenger' });
      expect(named.json().roles).toEqual(['challenger']);
      // No body, no Content-Type: as curl -X POST sends it.
      const ended = await api('POST', `/models/${created.id}/deactivate`);
      expect(ended.statusCode).toBe(200);
      expect(ended.json()).toMatchObject({ id: created.id, roles: [] });
      const champion = (await api('GET', '/models?service=demographic_score'))
        .json()
        .models.find((m: { roles: string[] }) => m.roles.includes('champion'));
      // A misspelt role is refused: read as no role, it would have made the model the champion.
      const typo = await api('POST', `/models/${created.id}/activate`, { rol: 'challenger' });
      expect(typo.statusCode).toBe(400);
      expect(typo.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'rol' });
      expect((await api('GET', `/models/${created.id}`)).json().roles).toEqual([]);
      const refused = await api('POST', `/models/${champion.id}/deactivate`);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'CREDENCE_CONFLICT', status: 409 });
      expect(refused.json().detail).toContain('make another model (or the starter model) the champion');
      expect((await api('POST', '/models/mdl_nope/deactivate')).statusCode).toBe(404);
    });

    it('finds subjects by id and partner id, and pages through their history', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/deposit_score/',
          headers: { 'x-api-key': key },
          payload: {
            client_id: 'person-9',
            startDate: '2024-01-01',
            endDate: '2024-03-31',
            expectedDepositDay: 1,
            expectedDepositAmount: 100 + i,
            deposits: [],
          },
        });
        expect(r.statusCode).toBe(200);
      }
      const found = await api('GET', '/subjects?partner_id=person-9');
      expect(found.statusCode).toBe(200);
      const subject = found.json();
      expect(subject).toMatchObject({ partner_id: 'person-9' });
      expect(subject.id).toMatch(/^sub_/);
      expect((await api('GET', `/subjects/${subject.id}`)).json()).toEqual(subject);

      const page1 = (await api('GET', `/subjects/${subject.id}/score-runs?limit=3`)).json();
      expect(page1.runs).toHaveLength(3);
      expect(page1.next_cursor).toBe(page1.runs[2].id);
      const page2 = (
        await api('GET', `/subjects/${subject.id}/score-runs?limit=3&after=${page1.next_cursor}`)
      ).json();
      expect(page2.runs).toHaveLength(2);
      expect(page2.next_cursor).toBeNull();
      const runs = [...page1.runs, ...page2.runs];
      expect(
        runs.map((r: { input: { expectedDepositAmount: number } }) => r.input.expectedDepositAmount),
      ).toEqual([100, 101, 102, 103, 104]);
      const run = runs[0];
      expect(run).toMatchObject({
        subject_id: subject.id,
        service: 'deposit_score',
        dialect: 'cladfy',
        model_version: 1,
      });
      expect(run.result.scorecard).toMatchObject({
        score: expect.any(Number),
        pd: expect.any(Number),
        grade: expect.any(String),
      });
      // Stored compactly, a run comes back explained from its model: every characteristic's bin and points.
      const card = (await t.ctx.models.scorecardById(run.model_id))!;
      expect(run.result.scorecard.contributions).toEqual(card.explain(run.result.scorecard.bins));
      expect(
        run.result.scorecard.contributions.map((c: { characteristic: string }) => c.characteristic),
      ).toEqual(card.model.characteristics.map((c) => c.name));
      for (const r of run.result.scorecard.reasons) {
        expect(r).toMatchObject({ code: expect.stringMatching(/^DP/), description: expect.any(String) });
      }
      expect(run.result.scorecard.reasons.length).toBeGreaterThan(0);
      expect(run.result.schedule.months).toHaveLength(3);
      expect(run.request_id).toMatch(/^req_/);
    });

    it('pages a history whose ids are not in time order (a run scored in the background) without losing a run', async () => {
      for (let i = 0; i < 4; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': key },
          payload: { client_id: 'person-late', age: 30 + i },
        });
        expect(r.statusCode).toBe(200);
      }
      const subject = (await api('GET', '/subjects?partner_id=person-late')).json();
      // The first run asked for is the last scored, as a FriendlyScore run scored after later requests.
      const db = t.ctx.database.db;
      const ids = (
        await db
          .selectFrom('score_runs')
          .select('id')
          .where('subject_id', '=', subject.id)
          .orderBy('id')
          .execute()
      ).map((r) => r.id);
      await db
        .updateTable('score_runs')
        .set({ created_at: '2099-01-01T00:00:00.000Z' })
        .where('id', '=', ids[0]!)
        .execute();

      const seen: string[] = [];
      let after: string | null = null;
      do {
        const url: string = `/subjects/${subject.id}/score-runs?limit=1${after ? `&after=${after}` : ''}`;
        const page: { runs: { id: string }[]; next_cursor: string | null } = (await api('GET', url)).json();
        seen.push(...page.runs.map((r: { id: string }) => r.id));
        after = page.next_cursor;
      } while (after);
      expect(seen).toEqual([...ids.slice(1), ids[0]]);

      // A well-formed cursor that no page of this list gave is refused, not read as its end.
      const other = (await api('GET', '/subjects?partner_id=person-9')).json();
      const otherRun = (await api('GET', `/subjects/${other.id}/score-runs?limit=1`)).json().runs[0].id;
      for (const cursor of [otherRun, 'run_00000000000000000000000000']) {
        const res = await api('GET', `/subjects/${subject.id}/score-runs?after=${cursor}`);
        expect(res.statusCode, cursor).toBe(400);
        expect(res.json()).toMatchObject({
          field: 'after',
          detail: 'after must be the next_cursor of a previous page',
        });
      }
      const deliveries = await api('GET', '/webhook-deliveries?after=msg_00000000000000000000000000');
      expect(deliveries.statusCode).toBe(400);
      expect(deliveries.json()).toMatchObject({ field: 'after' });
    });

    it('finds a subject by the phone or email a request carried, stored encrypted and shown masked', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/deposit_score/',
        headers: { 'x-api-key': key },
        payload: {
          client_id: 'with-phone',
          phone_number: '+254 712 345 678',
          email: 'Jane@Example.com',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
          expectedDepositDay: 1,
          expectedDepositAmount: 10,
          deposits: [],
        },
      });
      expect(r.statusCode).toBe(200);
      const byPhone = await api('GET', `/subjects?phone=${encodeURIComponent('+254712345678')}`);
      expect(byPhone.statusCode).toBe(200);
      expect(byPhone.json()).toMatchObject({
        partner_id: 'with-phone',
        identifiers: [
          { kind: 'phone', masked: '+2547******78' },
          { kind: 'email', masked: 'j***@example.com' },
        ],
      });
      const byEmail = await api('GET', '/subjects?email=jane@example.com');
      expect(byEmail.json().id).toBe(byPhone.json().id);
      const stored = await t.ctx.database.db.selectFrom('subject_identifiers').selectAll().execute();
      expect(JSON.stringify(stored)).not.toMatch(/712345678|jane/i);
    });

    it('replays a POST with the same Idempotency-Key and body', async () => {
      const doc = { ...testScorecard('repayment_score'), name: 'Idempotent model' };
      const first = await api('POST', '/models', doc, { 'idempotency-key': 'upload-1' });
      expect(first.statusCode).toBe(201);
      const second = await api('POST', '/models', doc, { 'idempotency-key': 'upload-1' });
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json()).toEqual(first.json());
      const versions = (await api('GET', '/models?service=repayment_score'))
        .json()
        .models.filter((m: { name: string }) => m.name === 'Idempotent model');
      expect(versions).toHaveLength(1);
    });

    it('accepts the key in X-API-Key as well as Authorization: Bearer', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/models', headers: { 'x-api-key': key } });
      expect(res.statusCode).toBe(200);
    });
  });
}
