/**
 * Where rate-limit counters live. In memory (each process counts alone) unless
 * `CREDENCE_REDIS_URL` names a Redis, whose counters every replica shares, so a limit of N per
 * second holds across all of them.
 *
 * When Redis cannot be reached, a request is let through (`open`, the default: a limiter outage
 * should not become an API outage) or refused as rate limited (`closed`), as
 * `CREDENCE_RATE_LIMIT_FAIL` says. Commands fail at once while Redis is down rather than queue,
 * so requests never wait on it.
 */
import { createRequire } from 'node:module';
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import { Redis } from 'ioredis';

const require = createRequire(import.meta.url);
// The plugin's own Redis store (a Lua INCR + PEXPIRE), which it does not export by name.
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => Store;

type Incr = (err: Error | null, res: { current: number; ttl: number } | null) => void;
interface Store {
  incr(key: string, cb: Incr, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}

export type FailMode = 'open' | 'closed';

export interface RateLimitBackend {
  kind: 'memory' | 'redis';
  failMode: FailMode;
  /** The store option for @fastify/rate-limit; undefined for memory. */
  store: RateLimitPluginOptions['store'];
  close(): Promise<void>;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export function createRateLimitBackend(
  redisUrl: string | undefined,
  failMode: FailMode,
  logger?: Logger,
): RateLimitBackend {
  if (!redisUrl) return { kind: 'memory', failMode, store: undefined, close: async () => {} };
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Requests never wait for a connection (no offline queue): this only bounds a connection
    // attempt, which the event loop, busy at start (migrations, models), must get to answer.
    connectTimeout: 5000,
    commandTimeout: 500,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  let warnedAt = 0;
  // Redis refused the URL's database (`redis://host:6379/99` beyond its `databases`): ioredis then
  // keeps the connection on database 0, where the counters are not the ones the URL names. They
  // are never counted there; the limits fail as while Redis is down, until the URL is corrected.
  let refusedDatabase: string | undefined;
  const onStoreError = (err: Error) => {
    // One line a minute while Redis is down, not one per request.
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    logger?.warn(
      { err: err.message, failMode },
      refusedDatabase
        ? `CREDENCE_REDIS_URL names a database Redis refuses (${refusedDatabase}): rate limits fail ${failMode} until it is corrected`
        : `Redis for rate limits is unreachable: failing ${failMode}`,
    );
  };
  // Closed while still connecting (a short CLI command): what fails then is the closing, no outage.
  let closed = false;
  redis.on('error', (err: Error & { command?: { name?: string } }) => {
    if (closed) return;
    if (err.command?.name === 'select' && !refusedDatabase) {
      refusedDatabase = err.message;
      warnedAt = 0;
    }
    onStoreError(err);
  });
  redis.on('ready', () => {
    if (warnedAt === 0 || refusedDatabase) return;
    warnedAt = 0;
    logger?.warn({ failMode }, 'Redis for rate limits is reachable again: limits are shared');
  });

  class SharedStore implements Store {
    private readonly inner: Store;
    constructor(inner: Store | { continueExceeding: boolean; exponentialBackoff: boolean }) {
      this.inner =
        'incr' in inner
          ? inner
          : new RedisStore(inner.continueExceeding, inner.exponentialBackoff, redis, 'credence-rl:');
    }
    incr(key: string, cb: Incr, timeWindow: number, max: number): void {
      // Open: count nothing. Closed: count past the limit, so the request is refused.
      const failed = (err: Error) => {
        onStoreError(err);
        cb(null, failMode === 'open' ? { current: 0, ttl: timeWindow } : { current: max + 1, ttl: 1000 });
      };
      if (refusedDatabase) {
        failed(new Error(refusedDatabase));
        return;
      }
      this.inner.incr(key, (err, res) => (err ? failed(err) : cb(null, res)), timeWindow, max);
    }
    child(routeOptions: unknown): Store {
      return new SharedStore(this.inner.child(routeOptions));
    }
  }
  return {
    kind: 'redis',
    failMode,
    store: SharedStore as unknown as RateLimitPluginOptions['store'],
    close: async () => {
      closed = true;
      redis.disconnect();
    },
  };
}
