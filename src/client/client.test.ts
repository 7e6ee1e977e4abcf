import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { type FinboxTenant, finboxTenant, sync } from '../../test/helpers/finbox.js';
import { PredictorsClient, PredictorsError } from './index.js';

const fast = { pollIntervalMs: 20, maxPolls: 500, retryDelaysMs: [10, 20] };

describe('PredictorsClient against the real server', () => {
  let t: TestApp;
  let f: FinboxTenant;
  let baseUrl: string;
  beforeAll(async () => {
    // The worker is stopped, so the first answer is in_progress until the test runs the job.
    t = await createTestApp('sqlite', { config: { finboxRateLimit: 1000 }, startWorkers: false });
    f = await finboxTenant(t, 'acme');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/finbox`;
  });
  afterAll(async () => t.close());

  const client = (o: Partial<ConstructorParameters<typeof PredictorsClient>[0]> = {}) =>
    new PredictorsClient({
      baseUrl,
      apiKey: f.serverKey,
      serverHash: f.serverHash,
      version: 1,
      environment: 'staging',
      ...fast,
      ...o,
    });

  it('polls through in_progress to complete', async () => {
    await sync(t, f.deviceKey, syntheticSync({ customerId: 'K1', now: Date.now(), sms: 40 }));
    let polls = 0;
    const counting: typeof fetch = async (...a) => {
      polls++;
      // Let featurization run once the client has seen in_progress.
      if (polls === 2) t.ctx.queue.start();
      return fetch(...a);
    };
    const r = await client({ fetch: counting }).predictors('K1');
    expect(r.status).toBe('complete');
    expect(polls).toBeGreaterThanOrEqual(2);
    if (r.status === 'complete') expect(r.data.find((p) => p.name === 'all_sms_count')?.value).toBe(40);
  });

  it('answers not_found, and throws the server message on a bad key', async () => {
    expect((await client().predictors('NOBODY')).status).toBe('not_found');
    await expect(client({ apiKey: 'wrong' }).predictors('K1')).rejects.toMatchObject({
      status: 403,
      message: 'Incorrect API Key',
    });
  });

  it('throws a PredictorsError with the status when an error answer is not JSON', async () => {
    const proxy: typeof fetch = async () =>
      new Response('<html><body>403 Forbidden</body></html>', {
        status: 403,
        headers: { 'content-type': 'text/html' },
      });
    const err = await client({ fetch: proxy })
      .predictors('K1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(PredictorsError);
    expect(err).toMatchObject({ status: 403, message: 'HTTP 403' });
  });

  it('retries a 5xx twice, then gives up with the last answer', async () => {
    let calls = 0;
    const flaky = http.createServer((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'error',
          message: 'Internal Server Error. Please retry. If issue persists, please contact support',
        }),
      );
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    try {
      const err = await client({ baseUrl: url })
        .predictors('K1')
        .catch((e) => e);
      expect(err).toBeInstanceOf(PredictorsError);
      expect(err.status).toBe(500);
      expect(calls).toBe(3);
    } finally {
      flaky.close();
    }
  });

  it('retries a 429 and succeeds when the budget frees up', async () => {
    let calls = 0;
    const limited: typeof fetch = async (...a) => {
      calls++;
      if (calls === 1)
        return new Response(JSON.stringify({ status: 'error', message: 'Rate limit exceeded' }), {
          status: 429,
        });
      return fetch(...a);
    };
    await t.ctx.queue.drain();
    const r = await client({ fetch: limited }).predictors('K1');
    expect(r.status).toBe('complete');
    expect(calls).toBe(2);
  });
});
