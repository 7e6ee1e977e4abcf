/**
 * Shared rate limits: three replicas (three apps, each with its own Redis connection, as three
 * processes would have) count one budget. Runs where Redis answers on 127.0.0.1:6379 (or
 * CREDENCE_TEST_REDIS_URL), and always in CI, where CREDENCE_TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_URL } from '../../test/helpers/databases.js';
import { classifyError } from './http-errors.js';
import { registerRateLimit } from './rate-limit.js';
import { createRateLimitBackend, type FailMode, type RateLimitBackend } from './rate-limit-store.js';

const REDIS_URL = process.env.CREDENCE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const reachable = await new Promise<boolean>((resolve) => {
  const u = new URL(REDIS_URL);
  const s = net.connect(Number(u.port || 6379), u.hostname);
  s.once('connect', () => resolve(true));
  s.once('error', () => resolve(false));
  s.setTimeout(500, () => resolve(false));
}).then((ok) => ok);

describe.skipIf(!reachable && !PG_URL)('rate limits shared through Redis', () => {
  const open: { app: FastifyInstance; backend: RateLimitBackend }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app.close();
      await o.backend.close();
    }
  });

  const replica = async (url: string, failMode: FailMode, name: string, perSecond: number) => {
    const backend = createRateLimitBackend(url, failMode);
    const app = Fastify();
    app.decorate('ctx', { rateLimits: backend } as never);
    await app.register(async (scoped) => {
      scoped.setErrorHandler((err, _req, reply) => {
        const c = classifyError(err);
        return reply.code(c.status).send({ code: c.code });
      });
      await registerRateLimit(scoped, { name, perSecond, key: (req) => String(req.headers['x-client']) });
      scoped.get('/limited', async () => ({ ok: true }));
    });
    await app.ready();
    open.push({ app, backend });
    return app;
  };

  it('holds N per second across three replicas', async () => {
    const name = `rl-${randomBytes(4).toString('hex')}`;
    const replicas = await Promise.all([1, 2, 3].map(() => replica(REDIS_URL, 'open', name, 5)));
    // Let each connection come up before the burst.
    await new Promise((r) => setTimeout(r, 200));
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await replicas[i % 3]!.inject({
        method: 'GET',
        url: '/limited',
        headers: { 'x-client': 'a' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    // Another client has its own budget.
    expect(
      (await replicas[0]!.inject({ method: 'GET', url: '/limited', headers: { 'x-client': 'b' } }))
        .statusCode,
    ).toBe(200);
  });

  it('keeps serving while Redis is unreachable: open lets requests through, closed refuses them', async () => {
    const down = 'redis://127.0.0.1:1';
    const openApp = await replica(down, 'open', 'rl-down-open', 1);
    const closedApp = await replica(down, 'closed', 'rl-down-closed', 1);
    for (let i = 0; i < 5; i++) {
      const res = await openApp.inject({ method: 'GET', url: '/limited', headers: { 'x-client': 'a' } });
      expect(res.statusCode).toBe(200);
    }
    const refused = await closedApp.inject({ method: 'GET', url: '/limited', headers: { 'x-client': 'a' } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ code: 'CREDENCE_RATE_LIMITED' });
  });

  it('counts nothing in database 0 when Redis refuses the database the URL names', async () => {
    const name = `rl-${randomBytes(4).toString('hex')}`;
    const url = new URL(REDIS_URL);
    url.pathname = '/9999';
    const lines: string[] = [];
    const backend = createRateLimitBackend(url.toString(), 'closed', { warn: (_o, msg) => lines.push(msg) });
    const app = Fastify();
    app.decorate('ctx', { rateLimits: backend } as never);
    await app.register(async (scoped) => {
      scoped.setErrorHandler((err, _req, reply) => reply.code(classifyError(err).status).send());
      await registerRateLimit(scoped, { name, perSecond: 100, key: () => 'a' });
      scoped.get('/limited', async () => ({ ok: true }));
    });
    await app.ready();
    open.push({ app, backend });
    await expect
      .poll(() => lines, { timeout: 5000 })
      .toContainEqual(expect.stringContaining('CREDENCE_REDIS_URL names a database Redis refuses'));
    // Closed: refused as while Redis is down, not counted in another database.
    expect((await app.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(429);
    expect(lines).not.toContain('Redis for rate limits is reachable again: limits are shared');
    const zero = new URL(REDIS_URL);
    zero.pathname = '/0';
    const check = new Redis(zero.toString());
    try {
      expect(await check.keys(`credence-rl:${name}*`)).toEqual([]);
    } finally {
      check.disconnect();
    }
  });

  it('says nothing of an outage when closed while still connecting, as a short CLI command is', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) {
      const url = new URL(REDIS_URL);
      url.pathname = '/7';
      const backend = createRateLimitBackend(url.toString(), 'open', { warn: (_o, msg) => lines.push(msg) });
      await new Promise((r) => setImmediate(r));
      await backend.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(lines).toEqual([]);
  });

  it('says when Redis is unreachable, and again when it is back', async () => {
    // A port where Redis will appear: nothing listens there yet.
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    await new Promise<void>((r) => holder.close(() => r()));
    const lines: string[] = [];
    const backend = createRateLimitBackend(`redis://127.0.0.1:${port}`, 'open', {
      warn: (_o, msg) => lines.push(msg),
    });
    try {
      await expect
        .poll(() => lines, { timeout: 5000 })
        .toContain('Redis for rate limits is unreachable: failing open');
      // Redis comes up there (a proxy to the real one).
      const target = new URL(REDIS_URL);
      const proxy = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
      try {
        await expect
          .poll(() => lines, { timeout: 10_000 })
          .toContain('Redis for rate limits is reachable again: limits are shared');
      } finally {
        await backend.close();
        proxy.close();
      }
    } finally {
      await backend.close().catch(() => {});
    }
  });
});
