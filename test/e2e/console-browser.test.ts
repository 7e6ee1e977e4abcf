/**
 * The console as an operator uses it, in a real headless Chromium: sign in with an admin key,
 * load every page without a console error, create a key (and use it), find a subject and see
 * its score history chart and reason codes. CI installs Chromium and must run this (CI=true
 * makes a missing browser a failure); on a laptop without one it is skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR } from '../../src/api/console.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ROOT } from '../helpers/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if (!available && !inCi) console.warn(`Skipping the console browser test: ${CHROMIUM} is not installed.`);

const PAGES = ['tenants', 'keys', 'subjects', 'models', 'webhooks'];

describe.skipIf(!available && !inCi)('the web console in headless Chromium', () => {
  let browser: Browser;
  let t: TestApp;
  let base: string;
  let adminKey: string;
  let page: Page;
  const errors: string[] = [];

  /**
   * Picks a tenant in the header and waits for the page drawn for it: until then the page of the
   * tenant before is still on screen, and a form filled in there would be replaced.
   */
  const pickTenant = async (name: string) => {
    await page.selectOption('[data-testid=tenant-picker]', name);
    await page.locator('#app[aria-busy=false]').waitFor();
    expect(await page.locator('[data-testid=tenant-picker]').inputValue()).toBe(name);
  };

  /** Opens the Subjects page of a tenant and looks a subject up by partner id. */
  const findSubject = async (tenant: string, partnerId: string) => {
    await page.goto(`${base}/console/#/subjects`, { waitUntil: 'load' });
    await pickTenant(tenant);
    await page.locator('[data-testid=find-subject]').waitFor();
    await page.selectOption('[data-testid=find-subject] select[name=by]', 'partner_id');
    await page.fill('[data-testid=find-subject] input[name=value]', partnerId);
    await page.click('[data-testid=find-subject] button[type=submit]');
  };

  beforeAll(async () => {
    if (!available)
      throw new Error(`CI must run the browser test, but ${CHROMIUM} is missing: install chromium`);
    // npm install builds the console; build it here too when this checkout skipped install scripts.
    if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html')))
      execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'ignore' });
    t = await createTestApp('sqlite');
    const acme = await t.tenantWithKey('acme');
    await t.tenantWithKey('globex');
    adminKey = (await t.ctx.adminKeys.create('console test')).key;
    for (const age of [25, 45]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': acme.key },
        payload: {
          client_id: 'p-1',
          age,
          location: 'city',
          customer_tier: 'tier_2',
          marital_status: 'married',
        },
      });
      expect(res.statusCode).toBe(200);
    }
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a wrong key and signs in with an admin key', async () => {
    await page.goto(`${base}/console`, { waitUntil: 'load' });
    await page.fill('input[name=key]', 'crd_ak_not-a-key');
    await page.click('button[type=submit]');
    await page.getByText('That admin key was not accepted.').waitFor();
    // The browser logs the refused request itself (401); that one is expected.
    errors.length = 0;
    await page.fill('input[name=key]', adminKey);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=tenants]').waitFor();
    expect(await page.locator('[data-testid=tenants] tbody tr').count()).toBe(2);
  });

  it('loads every page with no error', async () => {
    for (const id of PAGES) {
      await page.goto(`${base}/console/#/${id}`, { waitUntil: 'load' });
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const alerts = await page.locator('main [role=alert]:visible').allTextContents();
      expect(alerts, id).toEqual([]);
    }
    expect(errors).toEqual([]);
  });

  it('creates a key that works at once, and shows it only once', async () => {
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('acme');
    await page.locator('[data-testid=create-key]').waitFor();
    // The form can show before the tenant's keys have loaded: count them once the table has.
    const before = (await t.ctx.apiKeys.list('acme')).length;
    expect(before).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=keys] tbody tr').count()).toBe(before);
    await page.fill('[data-testid=create-key] input[name=name]', 'from-console');
    await page.fill('[data-testid=create-key] input[name=scopes]', 'cladfy');
    await page.click('[data-testid=create-key] button[type=submit]');
    const secret = (await page.locator('[data-testid=secret]').textContent())!.trim();
    expect(secret).toMatch(/^crd_sk_/);
    await expect.poll(() => page.locator('[data-testid=keys] tbody tr').count()).toBe(before + 1);
    const keys = await t.ctx.apiKeys.list('acme');
    const made = keys.find((k) => k.name === 'from-console')!;
    expect(made.scopes).toEqual(['cladfy']);
    const use = await t.app.inject({
      method: 'GET',
      url: '/cladfy/v1/client_data/?client_id=p-1&service=demographic_score',
      headers: { 'x-api-key': secret },
    });
    expect(use.statusCode).toBe(200);
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=keys]').waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(errors).toEqual([]);
  });

  it('creates a key with every scope when the scopes field is left blank, as its placeholder says', async () => {
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('acme');
    await page.locator('[data-testid=create-key]').waitFor();
    await page.fill('[data-testid=create-key] input[name=name]', 'blank-scopes');
    await page.click('[data-testid=create-key] button[type=submit]');
    expect((await page.locator('[data-testid=secret]').textContent())!.trim()).toMatch(/^crd_sk_/);
    const made = (await t.ctx.apiKeys.list('acme')).find((k) => k.name === 'blank-scopes')!;
    expect(made.scopes).toEqual(['*']);
    expect(await page.locator('main [role=alert]:visible').allTextContents()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('offers each type of key only the options it takes', async () => {
    const device = await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device', name: 'sdk' });
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('acme');
    const names = (id: string) =>
      page
        .locator(`[data-testid=edit-${id}] input`)
        .evaluateAll((els) => els.map((e) => (e as unknown as { name: string }).name));
    const form = page.locator(`[data-testid=edit-${device.id}]`);
    await form.waitFor();
    // A device key takes only an IP allowlist; scopes or a rate limit would be refused.
    expect(await names(device.id)).toEqual(['ip_allow']);
    const server = (await t.ctx.apiKeys.list('acme')).find((k) => k.type === 'server')!;
    expect(await names(server.id)).toEqual(['scopes', 'ip_allow', 'rate_limit']);
    await form.locator('input[name=ip_allow]').fill('10.0.0.0/8');
    await form.locator('button[type=submit]').click();
    await expect
      .poll(async () => (await t.ctx.apiKeys.list('acme')).find((k) => k.id === device.id)?.ipAllow)
      .toEqual(['10.0.0.0/8']);
    expect(await page.locator('main [role=alert]:visible').allTextContents()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses a rate limit that is not a number instead of clearing the one the key has', async () => {
    const limited = await t.ctx.apiKeys.create({ tenant: 'acme', name: 'limited', rateLimit: 50 });
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('acme');
    const form = page.locator(`[data-testid=edit-${limited.id}]`);
    await form.locator('input[name=rate_limit]').fill('20/s');
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/admin/keys/${limited.id}`));
    await form.locator('button[type=submit]').click();
    expect((await answer).status()).toBe(400);
    await form.locator('[role=alert]', { hasText: 'rate_limit' }).waitFor();
    const kept = (await t.ctx.apiKeys.list('acme')).find((k) => k.id === limited.id);
    expect(kept?.rateLimit).toBe(50);
    // The browser logs the refused request itself (400); that one is expected.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('finds a subject by partner id and draws its score history', async () => {
    // The tenant list answers slowly here, so that the page drawn for the tenant before stays on
    // screen for a while after each change of tenant.
    const slowTenants = '**/api/v1/admin/tenants';
    await page.route(slowTenants, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await findSubject('acme', 'p-1');
    const chart = page.locator('svg#history-demographic_score');
    await chart.waitFor();
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await chart.locator('circle.point').count()).toBe(2);
    expect(await page.locator('[data-testid=last-result]').textContent()).toContain('demographic_score');
    expect(await page.locator('[data-testid=reasons] tbody tr').count()).toBeGreaterThan(0);
    // Another tenant has no such subject: the console says so instead of showing acme's.
    await pickTenant('globex');
    await page.locator('[data-testid=find-subject]').waitFor();
    await page.fill('[data-testid=find-subject] input[name=value]', 'p-1');
    await page.click('[data-testid=find-subject] button[type=submit]');
    await page.getByText('subject with partner id p-1 not found').waitFor();
    expect(await page.locator('svg#history-demographic_score').count()).toBe(0);
    await page.unroute(slowTenants);
  });

  it('shows the latest result and the whole history of a subject scored more than 500 times', async () => {
    // The API gives at most 500 runs a page, oldest first: the last result is on a later page.
    // The test before logs the 404 of the subject another tenant does not have; that one is expected.
    errors.length = 0;
    const acme = await t.key('acme');
    const score = (tier: string) =>
      t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': acme },
        payload: { client_id: 'p-many', age: 30, location: 'city', customer_tier: tier },
      });
    const earlier = (await score('tier_2')).json().score;
    for (let i = 1; i < 500; i++) expect((await score('tier_2')).statusCode).toBe(200);
    const latest = (await score('tier_1')).json().score;
    expect(latest).not.toBe(earlier);
    await findSubject('acme', 'p-many');
    const chart = page.locator('svg#history-demographic_score');
    await chart.waitFor();
    expect(await chart.locator('circle.point').count()).toBe(501);
    expect(await page.locator('[data-testid=last-result]').textContent()).toContain(`score ${latest} of`);
    expect(errors).toEqual([]);
  });

  it('says what a reverse proxy answered when it answers an error page instead of the API', async () => {
    const tenants = '**/api/v1/admin/tenants';
    await page.route(tenants, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' }),
    );
    await page.goto(`${base}/console/#/tenants`, { waitUntil: 'load' });
    await page.locator('[data-testid=unavailable]').waitFor();
    expect(await page.locator('[data-testid=unavailable] [role=alert]').textContent()).toBe(
      'The server answered 502: HTTP 502',
    );
    await page.unroute(tenants);
    await page.click('[data-testid=unavailable] button');
    await page.locator('[data-testid=tenants]').waitFor();
  });

  it('keeps the session while the server is away, and shows why an action failed', async () => {
    // The server restarting: the tenant list answers 503, then nothing at all.
    const tenants = '**/api/v1/admin/tenants';
    await page.route(tenants, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: '{"detail":"restarting"}',
      }),
    );
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await page.locator('[data-testid=unavailable]').waitFor();
    expect(await page.locator('[data-testid=unavailable] [role=alert]').textContent()).toBe(
      'The server answered 503: restarting',
    );
    await page.unroute(tenants);
    await page.route(tenants, (route) => route.abort('connectionrefused'));
    await page.click('[data-testid=unavailable] button');
    await page.getByText('The server cannot be reached.').waitFor();
    await page.unroute(tenants);
    // Back: the same session, no new sign-in.
    await page.click('[data-testid=unavailable] button');
    await pickTenant('acme');
    await page.locator('[data-testid=keys]').waitFor();

    // A revoke the server refuses says so beside its button.
    const revoke = '**/api/v1/admin/keys/*/revoke';
    await page.route(revoke, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: '{"detail":"the database is down"}',
      }),
    );
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid=keys] button', { hasText: 'Revoke' }).first().click();
    await page.getByText('the database is down').waitFor();
    await page.unroute(revoke);
    // The browser logs the refused and failed requests themselves; nothing else went wrong.
    expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });

  it('takes no input, keyboard included, on a page about to be replaced', async () => {
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('acme');
    // The other tenant's answers are slow: the page of acme stays on screen meanwhile.
    const slow = '**/api/v1/admin/tenants/globex/**';
    await page.route(slow, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.selectOption('[data-testid=tenant-picker]', 'globex');
    await page.locator('main[inert]').waitFor();
    expect(await page.locator('#app').getAttribute('aria-busy')).toBe('true');
    // Focus cannot reach a field of the old page, so nothing typed lands in acme's form.
    await page.locator('[data-testid=create-key] input[name=name]').focus();
    expect(await page.evaluate("document.activeElement?.closest('[data-testid=create-key]') !== null")).toBe(
      false,
    );
    await page.locator('#app[aria-busy=false]').waitFor();
    expect(await page.locator('main').getAttribute('inert')).toBeNull();
    await page.unroute(slow);
  });

  it('shows a key whose expiry has passed as expired, not as one that works', async () => {
    const k = await t.ctx.apiKeys.create({
      tenant: 'globex',
      name: 'short-lived',
      expiresAt: new Date(Date.now() + 1000).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 1200));
    await page.goto(`${base}/console/#/keys`, { waitUntil: 'load' });
    await pickTenant('globex');
    const row = page.locator('[data-testid=keys] tr', { hasText: 'short-lived' });
    await row.waitFor();
    expect(await row.textContent()).toContain('expired');
    expect(await row.locator('button', { hasText: 'Revoke' }).count()).toBe(0);
    expect(k.expiresAt).not.toBeNull();
  });

  it('lists webhook deliveries beyond the newest hundred', async () => {
    const { clientId } = await t.ctx.apiKeys.create({ tenant: 'globex' });
    const tenantId = (await t.ctx.tenants.get('globex')).id;
    // Addresses the sender refuses: each delivery is stored as failed at once, none is sent.
    for (let i = 0; i < 103; i++)
      await t.ctx.webhooks.send({
        tenantId,
        clientId,
        url: `http://10.0.0.1/hook-${i}`,
        type: 'test.event',
        data: { i },
      });
    await page.goto(`${base}/console/#/webhooks`, { waitUntil: 'load' });
    await pickTenant('globex');
    await page.locator('[data-testid=deliveries]').waitFor();
    expect(await page.locator('[data-testid=deliveries] tbody tr').count()).toBe(100);
    await page.getByRole('button', { name: 'Older deliveries' }).click();
    await page.locator('[data-testid=deliveries] tbody tr').nth(102).waitFor();
    expect(await page.locator('[data-testid=deliveries] tbody tr').count()).toBe(103);
    // The oldest, created first, is now on screen; and there is nothing older.
    await page.getByText('http://10.0.0.1/hook-0', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Older deliveries' }).count()).toBe(0);
  });

  it('refuses a key no request could carry instead of reporting the server unreachable', async () => {
    await page.goto(`${base}/console`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.locator('[data-testid=signin]').waitFor();
    // The list shows keys by their start and an ellipsis; pasted as a key, the browser refuses it.
    await page.fill('input[name=key]', 'crd_ak_S2OW\u2026');
    await page.click('button[type=submit]');
    await page.getByText('That is not an admin key', { exact: false }).waitFor();
    await page.fill('input[name=key]', adminKey);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=tenants]').waitFor();
  });
});
