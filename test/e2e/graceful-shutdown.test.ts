/**
 * SIGTERM on the real server process: requests in flight are answered, new connections are
 * refused, the process exits 0, and a job still running after the grace period is released and
 * completes after the restart (not only once its lock expires); a request still unfinished when
 * the grace period is over does not hold the process.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { type FakeNetworks, fakeConnectorEnv, startFakeNetworks } from '../helpers/fake-networks.js';
import { fetchToken } from '../helpers/friendlyscore.js';
import { startServer } from '../helpers/processes.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/** A request whose body is sent in two halves: in flight until `finish` is called. */
function slowRequest(url: string, key: string, client: string) {
  const body = Buffer.from(JSON.stringify({ client_id: client, age: 35, phone_number: '+254712345678' }));
  const half = Math.floor(body.length / 2);
  const req = http.request(`${url}/cladfy/v1/demographic_score/`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-api-key': key },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, half));
  return { answer, finish: () => req.end(body.subarray(half)) };
}

/** Opens a new connection: resolves with the status, or with the error code when refused. */
function connect(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

const waitUntil = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

for (const engine of ENGINES) {
  describe(`graceful shutdown on ${engine}`, () => {
    let db: TestDatabase | undefined;
    const receiver = new WebhookReceiver();
    let networks: FakeNetworks | undefined;
    afterAll(async () => {
      await receiver.stop();
      await networks?.stop();
      await db?.drop();
    });

    it('finishes in-flight requests, refuses new connections, exits 0 and releases the running job', async () => {
      db = await createTestDatabase(engine);
      const setup = await createContext(db.config);
      await setup.tenants.create('acme');
      const { key } = await setup.apiKeys.create({ tenant: 'acme' });
      const client = await setup.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      await setup.close();
      await receiver.start();
      // The first delivery hangs (longer than the grace period, shorter than the webhook timeout).
      receiver.answers = [{ status: 200, delayMs: 8_000 }];
      // A job that is not released would wait for its lock to expire: longer than this test waits.
      // The networks' stand-in confirms the access token, so that the calculation is scored.
      networks = await startFakeNetworks();
      const env = {
        ...db.env,
        ...fakeConnectorEnv(networks),
        CREDENCE_SHUTDOWN_GRACE_SECONDS: '1',
        CREDENCE_JOB_VISIBILITY_TIMEOUT: '120',
      };

      const server = await startServer(env);
      const token = await fetchToken(server.url, client);
      const calc = await fetch(
        `${server.url}/friendlyscore/api/v2/users/partner-id/u-1/calculate_score.json`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            access_tokens: { facebook: 'EAAB-token' },
            user_ip: '41.90.64.10',
            webhook: receiver.url,
          }),
        },
      );
      expect(calc.status).toBe(200);
      // The webhook job is running: its request reached the receiver, which has not answered.
      await waitUntil('the webhook delivery', () => receiver.received.length === 1);

      const inFlight = [slowRequest(server.url, key, 'slow-1'), slowRequest(server.url, key, 'slow-2')];
      // Let the server read the requests' headers before the signal.
      await new Promise((r) => setTimeout(r, 500));
      const exited = server.stop('SIGTERM');

      await waitUntil(
        'new connections to be refused',
        async () => (await connect(server.url)) === 'ECONNREFUSED',
      );
      for (const r of inFlight) r.finish();
      for (const r of inFlight) {
        const a = await r.answer;
        expect(a.status, a.body).toBe(200);
        expect(JSON.parse(a.body)).toHaveProperty('score');
      }
      expect(await exited).toBe(0);
      expect(receiver.received).toHaveLength(1);

      // After the restart the released job is taken at once and delivers under the same webhook-id.
      const again = await startServer(env);
      try {
        await waitUntil('the delivery after the restart', () => receiver.received.length === 2);
        expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
      } finally {
        expect(await again.stop()).toBe(0);
      }
      const check = await createContext(db.config);
      try {
        const deliveries = await check.database.db.selectFrom('webhook_deliveries').selectAll().execute();
        expect(deliveries.map((d) => d.status)).toEqual(['delivered']);
        const runs = await check.database.db.selectFrom('score_runs').select('id').execute();
        expect(runs).toHaveLength(3);
      } finally {
        await check.close();
      }
    }, 90_000);

    it('does not wait past the grace period for a request whose body never comes', async () => {
      const own = await createTestDatabase(engine);
      const setup = await createContext(own.config);
      await setup.tenants.create('acme');
      const { key } = await setup.apiKeys.create({ tenant: 'acme' });
      await setup.close();
      const server = await startServer({ ...own.env, CREDENCE_SHUTDOWN_GRACE_SECONDS: '1' });
      const stalled = slowRequest(server.url, key, 'stalled');
      const cut = stalled.answer.then(
        () => 'answered',
        (err: NodeJS.ErrnoException) => err.code ?? err.message,
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      // Before, the process waited for the client as long as it kept the connection open.
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await cut).toBe('ECONNRESET');
      await own.drop();
    }, 60_000);

    it.runIf(engine === 'postgres')(
      'exits 1 soon after the grace period when the database stops answering',
      async () => {
        const own = await createTestDatabase(engine);
        const setup = await createContext(own.config);
        await setup.tenants.create('acme');
        const { key } = await setup.apiKeys.create({ tenant: 'acme' });
        await setup.close();
        // The server reaches PostgreSQL through a relay that can go silent, as a frozen or
        // cut-off database does: connections stay open, and nothing comes back.
        const relay = await silenceableRelay(new URL(own.url));
        const viaRelay = new URL(own.url);
        viaRelay.host = `127.0.0.1:${relay.port}`;
        const server = await startServer({
          ...own.env,
          CREDENCE_DATABASE_URL: viaRelay.toString(),
          CREDENCE_SHUTDOWN_GRACE_SECONDS: '1',
        });
        let log = '';
        server.child.stdout!.on('data', (c: Buffer) => {
          log += c.toString();
        });
        try {
          const score = (client: string) =>
            fetch(`${server.url}/cladfy/v1/demographic_score/`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': key },
              body: JSON.stringify({ client_id: client, age: 35 }),
            });
          expect((await score('before')).status).toBe(200);
          relay.silence();
          const hung = score('during').then(
            (r) => r.status,
            () => 'cut',
          );
          await new Promise((r) => setTimeout(r, 300));
          const started = Date.now();
          // Before, the process waited for the database for as long as it stayed silent.
          expect(await server.stop('SIGTERM')).toBe(1);
          expect(Date.now() - started).toBeLessThan(20_000);
          expect(await hung).toBe('cut');
          expect(log).toMatch(/still closing 10 s after the grace period/);
        } finally {
          await relay.close();
          await own.drop();
        }
      },
      60_000,
    );
  });
}

/** A TCP relay to the database's host and port that `silence` turns into a black hole. */
async function silenceableRelay(target: URL) {
  const sockets = new Set<net.Socket>();
  let silent = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => silent || upstream.write(d));
    upstream.on('data', (d) => silent || client.write(d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    silence: () => {
      silent = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
