import type { AppContext } from '../context.js';
import type { Principal } from '../services/principal.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** The authenticated caller; set by the dialect's authentication hook. */
    principal: Principal | null;
    /** The body exactly as received, where a dialect's parser keeps it (for the run's input snapshot). */
    rawBody?: string;
    /** The operator's admin key, on /api/v1/admin routes. */
    adminKeyId?: string;
  }
  interface FastifyContextConfig {
    /** The scope a credential needs to call the route. */
    scope?: string;
    /** The JSON body's text may hold the NUL character (json-body.ts): the route checks it itself. */
    textMayHoldNul?: boolean;
    /** The route honours an Idempotency-Key header (documented in the OpenAPI document only). */
    idempotencyKey?: boolean;
    /** The body is a file of one of these types, read as bytes (documented in the OpenAPI document only). */
    fileBodyTypes?: readonly string[];
  }
}
