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

  it('takes the default of an option given as undefined', async () => {
    const seen: string[] = [];
    const inProgress: typeof fetch = async (input) => {
      seen.push(String(input));
      return Response.json(
        { status: 'in_progress', customer_id: 'K9', request_id: 'r', message: '' },
        { status: 202 },
      );
    };
    const r = await new PredictorsClient({
      baseUrl,
      apiKey: f.serverKey,
      serverHash: f.serverHash,
      version: 1,
      environment: undefined,
      pollIntervalMs: 1,
      maxPolls: undefined,
      retryDelaysMs: undefined,
      fetch: inProgress,
    }).predictors('K9');
    expect(r.status).toBe('in_progress');
    // Production, not staging, and 30 polls, not endless ones.
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(new Set([`${baseUrl}/v2/risk/predictors`]));
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    let calls = 0;
    const down: typeof fetch = async () => {
      calls++;
      return new Response('busy', { status: 503 });
    };
    const controller = new AbortController();
    const call = client({ fetch: down, retryDelaysMs: [60_000, 60_000] }).predictors('K1', {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);
    // An abort during the request itself is not retried either.
    let attempts = 0;
    const hanging: typeof fetch = (_input, init) => {
      attempts++;
      return new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    };
    const again = new AbortController();
    const pending = client({ fetch: hanging }).predictors('K1', { signal: again.signal });
    setTimeout(() => again.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(attempts).toBe(1);
  });

  it('retries an attempt that took longer than timeoutMs', async () => {
    let attempts = 0;
    const slowThenFine: typeof fetch = (input, init) => {
      attempts++;
      if (attempts > 1) return fetch(input, init);
      return new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    };
    await t.ctx.queue.drain();
    const r = await client({ fetch: slowThenFine, timeoutMs: 50 }).predictors('K1');
    expect(r.status).toBe('complete');
    expect(attempts).toBe(2);
  });

  it('retries an attempt whose body stalls past timeoutMs', async () => {
    let attempts = 0;
    const stalling = http.createServer((_req, res) => {
      attempts++;
      res.writeHead(200, { 'content-type': 'application/json' });
      // The first answer sends its headers and then nothing; the second is whole.
      if (attempts > 1) res.end(JSON.stringify({ status: 'not_found', customer_id: 'K1' }));
      else res.write('{"status":');
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    try {
      const r = await client({ baseUrl: url, timeoutMs: 200 }).predictors('K1');
      expect(r.status).toBe('not_found');
      expect(attempts).toBe(2);
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  });

  it('throws a PredictorsError when a 200 answer is not JSON', async () => {
    const portal: typeof fetch = async () =>
      new Response('<html>Sign in to the Wi-Fi</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const err = await client({ fetch: portal })
      .predictors('K1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(PredictorsError);
    expect(err).toMatchObject({
      status: 200,
      message: 'HTTP 200',
      body: '<html>Sign in to the Wi-Fi</html>',
    });
  });
});
