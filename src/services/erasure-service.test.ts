import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { PEOPLE, partnerWith, request, type TestPartner, tdCall } from '../../test/helpers/td.js';

for (const engine of ENGINES) {
  describe(`erasure on ${engine}: credit-indicator calls and the consortium`, () => {
    let t: TestApp;
    let acme: TestPartner;
    let other: TestPartner;
    let apiKey: string;

    beforeAll(async () => {
      t = await createTestApp(engine);
      const packages = [{ name: 'credit_rating_estimation' }, { name: 'multiplatform_multi' }];
      acme = await partnerWith(t, 'acme', { countries: ['MX'], packages, balance: '100' });
      other = await partnerWith(t, 'other-lender', { countries: ['MX'], packages, balance: '100' });
      await t.ctx.consortium.join('acme');
      await t.ctx.consortium.join('other-lender');
      apiKey = await t.key('acme');
    });
    afterAll(async () => t?.close());

    /** The ledger's row of a call, checked to hold neither the person nor a replayable answer. */
    const detachedCall = async (sequenceId: string) => {
      const row = await t.ctx.database.db
        .selectFrom('partner_calls')
        .selectAll()
        .where('sequence_id', '=', sequenceId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        subject_id: null,
        response: null,
        request_hash: null,
        idempotency_key: null,
        id_hash: null,
        phone_hash: null,
      });
      return row;
    };

    it("forgets the person in acme's calls and consortium records, and nowhere else", async () => {
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': apiKey },
        payload: { client_id: 'erase-me', age: 33, id_number: PEOPLE.MX.id_number },
      });
      expect(scored.statusCode).toBe(200);
      const person = request('MX', 'credit_rating_estimation', { app_name: 'CashNow' });
      const call = await tdCall(t, acme, person, { 'idempotency-key': 'k-1' });
      expect(call.json().code).toBe(200);
      // The same person applies on another lender's platform: that record is not acme's to erase.
      expect((await tdCall(t, other, { ...person, app_name: 'Quick Loan' })).json().code).toBe(200);
      // acme also reports an application for the person through the native API, without a call.
      const reported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: {
          external_id: 'app-1',
          country: 'MX',
          national_id: PEOPLE.MX.id_number,
          app_name: 'CashNow',
          status: 'approved',
        },
      });
      expect(reported.statusCode).toBe(201);
      const db = t.ctx.database.db;
      const applicationsOf = async (tenantId: string) =>
        (
          await db
            .selectFrom('consortium_applications')
            .selectAll()
            .where('platform_id', '=', tenantId)
            .execute()
        ).length;
      expect(await applicationsOf(acme.tenantId)).toBe(2);
      expect(await applicationsOf(other.tenantId)).toBe(1);

      const subject = await t.ctx.history.subjectByPartnerId(
        {
          tenantId: acme.tenantId,
          clientId: 'test',
          credentialId: 'test',
          credentialType: 'api_key',
          scopes: ['*'],
        },
        'erase-me',
      );
      const result = await t.ctx.erasure.erase(
        acme.tenantId,
        { id: subject.id, partnerId: 'erase-me' },
        { actor: 'test', via: 'test' },
      );
      expect(result).toMatchObject({ consortiumApplications: 2, indicatorCallsDetached: 1 });

      expect(await applicationsOf(acme.tenantId)).toBe(0);
      expect(await applicationsOf(other.tenantId)).toBe(1);
      // The ledger keeps the charged call, without the person or the answer kept for a replay.
      const kept = await detachedCall(call.json().sequence_id);
      expect(kept.code).toBe(200);
      expect(Number(kept.charged)).toBeGreaterThanOrEqual(0);
      // With no answer left to replay, the call's key is free: a retry with it is a new call,
      // about a person the tenant no longer knows.
      const again = await tdCall(t, acme, person, { 'idempotency-key': 'k-1' });
      expect(again.json()).toMatchObject({ code: 200, message: 'Success' });
      expect(again.json().sequence_id).not.toBe(call.json().sequence_id);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      for (const d of again.json().data) expect(d.indicator_status).toBe(201);
    });

    it('erases through DELETE /api/v1/subjects/{id}, for its own tenant and with its scope only', async () => {
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': apiKey },
        payload: { client_id: 'erase-native', age: 40, phone_number: '+525512345678' },
      });
      expect(scored.statusCode).toBe(200);
      const found = await t.app.inject({
        url: '/api/v1/subjects?partner_id=erase-native',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const id = found.json().id as string;
      const del = (key: string) =>
        t.app.inject({
          method: 'DELETE',
          url: `/api/v1/subjects/${id}`,
          headers: { authorization: `Bearer ${key}` },
        });

      const otherTenant = await t.key('other-lender');
      expect((await del(otherTenant)).statusCode).toBe(404);
      const readOnly = await t.key('acme', ['subjects:read']);
      expect((await del(readOnly)).statusCode).toBe(403);

      const res = await del(apiKey);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ subject_id: id, erased: { score_runs: 1, identifiers: 1 } });
      const gone = await t.app.inject({
        url: `/api/v1/subjects/${id}`,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(gone.statusCode).toBe(404);
      expect((await del(apiKey)).statusCode).toBe(404);
      const audited = await t.ctx.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'subject.erase')
        .where('target_id', '=', id)
        .execute();
      expect(audited).toHaveLength(1);
      expect(JSON.stringify(audited[0])).not.toContain('erase-native');
      expect(JSON.stringify(audited[0])).not.toContain('5512345678');
    });

    it('erases a person once when asked several times at the same moment: one 200, the rest 404, one audit entry', async () => {
      const score = (age: number) =>
        t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': apiKey },
          payload: { client_id: 'erase-race', age },
        });
      for (const age of [30, 31, 32]) expect((await score(age)).statusCode).toBe(200);
      const found = await t.app.inject({
        url: '/api/v1/subjects?partner_id=erase-race',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const id = found.json().id as string;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.app.inject({
            method: 'DELETE',
            url: `/api/v1/subjects/${id}`,
            headers: { authorization: `Bearer ${apiKey}` },
          }),
        ),
      );
      const done = answers.filter((a) => a.statusCode === 200);
      expect(done).toHaveLength(1);
      expect(done[0]!.json().erased).toMatchObject({ score_runs: 3 });
      expect(answers.filter((a) => a.statusCode === 404)).toHaveLength(5);
      const audited = await t.ctx.database.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'subject.erase')
        .where('target_id', '=', id)
        .execute();
      expect(audited).toHaveLength(1);
    });

    /** Scores a client through Cladfy, which makes them a subject, then erases that subject. */
    const scoreThenErase = async (payload: { client_id: string } & Record<string, unknown>) => {
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': apiKey },
        payload,
      });
      expect(scored.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${apiKey}` };
      const subject = (
        await t.app.inject({ url: `/api/v1/subjects?partner_id=${payload.client_id}`, headers })
      ).json();
      return t.app.inject({ method: 'DELETE', url: `/api/v1/subjects/${subject.id}`, headers });
    };

    it('detaches a call made before the person was a subject, found through their consortium record', async () => {
      // A person of their own, whom no other test calls about.
      const ids = { id_number: 'GOXA850412MDFRRN06', phone_number: '5587654321' };
      const person = request('MX', 'credit_rating_estimation', {
        ...ids,
        app_name: 'CashNow',
        name: 'Early Caller',
      });
      const call = await tdCall(t, acme, person, { 'idempotency-key': 'k-early' });
      expect(call.json().code).toBe(200);
      const erased = await scoreThenErase({ client_id: 'erase-later', age: 41, id_number: ids.id_number });
      expect(erased.statusCode).toBe(200);
      expect(erased.json()).toMatchObject({
        erased: { consortium_applications: 1 },
        indicator_calls_detached: 1,
      });
      await detachedCall(call.json().sequence_id);
      // Nothing said about the person is replayed, and the key no longer pins their request.
      const again = await tdCall(
        t,
        acme,
        { ...person, name: 'Someone Else' },
        { 'idempotency-key': 'k-early' },
      );
      expect(again.json()).toMatchObject({ code: 200 });
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.json().sequence_id).not.toBe(call.json().sequence_id);
    });

    it('detaches a call made before the person was a subject that recorded no application', async () => {
      // Without an app name the call shares nothing with the consortium: only its own hashes of
      // the person tie its kept answer to the subject made later.
      const ids = { id_number: 'LOMA900115HDFPRR00', phone_number: '5511223344' };
      const person = request('MX', 'credit_rating_estimation', { ...ids, name: 'Unrecorded Caller' });
      const call = await tdCall(t, acme, person, { 'idempotency-key': 'k-unrecorded' });
      expect(call.json().code).toBe(200);
      const other = request('MX', 'credit_rating_estimation', {
        id_number: 'ROSA880220MDFSNN06',
        phone_number: '5599887766',
        name: 'Someone Kept',
      });
      const unrelated = await tdCall(t, acme, other, { 'idempotency-key': 'k-unrelated' });
      expect(unrelated.json().code).toBe(200);
      const erased = await scoreThenErase({
        client_id: 'erase-unrecorded',
        age: 38,
        phone_number: '+525511223344',
      });
      expect(erased.json()).toMatchObject({ indicator_calls_detached: 1 });
      await detachedCall(call.json().sequence_id);
      const again = await tdCall(t, acme, person, { 'idempotency-key': 'k-unrecorded' });
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.json().sequence_id).not.toBe(call.json().sequence_id);
      // Another person's kept answer stays.
      const kept = await tdCall(t, acme, other, { 'idempotency-key': 'k-unrelated' });
      expect(kept.headers['idempotent-replayed']).toBe('true');
    });

    it('erases the kept answers to idempotent requests about the subject, and no others', async () => {
      const native = (method: 'POST' | 'DELETE', url: string, payload?: object, key?: string) =>
        t.app.inject({
          method,
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${apiKey}`, ...(key ? { 'idempotency-key': key } : {}) },
          ...(payload ? { payload } : {}),
        });
      const subjectOf = async (partnerId: string) => {
        await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': apiKey },
          payload: { client_id: partnerId, age: 30 },
        });
        return (
          await t.app.inject({
            url: `/api/v1/subjects?partner_id=${partnerId}`,
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).json().id as string;
      };
      const erased = await subjectOf('erase-kept');
      const kept = await subjectOf('keep-kept');
      const profile = { full_name: 'Wanjiru Kamau', emails: ['wanjiru@example.com'], connections: 210 };
      const send = (id: string, key: string) =>
        native('POST', `/subjects/${id}/data/social/facebook`, profile, key);
      expect((await send(erased, 'profile-1')).statusCode).toBe(201);
      expect((await send(kept, 'profile-2')).statusCode).toBe(201);
      expect((await send(erased, 'profile-1')).headers['idempotent-replayed']).toBe('true');

      expect((await native('DELETE', `/subjects/${erased}`)).statusCode).toBe(200);
      // Retried with the same key, the request runs again and finds nobody: nothing is replayed.
      const retried = await send(erased, 'profile-1');
      expect(retried.statusCode).toBe(404);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(retried.body).not.toContain('Wanjiru');
      // Another person's kept answer is still replayed.
      const other = await send(kept, 'profile-2');
      expect(other.statusCode).toBe(201);
      expect(other.headers['idempotent-replayed']).toBe('true');
    });
  });
}
