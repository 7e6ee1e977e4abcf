/** DeviceConnect test setup: a tenant with a device key and a finbox-server key. */

import { finboxSalt } from '../../src/domain/finbox/salt.js';
import type { SyncBody } from '../fixtures/device-sync.js';
import type { TestApp } from './app.js';

export interface FinboxTenant {
  tenantId: string;
  deviceKey: string;
  serverKey: string;
  serverHash: string;
  keyId: string;
  /** The client's webhook secret, made with the server key's webhook; null without one. */
  webhookSecret: string | null;
}

export async function finboxTenant(
  t: TestApp,
  name: string,
  o: { ipAllow?: string[]; webhookUrl?: string } = {},
): Promise<FinboxTenant> {
  const tenant = await t.ctx.tenants.create(name);
  const device = await t.ctx.apiKeys.create({ tenant: name, type: 'device' });
  const server = await t.ctx.device.finboxKeys.create({
    tenant: name,
    ipAllow: o.ipAllow,
    webhookUrl: o.webhookUrl,
  });
  return {
    tenantId: tenant.id,
    deviceKey: device.key,
    serverKey: server.key,
    serverHash: server.serverHash,
    keyId: server.id,
    webhookSecret: server.webhookSecret,
  };
}

export const sync = (t: TestApp, key: string, body: SyncBody | Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/device-sync',
    headers: { authorization: `Bearer ${key}` },
    payload: body,
  });

export function predictors(
  t: TestApp,
  f: Pick<FinboxTenant, 'serverKey' | 'serverHash'>,
  customerId: string,
  o: { version?: number; path?: string; query?: string; remoteAddress?: string; body?: unknown } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/finbox${o.path ?? '/v2/risk/predictors'}${o.query ?? ''}`,
    headers: { 'x-api-key': f.serverKey, 'content-type': 'application/json' },
    ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
    payload: o.body ?? {
      customer_id: customerId,
      version: o.version ?? 1,
      salt: finboxSalt(customerId, f.serverHash),
    },
  });
}
