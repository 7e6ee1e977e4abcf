import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';

const DAY = 86_400_000;

/** The test card with the training distribution a trained model records: half below 560, half above. */
function monitoredCard(name: string) {
  return {
    ...testScorecard(),
    name,
    metadata: {
      scoreDistribution: {
        source: 'training',
        bands: [
          { max: 560, share: 0.5 },
          { min: 560, share: 0.5 },
        ],
      },
    },
  };
}

for (const engine of ENGINES) {
  describe(`GET /api/v1/models/{id}/performance on ${engine}`, () => {
    let t: TestApp;
    let key: string;
    let tenantId: string;
    let champion: string;
    let challenger: string;
    const clock = new ManualClock('2024-01-10T09:00:00Z');
    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}`, 'x-api-key': key },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const performance = async (id: string, query = '') => {
      const res = await api('GET', `/api/v1/models/${id}/performance${query}`);
      expect(res.statusCode).toBe(200);
      return res.json();
    };

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      ({ key, tenantId } = await t.tenantWithKey('acme'));
      champion = (await t.ctx.models.add(tenantId, monitoredCard('Champion'), { source: 'upload' })).model.id;
      const card = monitoredCard('Challenger');
      card.scaling = { ...card.scaling, basePoints: 510 };
      challenger = (await t.ctx.models.add(tenantId, card, { source: 'upload' })).model.id;
      await t.ctx.models.activate(tenantId, champion, 'champion');
      await t.ctx.models.activate(tenantId, challenger, 'challenger');
      // Young applicants (age < 25: 10 points) score 500 + 10 + 15 + 12 = 537; older ones (40+) 567.
      for (let i = 0; i < 20; i++) {
        const young = i < 10;
        const res = await api('POST', '/cladfy/v1/demographic_score/', {
          client_id: `p-${i}`,
          age: young ? 22 : 45,
        });
        expect(res.json().score).toBe(young ? 537 : 567);
        clock.advance(60_000);
      }
      // Months later: most young ones defaulted, most older ones paid. p-19's outcome comes too late.
      // They are recorded once observed, the latest 400 days on.
      clock.advance(401 * DAY);
      const outcomes = Array.from({ length: 20 }, (_, i) => ({
        partner_id: `p-${i}`,
        loan_id: `L-${i}`,
        status: (i < 8 || i === 12 ? 'default' : i === 19 ? 'default' : 'paid') as string,
        observed_at: new Date(
          Date.parse('2024-01-10T09:00:00Z') + (i === 19 ? 400 : 120) * DAY,
        ).toISOString(),
      }));
      const recorded = await api('POST', '/api/v1/outcomes', { outcomes });
      expect(recorded.json()).toEqual({ stored: 20, duplicates: 0 });
      // One more run for p-0, later: performance judges the first.
      clock.advance(7 * DAY);
      await api('POST', '/cladfy/v1/demographic_score/', { client_id: 'p-0', age: 45 });
    });
    afterAll(async () => t?.close());

    it("joins the champion's runs with the outcomes observed in the window after each subject's first run", async () => {
      const p = await performance(champion);
      expect(p.model).toMatchObject({ id: champion, name: 'Champion' });
      expect(p.runs).toEqual({ champion: 21, challenger: 0 });
      expect(p.definition.window_days).toBe(365);
      expect(p.definition.bad).toContain('90 days past due');
      // p-19's default came after 400 days: outside the window, so unlabelled.
      expect(p).toMatchObject({ subjects: 20, bads: 9, goods: 10, unlabelled: 1 });
      // Bad rate by the training bands: all 10 young (537) below 560, 8 of them bad.
      expect(p.bands).toEqual([
        { min: null, max: 560, rows: 10, bads: 8, bad_rate: 0.8 },
        { min: 560, max: null, rows: 9, bads: 1, bad_rate: 1 / 9 },
      ]);
      // AUC: P(bad scores lower than good), ties counting one half.
      const pairs = 8 * 8 + 0.5 * (8 * 2 + 1 * 8) + 0;
      expect(p.discrimination.auc).toBeCloseTo(pairs / (9 * 10), 10);
      expect(p.discrimination.gini).toBeCloseTo(2 * p.discrimination.auc - 1, 10);
    });

    it('compares recent scores with the training distribution (PSI)', async () => {
      const p = await performance(champion, '?recent_days=500');
      // All 21 runs are in the last 500 days: 10 of 21 below 560, against 50 % in training.
      expect(p.stability.scores).toBe(21);
      const psi = p.stability.psi;
      const a = 10 / 21;
      const b = 11 / 21;
      expect(psi.total).toBeCloseTo((a - 0.5) * Math.log(a / 0.5) + (b - 0.5) * Math.log(b / 0.5), 10);
      expect(psi.verdict).toBe('stable');
      expect(psi.bands.map((x: { expected: number }) => x.expected)).toEqual([0.5, 0.5]);
    });

    it("reports the challenger's shadow scores the same way", async () => {
      const p = await performance(challenger);
      expect(p.runs).toEqual({ champion: 0, challenger: 21 });
      expect(p).toMatchObject({ subjects: 20, bads: 9, goods: 10 });
      // The challenger gives 10 more points to everyone: 547 and 577, the same bands.
      expect(p.bands.map((b: { rows: number }) => b.rows)).toEqual([10, 9]);
    });

    it('narrows the window and the period on request', async () => {
      const narrow = await performance(champion, '?window_days=30');
      expect(narrow).toMatchObject({ bads: 0, goods: 0, unlabelled: 20, discrimination: null });
      const none = await performance(champion, '?to=2024-01-01T00:00:00Z');
      expect(none).toMatchObject({ subjects: 0, runs: { champion: 0, challenger: 0 } });
      expect(none.stability).toMatchObject({ scores: 0, psi: null });
      expect(none.stability.note).toContain('no run in the last 30 days');
    });

    it('counts outcomes dated the day of the first run, a date without a time being its midnight', async () => {
      const other = await t.tenantWithKey('same-day');
      const card = (await t.ctx.models.add(other.tenantId, monitoredCard('Same day'), { source: 'upload' }))
        .model.id;
      await t.ctx.models.activate(other.tenantId, card, 'champion');
      const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
        t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${other.key}`, 'x-api-key': other.key },
          ...(payload ? { payload } : {}),
        });
      for (let i = 0; i < 4; i++)
        await as('POST', '/cladfy/v1/demographic_score/', { client_id: `d-${i}`, age: i < 2 ? 22 : 45 });
      const day = clock.now().toISOString().slice(0, 10);
      const outcomes = Array.from({ length: 4 }, (_, i) => ({
        partner_id: `d-${i}`,
        status: i < 2 ? 'default' : 'paid',
        observed_at: day,
      }));
      expect((await as('POST', '/api/v1/outcomes', { outcomes })).json()).toEqual({
        stored: 4,
        duplicates: 0,
      });
      const p = (await as('GET', `/api/v1/models/${card}/performance`)).json();
      expect(p).toMatchObject({ subjects: 4, bads: 2, goods: 2, unlabelled: 0 });
      expect(p.discrimination.auc).toBe(1);
    });

    it('refuses an outcome dated after today, allowing a day for time zones ahead of UTC', async () => {
      const ahead = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString().slice(0, 10);
      const post = (observed_at: string) =>
        api('POST', '/api/v1/outcomes', {
          outcomes: [
            { partner_id: 'p-1', status: 'paid', observed_at, external_id: `future-${observed_at}` },
          ],
        });
      const refused = await post(ahead(2));
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ field: 'outcomes[0].observed_at' });
      expect(refused.json().detail).toContain('is in the future');
      expect((await post(ahead(1))).statusCode).toBe(201);
    });

    it('says why there is no PSI for a model without a training distribution', async () => {
      const starter = (await api('GET', '/api/v1/models?service=deposit_score')).json().models[0].id;
      const p = await performance(starter);
      expect(p.stability.psi).toBeNull();
      expect(p.stability.note).toContain('no training score distribution');
    });
  });
}
