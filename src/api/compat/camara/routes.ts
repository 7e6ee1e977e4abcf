/** `POST /scoring/retrieve` of one API version; other methods on the path answer 405. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SCOPES } from '../../../auth/scopes.js';
import { CredenceError } from '../../../domain/errors.js';
import { allowHeader } from '../../allow.js';
import { leaveBodyUnread } from '../../unknown-path-body.js';
import type { ApiVersion } from './errors.js';
import { CorrelatorHeader, ErrorInfo, ScoringResponse, scoringRequest } from './schemas.js';

const errors = Object.fromEntries(
  [400, 401, 403, 404, 405, 406, 415, 422, 429, 500, 503].map((s) => [s, ErrorInfo]),
);

export const retrieveRoutes: FastifyPluginAsyncTypebox<{ version: ApiVersion }> = async (app, opts) => {
  app.post(
    '/scoring/retrieve',
    {
      schema: {
        tags: ['camara'],
        summary: `Retrieves Scoring information (CAMARA Customer Insights ${opts.version})`,
        security: [{ camaraOpenId: [SCOPES.customerInsightsScoring] }],
        headers: CorrelatorHeader,
        body: scoringRequest(opts.version),
        response: { 200: ScoringResponse, ...errors },
      },
    },
    async (req) => {
      const body = req.body;
      const answer = await app.ctx.telco.insights.retrieve({
        principal: req.principal!,
        subject: req.tokenSubject,
        consentScope: SCOPES.customerInsightsScoring,
        phoneNumber: body.phoneNumber,
        idDocument: body.idDocument,
        scoringType: body.scoringType,
        requestId: req.id,
        rawInput: body,
      });
      return { scoringType: answer.scoringType, scoringValue: answer.scoringValue };
    },
  );

  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'],
    url: '/scoring/retrieve',
    config: { anonymous: true, rateLimit: false },
    preParsing: leaveBodyUnread,
    schema: { hide: true },
    handler: async (_req, reply) => {
      reply.header('allow', allowHeader(['POST']));
      throw new CredenceError('CREDENCE_METHOD_NOT_ALLOWED', 'only POST is allowed on /scoring/retrieve');
    },
  });
};
