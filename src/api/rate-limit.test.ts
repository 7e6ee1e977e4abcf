import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { classifyError } from './http-errors.js';
import { registerRateLimit } from './rate-limit.js';

describe('registerRateLimit', () => {
  it('limits each key per second and raises CREDENCE_RATE_LIMITED with Retry-After', async () => {
    const app = Fastify();
    await app.register(async (scoped) => {
      scoped.setErrorHandler((err, _req, reply) => {
        const c = classifyError(err);
        return reply.code(c.status).send({ code: c.code, message: c.message });
      });
      await registerRateLimit(scoped, {
        name: 'test',
        perSecond: 2,
        key: (req) => String(req.headers['x-client']),
      });
      scoped.get('/limited', async () => ({ ok: true }));
    });
    app.get('/elsewhere', async () => ({ ok: true }));
    const call = (client: string, url = '/limited') =>
      app.inject({ method: 'GET', url, headers: { 'x-client': client } });
    expect((await call('a')).statusCode).toBe(200);
    expect((await call('a')).statusCode).toBe(200);
    const refused = await call('a');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'CREDENCE_RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key has its own budget; routes outside the context are not limited.
    expect((await call('b')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call('a', '/elsewhere')).statusCode).toBe(200);
    await app.close();
  });
});
