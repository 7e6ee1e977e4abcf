import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`/api/v1/admin on ${engine}: what the console does`, () => {
    let t: TestApp;
    let auth: { authorization: string };
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: auth, ...(payload ? { payload } : {}) });
    const demographic = (key: string, remoteAddress = '127.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'p-9', age: 40 },
        remoteAddress,
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      auth = { authorization: `Bearer ${(await t.ctx.adminKeys.create()).key}` };
    });
    afterAll(async () => t?.close());

    it('creates tenants and clients and lists them', async () => {
      expect((await call('POST', '/tenants', { name: 'acme' })).statusCode).toBe(201);
      expect((await call('POST', '/tenants', { name: 'acme' })).statusCode).toBe(409);
      expect((await call('POST', '/tenants', { name: 'Not A Name' })).statusCode).toBe(400);
      expect((await call('POST', '/tenants/acme/clients', { name: 'mobile' })).statusCode).toBe(201);
      expect((await call('GET', '/tenants')).json().tenants.map((x: { name: string }) => x.name)).toEqual([
        'acme',
      ]);
      const clients = (await call('GET', '/tenants/acme/clients')).json().clients;
      expect(clients.map((c: { name: string }) => c.name).sort()).toEqual(['default', 'mobile']);
    });

    it('creates a tenant or a client asked for several times at the same moment once; the others are 409', async () => {
      const statuses = async (url: string, name: string) =>
        (await Promise.all(Array.from({ length: 8 }, () => call('POST', url, { name })))).map((r) => [
          r.statusCode,
          r.json().code,
        ]);
      const tenants = await statuses('/tenants', 'racing');
      expect(tenants.filter(([s]) => s === 201)).toHaveLength(1);
      expect(tenants.filter(([s]) => s !== 201)).toEqual(Array(7).fill([409, 'CREDENCE_CONFLICT']));
      const clients = await statuses('/tenants/racing/clients', 'app');
      expect(clients.filter(([s]) => s === 201)).toHaveLength(1);
      expect(clients.filter(([s]) => s !== 201)).toEqual(Array(7).fill([409, 'CREDENCE_CONFLICT']));
    });

    it('creates a key shown once, changes its scopes, and revokes it', async () => {
      const made = await call('POST', '/tenants/acme/keys', {
        name: 'backend',
        client: 'mobile',
        scopes: ['models:read'],
      });
      expect(made.statusCode).toBe(201);
      const key = made.json();
      expect(key.key).toMatch(/^crd_sk_/);
      const listed = (await call('GET', '/tenants/acme/keys')).json().keys;
      expect(listed).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(key.key);
      const models = () =>
        t.app.inject({
          method: 'GET',
          url: '/api/v1/models',
          headers: { authorization: `Bearer ${key.key}` },
        });
      expect((await models()).statusCode).toBe(200);
      expect((await demographic(key.key)).statusCode).toBe(403);
      const patched = await call('PATCH', `/keys/${key.id}`, { scopes: ['cladfy'] });
      expect(patched.json().scopes).toEqual(['cladfy']);
      expect((await demographic(key.key)).statusCode).toBe(200);
      expect((await models()).statusCode).toBe(403);
      const revoked = await call('POST', `/keys/${key.id}/revoke`);
      expect(revoked.json().revoked_at).not.toBeNull();
      expect((await demographic(key.key)).statusCode).toBe(401);
      expect((await call('PATCH', '/keys/key_nope', { scopes: ['*'] })).statusCode).toBe(404);
      expect((await call('PATCH', `/keys/${key.id}`, { scopes: ['NOT VALID'] })).statusCode).toBe(400);
      // An empty list is a mistake: read as "every scope", it would make the widest key there is.
      const none = await call('POST', '/tenants/acme/keys', { scopes: [] });
      expect(none.statusCode).toBe(400);
      expect(none.json().detail).toBe('scopes must name at least one scope, or * for every scope');
      const past = await call('POST', '/tenants/acme/keys', { expires_at: '2020-01-01T00:00:00Z' });
      expect(past.statusCode).toBe(400);
      expect(past.json().detail).toBe(
        '"2020-01-01T00:00:00Z" has already passed: a key must expire in the future',
      );
      // Emptying a narrow key's scopes would grant every scope: it must say * to mean that.
      const emptied = await call('PATCH', `/keys/${key.id}`, { scopes: [] });
      expect(emptied.statusCode).toBe(400);
      expect(emptied.json()).toMatchObject({ field: 'scopes' });
      // A misspelt field is refused, not ignored: without "scopes" the key would have every scope.
      const keysBefore = (await call('GET', '/tenants/acme/keys')).json().keys.length;
      const misspelt = await call('POST', '/tenants/acme/keys', { scope: ['models:read'] });
      expect(misspelt.statusCode).toBe(400);
      expect(misspelt.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'scope' });
      expect((await call('GET', '/tenants/acme/keys')).json().keys).toHaveLength(keysBefore);
      const tenantTypo = await call('POST', '/tenants', { name: 'beta', nmae: 'x' });
      expect(tenantTypo.statusCode).toBe(400);
      expect(tenantTypo.json()).toMatchObject({ field: 'nmae' });
    });

    it('holds a key to its IP allowlist and its rate limit', async () => {
      const key = (await call('POST', '/tenants/acme/keys', { ip_allow: ['10.1.0.0/16'] })).json();
      expect(key.ip_allow).toEqual(['10.1.0.0/16']);
      expect((await demographic(key.key, '10.1.2.3')).statusCode).toBe(200);
      const outside = await demographic(key.key, '192.0.2.1');
      expect(outside.statusCode).toBe(403);
      expect(outside.json().error).toContain('address');
      expect((await call('PATCH', `/keys/${key.id}`, { ip_allow: ['not-an-ip'] })).statusCode).toBe(400);
      await call('PATCH', `/keys/${key.id}`, { ip_allow: null, rate_limit: 2 });
      // Six calls at once against two a second: unless they straddle three windows, some are refused.
      const models = () =>
        t.app.inject({
          method: 'GET',
          url: '/api/v1/models',
          headers: { authorization: `Bearer ${key.key}` },
        });
      const answers = await Promise.all(Array.from({ length: 6 }, models));
      const codes = answers.map((r) => r.statusCode);
      expect(codes).toContain(429);
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(2);
      expect(answers.find((r) => r.statusCode === 429)!.json().code).toBe('CREDENCE_RATE_LIMITED');
      // Cladfy answers the same limit with 429 in its own {"error": ...} shape, with Retry-After.
      const cladfy = await Promise.all(Array.from({ length: 6 }, () => demographic(key.key)));
      const refused = cladfy.find((r) => r.statusCode !== 200)!;
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toContain('rate limit exceeded');
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await call('PATCH', `/keys/${key.id}`, { rate_limit: 0 })).statusCode).toBe(400);
    });

    it("shows a subject's runs with reason codes, its data sources without their content, and model performance", async () => {
      const key = (await call('POST', '/tenants/acme/keys', {})).json().key;
      expect((await demographic(key)).statusCode).toBe(200);
      const subject = (await call('GET', '/tenants/acme/subjects?partner_id=p-9')).json();
      const runs = (await call('GET', `/tenants/acme/subjects/${subject.id}/score-runs`)).json().runs;
      expect(runs.length).toBeGreaterThan(0);
      expect(runs[0].result.scorecard.reasons[0]).toHaveProperty('description');
      const sources = await call('GET', `/tenants/acme/subjects/${subject.id}/data-sources`);
      expect(sources.statusCode).toBe(200);
      expect(Array.isArray(sources.json().records)).toBe(true);
      const models = (await call('GET', '/tenants/acme/models')).json().models;
      const champion = models.find(
        (m: { roles: string[]; service: string }) =>
          m.service === 'demographic_score' && m.roles.includes('champion'),
      );
      const perf = (await call('GET', `/tenants/acme/models/${champion.id}/performance`)).json();
      expect(perf.runs.champion).toBeGreaterThan(0);
      expect(perf).toHaveProperty('roc');
      expect(perf).toHaveProperty('stability');
      const deliveries = await call('GET', '/tenants/acme/webhook-deliveries');
      expect(deliveries.json().deliveries).toEqual([]);
      expect((await call('POST', '/tenants/acme/webhook-deliveries/msg_nope/replay')).statusCode).toBe(404);
    });
  });
}
