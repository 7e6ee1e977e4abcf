/**
 * The FriendlyScore dialect at /friendlyscore: OAuth 2.0 client credentials at `oauth/v2/token`,
 * bearer tokens on `api/v2/...` (in the header, the query string or a form body, access-token.ts),
 * bodies as JSON or as form fields (PHP's `access_tokens[google]=` notation included), and
 * FriendlyScore's error bodies (docs/friendlyscore.md).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { grants } from '../../../auth/scopes.js';
import { classifyError } from '../../http-errors.js';
import { checkTokenBeforeBody, exactAnswer, settleTokenFirst, takeBodyToken } from './access-token.js';
import { parseBodies, phpFields, readBodies } from './body-parser.js';
import { AUDIENCE, SCOPE } from './constants.js';
import { dataRoutes } from './data.routes.js';
import { documentFriendlyScoreRoutes } from './documentation.js';
import { FriendlyScoreResponse, frameworkError, sendError, unauthorized } from './errors.js';
import { feedbackRoutes } from './feedback.routes.js';
import { noRoute, recordRouteMethods } from './route-methods.js';
import { tokenRoutes } from './token.routes.js';
import { isIdType } from './users.js';
import { userRoutes } from './users.routes.js';

/** `{id-type}` in `api/v2/users/{id-type}/{id}/...`: the part of the path that names one. */
const USER_PATH_ID_TYPE = /\/api\/v2\/users\/([^/]*)\/./;

export const friendlyScoreDialect: FastifyPluginAsync = async (app) => {
  readBodies(app);

  app.setErrorHandler(async (error, req, reply) => {
    const exact = await exactAnswer(error, req);
    if (exact) return sendError(reply, exact);
    const c = classifyError(error);
    if (c.internal) req.log.error({ err: error }, 'request failed');
    const { status, body } = frameworkError(c);
    return reply.code(status).send(body);
  });
  // Symfony's wording, which FriendlyScore's clients saw for a path it did not serve.
  const methodsOf = recordRouteMethods(app);
  documentFriendlyScoreRoutes(app);
  // A path that spells no UTF-8 text (read with its `%` signs as themselves, app.ts) is served by
  // no route, whatever its method.
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, noRoute(req, req.url === req.originalUrl ? methodsOf(req.url.split('?')[0]!) : [])),
  );

  // PHP read the query string into `$_GET`: a parameter given twice keeps its last value, and one
  // whose percent-encoding spells bytes that are not UTF-8 is a bad parameter, as in a form body.
  app.addHook('onRequest', async (req) => {
    const q = req.url.indexOf('?');
    if (q !== -1) req.query = phpFields(req.url.slice(q + 1));
  });
  // An {id-type} FriendlyScore does not have makes a path it does not serve: 404 before the token
  // and the body are read, whatever the method, as for any other unknown path.
  app.addHook('onRequest', async (req) => {
    // The path only: a query value may hold such a path too (an unencoded URL as partner id).
    const idType = USER_PATH_ID_TYPE.exec(req.url.split('?')[0]!)?.[1];
    if (idType !== undefined && !isIdType(idType)) throw noRoute(req, []);
  });
  await app.register(tokenRoutes);
  await app.register(async (api) => {
    const authenticate = async (req: FastifyRequest, token: string | undefined) => {
      const check = await app.ctx.tokens.verify(token, AUDIENCE);
      if (!check.ok) throw unauthorized(check.reason);
      if (!grants(check.principal.scopes, SCOPE)) {
        throw new FriendlyScoreResponse(403, {
          code: 403,
          message: `Access Denied: the access token lacks the scope ${SCOPE}`,
        });
      }
      req.principal = check.principal;
    };
    // A form body, read next, may hold a token too: the token is then checked once it is read.
    api.addHook('onRequest', (req) => checkTokenBeforeBody(req, (token) => authenticate(req, token)));
    parseBodies(api, takeBodyToken);
    // A body that looked as if it would come did not: the header's token, or none, is checked now.
    api.addHook('preValidation', async (req) => {
      const settled = await settleTokenFirst(req);
      if (settled) throw settled;
    });
    await api.register(userRoutes);
    await api.register(dataRoutes);
    await api.register(feedbackRoutes);
  });
};
