import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../app.js';
import { loadConfig } from '../config.js';
import { redactPii } from './log-redaction.js';

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
});
