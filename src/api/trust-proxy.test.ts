/**
 * Behind a reverse proxy, a key's IP allowlist is held against the client's address that the
 * proxy forwarded, when the proxy is one CREDENCE_TRUST_PROXY names; never against a header
 * anybody else sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';

describe('a key IP allowlist behind a reverse proxy', () => {
  let direct: TestApp;
  let proxied: TestApp;
  const keys = new Map<TestApp, string>();
  beforeAll(async () => {
    direct = await createTestApp('sqlite');
    proxied = await createTestApp('sqlite', { config: { trustProxy: ['127.0.0.1'] } });
    for (const t of [direct, proxied]) {
      await t.ctx.tenants.create('acme');
      keys.set(t, (await t.ctx.apiKeys.create({ tenant: 'acme', ipAllow: ['10.1.0.0/16'] })).key);
    }
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });
  const call = (t: TestApp, remoteAddress: string, forwardedFor?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/cladfy/v1/demographic_score/',
      headers: { 'x-api-key': keys.get(t)!, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      payload: { client_id: 'p-1', age: 40 },
      remoteAddress,
    });

  it('reads the forwarded address from a trusted proxy', async () => {
    expect((await call(proxied, '127.0.0.1', '10.1.2.3')).statusCode).toBe(200);
    expect((await call(proxied, '127.0.0.1', '192.0.2.1')).statusCode).toBe(403);
    // A chain: the nearest untrusted hop is the client.
    expect((await call(proxied, '127.0.0.1', '192.0.2.1, 10.1.2.3')).statusCode).toBe(200);
  });

  it('ignores the header from anyone else, and by default', async () => {
    expect((await call(proxied, '192.0.2.9', '10.1.2.3')).statusCode).toBe(403);
    expect((await call(direct, '127.0.0.1', '10.1.2.3')).statusCode).toBe(403);
    expect((await call(direct, '10.1.2.3')).statusCode).toBe(200);
  });
});
