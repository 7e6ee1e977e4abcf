/**
 * While the server closes, a request that arrives on a connection already open (kept alive, or
 * pipelined behind one in flight) is answered as any other, with `Connection: close`, and its run
 * is kept: not Fastify's own 503 body, which no dialect speaks.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { buildApp } from '../app.js';

/** Every HTTP response in a connection's bytes: status, headers and body. */
function responses(text: string): { status: number; headers: Record<string, string>; body: string }[] {
  const out = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length']);
    out.push({
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: rest.slice(end + 4, end + 4 + length),
    });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

for (const engine of ENGINES) {
  describe(`closing the server on ${engine}`, () => {
    it('answers a request pipelined behind one in flight, and keeps both runs', async () => {
      const t = await createTestApp(engine);
      const { key } = await t.tenantWithKey('acme');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;
      const request = (client: string) => {
        const body = JSON.stringify({ client_id: client, age: 30 });
        return (
          'POST /cladfy/v1/demographic_score/ HTTP/1.1\r\nHost: localhost\r\n' +
          `Content-Type: application/json\r\nX-API-Key: ${key}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        );
      };
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      const ended = new Promise((resolve) => socket.on('close', resolve));
      await new Promise((resolve) => socket.on('connect', resolve));
      // The first request is in flight (half its body sent) when the server starts to close.
      const first = request('in-flight');
      const half = first.length - 10;
      socket.write(first.slice(0, half));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closed = t.app.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.write(first.slice(half) + request('pipelined'));
      await ended;
      await closed;

      const [a, b] = responses(received);
      expect(a?.status).toBe(200);
      expect(b?.status).toBe(200);
      expect(b?.headers.connection).toBe('close');
      expect(JSON.parse(b!.body)).toMatchObject({ client_id: 'pipelined', max_score: 597 });

      // Both runs were committed before the database closed.
      const again = await buildApp(t.db.config, { logger: false, startWorkers: false });
      try {
        for (const client of ['in-flight', 'pipelined']) {
          const res = await again.inject({
            method: 'GET',
            url: `/cladfy/v1/client_data/?client_id=${client}&service=demographic_score`,
            headers: { 'x-api-key': key },
          });
          expect(res.statusCode).toBe(200);
          expect(res.json()).toHaveLength(1);
          expect(res.json()[0].results.client_id).toBe(client);
        }
      } finally {
        await again.close();
        await t.db.drop();
      }
    });
  });
}
