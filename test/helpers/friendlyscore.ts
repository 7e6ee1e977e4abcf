/** A FriendlyScore client for tests: an OAuth client, a token, and calls through app.inject(). */
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';
import type { DatabaseEngine } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import type { LooseJson } from '../fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from './app.js';
import { fakeConnectorConfig, startFakeNetworks } from './fake-networks.js';
import type { Received } from './webhook-receiver.js';

export interface FsClient {
  clientId: string;
  clientSecret: string;
  webhookSecret: string | undefined;
  token: string;
  tenantId: string;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ statusCode: number; json: () => LooseJson; body: string; headers: Record<string, unknown> }>;
}

export const BASE = '/friendlyscore';

export async function fsClient(
  t: TestApp,
  tenant: string,
  o: { scopes?: string[]; create?: boolean } = {},
): Promise<FsClient> {
  if (o.create !== false) await t.ctx.tenants.create(tenant);
  const c = await t.ctx.oauthClients.create({ tenant, grants: ['client_credentials'], scopes: o.scopes });
  const webhookSecret = await t.ctx.webhooks.ensureSecret(c.tenantId, c.applicationId);
  const res = await t.app.inject({
    method: 'POST',
    url: `${BASE}/oauth/v2/token`,
    payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
  });
  if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
  const token = res.json().access_token as string;
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    webhookSecret,
    token,
    tenantId: c.tenantId,
    call: (method, path, body) =>
      t.app.inject({
        method,
        url: `${BASE}${path}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { payload: body as object } : {}),
      }) as never,
  };
}

/**
 * A test app whose data connectors read the local stand-in of the networks (fake-networks.ts),
 * which confirms every token but those it is told to refuse (`revoked`, `invalid`, ...). A network
 * counts in the score only once its connector confirmed the token; stopped with the app.
 */
export async function createConnectedTestApp(
  engine: DatabaseEngine,
  options: Parameters<typeof createTestApp>[1] = {},
): Promise<TestApp> {
  const fake = await startFakeNetworks();
  const t = await createTestApp(engine, {
    ...options,
    config: { connectors: fakeConnectorConfig(fake), ...options.config },
  });
  return {
    ...t,
    async close() {
      await t.close();
      await fake.stop();
    },
  };
}

export const calculateBody = (o: Record<string, unknown> = {}) => ({
  access_tokens: { facebook: 'EAAB-test-token', linkedin: 'AQX-test-token' },
  user_ip: '41.90.64.10',
  user_agent: JSON.stringify({
    os: 'Android 13',
    browser: 'Chrome 120',
    mobile: true,
    screenSize: '412 x 915',
  }),
  ...o,
});

/** Polls get_score until it stops answering 202. */
export async function settledScore(c: FsClient, query: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.call('GET', `/api/v2/get_score.json?${query}`);
    if (res.statusCode !== 202) return res;
    if (Date.now() > until) throw new Error('the score was not calculated in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client-credentials token from the FriendlyScore token endpoint of a running server. */
export async function fetchToken(
  baseUrl: string,
  client: { clientId: string; clientSecret: string },
): Promise<string> {
  const res = await fetch(`${baseUrl}${BASE}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * The webhook ids under which each user's events arrived, every event's signature verified and
 * every event a `calculated` one.
 */
export function calculatedWebhookIds(
  received: readonly Received[],
  secret: string,
): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  const webhook = new Webhook(secret);
  for (const r of received) {
    const event = webhook.verify(r.body, r.headers as Record<string, string>) as {
      data: { partner_user_id: string; status: string };
    };
    expect(event.data.status).toBe('calculated');
    const ids = seen.get(event.data.partner_user_id) ?? new Set();
    ids.add(String(r.headers['webhook-id']));
    seen.set(event.data.partner_user_id, ids);
  }
  return seen;
}

/**
 * Waits until every acknowledged user was notified, and returns `calculatedWebhookIds`. Each poll
 * verifies the events once: the fake networks answer from this same process, and a slow check
 * would keep them from answering the server's connectors in time.
 */
export async function waitUntilNotified(
  received: readonly Received[],
  secret: string,
  acknowledged: readonly string[],
  timeoutMs: number,
): Promise<Map<string, Set<string>>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen = calculatedWebhookIds(received, secret);
    if (acknowledged.every((id) => seen.has(id))) return seen;
    if (Date.now() > until) throw new Error('not every acknowledged request was notified');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every acknowledged user scored exactly once, and nobody scored more than once. */
export async function expectScoredOnceEach(db: Kysely<Database>, acknowledged: Iterable<string>) {
  const runs = await db
    .selectFrom('score_runs')
    .innerJoin('subjects', 'subjects.id', 'score_runs.subject_id')
    .select(['subjects.partner_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('subjects.partner_id')
    .execute();
  const count = new Map(runs.map((r) => [r.partner_id, Number(r.n)]));
  for (const id of acknowledged) expect(count.get(id), id).toBe(1);
  for (const [id, n] of count) expect(n, id).toBe(1);
}
