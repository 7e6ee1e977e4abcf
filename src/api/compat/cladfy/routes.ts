/** The four Cladfy endpoints. Each validates with its schema and hands the work to a service. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ScheduleFieldNames } from '../../../domain/schedule/payment-schedule.js';
import { assertScope } from '../../auth-hooks.js';
import {
  cladfyDateTime,
  demographicResult,
  depositResult,
  historyResults,
  repaymentResult,
} from './responses.js';
import {
  CladfyError,
  ClientDataEntry,
  ClientDataQuery,
  DemographicRequest,
  DemographicResponse,
  DepositRequest,
  DepositResponse,
  RepaymentRequest,
  RepaymentResponse,
} from './schemas.js';

const DIALECT = 'cladfy';
const CLIENT_ID = new Set(['client_id']);

const DEPOSIT_FIELDS: ScheduleFieldNames = {
  startDate: 'startDate',
  endDate: 'endDate',
  dueDay: 'expectedDepositDay',
  expectedAmount: 'expectedDepositAmount',
  payments: 'deposits',
};
const REPAYMENT_FIELDS: ScheduleFieldNames = {
  startDate: 'paymentStartDate',
  endDate: 'paymentEndDate',
  dueDay: 'expectedPaymentDay',
  expectedAmount: 'expectedPaymentAmount',
  payments: 'payments',
};

const Errors = {
  400: CladfyError,
  401: CladfyError,
  403: CladfyError,
  413: CladfyError,
  429: CladfyError,
  500: CladfyError,
};
const security = [{ cladfyApiKey: [] }];

export const cladfyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/demographic_score/',
    {
      config: { scope: 'cladfy:demographic_score' },
      schema: {
        tags: ['cladfy'],
        summary: 'Score a client from attributes with the demographic scorecard',
        security,
        body: DemographicRequest,
        response: { 200: DemographicResponse, ...Errors },
      },
    },
    async (req) => {
      const run = await app.ctx.scoring.scoreAttributes(req.principal!, 'demographic_score', req.body, {
        partnerId: req.body.client_id,
        dialect: DIALECT,
        requestId: req.id,
        rawInput: req.body,
        rawText: req.rawBody,
        ignore: CLIENT_ID,
      });
      return { client_id: req.body.client_id, ...demographicResult(run.outcome.scorecard) };
    },
  );

  app.post(
    '/deposit_score/',
    {
      config: { scope: 'cladfy:deposit_score' },
      schema: {
        tags: ['cladfy'],
        summary: 'Score how a client kept to a schedule of monthly deposits',
        security,
        body: DepositRequest,
        response: { 200: DepositResponse, ...Errors },
      },
    },
    async (req) => {
      const b = req.body;
      const run = await app.ctx.scoring.scoreSchedule(
        req.principal!,
        'deposit_score',
        {
          startDate: b.startDate,
          endDate: b.endDate ?? undefined,
          dueDay: Number(b.expectedDepositDay),
          expectedAmount: b.expectedDepositAmount,
          payments: b.deposits,
        },
        DEPOSIT_FIELDS,
        { partnerId: b.client_id, dialect: DIALECT, requestId: req.id, rawInput: b, rawText: req.rawBody },
      );
      return { client_id: b.client_id, ...depositResult(run.outcome.schedule) };
    },
  );

  app.post(
    '/repayment_score/',
    {
      config: { scope: 'cladfy:repayment_score' },
      schema: {
        tags: ['cladfy'],
        summary: 'Score how a client kept to a schedule of monthly repayments',
        security,
        body: RepaymentRequest,
        response: { 200: RepaymentResponse, ...Errors },
      },
    },
    async (req) => {
      const b = req.body;
      const run = await app.ctx.scoring.scoreSchedule(
        req.principal!,
        'repayment_score',
        {
          startDate: b.paymentStartDate,
          endDate: b.paymentEndDate ?? undefined,
          dueDay: Number(b.expectedPaymentDay),
          expectedAmount: b.expectedPaymentAmount,
          payments: b.payments,
          scoreBeforeStartDate: b.scoreBeforeStartDate ?? undefined,
        },
        REPAYMENT_FIELDS,
        { partnerId: b.client_id, dialect: DIALECT, requestId: req.id, rawInput: b, rawText: req.rawBody },
      );
      return { client_id: b.client_id, ...repaymentResult(run.outcome.schedule) };
    },
  );

  app.get(
    '/client_data/',
    {
      schema: {
        tags: ['cladfy'],
        summary: 'Every earlier scoring request of a client for one service, oldest first',
        security,
        querystring: ClientDataQuery,
        response: { 200: Type.Array(ClientDataEntry), ...Errors },
      },
    },
    async (req) => {
      const { client_id, service } = req.query;
      // The scope names the service, so it is checked once the query is known to name one.
      assertScope(req, `cladfy:${service}`);
      const entries = await app.ctx.history.byPartnerId(req.principal!, client_id, service);
      return entries.map((e) => ({
        client_data: e.input as Record<string, unknown>,
        results: historyResults(client_id, e.outcome),
        service: e.service,
        date_time: cladfyDateTime(e.createdAt),
      }));
    },
  );
};
