import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONNECTOR_URLS, loadConfig } from './config.js';
import { DEFAULT_CAMARA_CONFIG } from './domain/telco/operator-config.js';
import { resolveSecretKey } from './security/secret-key.js';

describe('loadConfig', () => {
  it('has defaults for an embedded install', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toEqual({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      database: {
        engine: 'sqlite',
        url: 'sqlite:./data/credence.db',
        sqlitePath: path.resolve('/srv/app/data/credence.db'),
      },
      dataDir: path.resolve('/srv/app/data'),
      webhookAllowPrivate: false,
      jobVisibilityTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
      smsRetentionMs: 24 * 3600_000,
      finboxRateLimit: 50,
      queueBackend: 'embedded',
      rateLimitFail: 'open',
      publicUrl: 'http://127.0.0.1:8080',
      trustProxy: [],
      camara: DEFAULT_CAMARA_CONFIG,
      connectors: {
        urls: DEFAULT_CONNECTOR_URLS,
        timeoutMs: 10_000,
        attempts: 3,
        documentMaxBytes: 10 * 1024 * 1024,
        documentTimeoutMs: 20_000,
      },
      compositeWeights: {},
    });
  });

  it('reads the composite score weights and refuses bad ones', () => {
    const c = loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'device_score=2, friendlyscore=0' });
    expect(c.compositeWeights).toEqual({ device_score: 2, friendlyscore: 0 });
    expect(loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'telco_score=0.5' }).compositeWeights).toEqual({
      telco_score: 0.5,
    });
    expect(() => loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'device=1' })).toThrow(
      /CREDENCE_COMPOSITE_WEIGHTS: "device" is not a scored service/,
    );
    expect(() =>
      loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'friendlyscore=1e308,demographic_score=1e308' }),
    ).toThrow(/the weight of friendlyscore must be a number from 0 to 1000000/);
    expect(() => loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'device_score=-1' })).toThrow(
      /CREDENCE_COMPOSITE_WEIGHTS: the weight of device_score/,
    );
  });

  it('reads the device data settings and refuses bad ones', () => {
    const c = loadConfig({ CREDENCE_SMS_RETENTION_HOURS: '0.5', CREDENCE_FINBOX_RATE_LIMIT: '200' });
    expect(c.smsRetentionMs).toBe(1800_000);
    expect(c.finboxRateLimit).toBe(200);
    expect(() => loadConfig({ CREDENCE_SMS_RETENTION_HOURS: 'a day' })).toThrow(
      /CREDENCE_SMS_RETENTION_HOURS/,
    );
    expect(() => loadConfig({ CREDENCE_FINBOX_RATE_LIMIT: '0' })).toThrow(/CREDENCE_FINBOX_RATE_LIMIT/);
  });

  it('reads the shutdown grace period in whole seconds', () => {
    expect(loadConfig({ CREDENCE_SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceMs).toBe(0);
    expect(loadConfig({ CREDENCE_SHUTDOWN_GRACE_SECONDS: '25' }).shutdownGraceMs).toBe(25_000);
    expect(() => loadConfig({ CREDENCE_SHUTDOWN_GRACE_SECONDS: '1.5' })).toThrow(
      /CREDENCE_SHUTDOWN_GRACE_SECONDS/,
    );
  });

  it('chooses pg-boss on PostgreSQL, and reads the Redis settings', () => {
    const pg = loadConfig({
      CREDENCE_DATABASE_URL: 'postgres://u@h/db',
      CREDENCE_REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(pg.queueBackend).toBe('pgboss');
    expect(pg.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(
      loadConfig({ CREDENCE_DATABASE_URL: 'postgres://u@h/db', CREDENCE_QUEUE: 'embedded' }).queueBackend,
    ).toBe('embedded');
    expect(loadConfig({ CREDENCE_RATE_LIMIT_FAIL: 'closed' }).rateLimitFail).toBe('closed');
    expect(() => loadConfig({ CREDENCE_QUEUE: 'pgboss' })).toThrow(/CREDENCE_QUEUE=pgboss needs a postgres/);
    expect(() => loadConfig({ CREDENCE_RATE_LIMIT_FAIL: 'maybe' })).toThrow(/must be open or closed/);
    expect(() => loadConfig({ CREDENCE_REDIS_URL: 'localhost:6379' })).toThrow(/redis:\/\//);
    // The path is the database number; anything else would leave the counters in database 0.
    expect(loadConfig({ CREDENCE_REDIS_URL: 'redis://:pw@127.0.0.1:6379/11' }).redisUrl).toBe(
      'redis://:pw@127.0.0.1:6379/11',
    );
    expect(loadConfig({ CREDENCE_REDIS_URL: 'rediss://cache.internal/' }).redisUrl).toBe(
      'rediss://cache.internal/',
    );
    for (const bad of ['redis://127.0.0.1:6379/credence', 'redis://127.0.0.1:6379/1/2'])
      expect(() => loadConfig({ CREDENCE_REDIS_URL: bad })).toThrow(
        `CREDENCE_REDIS_URL may end only in a database number (redis://host:6379/2), got "${bad}"`,
      );
  });

  it('reads the reverse proxies to trust, and refuses what is no address or range', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ CREDENCE_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,loopback,::1' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
    for (const bad of ['nginx', '10.0.0.0/33', 'true', ','])
      expect(() => loadConfig({ CREDENCE_TRUST_PROXY: bad }), bad).toThrow(/CREDENCE_TRUST_PROXY must list/);
  });

  it('reads the CAMARA operator file over the defaults, and the external OpenID provider', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-camara-'));
    fs.writeFileSync(
      path.join(dir, 'camara.json'),
      JSON.stringify({
        scales: ['veritasIndex'],
        defaultScale: 'veritasIndex',
        minHistoryDays: 30,
        consent: 'record',
        idDocument: { notFoundForUnknown: false },
      }),
    );
    const c = loadConfig(
      {
        CREDENCE_CAMARA_CONFIG: 'camara.json',
        CREDENCE_OIDC_ISSUER: 'https://idp.example',
        CREDENCE_OIDC_JWKS_URL: 'https://idp.example/jwks',
        CREDENCE_PUBLIC_URL: 'https://scores.example/',
      },
      dir,
    );
    expect(c.camara).toEqual({
      ...DEFAULT_CAMARA_CONFIG,
      scales: ['veritasIndex'],
      defaultScale: 'veritasIndex',
      minHistoryDays: 30,
      consent: 'record',
      idDocument: { ...DEFAULT_CAMARA_CONFIG.idDocument, notFoundForUnknown: false },
    });
    expect(c.externalOidc).toEqual({
      issuer: 'https://idp.example',
      jwksUrl: 'https://idp.example/jwks',
      subscriberClaim: 'phone_number',
    });
    expect(c.publicUrl).toBe('https://scores.example');
    // On a free port the server sets the public URL once it listens, unless it was given.
    expect(loadConfig({ CREDENCE_PORT: '0' }, dir)).toMatchObject({
      publicUrl: 'http://127.0.0.1:0',
      publicUrlAtListen: true,
    });
    expect(
      loadConfig({ CREDENCE_PORT: '0', CREDENCE_PUBLIC_URL: 'https://scores.example' }, dir),
    ).not.toHaveProperty('publicUrlAtListen');
    expect(loadConfig({ CREDENCE_PORT: '8080' }, dir)).not.toHaveProperty('publicUrlAtListen');
    fs.writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({
        scales: ['fico'],
        consent: 'maybe',
        extra: 1,
        idDocument: { notFoundForUnknown: 'no' },
      }),
    );
    expect(() => loadConfig({ CREDENCE_CAMARA_CONFIG: 'bad.json' }, dir)).toThrow(
      /unknown key "extra"[\s\S]*scales must be a list[\s\S]*idDocument.notFoundForUnknown must be true or false[\s\S]*consent must be "auto" or "record"/,
    );
    // A document required where no offered scale takes one would leave prepaid lines unscorable.
    fs.writeFileSync(
      path.join(dir, 'stuck.json'),
      JSON.stringify({
        scales: ['gaugeMetric'],
        idDocument: {
          supported: true,
          supportedScales: ['veritasIndex'],
          requiredForSubscriptionTypes: ['prepaid'],
        },
      }),
    );
    expect(() => loadConfig({ CREDENCE_CAMARA_CONFIG: 'stuck.json' }, dir)).toThrow(
      'idDocument.requiredForSubscriptionTypes needs idDocument.supportedScales to hold one of the scales offered',
    );
    expect(() => loadConfig({ CREDENCE_CAMARA_CONFIG: 'missing.json' }, dir)).toThrow(
      /cannot read missing.json/,
    );
    // Saved by an editor with a byte-order mark: read as the JSON it is.
    fs.writeFileSync(path.join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ consent: 'record' })}`);
    expect(loadConfig({ CREDENCE_CAMARA_CONFIG: 'bom.json' }, dir).camara.consent).toBe('record');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"consent": ');
    expect(() => loadConfig({ CREDENCE_CAMARA_CONFIG: 'broken.json' }, dir)).toThrow(
      /CREDENCE_CAMARA_CONFIG: broken.json is not valid JSON/,
    );
    expect(() => loadConfig({ CREDENCE_OIDC_ISSUER: 'https://idp.example' })).toThrow(/must be set together/);
    expect(() => loadConfig({ CREDENCE_OIDC_AUDIENCE: 'credence' })).toThrow(
      'CREDENCE_OIDC_AUDIENCE needs CREDENCE_OIDC_ISSUER and CREDENCE_OIDC_JWKS_URL: it configures that provider',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the connector settings', () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-geo-'));
    fs.mkdirSync(path.join(app, 'geo'));
    fs.writeFileSync(path.join(app, 'geo/City.mmdb'), '');
    const c = loadConfig(
      {
        CREDENCE_CONNECTOR_FACEBOOK_URL: 'http://127.0.0.1:9999/fb/',
        CREDENCE_CONNECTOR_TIMEOUT: '2',
        CREDENCE_DOCUMENT_MAX_BYTES: '2048',
        CREDENCE_GEOIP_DB: 'geo/City.mmdb',
      },
      app,
    );
    expect(c.connectors.urls.facebook).toBe('http://127.0.0.1:9999/fb');
    expect(c.connectors.urls.google).toBe('https://www.googleapis.com');
    expect(c.connectors.timeoutMs).toBe(2000);
    expect(c.connectors.documentMaxBytes).toBe(2048);
    expect(c.connectors.geoipDb).toBe(path.join(app, 'geo/City.mmdb'));
    expect(() => loadConfig({ CREDENCE_GEOIP_DB: 'geo/Missing.mmdb' }, app)).toThrow(
      'CREDENCE_GEOIP_DB must name a MaxMind database file (.mmdb), and geo/Missing.mmdb is not there',
    );
    expect(() => loadConfig({ CREDENCE_GEOIP_ASN_DB: 'geo' }, app)).toThrow(
      'CREDENCE_GEOIP_ASN_DB must name a MaxMind database file (.mmdb), and geo is not a file',
    );
    fs.rmSync(app, { recursive: true, force: true });
    expect(() => loadConfig({ CREDENCE_CONNECTOR_GMAIL_URL: 'ftp://x' })).toThrow(
      /CREDENCE_CONNECTOR_GMAIL_URL must be an http or https URL/,
    );
    expect(() => loadConfig({ CREDENCE_CONNECTOR_ATTEMPTS: '0' })).toThrow(
      /CREDENCE_CONNECTOR_ATTEMPTS must be/,
    );
  });

  it('reads the webhook and job settings', () => {
    const c = loadConfig({ CREDENCE_WEBHOOK_ALLOW_PRIVATE: 'true', CREDENCE_JOB_VISIBILITY_TIMEOUT: '5' });
    expect(c.webhookAllowPrivate).toBe(true);
    expect(c.jobVisibilityTimeoutMs).toBe(5000);
    expect(() => loadConfig({ CREDENCE_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(
      /CREDENCE_WEBHOOK_ALLOW_PRIVATE must be true or false/,
    );
    expect(() => loadConfig({ CREDENCE_JOB_VISIBILITY_TIMEOUT: '0' })).toThrow(
      /CREDENCE_JOB_VISIBILITY_TIMEOUT must be a whole number of seconds/,
    );
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    const c = loadConfig({ CREDENCE_DATABASE_URL: 'postgres://u@db:5432/credence', CREDENCE_PORT: '9000' });
    expect(c.database).toEqual({ engine: 'postgres', url: 'postgres://u@db:5432/credence' });
    expect(c.port).toBe(9000);
  });

  it('lists every bad value with a clear message', () => {
    try {
      loadConfig({
        CREDENCE_PORT: 'eighty',
        CREDENCE_LOG_LEVEL: 'loud',
        CREDENCE_DATABASE_URL: 'mysql://x',
        CREDENCE_SECRET_KEY: 'short',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems[0]).toBe('CREDENCE_PORT must be an integer from 0 to 65535, got "eighty"');
      expect(problems[1]).toMatch(/^CREDENCE_LOG_LEVEL must be one of fatal, error/);
      expect(problems[2]).toMatch(/^CREDENCE_DATABASE_URL: unsupported scheme/);
      expect(problems[3]).toMatch(/^CREDENCE_SECRET_KEY must be 32 random bytes/);
    }
  });

  it('refuses URLs that do not parse, naming their setting', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    for (const url of ['postgres://postgres@127.0.0.1:notaport/db', 'postgres://u:secret@h:99999/db'])
      expect(problems({ CREDENCE_DATABASE_URL: url })).toEqual([
        'CREDENCE_DATABASE_URL: is not a URL the PostgreSQL driver can read (postgres://user@host:5432/database)',
      ]);
    // A socket directory or no host at all is the driver's to read, as it reads them.
    expect(problems({ CREDENCE_DATABASE_URL: 'postgres:///test?host=/var/run/postgresql' })).toEqual([]);
    for (const url of ['http:///', 'http://[bad', 'http://host:99999', 'https://exa mple.com'])
      expect(problems({ CREDENCE_PUBLIC_URL: url }), url).toEqual([
        `CREDENCE_PUBLIC_URL must be an http(s) URL without query, got "${url}"`,
      ]);
    for (const url of ['http://', 'http://[bad/jwks', 'https://exa mple.com/jwks'])
      expect(
        problems({ CREDENCE_OIDC_ISSUER: 'https://idp.example', CREDENCE_OIDC_JWKS_URL: url }),
        url,
      ).toEqual([`CREDENCE_OIDC_JWKS_URL must be an http(s) URL, got "${url}"`]);
  });

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig({ CREDENCE_PORT: '70000' })).toThrow(/CREDENCE_PORT/);
  });

  it('gives the worker a port only when CREDENCE_WORKER_PORT is set, and checks it', () => {
    expect(loadConfig({})).not.toHaveProperty('workerPort');
    expect(loadConfig({ CREDENCE_WORKER_PORT: '9464' }).workerPort).toBe(9464);
    expect(loadConfig({ CREDENCE_WORKER_PORT: '0' }).workerPort).toBe(0);
    expect(() => loadConfig({ CREDENCE_WORKER_PORT: '-1' })).toThrow(
      'CREDENCE_WORKER_PORT must be an integer from 0 to 65535, got "-1"',
    );
    expect(() => loadConfig({ CREDENCE_WORKER_PORT: '65536' })).toThrow(/CREDENCE_WORKER_PORT/);
  });

  it('accepts a secret key in hex or base64, and a comma-separated key ring', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ CREDENCE_SECRET_KEY: hex }).secretKey).toBe(hex);
    expect(loadConfig({ CREDENCE_SECRET_KEY: `${b64},${hex}` }).secretKey).toBe(`${b64},${hex}`);
  });

  it('reports a key file that holds no key as a bad setting', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-key-'));
    try {
      fs.writeFileSync(path.join(dir, 'secret.key'), 'garbage\n');
      const config = loadConfig({ CREDENCE_DATABASE_URL: `sqlite:${path.join(dir, 'credence.db')}` });
      expect(() => resolveSecretKey(config)).toThrow(ConfigError);
      expect(() => resolveSecretKey(config)).toThrow(/secret\.key does not hold a valid key/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing secret key with PostgreSQL as a bad setting', () => {
    const config = loadConfig({ CREDENCE_DATABASE_URL: 'postgres://u@127.0.0.1:1/db' });
    const err = (() => {
      try {
        resolveSecretKey(config);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'CREDENCE_SECRET_KEY is required with PostgreSQL: every replica must share the key that encrypts personal data ' +
        '(generate one with: openssl rand -base64 32)',
    ]);
  });
});
