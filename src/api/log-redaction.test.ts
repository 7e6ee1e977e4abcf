import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/databases.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { redactPii } from './log-redaction.js';
import { loggerOptions } from './logger-options.js';
import { redactUrl } from './request-id.js';

const SECRETS = [
  '+254712345678',
  '0712345678',
  '29876543',
  'jane@example.com',
  'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl',
  'crd_sk_3fJqAbCdEfGhIjKlMnOp',
  'EAAB-facebook-token',
  '41.90.64.10',
];

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const opts = loggerOptions(loadConfig({ CREDENCE_DATABASE_URL: 'sqlite::memory:' })) as pino.LoggerOptions;
  return { logger: pino(opts, stream), lines };
}

describe('log redaction', () => {
  it('masks phones, identity numbers, emails, IPs, tokens and keys wherever they are logged', async () => {
    const { logger, lines } = capture();
    logger.info(
      {
        msisdn: '+254712345678',
        body: { phone_number: '0712345678', national_id: '29876543', email: 'jane@example.com' },
        access_tokens: { facebook: 'EAAB-facebook-token' },
        user_ip: '41.90.64.10',
        headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl' },
        note: 'key crd_sk_3fJqAbCdEfGhIjKlMnOp was used for +254712345678',
        err: new Error('no subject with phone 0712345678 or id 29876543'),
      },
      'lookup for +254712345678 failed',
    );
    logger.warn('partner sent id 29876543');
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    for (const s of SECRETS) expect(text, s).not.toContain(s);
    const first = JSON.parse(lines[0]!);
    expect(first.msg).toBe('lookup for *** failed');
    expect(first.body.phone_number).toBe('***');
    expect(first.err.message).toBe('no subject with phone *** or id ***');
  });

  it('masks numbers however they are grouped, and keeps dates, times, durations and ids', () => {
    for (const text of [
      '+254 (711) 223-342',
      '+254.711.223.342',
      '(0711) 223 344',
      '0711 223 344',
      '192.168.10.200',
    ])
      expect(redactPii(`looked up ${text} today`), text).toBe('looked up *** today');
    for (const text of [
      '2024-09-30',
      '2024-09-30T10:00:00.000Z',
      '2024-09-30 10:00:00',
      'took 12.5 ms',
      'sub_01234567ABCD',
      'listening on 127.0.0.1:8080',
      'at run (/srv/credence/src/app.ts:123:45)',
    ])
      expect(redactPii(text), text).toBe(text);
  });

  it('masks a whole webhook secret, its base64 signs included', () => {
    const secret = 'whsec_m4va0z2XJ2NO+H0Q2phu4CaB1J6/aqb98ckKjOPoGJHWs=';
    expect(redactPii(`secret was ${secret} then`)).toBe('secret was *** then');
  });

  it("keeps an error's cause, redacted the same way, so the log says what failed underneath", async () => {
    const { logger, lines } = capture();
    const cause = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED for +254712345678'),
    });
    logger.error({ err: new Error('the keys could not be read', { cause }) }, 'request failed');
    await new Promise((r) => setImmediate(r));
    const err = JSON.parse(lines[0]!).err;
    expect(err.message).toBe('the keys could not be read: fetch failed: connect ECONNREFUSED for ***');
  });

  it('keeps what is not personal: request ids, tenants, dates, counts', () => {
    const o = {
      request_id: 'req_01J9',
      tenant: 'ten_1',
      at: '2026-11-21T22:23:12.000Z',
      jobs: 1234,
      status: 200,
    };
    expect(redactPii(o)).toEqual(o);
  });

  it('masks phone numbers and emails in request paths, percent-encoded or not', async () => {
    expect(redactUrl('/api/v1/telco/subscribers/%2B254712345678')).toBe('/api/v1/telco/subscribers/***');
    expect(redactUrl('/api/v1/telco/subscribers/%2B254%20712%20345%20678?x=1')).toBe(
      '/api/v1/telco/subscribers/***?x=***',
    );
    expect(redactUrl('/friendlyscore/api/v2/users/partner-id/alice.wanjiru%40example.org/show.json')).toBe(
      '/friendlyscore/api/v2/users/partner-id/***/show.json',
    );
    // A path that cannot be decoded as a whole is decoded where it can be.
    expect(redactUrl('/x/%zz/%2B254712345678')).toBe('/x/%zz/***');
    expect(redactUrl('/api/v1/subjects/sub_01J9/score-runs')).toBe('/api/v1/subjects/sub_01J9/score-runs');
    // Every spelling a phone parser takes: brackets, dots, dashes, short groups.
    for (const phone of [
      '%2B254%20(711)%20223%20342',
      '%2B254.711.223.342',
      '0711%20223%20344',
      '0711-223-346',
    ])
      expect(redactUrl(`/api/v1/telco/subscribers/${phone}`), phone).toBe('/api/v1/telco/subscribers/***');
    expect(redactUrl('/friendlyscore/api/v2/users/partner-id/0711%20223%20349/show.json')).toBe(
      '/friendlyscore/api/v2/users/partner-id/***/show.json',
    );

    // And so in the request lines of a running server.
    const db = await createTestDatabase('sqlite');
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const app = await buildApp(db.config, {
      logger: { ...(loggerOptions({ ...db.config, logLevel: 'info' }) as object), stream } as never,
      startWorkers: false,
    });
    try {
      for (const url of [
        '/api/v1/telco/subscribers/%2B254712345678',
        '/api/v1/subjects/alice.wanjiru@example.org',
        '/friendlyscore/api/v2/users/partner-id/alice.wanjiru%40example.org/show.json',
        '/api/v1/telco/subscribers/%2B254%20(711)%20223%20342',
        '/api/v1/telco/subscribers/%2B254.711.223.347',
      ])
        await app.inject({ method: 'GET', url });
      const text = lines.join('\n');
      expect(text).toContain('request completed');
      expect(text).not.toMatch(/254712345678|wanjiru|\(711\)|711\.223/);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
