/**
 * Scoring and users: calculate_score (and its deprecated form), get_score, users.json, show.json
 * and delete.json. Scores are calculated in the background: while a calculation runs, get_score
 * and show.json answer 202; with no usable data, 204; once done, 200.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { isCredenceError } from '../../../domain/errors.js';
import type { ScoreState } from '../../../services/friendlyscore/scoring.js';
import type { FriendlyScoreUser } from '../../../services/friendlyscore/users.js';
import { classifyError } from '../../http-errors.js';
import { documentationOnly, validatorCompiler } from '../../validation.js';
import { exactAnswer } from './access-token.js';
import { readCalculateInput } from './calculate-input.js';
import { DIALECT } from './constants.js';
import {
  badParameters,
  FriendlyScoreResponse,
  frameworkError,
  sendError,
  userNotFoundResponse,
} from './errors.js';
import {
  AccessTokenQuery,
  BadParameters,
  CalculateBody,
  DataPoints,
  FrameworkError,
  GetScoreQuery,
  Pending,
  Score,
  Success,
  UserObject,
  UserParams,
  UsersPage,
  UsersQuery,
} from './schemas.js';
import { userView } from './user-view.js';
import { findUser as findOr404, success, userRef } from './users.js';

const tags = ['friendlyscore'];
const security = [{ friendlyScoreBearer: [] }];
const Errors = {
  400: FrameworkError,
  401: FrameworkError,
  403: FrameworkError,
  404: FrameworkError,
  413: FrameworkError,
  415: FrameworkError,
};
/** calculate_score answers an unknown user with the seed's bad-parameters body, not a framework error. */
const CalculateResponses = { ...Errors, 200: Success, 404: BadParameters };
const MAX_PAGE = 200;

/** 202 while the calculation runs, 204 without usable data, 500 if it failed; undefined when scored. */
function notReady(reply: FastifyReply, user: FriendlyScoreUser, state: ScoreState): FastifyReply | undefined {
  switch (state.state) {
    case 'pending':
      return reply.code(202).send({
        result: 'queued',
        message: 'Score calculation is scheduled - data will be available soon.',
        user_id: String(user.number),
      });
    case 'no_data':
      return reply.code(204).send();
    case 'failed':
      return reply.code(500).send({ code: 500, message: 'The score calculation failed' });
    default:
      return undefined;
  }
}

