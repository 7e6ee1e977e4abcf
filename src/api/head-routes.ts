/**
 * Fastify answers HEAD for every GET route with the GET's headers and, when the answer has no
 * body, `Content-Length: 0`, even on a 204, where RFC 9110 §8.6 forbids the field (the GET itself
 * sends none). The field is taken off again for a 204, so HEAD and GET carry the same headers.
 */
import type { FastifyInstance, onSendHookHandler } from 'fastify';

const noLengthOnNoContent: onSendHookHandler = (_req, reply, payload, done) => {
  if (reply.statusCode === 204) reply.removeHeader('content-length');
  done(null, payload);
};

export function noLengthOnEmptyHeads(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') return;
    const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    // After Fastify's own handler for HEAD routes, which is the last of the route's.
    route.onSend = [...own, noLengthOnNoContent];
  });
}
