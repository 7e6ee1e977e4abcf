/**
 * Authentication and scope checks that dialects register in their own context, each reading its
 * own credential and answering in its own vocabulary.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ipAllowed } from '../auth/ip-allowlist.js';
import type { KeyCheck } from '../auth/key-authenticator.js';
import { grants } from '../auth/scopes.js';
import { CredenceError } from '../domain/errors.js';
import type { Principal } from '../services/principal.js';
import { registerRateLimit } from './rate-limit.js';

export function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const auth = headerValue(req, 'authorization');
  if (!auth) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m ? m[1] : undefined;
}

export const unauthenticated = (check: Exclude<KeyCheck, { ok: true }>, what = 'API key') =>
  new CredenceError(
    'CREDENCE_UNAUTHENTICATED',
    check.reason === 'missing'
      ? `${what} is missing`
      : check.reason === 'wrong-type'
        ? `${what} is a ${check.type} key, which this API does not take`
        : `${what} is invalid`,
  );

/** Refuses a credential used from an address outside its IP allowlist (403). */
export function assertAddressAllowed(req: FastifyRequest, principal: Principal): void {
  // Only a key with an allowlist reads the caller's address (a system call).
  const allow = principal.ipAllow ?? null;
  if (allow !== null && !ipAllowed(allow, req.ip))
    throw new CredenceError('CREDENCE_FORBIDDEN', 'this key may not be used from this address');
}

/** Authenticates every request in this context with an API key read by `read`. */
export function requireApiKey(
  app: FastifyInstance,
  read: (req: FastifyRequest) => string | undefined,
  what?: string,
): void {
  const keyAuth = app.ctx.keyAuth;
  const accept = (req: FastifyRequest, check: KeyCheck): void => {
    if (!check.ok) throw unauthenticated(check, what);
    assertAddressAllowed(req, check.principal);
    req.principal = check.principal;
  };
  // A key seen within the last second is answered from memory, synchronously: most requests then
  // pass this hook without a promise. Fastify turns what `accept` throws into the error response.
  app.addHook('onRequest', (req, _reply, done) => {
    const key = read(req);
    const cached = keyAuth.checkCached(key);
    if (cached) {
      accept(req, cached);
      done();
      return;
    }
    keyAuth.check(key).then((check) => {
      let failure: unknown;
      try {
        accept(req, check);
      } catch (err) {
        failure = err;
      }
      done(failure as Error | undefined);
    }, done);
  });
}

/** The per-key rate limit an operator set (`rate_limit`); keys without one spend no budget here. */
export async function registerKeyRateLimit(app: FastifyInstance, name: string): Promise<void> {
  await registerRateLimit(app, {
    name: `${name}-key`,
    perSecond: (req) => req.principal?.rateLimit ?? 1,
    key: (req) => req.principal?.credentialId ?? req.ip,
    exempt: (req) => (req.principal?.rateLimit ?? null) === null,
  });
}

/** Refuses a request whose credential lacks `scope`. */
export function assertScope(req: FastifyRequest, scope: string): void {
  if (!req.principal || !grants(req.principal.scopes, scope)) {
    throw new CredenceError('CREDENCE_FORBIDDEN', `this credential lacks the scope ${scope}`, { scope });
  }
}

/**
 * Checks the scope a route declares in `config.scope`, with the key and before the body (register
 * it after the key's hook): a key that may not call the route is told so whatever it sent.
 * Synchronous, so it costs no promise.
 */
export function enforceRouteScopes(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const scope = req.routeOptions.config.scope;
    if (scope) assertScope(req, scope);
    done();
  });
}

/**
 * OAuth client credentials from HTTP Basic (RFC 6749 §2.3.1, `client_secret_basic`): undefined
 * without an Authorization header, null when it is not well-formed Basic.
 */
export function basicCredentials(req: FastifyRequest): { id: string; secret: string } | null | undefined {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  try {
    // §2.3.1: both parts are form-urlencoded before they are joined.
    return {
      id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}
