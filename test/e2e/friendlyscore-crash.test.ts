/**
 * Jobs survive a crash: load the real server with FriendlyScore calculations that send webhooks
 * to a slow receiver, SIGKILL it with jobs queued and running, restart it, and check that every
 * acknowledged calculation is scored exactly once and notified under a single webhook-id.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { type FakeNetworks, fakeConnectorEnv, startFakeNetworks } from '../helpers/fake-networks.js';
import { expectScoredOnceEach, fetchToken, waitUntilNotified } from '../helpers/friendlyscore.js';
import { startServer } from '../helpers/processes.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const body = (webhook: string) => ({
  access_tokens: { facebook: 'EAAB-token' },
  user_ip: '41.90.64.10',
  webhook,
});

for (const engine of ENGINES) {
  describe(`FriendlyScore jobs across a crash on ${engine}`, () => {
    const dbs: TestDatabase[] = [];
    const receivers: WebhookReceiver[] = [];
    let networks: FakeNetworks | undefined;
    afterAll(async () => {
      for (const r of receivers) await r.stop();
      await networks?.stop();
      for (const d of dbs) await d.drop();
    });

    it('scores every acknowledged request once and notifies it under one webhook-id', async () => {
      const db = await createTestDatabase(engine);
      dbs.push(db);
      const setup = await createContext(db.config);
      await setup.tenants.create('acme');
      const client = await setup.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      const secret = (await setup.webhooks.ensureSecret(client.tenantId, client.applicationId))!;
      await setup.close();

      const receiver = await new WebhookReceiver().start();
      receivers.push(receiver);
      // A slow receiver keeps webhook jobs running when the server dies.
      receiver.answers = Array.from({ length: 10_000 }, () => ({ status: 200, delayMs: 150 }));
      // The networks' stand-in confirms the access tokens, so that each calculation is scored.
      networks = await startFakeNetworks();
      const env = { ...db.env, ...fakeConnectorEnv(networks), CREDENCE_JOB_VISIBILITY_TIMEOUT: '2' };

      const server = await startServer(env);
      const token = await fetchToken(server.url, client);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      const acknowledged: string[] = [];
      let stop = false;
      let next = 0;
      const worker = async () => {
        // 150 requests: enough for jobs of every kind (connectors, score, webhook) to be queued and
        // running when the server dies, few enough that a backlog of new ones never delays the first.
        while (!stop && acknowledged.length < 150) {
          const id = `crash-${next++}`;
          try {
            const res = await fetch(
              `${server.url}/friendlyscore/api/v2/users/partner-id/${id}/calculate_score.json`,
              {
                method: 'POST',
                headers,
                body: JSON.stringify(body(receiver.url)),
              },
            );
            if (res.status === 200) acknowledged.push(id);
            else await res.text();
          } catch {
            return;
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      while (acknowledged.length < 150 || receiver.received.length < 5)
        await new Promise((r) => setTimeout(r, 10));
      server.child.kill('SIGKILL');
      await server.stop();
      stop = true;
      await Promise.all(workers);
      const beforeRestart = receiver.received.length;
      expect(beforeRestart).toBeLessThan(acknowledged.length);

      const again = await startServer(env);
      try {
        const calculated = await waitUntilNotified(receiver.received, secret, acknowledged, 60_000);
        // One webhook-id per request, however many times it was sent.
        for (const [id, ids] of calculated) expect(ids.size, id).toBe(1);
        for (const id of acknowledged.slice(0, 20)) {
          const res = await fetch(`${again.url}/friendlyscore/api/v2/get_score.json?partner_user_id=${id}`, {
            headers,
          });
          expect(res.status, id).toBe(200);
        }
      } finally {
        await again.stop();
      }

      const check = await createContext(db.config);
      try {
        await expectScoredOnceEach(check.database.db, acknowledged);
      } finally {
        await check.close();
      }
    }, 180_000);
  });
}
