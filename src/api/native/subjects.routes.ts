import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { invalidInput } from '../../domain/errors.js';
import type { HistoryEntry, Subject } from '../../services/history-service.js';
import { explain } from '../../services/score-outcome.js';
import { PROBLEM_RESPONSES } from './problem.js';
import { Cursor, ScoreRunSchema, ServiceFilter, SubjectSchema } from './schemas.js';

const subjectWire = (s: Subject) => ({
  id: s.id,
  partner_id: s.partnerId,
  identifiers: s.identifiers,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});
const Count = Type.Integer({ minimum: 0 });
const ErasureSchema = Type.Object({
  subject_id: Type.String(),
  erased: Type.Object({
    score_runs: Count,
    identifiers: Count,
    outcomes: Count,
    data_records: Count,
    webhook_deliveries: Count,
    consortium_applications: Count,
    jobs_cancelled: Count,
  }),
  indicator_calls_detached: Count,
});
const LOOKUPS = ['partner_id', 'phone', 'email', 'national_id'] as const;
const runWire = (e: HistoryEntry, result: unknown) => ({
  id: e.id,
  subject_id: e.subjectId,
  service: e.service,
  dialect: e.dialect,
  model_id: e.modelId,
  model_version: e.modelVersion,
  request_id: e.requestId,
  purpose: e.purpose,
  input: e.input,
  result,
  created_at: e.createdAt,
});

export const subjectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/subjects',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['subjects'],
        summary: "Find a subject by the tenant's own id for the person, or by a phone, email or national id",
        description: 'Give exactly one of partner_id, phone (E.164), email or national_id.',
        querystring: Type.Object({
          partner_id: Type.Optional(Type.String({ minLength: 1 })),
          phone: Type.Optional(Type.String({ minLength: 1 })),
          email: Type.Optional(Type.String({ minLength: 1 })),
          national_id: Type.Optional(Type.String({ minLength: 1 })),
        }),
        response: { 200: SubjectSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const given = LOOKUPS.filter((k) => req.query[k] !== undefined);
      if (given.length !== 1) {
        throw invalidInput(
          given[1] ?? 'partner_id',
          'give exactly one of partner_id, phone, email or national_id',
        );
      }
      const kind = given[0]!;
      const value = req.query[kind]!;
      const subject =
        kind === 'partner_id'
          ? await app.ctx.history.subjectByPartnerId(req.principal!, value)
          : await app.ctx.history.subjectByIdentifier(req.principal!, kind, value);
      return subjectWire(subject);
    },
  );

  app.get(
    '/subjects/:id',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['subjects'],
        summary: 'A subject by id',
        params: Type.Object({ id: Type.String() }),
        response: { 200: SubjectSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => subjectWire(await app.ctx.history.subject(req.principal!, req.params.id)),
  );

  app.delete(
    '/subjects/:id',
    {
      config: { scope: SCOPES.subjectsErase },
      schema: {
        tags: ['subjects'],
        summary: 'Erase a subject and everything kept about them',
        description:
          'Deletes the identifiers, score runs, outcomes, data records, webhook deliveries and shared ' +
          'consortium applications of the subject, cancels its queued jobs, and detaches its credit-indicator calls. The audit log records the erasure without personal data.',
        params: Type.Object({ id: Type.String() }),
        response: { 200: ErasureSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const who = req.principal!;
      const subject = await app.ctx.history.subject(who, req.params.id);
      const r = await app.ctx.erasure.erase(
        who.tenantId,
        { id: subject.id, partnerId: subject.partnerId },
        { actor: who.credentialId, via: 'native' },
      );
      return {
        subject_id: r.subjectId,
        erased: {
          score_runs: r.scoreRuns,
          identifiers: r.identifiers,
          outcomes: r.outcomes,
          data_records: r.dataRecords,
          webhook_deliveries: r.webhookDeliveries,
          consortium_applications: r.consortiumApplications,
          jobs_cancelled: r.jobsCancelled,
        },
        indicator_calls_detached: r.indicatorCallsDetached,
      };
    },
  );

  app.get(
    '/subjects/:id/score-runs',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['subjects'],
        summary: "A subject's scoring history, oldest first",
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          service: ServiceFilter,
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          after: Cursor('run'),
        }),
        response: {
          200: Type.Object({
            runs: Type.Array(ScoreRunSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const page = await app.ctx.history.page(req.principal!, req.params.id, {
        service: req.query.service,
        after: req.query.after,
        limit: req.query.limit,
      });
      const runs = await Promise.all(
        page.entries.map(async (e) => {
          const card = e.modelId ? await app.ctx.models.scorecardById(e.modelId) : null;
          return runWire(e, card ? explain(e.outcome, card) : e.outcome);
        }),
      );
      return { runs, next_cursor: page.next };
    },
  );
};
