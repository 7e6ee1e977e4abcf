/** Subscribers, API consumers and tokens for the CAMARA Customer Insights tests. */
import type { TestApp } from './app.js';
import { assertConforms, type SpecVersion } from './camara-spec.js';

export const SCOPE = 'customer-insights:scoring:read';
export const CIBA = 'urn:openid:params:grant-type:ciba';

/** Subscribers of every kind the rules tell apart; dates are relative to 2026-11-21. */
export const SUBSCRIBERS = [
  {
    phone_number: '+254712345678',
    id_document: '12345678',
    subscription_type: 'postpaid',
    activation_date: '2019-03-01',
    features: {
      arpu: 25,
      bill_payment_delay_days: 0,
      late_bills_12m: 0,
      device_changes_12m: 1,
      sim_swaps_12m: 0,
    },
  },
  {
    phone_number: '+254722000111',
    id_document: 'A1234567',
    subscription_type: 'prepaid',
    activation_date: '2024-01-15',
    features: {
      arpu: 4,
      topup_amount_avg: 3,
      topup_regularity: 0.4,
      device_changes_12m: 3,
      sim_swaps_12m: 2,
    },
  },
  {
    phone_number: '+254733000222',
    id_document: 'B7654321',
    subscription_type: 'b2b',
    activation_date: '2018-05-01',
    features: { arpu: 80 },
  },
  {
    // Activated a month before the tests' clock: too little history.
    phone_number: '+254700999888',
    id_document: 'C5555555',
    subscription_type: 'prepaid',
    activation_date: '2026-10-20',
    features: { arpu: 10, topup_regularity: 1 },
  },
] as const;

export const POSTPAID = SUBSCRIBERS[0];
export const PREPAID = SUBSCRIBERS[1];
export const B2B = SUBSCRIBERS[2];
export const NEW_LINE = SUBSCRIBERS[3];

export interface Consumer {
  clientId: string;
  clientSecret: string;
}

/** A tenant with the subscribers loaded through the native API. */
export async function operatorWith(t: TestApp, tenant: string): Promise<{ tenantId: string; key: string }> {
  const op = await t.tenantWithKey(tenant);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/telco/subscribers',
    headers: { authorization: `Bearer ${op.key}` },
    payload: { subscribers: SUBSCRIBERS },
  });
  if (res.statusCode !== 201) throw new Error(`loading subscribers failed: ${res.body}`);
  return op;
}

export async function consumer(
  t: TestApp,
  tenant: string,
  o: { grants?: string[]; scopes?: string[]; idTokenAlg?: string } = {},
): Promise<Consumer> {
  const c = await t.ctx.oauthClients.create({
    tenant,
    grants: o.grants ?? ['client_credentials', CIBA],
    scopes: o.scopes ?? [SCOPE],
    idTokenAlg: o.idTokenAlg,
  });
  return { clientId: c.clientId, clientSecret: c.clientSecret };
}

const basic = (c: Consumer) => `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;

export async function twoLeggedToken(t: TestApp, c: Consumer, scope = SCOPE): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

export async function threeLeggedToken(t: TestApp, c: Consumer, phone: string, scope = `openid ${SCOPE}`) {
  const start = await t.app.inject({
    method: 'POST',
    url: '/oauth2/bc-authorize',
    headers: { authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ login_hint: `tel:${phone}`, scope }).toString(),
  });
  if (start.statusCode !== 200) throw new Error(`bc-authorize failed: ${start.body}`);
  const { auth_req_id } = start.json() as { auth_req_id: string };
  const res = await t.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: CIBA,
      auth_req_id,
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`CIBA token failed: ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

export { basic };

/**
 * Calls scoring/retrieve of `version` and checks the answer against that version's OpenAPI file
 * before handing it back: every response a test receives is validated.
 */
export async function retrieve(
  t: TestApp,
  version: SpecVersion,
  token: string | undefined,
  body: unknown = {},
  headers: Record<string, string> = {},
  method: 'POST' | 'GET' | 'PUT' | 'DELETE' = 'POST',
) {
  const res = await t.app.inject({
    method,
    url: `/customer-insights/${version}/scoring/retrieve`,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(method === 'POST' ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  assertConforms(version, res);
  return res;
}

export const VERSIONS: SpecVersion[] = ['v0.3rc1', 'v0.2'];
