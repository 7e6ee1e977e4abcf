import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { ScorecardModelSchema } from '../../domain/scoring/model-format.js';
import { PROBLEM_RESPONSES, ProblemSchema } from './problem.js';
import {
  ModelInfoSchema,
  ModelPerformanceSchema,
  modelWire,
  performanceWire,
  ServiceFilter,
} from './schemas.js';

export const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/models',
    {
      config: { scope: SCOPES.modelsRead },
      schema: {
        tags: ['models'],
        summary: 'List the models the tenant can use: its own versions and the starter models',
        querystring: Type.Object({ service: ServiceFilter }),
        response: { 200: Type.Object({ models: Type.Array(ModelInfoSchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({
      models: (await app.ctx.models.list(req.principal!.tenantId, req.query.service)).map(modelWire),
    }),
  );

  app.get(
    '/models/:id',
    {
      config: { scope: SCOPES.modelsRead },
      schema: {
        tags: ['models'],
        summary: 'One model, with its document',
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Composite([ModelInfoSchema, Type.Object({ document: Type.Unknown() })]),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const m = await app.ctx.models.get(req.principal!.tenantId, req.params.id);
      return { ...modelWire(m), document: m.document };
    },
  );

  app.post(
    '/models',
    {
      config: { scope: SCOPES.modelsWrite },
      // The model is checked by the model validator, which names every bad field (422).
      attachValidation: true,
      schema: {
        tags: ['models'],
        summary: 'Upload a model document as the next version of its service',
        description:
          'The same document uploaded again returns the stored version with 200. With activate=true the model becomes the champion for its service.',
        querystring: Type.Object({ activate: Type.Optional(Type.Boolean({ default: false })) }),
        body: ScorecardModelSchema,
        response: {
          200: Type.Object({ model: ModelInfoSchema, created: Type.Boolean() }),
          201: Type.Object({ model: ModelInfoSchema, created: Type.Boolean() }),
          422: ProblemSchema,
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      // The body is the model validator's to judge; a bad query (`?activate=0`, which would read
      // as true) is refused here, before anything is stored.
      if (req.validationError?.validationContext === 'querystring') throw req.validationError;
      const tenantId = req.principal!.tenantId;
      const { model, created } = await app.ctx.models.add(tenantId, req.body, {
        source: 'upload',
        actor: req.principal!.credentialId,
        activate: req.query.activate ? 'champion' : undefined,
      });
      return reply.code(created ? 201 : 200).send({ model: modelWire(model), created });
    },
  );

  app.post(
    '/models/:id/activate',
    {
      config: { scope: SCOPES.modelsWrite },
      schema: {
        tags: ['models'],
        summary: "Make a model the tenant's champion (or challenger) for its service",
        params: Type.Object({ id: Type.String() }),
        // Strict: a misspelt "role" must not make the model the champion.
        body: Type.Optional(
          Type.Object(
            { role: Type.Optional(Type.Union([Type.Literal('champion'), Type.Literal('challenger')])) },
            { additionalProperties: false },
          ),
        ),
        // 422: a stored model that fails today's validation is not put in charge.
        response: { 200: ModelInfoSchema, 422: ProblemSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      modelWire(
        await app.ctx.models.activate(
          req.principal!.tenantId,
          req.params.id,
          req.body?.role ?? 'champion',
          req.principal!.credentialId,
        ),
      ),
  );

  app.post(
    '/models/:id/deactivate',
    {
      config: { scope: SCOPES.modelsWrite },
      schema: {
        tags: ['models'],
        summary: "End a model's challenge: it stops scoring in shadow",
        description:
          'The tenant has no challenger for the service until another is named. A model that is not the challenger ' +
          'is returned unchanged. The champion is replaced by activating another model (or the starter), not ' +
          'deactivated: 409.',
        params: Type.Object({ id: Type.String() }),
        response: { 200: ModelInfoSchema, 409: ProblemSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      modelWire(
        await app.ctx.models.deactivate(req.principal!.tenantId, req.params.id, req.principal!.credentialId),
      ),
  );

  app.get(
    '/models/:id/performance',
    {
      config: { scope: SCOPES.modelsRead },
      schema: {
        tags: ['models'],
        summary: "How a model's live scores turned out: AUC, Gini, KS, bad rate by score band, and PSI",
        description:
          'Joins the runs the model scored for the tenant (as champion or as challenger, in shadow) with the ' +
          'outcomes of the same subjects. Each subject is judged on its first run in the period, against the outcomes ' +
          'observed within window_days after it: bad if any is bad (default, written off, 90+ days past due, a ' +
          'negative flag), good if any is good and none bad. PSI compares the last recent_days of scores with the ' +
          "model's training distribution: below 0.10 stable, 0.10-0.25 watch, above 0.25 shift.",
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          window_days: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
          recent_days: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Runs from this time.' })),
          to: Type.Optional(
            Type.String({ format: 'date-time', description: 'Runs before this time; default now.' }),
          ),
        }),
        response: { 200: ModelPerformanceSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      performanceWire(
        await app.ctx.performance.of(req.principal!, req.params.id, {
          windowDays: req.query.window_days,
          recentDays: req.query.recent_days,
          from: req.query.from,
          to: req.query.to,
        }),
      ),
  );
};
