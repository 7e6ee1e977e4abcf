/**
 * `POST /api/v1/device-score`: the `device_score` scorecard over a customer's version-1 device
 * predictors, kept in the history like every score. The predictors are read from the latest sync
 * (computed on the spot if its featurization has not run yet).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { CredenceError, notFound } from '../../domain/errors.js';
import { ProblemSchema } from './problem.js';

const DEVICE_SCORE_VERSION = 1;

export const deviceScoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/device-score',
    {
      config: { scope: SCOPES.scoresWrite },
      schema: {
        tags: ['device'],
        summary: "Score a customer's synced device data with the device_score scorecard",
        body: Type.Object(
          {
            customer_id: Type.String({
              minLength: 1,
              maxLength: 260,
              description: 'The id the device synced with.',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            run_id: Type.String(),
            customer_id: Type.String(),
            model: Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String() }),
            score: Type.Number(),
            max_score: Type.Number(),
            pd: Type.Number(),
            grade: Type.Union([Type.String(), Type.Null()]),
            reasons: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
            predictor_version: Type.Integer(),
          }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (req) => {
      const who = req.principal!;
      const customerId = req.body.customer_id;
      const current = await app.ctx.device.features.current(who.tenantId, customerId, DEVICE_SCORE_VERSION);
      if (!current) throw notFound('device customer', customerId);
      // The answer names the customer and their score: a copy kept for Idempotency-Key replays is
      // erased with the subject.
      req.idempotencySubject = current.subjectId;
      if (!current.predictors)
        throw new CredenceError('CREDENCE_NOT_APPLICABLE', 'the synced device data holds nothing to score');
      const attributes = Object.fromEntries(current.predictors.map((p) => [p.name, p.value]));
      const run = await app.ctx.scoring.scoreAttributes(who, 'device_score', attributes, {
        partnerId: customerId,
        dialect: 'native',
        requestId: req.id,
        rawInput: { customer_id: customerId, predictor_version: DEVICE_SCORE_VERSION },
      });
      const s = run.outcome.scorecard;
      return {
        run_id: run.id,
        customer_id: customerId,
        model: run.outcome.model,
        score: s.score,
        max_score: s.maxScore,
        pd: s.pd,
        grade: s.grade ?? null,
        reasons: s.reasons.map((r) => ({ code: r.code, description: r.description })),
        predictor_version: DEVICE_SCORE_VERSION,
      };
    },
  );
};
