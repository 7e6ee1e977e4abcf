/**
 * The FinBox DeviceConnect Insights dialect at /finbox: `x-api-key` server keys of type
 * `finbox-server`, a salt per request computed with the key's SERVER_HASH, an IP allowlist on the
 * production path only, and the vendor's `{status, message}` vocabulary with its HTTP codes for
 * every outcome (docs/finbox.md).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ipAllowed } from '../../../auth/ip-allowlist.js';
import type { KeyCheck } from '../../../auth/key-authenticator.js';
import { CredenceError } from '../../../domain/errors.js';
import { finboxTimestamp } from '../../../domain/finbox/timestamp.js';
import { timeOrderedHex } from '../../../lib/ids.js';
import type { ServerKeyExtras } from '../../../services/device/finbox-keys.js';
import { headerValue } from '../../auth-hooks.js';
import { classifyError } from '../../http-errors.js';
import { registerRateLimit } from '../../rate-limit.js';
import { MESSAGES } from './responses.js';
import { finboxRoutes } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** DeviceConnect: the request's id and arrival time, as answered. */
    finbox?: { requestId: string; dateRequested: string; key: ServerKeyExtras; customerId?: string };
  }
  interface FastifyContextConfig {
    /** DeviceConnect: the production path, where the key's IP allowlist applies. */
    enforceIpAllow?: boolean;
  }
}

const SERVER_KEY = ['finbox-server'];

const VALIDATION_CODES = new Set([
  'CREDENCE_INVALID_INPUT',
  'CREDENCE_INVALID_JSON',
  'CREDENCE_PAYLOAD_TOO_LARGE',
  'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
]);

/** The seed's `message` is a STRING [200]; a message naming a very long key is cut to fit. */
const MESSAGE_MAX = 200;
const fitted = (message: string) =>
  message.length <= MESSAGE_MAX ? message : `${message.slice(0, MESSAGE_MAX - 1)}…`;

function fail(error: unknown, req: FastifyRequest, reply: FastifyReply) {
  const c = classifyError(error);
  if (c.code === 'CREDENCE_UNAUTHENTICATED' || c.code === 'CREDENCE_FORBIDDEN')
    return reply.code(403).send({ status: 'error', message: MESSAGES.unauthorized });
  if (c.code === 'CREDENCE_RATE_LIMITED') {
    const seconds = (c.details?.retryAfterSeconds as number | undefined) ?? 1;
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ status: 'error', message: MESSAGES.rate_limited });
  }
  if (c.code === 'CREDENCE_ROUTE_NOT_FOUND')
    return reply.code(404).send({ status: 'error', message: MESSAGES.route });
  if (VALIDATION_CODES.has(c.code)) {
    const f = req.finbox;
    return reply.code(400).send({
      ...(f?.customerId !== undefined ? { customer_id: f.customerId } : {}),
      ...(f ? { request_id: f.requestId, date_requested: f.dateRequested } : {}),
      status: 'error',
      message: fitted(c.message),
    });
  }
  req.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ status: 'error', message: MESSAGES.internal });
}

export const finboxDialect: FastifyPluginAsync = async (app) => {
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, req, reply) => fail(error, req, reply));
  app.setNotFoundHandler((req, reply) =>
    fail(new CredenceError('CREDENCE_ROUTE_NOT_FOUND', 'no route'), req, reply),
  );

  const { keyAuth, device } = app.ctx;
  /** Lets the request in as the key's, or throws the vendor's 403. */
  const admit = (req: FastifyRequest, check: KeyCheck, extras: ServerKeyExtras | false | undefined) => {
    if (!check.ok || !extras) throw new CredenceError('CREDENCE_UNAUTHENTICATED', MESSAGES.unauthorized);
    // The seed: the production endpoint is IP-whitelisted, the development one is not.
    if (req.routeOptions.config.enforceIpAllow && !ipAllowed(extras.allow, req.ip))
      throw new CredenceError('CREDENCE_FORBIDDEN', MESSAGES.unauthorized);
    const now = app.ctx.clock.now();
    req.principal = check.principal;
    req.finbox = {
      requestId: timeOrderedHex(now.getTime()),
      dateRequested: finboxTimestamp(now),
      key: extras,
    };
  };
  // A key whose check and SERVER_HASH are both cached passes without a promise, as on the other
  // dialects; Fastify turns what `admit` throws into the error response.
  app.addHook('onRequest', (req, _reply, done) => {
    const key = headerValue(req, 'x-api-key');
    const cached = keyAuth.checkCached(key, SERVER_KEY);
    const extras = cached?.ok ? device.finboxKeys.cachedExtras(cached.principal.credentialId) : false;
    if (cached && extras !== undefined) {
      admit(req, cached, extras);
      done();
      return;
    }
    keyAuth
      .check(key, SERVER_KEY)
      .then(async (check) =>
        admit(req, check, check.ok ? await device.finboxKeys.extras(check.principal.credentialId) : false),
      )
      .then(() => done(), done);
  });

  // Spent in onRequest, after the key: the documented order is key (403), rate limit (429), body.
  await registerRateLimit(app, {
    name: 'finbox',
    phase: 'onRequest',
    perSecond: (req) => req.principal?.rateLimit ?? app.ctx.config.finboxRateLimit,
    key: (req) => req.principal?.credentialId ?? req.ip,
  });
  await app.register(finboxRoutes);
};
