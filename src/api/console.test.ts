import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { CONSOLE_DIR, CONSOLE_HEADERS } from './console.js';

const built = fs.existsSync(path.join(CONSOLE_DIR, 'index.html'));

describe.skipIf(!built)('the console is served with headers that protect the admin key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('on its page and on its assets', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = await t.app.inject({ method: 'GET', url: script! });
    expect(asset.statusCode).toBe(200);
    for (const res of [page, asset]) {
      expect(res.headers['content-security-policy']).toBe(CONSOLE_HEADERS['content-security-policy']);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('keeps its content-hashed assets for good and asks for its page again', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/console/' });
    expect(page.headers['cache-control']).toBe('public, max-age=0');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    const asset = await t.app.inject({ method: 'GET', url: script! });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('and on nothing else', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBeUndefined();
  });
});
