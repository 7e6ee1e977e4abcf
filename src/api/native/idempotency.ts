/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first request with
 * a key runs and its response is kept for 24 hours; the same key with the same body replays that
 * response; the same key with another body is refused (422); a key whose first request is still
 * running is refused (409). A 5xx response is not kept, so the client may retry.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
} from '../../db/repositories/idempotency.repository.js';
import { CredenceError, invalidInput } from '../../domain/errors.js';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.js';

const HEADER = 'idempotency-key';
const KEY_TEXT = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

export function registerIdempotency(app: FastifyInstance): void {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || !req.principal) return;
    const raw = req.headers[HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY_TEXT.test(key))
      throw invalidInput('Idempotency-Key', 'Idempotency-Key must be 1-255 visible ASCII characters');
    const db = app.ctx.database.db;
    const tenantId = req.principal.tenantId;
    const hash = sha256Hex(
      `${req.method} ${req.routeOptions.url}\n${req.url}\n${canonicalJson(req.body ?? null)}`,
    );
    const now = app.ctx.clock.now();

    for (let attempt = 0; attempt < 2; attempt++) {
      if (
        await claimIdempotencyKey(db, {
          tenant_id: tenantId,
          key,
          request_hash: hash,
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
      if (prior.request_hash !== hash) {
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
        .send(prior.response_body);
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
        response_body: typeof payload === 'string' ? payload : String(payload ?? ''),
        content_type: typeof contentType === 'string' ? contentType : null,
      });
    }
    return payload;
  });
}
