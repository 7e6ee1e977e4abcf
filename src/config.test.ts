import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
    });
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

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig({ CREDENCE_PORT: '70000' })).toThrow(/CREDENCE_PORT/);
  });

  it('accepts a secret key in hex or base64, and a comma-separated key ring', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ CREDENCE_SECRET_KEY: hex }).secretKey).toBe(hex);
    expect(loadConfig({ CREDENCE_SECRET_KEY: `${b64},${hex}` }).secretKey).toBe(`${b64},${hex}`);
  });
});
