/** `POST /td/api`: one package of credit indicators for a person. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalidInput } from '../../../domain/errors.js';
import { headerValue } from '../../auth-hooks.js';
import { parseIndicatorRequest } from './request.js';
import { Credentials, IndicatorFailure, IndicatorRequest, IndicatorSuccess } from './schemas.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const tdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api',
    {
      // The body is checked in the vendor's order by parseIndicatorRequest, not by the schema.
      attachValidation: true,
      schema: {
        tags: ['td'],
        summary: 'Credit indicators of one package for a person',
        description:
          'Business errors are answered with HTTP 200 and a code (docs/td.md#response-codes). An optional Idempotency-Key header makes a retry return the first answer without a second charge.',
        security: [{ tdPartnerCode: [], tdPartnerKey: [] }],
        querystring: Credentials,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: IndicatorRequest,
        response: {
          200: Type.Union([IndicatorSuccess, IndicatorFailure]),
          404: IndicatorFailure,
          500: IndicatorFailure,
        },
      },
    },
    async (req, reply) => {
      const idempotencyKey = headerValue(req, 'idempotency-key');
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw invalidInput('Idempotency-Key', 'Idempotency-Key must be 1-255 visible ASCII characters');
      }
      const request = parseIndicatorRequest(req.body as unknown);
      req.indicatorRequest = request;
      const answer = await app.ctx.partnerCalls.call(req.partner!, request, {
        sequenceId: req.sequenceId,
        requestId: req.id,
        idempotencyKey,
      });
      if (answer.replayed) {
        reply.header('idempotent-replayed', 'true');
        req.sequenceId = answer.sequenceId;
      }
      return {
        code: 200,
        message: 'Success',
        sequence_id: answer.sequenceId,
        data: answer.indicators.map((i) => ({
          indicator_name: i.name,
          indicator_status: i.status,
          indicator_value: i.value,
        })),
      };
    },
  );
};
