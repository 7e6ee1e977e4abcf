/** `GET /api/v1/subjects/{id}/composite-score`: the subject's scores combined (docs/composite-score.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { COMPOSITE_SCALING } from '../../domain/scoring/composite.js';
import { ProblemSchema } from './problem.js';

const Reason = { code: Type.String(), description: Type.String() };
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const CompositeScoreSchema = Type.Object({
  subject_id: Type.String(),
  score: Nullable(Type.Integer({ description: 'Null when no run of a service with a positive weight' })),
  pd: Nullable(Type.Number()),
  scaling: Type.Object({ base_score: Type.Number(), base_odds: Type.Number(), pdo: Type.Number() }),
  components: Type.Array(
    Type.Object({
      service: Type.String(),
      model: Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String() }),
      run_id: Type.String(),
      score: Type.Number(),
      pd: Type.Number(),
      weight: Type.Number(),
      scored_at: Type.String(),
      reasons: Type.Array(Type.Object(Reason)),
    }),
  ),
  reasons: Type.Array(Type.Object({ service: Type.String(), ...Reason })),
});

export const compositeScoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/subjects/:id/composite-score',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['subjects'],
        summary: "The subject's latest score of each service, combined into one",
        description:
          'PDs averaged in log-odds with the configured weights (CREDENCE_COMPOSITE_WEIGHTS), 600 points at odds 50:1, 20 points to double the odds. docs/composite-score.md',
        params: Type.Object({ id: Type.String() }),
        response: {
          200: CompositeScoreSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (req) => {
      const c = await app.ctx.composite.of(req.principal!, req.params.id);
      return {
        subject_id: c.subjectId,
        score: c.score,
        pd: c.pd,
        scaling: {
          base_score: COMPOSITE_SCALING.baseScore,
          base_odds: COMPOSITE_SCALING.baseOdds,
          pdo: COMPOSITE_SCALING.pdo,
        },
        components: c.components.map((x) => ({
          service: x.service,
          model: x.model,
          run_id: x.runId,
          score: x.score,
          pd: x.pd,
          weight: x.weight,
          scored_at: x.scoredAt,
          reasons: x.reasons,
        })),
        reasons: c.reasons,
      };
    },
  );
};
