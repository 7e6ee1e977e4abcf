/**
 * Per-credential rate limits, through @fastify/rate-limit. A dialect registers it in its own
 * context, after authentication, keyed by whoever spends the budget (a client, a key). An exceeded
 * limit throws CREDENCE_RATE_LIMITED, which the dialect's error handler renders in its own
 * vocabulary; the plugin sets Retry-After. The store is chosen here, in one place: in memory (per
 * process) unless a shared one is configured.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError } from '../domain/errors.js';

export interface RateLimitOptions {
  /** Namespaces the budgets, so that two dialects never share one. */
  name: string;
  /** Requests allowed per second for one key, or a function of the request (its credential). */
  perSecond: number | ((req: FastifyRequest) => number);
  /** Whose budget a request spends; runs after authentication, so the principal is known. */
  key: (req: FastifyRequest) => string;
  /** Requests that spend no budget (e.g. a credential with no limit of its own). */
  exempt?: (req: FastifyRequest) => boolean;
  /**
   * When the budget is spent: `preHandler` (the default) after the body is read, or `onRequest`,
   * before it, for a dialect that authenticates in onRequest and promises the limit before the
   * body's problems (an unreadable body then spends budget too).
   */
  phase?: 'onRequest' | 'preHandler';
}

export async function registerRateLimit(app: FastifyInstance, o: RateLimitOptions): Promise<void> {
  const perSecond = o.perSecond;
  // The store is the context's (memory or Redis, src/api/rate-limit-store.ts); plain memory
  // where the app has no context (unit tests of a plugin alone).
  const store = app.hasDecorator('ctx') ? app.ctx.rateLimits.store : undefined;
  // The plugin's handler is taken from the context it decorates: one limit per context.
  if (app.hasDecorator('rateLimit')) throw new Error(`a rate limit is already registered here (${o.name})`);
  await app.register(rateLimit, {
    ...(store ? { store } : {}),
    global: false,
    timeWindow: 1000,
    max: typeof perSecond === 'number' ? perSecond : (req: FastifyRequest) => perSecond(req),
    keyGenerator: (req) => `${o.name}:${o.key(req)}`,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new CredenceError('CREDENCE_RATE_LIMITED', `rate limit exceeded; retry in ${seconds} s`, {
        retryAfterSeconds: seconds,
      });
    },
  });
  // The plugin's own handler, called from a hook of ours after authentication, so that a request
  // that spends no budget (an exempt credential, a route that opts out with `rateLimit: false`)
  // costs one synchronous call rather than the plugin's chain of awaits.
  const limit = app.rateLimit();
  const exempt = o.exempt;
  const spend = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.routeOptions.config.rateLimit === false || exempt?.(req)) {
      done();
      return;
    }
    limit.call(app, req, reply).then(() => done(), done);
  };
  if (o.phase === 'onRequest') app.addHook('onRequest', spend);
  else app.addHook('preHandler', spend);
}
