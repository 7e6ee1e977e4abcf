/**
 * Replicas on one PostgreSQL: three `credence serve` processes start together on a fresh schema
 * (they migrate once), take FriendlyScore calculations round-robin while a slow receiver keeps
 * webhook jobs running, and one of them is SIGKILLed mid-load. A `credence worker` takes its
 * place. Every acknowledged calculation must be scored once, every job complete, and every
 * request notified under one webhook-id (resent only as a retry of that same id).
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/databases.js';
import { type FakeNetworks, fakeConnectorEnv, startFakeNetworks } from '../helpers/fake-networks.js';
import { expectScoredOnceEach, fetchToken, waitUntilNotified } from '../helpers/friendlyscore.js';
import { type RunningServer, startServer, startWorker } from '../helpers/processes.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

describe.skipIf(!PG_URL)('three replicas on one PostgreSQL', () => {
  let db: TestDatabase;
  const running: RunningServer[] = [];
  const receiver = new WebhookReceiver();
  let networks: FakeNetworks | undefined;
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL');
    await receiver.stop();
    await networks?.stop();
    await db?.drop();
  });

  it('loses nothing acknowledged when one is killed, and sends each webhook under one id', async () => {
    db = await createTestDatabase('postgres');
    // The networks' stand-in confirms the access tokens, so that each calculation is scored.
    networks = await startFakeNetworks();
    const env = { ...db.env, ...fakeConnectorEnv(networks), CREDENCE_JOB_VISIBILITY_TIMEOUT: '2' };
    // Started together on an empty schema: the migrations run under a lock, once.
    const replicas = await Promise.all([
      startServer(env),
      startServer(env),
      startServer(env, ['--no-worker']),
    ]);
    running.push(...replicas);

    const setup = await createContext(db.config);
    await setup.tenants.create('acme');
    const client = await setup.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
    const secret = (await setup.webhooks.ensureSecret(client.tenantId, client.applicationId))!;
    const { rows: migrations } = await sql<{
      n: number;
    }>`select count(*)::int as n from kysely_migration`.execute(setup.database.db);
    await setup.close();
    expect(migrations[0]!.n).toBeGreaterThan(0);

    await receiver.start();
    receiver.answers = Array.from({ length: 10_000 }, () => ({ status: 200, delayMs: 100 }));
    const token = await fetchToken(replicas[0]!.url, client);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const acknowledged: string[] = [];
    const alive = new Set(replicas);
    let stop = false;
    let next = 0;
    const client_ = async (n: number) => {
      while (!stop) {
        const targets = [...alive];
        const target = targets[n++ % targets.length]!;
        const id = `rep-${next++}`;
        try {
          const res = await fetch(
            `${target.url}/friendlyscore/api/v2/users/partner-id/${id}/calculate_score.json`,
            {
              method: 'POST',
              headers,
              body: JSON.stringify({
                access_tokens: { facebook: 'EAAB-token' },
                user_ip: '41.90.64.10',
                webhook: receiver.url,
              }),
            },
          );
          if (res.status === 200) acknowledged.push(id);
          else await res.text();
        } catch {
          // The killed replica's connections fail: nothing was acknowledged on them.
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, i) => client_(i));
    while (acknowledged.length < 120 || receiver.received.length < 10)
      await new Promise((r) => setTimeout(r, 10));
    const victim = replicas[0]!;
    alive.delete(victim);
    await victim.stop('SIGKILL');
    const worker = await startWorker(env);
    running.push(worker);
    while (acknowledged.length < 240) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(clients);

    const notified = await waitUntilNotified(receiver.received, secret, acknowledged, 90_000);
    for (const [id, ids] of notified) expect(ids.size, id).toBe(1);
    // A webhook-id arrives more than once only when the killed replica was sending it.
    const byId = new Map<string, number>();
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id']);
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    const resent = [...byId.values()].filter((n) => n > 1).length;
    expect(resent).toBeLessThanOrEqual(32 + 8);

    const check = await createContext(db.config);
    try {
      const until2 = Date.now() + 30_000;
      while ((await check.queue.stats()).some((s) => s.queued + s.running > 0)) {
        if (Date.now() > until2) throw new Error('jobs are still waiting');
        await new Promise((r) => setTimeout(r, 100));
      }
      await expectScoredOnceEach(check.database.db, acknowledged);
      const requests = await check.database.db.selectFrom('score_requests').select('status').execute();
      expect(new Set(requests.map((r) => r.status))).toEqual(new Set(['scored']));
      const { rows: failed } = await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(
        `${new URL(db.url).searchParams.get('options')!.split('=')[1]}_pgboss`,
      )}.job where state = 'failed'`.execute(check.database.db);
      expect(failed[0]!.n).toBe(0);
    } finally {
      await check.close();
    }
  }, 180_000);
});
