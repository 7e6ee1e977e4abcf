import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './request-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('lazy request logger', () => {
  it('writes what the level allows, with the request bindings', async () => {
    const { logger, lines } = capture('warn');
    const child = lazyChildLogger(logger, { request_id: 'req_1' }, {});
    child.info('not written');
    child.warn({ a: 1 }, 'written');
    child.error('also written');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([
      ['written', 'req_1'],
      ['also written', 'req_1'],
    ]);
    expect(lines[0]!.a).toBe(1);
    expect(child.level).toBe('warn');
    expect((child as unknown as pino.Logger).isLevelEnabled('info')).toBe(false);
  });

  it('honours a per-route level', async () => {
    const { logger, lines } = capture('warn');
    const child = lazyChildLogger(logger, { request_id: 'req_2' }, { level: 'debug' });
    child.debug('debug line');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toEqual(['debug line']);
  });

  it('writes nothing under a silent parent (logging switched off)', () => {
    const silent = {
      level: 'silent',
      child: () => silent,
      info() {},
      error() {},
      warn() {},
      debug() {},
      fatal() {},
      trace() {},
    };
    const child = lazyChildLogger(silent as never, { request_id: 'req_3' }, {});
    expect(() => child.error('nothing')).not.toThrow();
  });
});
