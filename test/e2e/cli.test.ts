import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { testScorecard } from '../fixtures/test-scorecard.js';
import { createTestDatabase, ENGINES, PG_URL, type TestDatabase } from '../helpers/databases.js';
import { ROOT, runCli } from '../helpers/processes.js';

describe('every CLI command takes --help and --json', () => {
  const all: Command[] = [];
  const walk = (c: Command) => {
    all.push(c);
    c.commands.forEach(walk);
  };
  walk(buildProgram());

  it.each(all.map((c) => [c.name(), c] as const))('%s', (_name, cmd) => {
    const help = cmd.helpInformation();
    expect(help).toMatch(/^Usage: /);
    // Leaf commands that print a result all offer --json; the long-running processes print logs.
    if (cmd.commands.length === 0 && !['serve', 'worker'].includes(cmd.name())) {
      expect(cmd.options.map((o) => o.long)).toContain('--json');
    }
  });

  it('prints help from the real executable', () => {
    const r = runCli(['key', 'create', '--help'], {});
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: credence key create');
    expect(r.stdout).toContain('--json');
  });
});

describe('credence serve and worker name the setting when they cannot listen', () => {
  let dir: string;
  let taken: net.Server;
  let port: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-listen-'));
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const serve = (env: Record<string, string>) =>
    runCli(['serve'], {
      CREDENCE_DATABASE_URL: `sqlite:${path.join(dir, 'credence.db')}`,
      CREDENCE_LOG_LEVEL: 'warn',
      ...env,
    });

  it('a port already in use', () => {
    const r = serve({ CREDENCE_PORT: String(port) });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`CREDENCE_PORT: 127.0.0.1:${port} is already in use by another process`);
  });

  it("a port already in use, for the worker's metrics", () => {
    const r = runCli(['worker'], {
      CREDENCE_DATABASE_URL: `sqlite:${path.join(dir, 'credence.db')}`,
      CREDENCE_LOG_LEVEL: 'warn',
      CREDENCE_WORKER_PORT: String(port),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `CREDENCE_WORKER_PORT: 127.0.0.1:${port} is already in use by another process`,
    );
  });

  it('a host name that does not resolve', () => {
    const r = serve({ CREDENCE_HOST: 'credence-nowhere.invalid', CREDENCE_PORT: '0' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('CREDENCE_HOST: "credence-nowhere.invalid" does not resolve to an address');
  });

  it('settings found wrong once the database is open: a secret key that cannot read it, a GeoIP file', () => {
    const db = `sqlite:${path.join(dir, 'keyed.db')}`;
    const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
    expect(
      runCli(['tenant', 'create', 'acme'], { CREDENCE_DATABASE_URL: db, CREDENCE_SECRET_KEY: key(1) }).status,
    ).toBe(0);
    for (const command of ['serve', 'worker']) {
      const r = runCli([command], {
        CREDENCE_DATABASE_URL: db,
        CREDENCE_SECRET_KEY: key(2),
        CREDENCE_PORT: '0',
      });
      expect(r.status, command).toBe(2);
      expect(r.stderr, command).toContain('CREDENCE_SECRET_KEY cannot read this database');
    }
    const geo = serve({ CREDENCE_PORT: '0', CREDENCE_GEOIP_DB: path.join(ROOT, 'package.json') });
    expect(geo.status).toBe(2);
    expect(geo.stderr).toContain('cannot be read as a MaxMind database');
  });

  it('an SQLite path that is a folder, or a file that is no database; a database server down', () => {
    const notDb = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDb, 'not a database');
    for (const [file, why] of [
      [dir, 'unable to open database file'],
      [notDb, 'file is not a database'],
    ] as const) {
      const env = { CREDENCE_DATABASE_URL: `sqlite:${file}`, CREDENCE_PORT: '0' };
      const message = `CREDENCE_DATABASE_URL names ${file}, which cannot be opened as a writable SQLite database: ${why}`;
      const r = runCli(['serve'], env);
      expect(r.status, file).toBe(2);
      expect(r.stderr, file).toContain(message);
      const listed = runCli(['tenant', 'list', '--json'], env);
      expect(listed.status, file).toBe(1);
      expect(JSON.parse(listed.stdout).error, file).toMatchObject({ code: 'CREDENCE_INVALID_INPUT' });
      expect(JSON.parse(listed.stdout).error.message, file).toContain(message);
    }
    // A database server that cannot be reached is a failure to retry, named by its setting.
    const down = runCli(['tenant', 'list', '--json'], {
      CREDENCE_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/credence',
      CREDENCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(down.status).toBe(1);
    expect(JSON.parse(down.stdout).error).toMatchObject({
      code: 'CREDENCE_UNAVAILABLE',
      message: expect.stringContaining(
        'the database named by CREDENCE_DATABASE_URL cannot be reached or is busy',
      ),
    });
  });
});

describe.runIf(PG_URL)('credence serve and worker on PostgreSQL settings the server refuses', () => {
  it('stop as for a bad value, naming CREDENCE_DATABASE_URL and the search_path', () => {
    const url = new URL(PG_URL!);
    url.searchParams.set('options', '-c search_path=credence_no_such_schema');
    for (const command of ['serve', 'worker']) {
      const r = runCli([command], {
        CREDENCE_DATABASE_URL: url.toString(),
        CREDENCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        CREDENCE_PORT: '0',
      });
      expect(r.status, command).toBe(2);
      expect(r.stderr, command).toContain(
        'CREDENCE_DATABASE_URL: the PostgreSQL search_path names no schema that exists (search_path: credence_no_such_schema)',
      );
    }
  });

  it('stop as for a bad value on a database or a user the server does not have', () => {
    const database = new URL(PG_URL!);
    database.pathname = '/credence_no_such_database';
    const user = new URL(PG_URL!);
    user.username = 'credence_no_such_user';
    for (const [url, message] of [
      [
        database,
        'CREDENCE_DATABASE_URL names a database that does not exist: database "credence_no_such_database" does not exist',
      ],
      [user, 'CREDENCE_DATABASE_URL names a user the server does not accept'],
    ] as const) {
      const r = runCli(['serve'], {
        CREDENCE_DATABASE_URL: url.toString(),
        CREDENCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        CREDENCE_PORT: '0',
      });
      expect(r.status, message).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

for (const engine of ENGINES) {
  describe(`credence CLI on ${engine}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(engine);
    });
    afterAll(async () => db?.drop());
    const cli = (...args: string[]) => runCli(args, db.env);

    it('creates a tenant and a key, printing one JSON object each', () => {
      const t = cli('tenant', 'create', 'acme', '--json');
      expect(t.status).toBe(0);
      expect(t.stdout.trim().split('\n')).toHaveLength(1);
      expect(t.json()).toMatchObject({ id: expect.stringMatching(/^ten_/), name: 'acme' });

      const k = cli('key', 'create', '--tenant', 'acme', '--json');
      expect(k.status).toBe(0);
      const key = k.json();
      expect(key.key).toMatch(/^crd_sk_/);
      expect(key).toMatchObject({
        tenant_id: t.json().id,
        scopes: ['*'],
        type: 'server',
        start: key.key.slice(0, 11),
      });

      const listed = cli('key', 'list', '--tenant', 'acme', '--json').json();
      expect(listed.keys).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(key.key);

      const revoked = cli('key', 'revoke', key.id, '--json');
      expect(revoked.status).toBe(0);
      expect(revoked.json().revoked_at).not.toBeNull();

      // `--scopes "$UNSET"` names no scope: refused, rather than read as every scope.
      const unscoped = cli('key', 'create', '--tenant', 'acme', '--scopes', '', '--json');
      expect(unscoped.status).toBe(1);
      expect(unscoped.json()).toEqual({
        error: {
          code: 'CREDENCE_INVALID_INPUT',
          message: 'scopes must name at least one scope, or * for every scope',
          field: 'scopes',
        },
      });
    });

    it('refuses key options the key type would ignore', () => {
      const deviceKey = (...flags: string[]) =>
        cli('key', 'create', '--tenant', 'acme', '--type', 'device', ...flags);
      const scoped = deviceKey('--scopes', 'cladfy', '--json');
      expect(scoped.status).toBe(1);
      expect(scoped.json()).toEqual({
        error: {
          code: 'CREDENCE_INVALID_INPUT',
          message: 'scopes do not apply to a device key',
          field: 'scopes',
        },
      });
      const limited = deviceKey('--rate-limit', '5');
      expect(limited.status).toBe(1);
      expect(limited.stderr).toBe('error: a rate limit does not apply to a device key\n');
      const allowed = deviceKey('--ip-allow', '10.0.0.0/8', '--json');
      expect(allowed.json()).toMatchObject({ type: 'device', ip_allow: ['10.0.0.0/8'] });
      // An admin key has no tenant, scopes, limits or expiry: it would ignore them all.
      const admin = cli('key', 'create', '--admin', '--expires', '2030-01-01', '--json');
      expect(admin.status).toBe(1);
      expect(admin.json()).toEqual({
        error: {
          code: 'CREDENCE_INVALID_INPUT',
          message: '--expires does not apply to an admin key (--admin)',
          field: 'expires',
        },
      });
    });

    it('reports command-line mistakes as JSON too, with --json', () => {
      for (const [args, message, field] of [
        [['key', 'revoke'], "missing required argument 'key'", 'key'],
        [['key', 'create', '--bogus'], "unknown option '--bogus'", 'bogus'],
        [['partner', 'usage'], "required option '--partner <code>' not specified", 'partner'],
        [['nosuch'], "unknown command 'nosuch'", undefined],
        // An option without its value would take --json as the value, and answer in text.
        [['key', 'list', '--tenant'], "option '--tenant <tenant>' argument missing", 'tenant'],
        [['key', 'create', '--rate-limit'], "option '--rate-limit <n>' argument missing", 'rate-limit'],
      ] as const) {
        const r = cli(...args, '--json');
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stdout.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.json(), args.join(' ')).toEqual({
          error: { code: 'CREDENCE_INVALID_INPUT', message, ...(field ? { field } : {}) },
        });
      }
      // With one tenant, --tenant may be left out of every command that takes it.
      for (const args of [
        ['client', 'list'],
        ['partner', 'list'],
        ['key', 'list'],
      ]) {
        const r = cli(...args, '--json');
        expect(r.status, args.join(' ')).toBe(0);
      }
      // Without --json, commander's own words on stderr.
      const human = cli('key', 'revoke');
      expect(human.status).toBe(1);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(/^error: missing required argument 'key'/);
    });

    it('takes plain decimal digits only for an integer option, naming it', () => {
      for (const [args, message, field] of [
        [
          ['partner', 'usage', '--partner', 'p', '--limit', '1e2'],
          '--limit must be a whole number from 1 to 1000, not "1e2"',
          '--limit',
        ],
        [
          ['partner', 'usage', '--partner', 'p', '--limit', ' 5'],
          '--limit must be a whole number from 1 to 1000, not " 5"',
          '--limit',
        ],
        [
          ['key', 'create', '--tenant', 'acme', '--rate-limit', '0x10'],
          '--rate-limit must be a whole number from 1 to 100000, not "0x10"',
          '--rate-limit',
        ],
        [
          ['secret', 'rotate', '--batch-size', '1.0'],
          '--batch-size must be a whole number of at least 1, not "1.0"',
          '--batch-size',
        ],
        [
          ['model', 'performance', 'mdl_x', '--window-days', '3e1'],
          '--window-days must be a whole number from 1 to 3650, not "3e1"',
          '--window-days',
        ],
      ] as const) {
        const r = cli(...args, '--json');
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.json(), args.join(' ')).toEqual({
          error: { code: 'CREDENCE_INVALID_INPUT', message, field },
        });
        const human = cli(...args);
        expect(human.status, args.join(' ')).toBe(1);
        expect(human.stderr, args.join(' ')).toBe(`error: ${message}\n`);
      }
    });

    it('prints errors as JSON with --json and exits 1', () => {
      const r = cli('tenant', 'create', 'acme', '--json');
      expect(r.status).toBe(1);
      expect(r.json()).toEqual({
        error: { code: 'CREDENCE_CONFLICT', message: 'tenant "acme" already exists' },
      });
      const human = cli('key', 'create', '--tenant', 'nobody');
      expect(human.status).toBe(1);
      expect(human.stderr).toBe('error: tenant nobody not found\n');
      // The field at fault, as the API names it.
      const badPhone = cli('telco', 'show', '--phone', '0712345678', '--tenant', 'acme', '--json');
      expect(badPhone.status).toBe(1);
      expect(badPhone.json()).toEqual({
        error: {
          code: 'CREDENCE_INVALID_INPUT',
          message: 'phone_number "0712345678" is not a valid number in E.164 form (+...)',
          field: 'phone_number',
        },
      });
    });

    it('validates and imports a model', () => {
      const good = path.join(db.dir, 'model.json');
      fs.writeFileSync(good, JSON.stringify(testScorecard()));
      expect(cli('model', 'validate', good, '--json').json()).toEqual({
        valid: true,
        file: good,
        errors: [],
      });

      const bad = path.join(db.dir, 'bad.json');
      fs.writeFileSync(
        bad,
        JSON.stringify({ ...testScorecard(), scaling: { baseScore: 600, baseOdds: 50, pdo: -1 } }),
      );
      const v = cli('model', 'validate', bad, '--json');
      expect(v.status).toBe(1);
      expect(v.json()).toMatchObject({ valid: false, errors: [{ path: 'scaling.pdo' }] });
      const human = cli('model', 'validate', bad);
      expect(human.stdout).toContain('scaling.pdo:');

      const refused = cli('model', 'import', bad, '--tenant', 'acme', '--json');
      expect(refused.status).toBe(1);
      expect(refused.json().error.code).toBe('CREDENCE_INVALID_MODEL');

      const imported = cli(
        'model',
        'import',
        good,
        '--tenant',
        'acme',
        '--service',
        'demographic_score',
        '--activate',
        '--json',
      );
      expect(imported.status).toBe(0);
      expect(imported.json()).toMatchObject({
        service: 'demographic_score',
        version: 1,
        roles: ['champion'],
        created: true,
      });

      const wrongService = cli(
        'model',
        'import',
        good,
        '--tenant',
        'acme',
        '--service',
        'deposit_score',
        '--json',
      );
      expect(wrongService.json().error.message).toBe(
        'the model is for service "demographic_score", not "deposit_score"',
      );

      const models = cli('model', 'list', '--tenant', 'acme', '--json').json().models;
      expect(models.map((m: { service: string }) => m.service)).toContain('demographic_score');
    });

    it('refuses a date option that is no calendar date instead of reading it as another day', () => {
      const starter = cli('model', 'list', '--tenant', 'acme', '--service', 'deposit_score', '--json').json()
        .models[0].id;
      const partner = cli('partner', 'create', '--tenant', 'acme', '--json').json().partner_code;
      for (const [args, field] of [
        [['key', 'create', '--tenant', 'acme', '--expires', '2031-02-30'], 'expires'],
        [['model', 'performance', starter, '--tenant', 'acme', '--from', '2025-02-30'], 'from'],
        [['model', 'performance', starter, '--tenant', 'acme', '--to', '12'], 'to'],
        [
          [
            'partner',
            'package',
            'add',
            '--partner',
            partner,
            '--package',
            'credit_rating_estimation',
            '--starts',
            '2025-02-30',
          ],
          'starts',
        ],
      ] as const) {
        const r = cli(...args, '--json');
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.json().error, args.join(' ')).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field });
      }
      // Nothing was stored by the refused commands.
      expect(cli('partner', 'package', 'list', '--partner', partner, '--json').json().packages).toEqual([]);
    });

    it('validates the shipped starter models', () => {
      for (const f of fs.readdirSync(path.join(ROOT, 'models'))) {
        expect(cli('model', 'validate', path.join(ROOT, 'models', f), '--json').json().valid).toBe(true);
      }
    });
  });
}

describe('configuration errors', () => {
  it('stops serve with a clear message for a bad value', () => {
    const r = runCli(['serve'], { CREDENCE_PORT: 'eighty', CREDENCE_LOG_LEVEL: 'chatty' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('CREDENCE_PORT must be an integer from 0 to 65535, got "eighty"');
    expect(r.stderr).toContain('CREDENCE_LOG_LEVEL must be one of');
  });
});
