/** A FriendlyScore client for tests: an OAuth client, a token, and calls through app.inject(). */
import type { LooseJson } from '../fixtures/test-scorecard.js';
import type { TestApp } from './app.js';

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
