/**
 * What the tenant tells about a user: the positive flag, loan performance and a status. The flag
 * and performance are stored as outcomes, which model monitoring reads; the status is the user's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DIALECT } from './constants.js';
import { FriendlyScoreResponse } from './errors.js';
import { performanceOutcomes } from './performance.js';
import {
  AccessTokenQuery,
  FrameworkError,
  PerformanceBody,
  StatusBody,
  Success,
  UserParams,
} from './schemas.js';
import { findUser, success } from './users.js';

const tags = ['friendlyscore'];
const security = [{ friendlyScoreBearer: [] }];
const responses = {
  200: Success,
  400: FrameworkError,
  401: FrameworkError,
  403: FrameworkError,
  404: FrameworkError,
};
const bad = (message: string) =>
  new FriendlyScoreResponse(400, { code: 400, message: `Bad parameters provided - ${message}` });

export const feedbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/v2/users/:idType/:id/positive/:value.json',
    {
      schema: {
        tags,
        security,
        summary: 'Set (1) or unset (0) the positive flag of the user',
        params: Type.Intersect([UserParams, Type.Object({ value: Type.String() })]),
        querystring: AccessTokenQuery,
        response: responses,
      },
    },
    async (req) => {
      const { value } = req.params;
      if (value !== '0' && value !== '1') throw bad('positive-val must be 1 (positive) or 0 (negative)');
      const user = await findUser(app, req, req.params);
      await app.ctx.outcomes.record(
        req.principal!,
        [
          {
            partnerId: user.partnerId,
            outcome: {
              kind: 'feedback',
              status: value === '1' ? 'positive' : 'negative',
              observedAt: app.ctx.clock.now().toISOString(),
            },
          },
        ],
        DIALECT,
      );
      return success(value === '1' ? 'Positive flag set.' : 'Positive flag unset.', user);
    },
  );

  app.post(
    '/api/v2/users/:idType/:id/performance-data.json',
    {
      schema: {
        tags,
        security,
        summary: 'Record how the loan application and the loan of the user performed',
        params: UserParams,
        body: PerformanceBody,
        response: responses,
      },
    },
    async (req) => {
      const user = await findUser(app, req, req.params);
      const outcomes = performanceOutcomes(req.body, app.ctx.clock.now().toISOString());
      await app.ctx.outcomes.record(
        req.principal!,
        outcomes.map((outcome) => ({ partnerId: user.partnerId, outcome })),
        DIALECT,
      );
      return success('Performance data saved.', user);
    },
  );

  app.post(
    '/api/v2/users/:idType/:id/status.json',
    {
      schema: {
        tags,
        security,
        summary: 'Set the status of the user and its description',
        params: UserParams,
        body: StatusBody,
        response: responses,
      },
    },
    async (req) => {
      const { status, status_description } = req.body;
      if (status === undefined || status === null || status === '') throw bad('status is mandatory');
      if (typeof status !== 'string' && typeof status !== 'number') throw bad('status must be text');
      if (String(status).length > 255) throw bad('status must be at most 255 characters');
      if (
        status_description !== undefined &&
        status_description !== null &&
        typeof status_description !== 'string'
      )
        throw bad('status_description must be text');
      if (typeof status_description === 'string' && status_description.length > 2000)
        throw bad('status_description must be at most 2000 characters');
      const user = await findUser(app, req, req.params);
      await app.ctx.friendlyscore.users.setStatus(user, String(status), status_description || null);
      return success('Status saved.', user);
    },
  );
};