const scoreBody = (user: FriendlyScoreUser, s: Extract<ScoreState, { state: 'scored' }>) => ({
  user_id: String(user.number),
  partner_user_id: user.partnerId,
  friendlyscore: s.score,
  score: s.score,
  band: s.band,
  min_score: s.minScore,
  max_score: s.maxScore,
  reason_codes: s.reasons,
  calculated_at: s.calculatedAt,
});

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** calculate_score's own error handler: a malformed body is a "Bad parameters provided" answer. */
  const calculateErrors = async (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const exact = await exactAnswer(error, req);
    if (exact) return sendError(reply, exact);
    const c = classifyError(error);
    if (c.internal) req.log.error({ err: error }, 'request failed');
    // Only a bad parameter takes the seed's 404 body; a body too large (413), of a type the
    // dialect cannot read (415), or our fault keeps its own status, as on every other route.
    if (c.status !== 400) {
      const { status, body } = frameworkError(c);
      return reply.code(status).send(body);
    }
    const params = req.params as { id?: string } | undefined;
    const partner = (req.body as { partner_user_id?: unknown } | undefined)?.partner_user_id;
    const named = typeof partner === 'string' || typeof partner === 'number' ? String(partner) : '';
    return sendError(reply, badParameters(c.message, params?.id ?? named));
  };

  async function calculate(
    req: FastifyRequest,
    body: Record<string, unknown>,
    ref: { type: 'id'; value: number } | { type: 'partner-id'; value: string },
    shownId: string,
  ) {
    const who = req.principal!;
    const input = readCalculateInput(req, body, shownId, (url) => app.ctx.webhooks.urlProblem(url));
    let target: { existing: FriendlyScoreUser } | { partnerId: string };
    if (ref.type === 'id') {
      const existing = await app.ctx.friendlyscore.users.find(who.tenantId, ref);
      if (!existing) throw userNotFoundResponse();
      target = { existing };
    } else target = { partnerId: ref.value };
    const user = await app.ctx.friendlyscore.scoring.calculate(who, target, input, req.id);
    return success('Queued for calculation.', user);
  }

  app.post(
    '/api/v2/users/:idType/:id/calculate_score.json',
    {
      schema: {
        tags,
        security,
        summary: 'Schedule the user for score calculation',
        params: UserParams,
        body: CalculateBody,
        response: CalculateResponses,
      },
      validatorCompiler: bodyReadByHand,
      errorHandler: calculateErrors,
    },
    async (req) =>
      calculate(req, bodyObject(req.body, req.params.id), userRef(req, req.params), req.params.id),
  );

  app.post(
    '/api/v2/calculate_score.json',
    {
      schema: {
        tags,
        security,
        deprecated: true,
        summary: 'Schedule a user, named by partner_user_id, for score calculation',
        body: CalculateBody,
        response: CalculateResponses,
      },
      validatorCompiler: bodyReadByHand,
      errorHandler: calculateErrors,
    },
    async (req) => {
      const body = bodyObject(req.body, '');
      const partner = body.partner_user_id;
      if (partner === undefined || partner === null || partner === '')
        throw badParameters('partner_user_id is mandatory!', '');
      if (typeof partner !== 'string' && typeof partner !== 'number')
        throw badParameters('partner_user_id must be a string of at most 255 characters', '');
      if (String(partner).length > 255)
        throw badParameters('partner_user_id must be a string of at most 255 characters', String(partner));
      const id = String(partner);
      return calculate(req, body, { type: 'partner-id', value: id }, id);
    },
  );

  async function getScore(reply: FastifyReply, user: FriendlyScoreUser) {
    const state = await app.ctx.friendlyscore.scoring.state(user);
    return notReady(reply, user, state) ?? scoreBody(user, state as Extract<ScoreState, { state: 'scored' }>);
  }

  app.get(
    '/api/v2/get_score.json',
    {
      schema: {
        tags,
        security,
        summary: 'The score of a user named by partner_user_id (or id)',
        querystring: GetScoreQuery,
        response: { 200: Score, 202: Pending, 204: { type: 'null' }, ...Errors },
      },
    },
    async (req, reply) => {
      const { partner_user_id, id } = req.query;
      if ((partner_user_id === undefined) === (id === undefined)) {
        throw new FriendlyScoreResponse(400, {
          code: 400,
          message:
            partner_user_id === undefined
              ? 'Bad parameters provided - partner_user_id is mandatory (or id, the FriendlyScore id)'
              : 'Bad parameters provided - give partner_user_id or id, not both',
        });
      }
      const user = await app.ctx.friendlyscore.users.find(
        req.principal!.tenantId,
        partner_user_id !== undefined
          ? { type: 'partner-id', value: partner_user_id }
          : userRef(req, { idType: 'id', id: id! }),
      );
      if (!user) throw userNotFoundResponse();
      return getScore(reply, user);
    },
  );

  app.get(
    '/api/v2/users/:idType/:id/get_score.json',
    {
      schema: {
        tags,
        security,
        summary: "The user's score",
        params: UserParams,
        querystring: AccessTokenQuery,
        response: { 200: Score, 202: Pending, 204: { type: 'null' }, ...Errors },
      },
    },
    async (req, reply) => getScore(reply, await findOr404(app, req, req.params)),
  );

  app.get(
    '/api/v2/users.json',
    {
      schema: {
        tags,
        security,
        summary: 'Every user, a page at a time',
        querystring: UsersQuery,
        response: { 200: UsersPage, ...Errors },
      },
      // An empty parameter (`?page=`, as a PHP client builds it from an unset value) is one not
      // given: its default applies.
      preValidation: async (req) => {
        const query = req.query as Record<string, unknown>;
        for (const name of ['page', 'max_results']) if (query[name] === '') delete query[name];
      },
    },
    async (req) => {
      const who = req.principal!;
      const perPage = Math.min(req.query.max_results, MAX_PAGE);
      const { users, total } = await app.ctx.friendlyscore.users.page(who.tenantId, req.query.page, perPage);
      const states = await app.ctx.friendlyscore.scoring.states(who.tenantId, users);
      return {
        page: req.query.page,
        max_results: perPage,
        total,
        pages: Math.ceil(total / perPage),
        results: await Promise.all(users.map((u) => userView(app, who, u, states.get(u.subjectId)!))),
        notices: { google_scopes_notice: null, ip_address_notice: null },
      };
    },
  );

  app.get(
    '/api/v2/users/:idType/:id/show.json',
    {
      schema: {
        tags,
        security,
        summary: "The user's main data, with notices",
        params: UserParams,
        querystring: AccessTokenQuery,
        response: { 200: UserObject, 202: Pending, 204: { type: 'null' }, ...Errors },
      },
    },
    async (req, reply) => {
      const user = await findOr404(app, req, req.params);
      const state = await app.ctx.friendlyscore.scoring.state(user);
      return notReady(reply, user, state) ?? userView(app, req.principal!, user, state);
    },
  );

  app.get(
    '/api/v2/users/:idType/:id/show/data-points.json',
    {
      schema: {
        tags,
        security,
        summary: "The data points of the user's newest score: each characteristic's value, bin and points",
        params: UserParams,
        querystring: AccessTokenQuery,
        response: { 200: DataPoints, 202: Pending, 204: { type: 'null' }, ...Errors },
      },
    },
    async (req, reply) => {
      const user = await findOr404(app, req, req.params);
      const state = await app.ctx.friendlyscore.scoring.dataPoints(user);
      if (state.state !== 'scored') return notReady(reply, user, state);
      return {
        user_id: String(user.number),
        partner_user_id: user.partnerId,
        friendlyscore: state.score,
        calculated_at: state.calculatedAt,
        data_points: state.points,
      };
    },
  );

  app.delete(
    '/api/v2/users/:idType/:id/delete.json',
    {
      schema: {
        tags,
        security,
        summary: 'Erase the user and everything kept about them',
        params: UserParams,
        querystring: AccessTokenQuery,
        response: { 200: Success, ...Errors },
      },
    },
    async (req) => {
      const user = await findOr404(app, req, req.params);
      try {
        await app.ctx.erasure.erase(
          user.tenantId,
          { id: user.subjectId, partnerId: user.partnerId },
          { actor: req.principal!.credentialId, via: DIALECT },
        );
      } catch (err) {
        // Deleted by a request that ran at the same moment: for this one, the user is not found.
        if (isCredenceError(err) && err.code === 'CREDENCE_NOT_FOUND') throw userNotFoundResponse();
        throw err;
      }
      return success('User deleted.', user);
    },
  );
};

/**
 * calculate_score's body is read by readCalculateInput, in the seed's order and words (a missing IP
 * address first, then empty `access_tokens`); its schema only documents it. The path is still
 * checked by its schema.
 */
const bodyReadByHand: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? documentationOnly(route) : validatorCompiler(route);

/** The body's fields: a JSON value that is not an object has none to read. */
function bodyObject(body: unknown, userId: string): Record<string, unknown> {
  if (body !== null && typeof body === 'object' && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw badParameters('request body must be a JSON object', userId);
}
