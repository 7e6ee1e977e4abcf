/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first request with
 * a key runs and its response is kept for 24 hours; the same key with the same body replays that
 * response; the same key with another body is refused (422); a key whose first request is still
 * running is refused (409). A 5xx response is not kept, so the client may retry.
 *
 * A request whose process died while it ran leaves its claim behind, with no response. Such a
 * claim lapses after `IDEMPOTENCY_CLAIM_LEASE_MS`, far longer than any request runs, and the key
 * is then claimed anew: a client retrying after a crash gets 409s for minutes, not for a day.
 *
 * A kept response may hold personal data, so it is sealed with the secret key like every other
 * copy of it, and so is the hash the request is remembered by, which could otherwise be tested
 * against a guessed body. Keys past their 24 hours are deleted once a minute, and before a request
 * with a key if a minute has passed since.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  type IdempotencyClaim,
  releaseIdempotencyKey,
} from '../../db/repositories/idempotency.repository.js';
import { CredenceError, invalidInput } from '../../domain/errors.js';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.js';
import { sweepEvery } from '../sweep.js';

const HEADER = 'idempotency-key';
const KEY_TEXT = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim without a response holds its key: its request is taken to have died after it. */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 5 * 60 * 1000;
/** How often expired keys are deleted. */
const PURGE_EVERY_MS = 60_000;
/** How often a claim the database could not settle is tried again, and how many are remembered. */
const SETTLE_RETRY_MS = 2_000;
const MAX_UNSETTLED = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: IdempotencyClaim;
    /**
     * What a route's response is about, set by the route: a subject, a telco subscriber, or an
     * application reported to the consortium. Its erasure (with the person's) deletes the kept copy.
     */
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

/** What a request is remembered by: its method, route, URL and body. */
export function requestHash(method: string, route: string, url: string, body: unknown): string {
  return sha256Hex(`${method} ${route}\n${url}\n${bodyFingerprint(body)}`);
}

export function registerIdempotency(app: FastifyInstance): void {
  let lastPurge = Number.NEGATIVE_INFINITY;
  const purge = async () => {
    const now = app.ctx.clock.now().getTime();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    await deleteIdempotencyKeysBefore(app.ctx.database.db, new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
  };
  // Expired keys go whether or not requests with a key keep coming: a kept answer may hold
  // personal data, and a server that gets no more idempotent requests must still let it go.
  sweepEvery(app, PURGE_EVERY_MS, 'delete expired Idempotency-Key answers', purge);
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
    const hash = requestHash(req.method, req.routeOptions.url ?? '', req.url, req.body);
    const now = app.ctx.clock.now();
    await purge();

    for (let attempt = 0; attempt < 2; attempt++) {
      const claim = { tenantId, key, createdAt: now.toISOString() };
      if (
        await claimIdempotencyKey(db, {
          tenant_id: tenantId,
          key,
          request_hash: cipher.encrypt(hash),
          created_at: claim.createdAt,
        })
      ) {
        req.idempotencyClaim = claim;
        return;
      }
      const prior = await findIdempotencyKey(db, tenantId, key);
      if (!prior) continue; // released in the meantime: try to claim it again
      const age = now.getTime() - Date.parse(prior.created_at);
      if (age > IDEMPOTENCY_TTL_MS || (prior.status_code === null && age > IDEMPOTENCY_CLAIM_LEASE_MS)) {
        await releaseIdempotencyKey(db, { tenantId, key, createdAt: prior.created_at });
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

  // Claims the database could not settle when their answer was sent, tried again until they lapse.
  const unsettled = new Map<IdempotencyClaim, () => Promise<void>>();
  sweepEvery(app, SETTLE_RETRY_MS, 'settle Idempotency-Key claims', async () => {
    for (const [claim, settle] of unsettled) {
      if (app.ctx.clock.now().getTime() - Date.parse(claim.createdAt) > IDEMPOTENCY_CLAIM_LEASE_MS) {
        unsettled.delete(claim);
        continue;
      }
      // Still failing: the next round tries again, without a log line every few seconds.
      if (
        await settle().then(
          () => true,
          () => false,
        )
      )
        unsettled.delete(claim);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    const db = app.ctx.database.db;
    // A 5xx may be retried; a 400 or 422 refused the request, which did nothing: the same key then
    // serves the corrected request, as it does one refused before the route ran.
    let settle: () => Promise<void>;
    if (reply.statusCode >= 500 || reply.statusCode === 400 || reply.statusCode === 422) {
      settle = () => releaseIdempotencyKey(db, claim);
    } else {
      const contentType = reply.getHeader('content-type');
      const response = {
        status_code: reply.statusCode,
        response_body: app.ctx.cipher.encrypt(typeof payload === 'string' ? payload : String(payload ?? '')),
        content_type: typeof contentType === 'string' ? contentType : null,
        subject_id: req.idempotencySubject ?? null,
      };
      settle = () => completeIdempotencyKey(db, claim, response);
    }
    // The answer stands whatever becomes of its key: the request did its work (or did none), and
    // replacing the answer with the database's error would tell the client otherwise. A claim left
    // unsettled would hold its key for the whole lease, so it is tried again meanwhile.
    try {
      await settle();
    } catch (err) {
      req.log.warn({ err }, 'could not settle the Idempotency-Key claim; trying again every few seconds');
      if (unsettled.size < MAX_UNSETTLED) unsettled.set(claim, settle);
    }
    return payload;
  });
}
