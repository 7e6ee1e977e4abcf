import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { finboxTenant } from '../../test/helpers/finbox.js';
import { SYNC_BODY_LIMIT } from './device/plugin.js';

describe('a body over its route limit', () => {
  let t: TestApp;
  let deviceKey: string;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    deviceKey = (await finboxTenant(t, 'acme')).deviceKey;
    key = await t.key('acme');
  });
  afterAll(async () => t.close());

  const tooLarge = (bytes: number) => JSON.stringify({ customer_id: 'C1', padding: 'x'.repeat(bytes) });

  it('is refused naming the limit of that route: 32 MiB for device sync', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/device-sync',
      headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'application/json' },
      payload: tooLarge(SYNC_BODY_LIMIT),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe('request body is larger than the 32 MiB limit');
  });

  it('and 1 MiB for the other routes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/device-score',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: tooLarge(1024 * 1024),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe('request body is larger than the 1 MiB limit');
  });
});
