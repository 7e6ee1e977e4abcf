import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorFailure, ConnectorHttp, TokenRefused } from './http-client.js';

/** A network that drops the first `drops` connections without answering (by reset or by close). */
async function dropping(drops: number, how: 'reset' | 'close') {
  let seen = 0;
  const server = http.createServer((req, res) => {
    seen++;
    if (seen <= drops) {
      if (how === 'reset') req.socket.resetAndDestroy();
      else req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: '10158' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`,
    seen: () => seen,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const noRefusal = () => undefined;

describe('ConnectorHttp', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  for (const how of ['reset', 'close'] as const) {
    it(`tries again a connection the network ${how === 'reset' ? 'reset' : 'closed'} before answering`, async () => {
      const net = await dropping(1, how);
      stops.push(net.stop);
      const answer = await new ConnectorHttp({ timeoutMs: 2000, attempts: 3 }).call(net.url, {}, noRefusal);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ id: '10158' });
      expect(net.seen()).toBe(2);
    });
  }

  /** A network that answers 200 and then writes its body as `body` says. */
  async function answering(body: (res: http.ServerResponse) => void) {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      body(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stops.push(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
  }

  it('gives up an answer that goes on past 5 MiB as it arrives, without holding it', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const url = await answering((res) => {
      const more = () => {
        while (res.write(chunk)) sent += chunk.length;
        sent += chunk.length;
      };
      res.on('drain', more);
      more();
    });
    const call = new ConnectorHttp({ timeoutMs: 20_000, attempts: 1 }).call(url, {}, noRefusal);
    await expect(call).rejects.toThrow(`the answer is larger than ${5 * 1024 * 1024} bytes`);
    // The network was stopped soon after the limit, not read to the end of the time limit.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('holds the time limit over the body: one that stalls, and one that trickles', async () => {
    const stalled = await answering((res) => res.write('{"id":'));
    const trickle = await answering((res) => {
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    for (const url of [stalled, trickle]) {
      const started = Date.now();
      const call = new ConnectorHttp({ timeoutMs: 500, attempts: 2 }).call(url, {}, noRefusal);
      await expect(call).rejects.toThrow('no answer within 500 ms');
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('fails once every attempt was dropped, naming the host', async () => {
    const net = await dropping(10, 'reset');
    stops.push(net.stop);
    const call = new ConnectorHttp({ timeoutMs: 2000, attempts: 3 }).call(net.url, {}, noRefusal);
    await expect(call).rejects.toBeInstanceOf(ConnectorFailure);
    await expect(call).rejects.toThrow(/^cannot reach 127\.0\.0\.1:\d+: /);
    expect(net.seen()).toBe(3);
  });

  it('fails on a refused connection, naming its cause', async () => {
    const net = await dropping(0, 'reset');
    await net.stop();
    const call = new ConnectorHttp({ timeoutMs: 2000, attempts: 3 }).call(net.url, {}, noRefusal);
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
  });

  it("masks the request's credentials where the network quotes them", async () => {
    // A network that quotes the request back in its errors, as Google's tokeninfo does.
    const server = http.createServer((req, res) => {
      res.writeHead(req.url?.includes('refuse') ? 400 : 403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `Invalid Value ${req.url} for ${req.headers.authorization}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ConnectorHttp({ timeoutMs: 2000, attempts: 1 });
    const headers = { authorization: 'Bearer EAAB-secret+token/1' };
    const refused = client.call(`${base}/refuse?access_token=ya29.secret%2Ftoken`, { headers }, (a) =>
      a.status === 400 ? (a.body as { error: string }).error : undefined,
    );
    await expect(refused).rejects.toBeInstanceOf(TokenRefused);
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toBe('Invalid Value /refuse?access_token=*** for Bearer ***');
    const failed = await client
      .call(`${base}/x?key=ya29.secret%2Ftoken`, { headers }, noRefusal)
      .catch((e: Error) => e.message);
    expect(failed).toMatch(/^HTTP 403 /);
    expect(failed).not.toMatch(/secret/);
  });
});
