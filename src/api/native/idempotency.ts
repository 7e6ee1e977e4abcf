/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first request with
 * a key runs and its response is kept for 24 hours; the same key with the same body replays that
 * response; the same key with another body is refused (422); a key whose first request is still
 * running is refused (409). A 5xx response is not kept, so the client may retry.
 *
 * A kept response may hold personal data, so it is sealed with the secret key like every other
 * copy of it, and so is the hash the request is remembered by, which could otherwise be tested
 * against a guessed body. Keys past their 24 hours are deleted, at most once a minute.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  releaseIdempotencyKey,
} from '../../db/repositories/idempotency.repository.js';
import { CredenceError, invalidInput } from '../../domain/errors.js';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.js';

const HEADER = 'idempotency-key';
const KEY_TEXT = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How often expired keys are deleted. */
const PURGE_EVERY_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
    /** The subject a route's response is about, set by the route: its erasure deletes the kept copy. */
    idempotencySubject?: string;
  }
}

/**
 * What a request's body is remembered by: its canonical JSON, or for a file (a Buffer) the digest
 * of its bytes. A file is never turned into JSON: that would be an object with a key per byte,
 * seconds of work holding up every other request for a document of a few megabytes.
 */
function bodyFingerprint(body: unknown): string {
  return Buffer.isBuffer(body) ? `bytes ${sha256Hex(body)}` : canonicalJson(body ?? null);
}

export function registerIdempotency(app: FastifyInstance): void {
  let lastPurge = Number.NEGATIVE_INFINITY;
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || !req.principal) return;
    const raw = req.headers[HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY_TEXT.test(key))
      throw invalidInput('Idempotency-Key', 'Idempotency-Key must be 1-255 visible ASCII characters');
    const db = app.ctx.database.db;
    const { cipher } = app.ctx;
    const tenantId = req.principal.tenantId;
    const hash = sha256Hex(`${req.method} ${req.routeOptions.url}\n${req.url}\n${bodyFingerprint(req.body)}`);
    const now = app.ctx.clock.now();
    if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now.getTime();
      await deleteIdempotencyKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString());
    }

    for (let attempt = 0; attempt < 2; attempt++) {
      if (
        await claimIdempotencyKey(db, {
          tenant_id: tenantId,
          key,
          request_hash: cipher.encrypt(hash),
          created_at: now.toISOString(),
        })
      ) {
        req.idempotencyKey = key;
        return;
      }
      const prior = await findIdempotencyKey(db, tenantId, key);
      if (!prior) continue; // released in the meantime: try to claim it again
      if (now.getTime() - Date.parse(prior.created_at) > IDEMPOTENCY_TTL_MS) {
        await releaseIdempotencyKey(db, tenantId, key);
        continue;
      }
      // Kept before hashes were sealed, the hash is itself.
      if (cipher.decryptOrPlain(prior.request_hash) !== hash) {
        throw new CredenceError(
          'CREDENCE_IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used with a different request',
          { field: 'Idempotency-Key' },
        );
      }
      if (prior.status_code === null) {
        throw new CredenceError(
          'CREDENCE_CONFLICT',
          'a request with this Idempotency-Key is still being processed',
        );
      }
      return reply
        .code(prior.status_code)
        .header('idempotent-replayed', 'true')
        .type(prior.content_type ?? 'application/json')
        .send(
          // A response kept before responses were sealed is the body itself.
          prior.response_body === null ? null : cipher.decryptOrPlain(prior.response_body),
        );
    }
    throw new CredenceError(
      'CREDENCE_CONFLICT',
      'a request with this Idempotency-Key is still being processed',
    );
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key || !req.principal) return payload;
    const db = app.ctx.database.db;
    if (reply.statusCode >= 500) {
      await releaseIdempotencyKey(db, req.principal.tenantId, key);
    } else {
      const contentType = reply.getHeader('content-type');
      await completeIdempotencyKey(db, req.principal.tenantId, key, {
        status_code: reply.statusCode,
        response_body: app.ctx.cipher.encrypt(typeof payload === 'string' ? payload : String(payload ?? '')),
        content_type: typeof contentType === 'string' ? contentType : null,
        subject_id: req.idempotencySubject ?? null,
      });
    }
    return payload;
  });
}
