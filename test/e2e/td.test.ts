/**
 * The TD dialect as an operator and a lender use it: partner accounts and packages from the real
 * `credence` executable, then calls to a running server over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { type RunningServer, runCli, startServer } from '../helpers/processes.js';
import { request } from '../helpers/td.js';

for (const engine of ENGINES) {
  describe(`TD partner accounts through the CLI and a server on ${engine}`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    const cli = (...args: string[]) => runCli(args, db.env);

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      expect(cli('tenant', 'create', 'acme', '--json').status).toBe(0);
      server = await startServer(db.env);
    });
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it('creates a partner, sells it a package, tops it up, serves calls and shows the ledger', async () => {
      const created = cli('partner', 'create', '--tenant', 'acme', '--countries', 'MX,IN,PH', '--json');
      expect(created.status).toBe(0);
      expect(created.stdout.trim().split('\n')).toHaveLength(1);
      const p = created.json();
      expect(p).toMatchObject({
        partner_code: expect.stringMatching(/^acme_[0-9A-Za-z]{6}$/),
        partner_key: expect.stringMatching(/^crd_pk_/),
        countries: ['MX', 'IN', 'PH'],
        balance: 0,
      });
      const listed = cli('partner', 'list', '--tenant', 'acme', '--json');
      expect(listed.stdout).not.toContain(p.partner_key);

      const add = cli(
        'partner',
        'package',
        'add',
        '--partner',
        p.partner_code,
        '--package',
        'multiplatform_multi_V1_1',
        '--price',
        '0.5',
        '--expires',
        '2999-12-31',
        '--json',
      );
      expect(add.json()).toMatchObject({
        package: 'multiplatform_multi_V1_1',
        price: 0.5,
        status: 'active',
        expires_at: '3000-01-01T00:00:00.000Z',
      });
      expect(cli('partner', 'topup', '--partner', p.partner_code, '--amount', '1', '--json').json()).toEqual({
        partner_code: p.partner_code,
        amount: 1,
        balance: 1,
      });

      const url = `${server.url}/td/api?partner_code=${p.partner_code}&partner_key=${p.partner_key}`;
      const call = async () =>
        (await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request('MX', 'multiplatform_multi_V1_1', { app_name: 'CashNow' })),
        }).then((r) => r.json())) as { code: number; sequence_id: string; message: string };
      const first = await call();
      expect(first).toMatchObject({ code: 200, message: 'Success' });

      cli(
        'partner',
        'package',
        'suspend',
        '--partner',
        p.partner_code,
        '--package',
        'multiplatform_multi_V1_1',
        '--json',
      );
      // Package state is read on every call: the suspension is seen at once.
      expect(await call()).toMatchObject({ code: 302, message: 'Service has been suspend' });
      cli(
        'partner',
        'package',
        'resume',
        '--partner',
        p.partner_code,
        '--package',
        'multiplatform_multi_V1_1',
        '--json',
      );
      expect((await call()).code).toBe(200);
      expect(await call()).toMatchObject({ code: 303, message: 'Not enough balance' });

      const usage = cli('partner', 'usage', '--partner', p.partner_code, '--json').json();
      expect(usage.balance).toBe(0);
      expect(usage.totals).toEqual({ calls: 4, succeeded: 2, charged: 1 });
      expect(usage.calls.map((c: { code: number }) => c.code)).toEqual(
        expect.arrayContaining([200, 302, 200, 303]),
      );
      expect(usage.calls.map((c: { sequence_id: string }) => c.sequence_id)).toContain(first.sequence_id);
      expect(usage.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
        ['charge', -0.5],
        ['charge', -0.5],
        ['topup', 1],
      ]);
      const human = cli('partner', 'usage', '--partner', p.partner_code);
      expect(human.status).toBe(0);
      expect(human.stdout).toContain('balance 0');
    });

    it('rotates a key: the old one stops working within a second', async () => {
      const p = cli('partner', 'create', '--tenant', 'acme', '--code', 'acme-mobile', '--json').json();
      expect(p.partner_code).toBe('acme-mobile');
      cli(
        'partner',
        'package',
        'add',
        '--partner',
        'acme-mobile',
        '--package',
        'multiplatform_multi_V1_1',
        '--json',
      );
      const post = (key: string) =>
        fetch(`${server.url}/td/api?partner_code=acme-mobile&partner_key=${key}`, {
          method: 'POST',
          body: JSON.stringify(request('IN', 'multiplatform_multi_V1_1')),
        }).then((r) => r.json() as Promise<{ code: number }>);
      expect((await post(p.partner_key)).code).toBe(200);
      const rotated = cli('partner', 'rotate-key', '--partner', 'acme-mobile', '--json').json();
      await new Promise((r) => setTimeout(r, 1100));
      expect((await post(p.partner_key)).code).toBe(9061);
      expect((await post(rotated.partner_key)).code).toBe(200);
    });

    it('joins and leaves the consortium', () => {
      expect(cli('consortium', 'join', '--tenant', 'acme', '--json').json()).toMatchObject({ joined: true });
      expect(cli('consortium', 'join', '--tenant', 'acme', '--json').json()).toMatchObject({ joined: false });
      expect(
        cli('consortium', 'list', '--json')
          .json()
          .members.map((m: { name: string }) => m.name),
      ).toEqual(['acme']);
      expect(cli('consortium', 'leave', '--tenant', 'acme', '--purge', '--json').json()).toEqual({
        tenant_id: expect.stringMatching(/^ten_/),
        left: true,
        purged: 0,
      });
    });

    it('explains bad input with an error object and exit code 1', () => {
      const bad = cli('partner', 'create', '--tenant', 'acme', '--countries', 'MX,US', '--json');
      expect(bad.status).toBe(1);
      expect(bad.json().error).toMatchObject({ code: 'CREDENCE_INVALID_INPUT' });
      expect(bad.json().error.message).toContain('"US" is not a supported country');
      const pkg = cli('partner', 'package', 'add', '--partner', 'acme-mobile', '--package', 'nope', '--json');
      expect(pkg.json().error.code).toBe('CREDENCE_INVALID_INPUT');
      const price = cli(
        'partner',
        'package',
        'add',
        '--partner',
        'acme-mobile',
        '--package',
        'multiplatform_multi',
        '--price',
        '-1',
        '--json',
      );
      expect(price.json().error.message).toContain('price must be a number');
      const missing = cli('partner', 'topup', '--partner', 'nobody', '--amount', '1', '--json');
      expect(missing.json().error.code).toBe('CREDENCE_NOT_FOUND');
      const suspendUnknown = cli(
        'partner',
        'package',
        'suspend',
        '--partner',
        'acme-mobile',
        '--package',
        'credit_rating_estimation',
        '--json',
      );
      expect(suspendUnknown.json().error.code).toBe('CREDENCE_NOT_FOUND');
    });
  });
}
