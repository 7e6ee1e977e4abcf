/**
 * The methods each path of the dialect is served with, so that a path asked with another method
 * is told so. The seed answers "improper method" with 400; the words are Symfony's, whose
 * `MethodNotAllowedHttpException` FriendlyScore's clients saw.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowHeader } from '../../allow.js';
import { FriendlyScoreResponse } from './errors.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/users/:idType/:id/positive/:value.json` as a regular expression of the paths it serves. */
const pattern = (url: string) =>
  new RegExp(
    `^${url
      .split(/(:\w+)/)
      .map((part) => (part.startsWith(':') ? '[^/]+' : escapeRegExp(part)))
      .join('')}$`,
  );

/** Starts recording the routes `app` and its children declare; call before they are registered. */
export function recordRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const routes: { path: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // HEAD included: Fastify declares a HEAD route beside each GET one and answers it.
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ path: pattern(route.url), methods });
  });
  return (path) => routes.filter((r) => r.path.test(path)).flatMap((r) => r.methods);
}

/** 404 for a path the dialect does not serve; 400 with `Allow` for one it serves with other methods. */
export function noRoute(req: FastifyRequest, allowed: string[]): FriendlyScoreResponse {
  // As the client wrote it (a path that spells no UTF-8 text is read otherwise, app.ts).
  const path = req.originalUrl.split('?')[0];
  const message = `No route found for "${req.method} ${path}"`;
  if (allowed.length === 0) return new FriendlyScoreResponse(404, { code: 404, message });
  const allow = allowHeader(allowed);
  return new FriendlyScoreResponse(
    400,
    { code: 400, message: `${message}: Method Not Allowed (Allow: ${allow})` },
    { allow },
  );
}
