/** `POST /v2/risk/predictors` (production) and `POST /staging/risk/predictors` (development). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { CredenceError, invalidInput } from '../../../domain/errors.js';
import { finboxTimestamp } from '../../../domain/finbox/timestamp.js';
import type { PredictorsState } from '../../../services/device/featurization.js';
import { documentationOnly } from '../../validation.js';
import { isCustomerId, parsePredictorsRequest } from './request.js';
import {
  ErrorResponse,
  MESSAGES,
  PredictorsResponse,
  serializePredictorsResponse,
  serializerOf,
} from './responses.js';

const Query = Type.Object({
  source: Type.Optional(Type.String({ description: '`webhook` to fetch what a webhook announced.' })),
  request_id: Type.Optional(Type.String({ description: 'The request_id the webhook carried (valid 24 h).' })),
});

const Body = Type.Object(
  {
    customer_id: Type.String({ description: 'CUSTOMER_ID the device synced with' }),
    version: Type.Integer({ description: 'DC_PREDICTORS_VERSION' }),
    salt: Type.String({ description: 'base64(SHA-256(upper(hex(MD5(customer_id))) + SERVER_HASH))' }),
  },
  {
    examples: [
      { customer_id: '1234ABCD4567', version: 1, salt: '5vVMNofMy5kQXx647sBdYBoMolMb1GGBSYLkzwaa9v8=' },
    ],
  },
);

/**
 * A query parameter as one string. The schema only documents the query (requests are checked in
 * the vendor's order), so a parameter given twice arrives as a list: refused in FinBox's words.
 */
function queryText(query: unknown, key: 'source' | 'request_id'): string | undefined {
  const v = (query as Record<string, unknown>)[key];
  if (v === undefined || typeof v === 'string') return v;
  throw invalidInput(key, `Invalid type for key ${key}, expected String`);
}

export const finboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const [url, production] of [
    ['/v2/risk/predictors', true],
    ['/staging/risk/predictors', false],
  ] as const) {
    app.post(
      url,
      {
        config: { enforceIpAllow: production },
        // Checked in the vendor's order by parsePredictorsRequest; the schema documents it.
        validatorCompiler: documentationOnly,
        serializerCompiler: ({ schema, httpStatus }) =>
          httpStatus === '200' || httpStatus === '202'
            ? // Fastify sends a Buffer as it is; its types name only strings.
              (body) =>
                serializePredictorsResponse(body as Static<typeof PredictorsResponse>) as unknown as string
            : serializerOf(schema),
        schema: {
          tags: ['finbox'],
          summary: production
            ? 'Predictors of a customer (production: the key IP allowlist applies)'
            : 'Predictors of a customer (development: no IP allowlist)',
          description:
            '202 in_progress while featurization runs; 200 complete, no_data or not_found; 400, 403, 429 and 5xx with {status:"error", message}. docs/finbox.md',
          security: [{ finboxApiKey: [] }],
          querystring: Query,
          body: Body,
          response: {
            200: PredictorsResponse,
            202: PredictorsResponse,
            400: ErrorResponse,
            403: ErrorResponse,
            429: ErrorResponse,
            500: ErrorResponse,
          },
        },
      },
      async (req, reply) => {
        const f = req.finbox!;
        const raw = req.body as { customer_id?: unknown } | undefined;
        // An error answer names the customer_id only when it is one (not empty, not too long).
        if (raw && typeof raw === 'object' && isCustomerId(raw.customer_id)) f.customerId = raw.customer_id;
        const r = parsePredictorsRequest(req.body);
        if (!app.ctx.device.finboxKeys.saltMatches(req.principal!.credentialId, f.key, r.customerId, r.salt))
          throw new CredenceError('CREDENCE_UNAUTHENTICATED', MESSAGES.unauthorized);
        const tenantId = req.principal!.tenantId;
        const source = queryText(req.query, 'source');
        const noticeId = queryText(req.query, 'request_id');
        let requestId = f.requestId;
        let state: PredictorsState | undefined;
        if (source === 'webhook') {
          if (!noticeId) throw invalidInput('request_id', 'Missing Key request_id');
          state = await app.ctx.device.features.byNotice(
            tenantId,
            req.principal!.credentialId,
            noticeId,
            r.customerId,
            r.version,
          );
          if (!state) throw invalidInput('request_id', 'Invalid or expired request_id');
          requestId = noticeId;
        } else if (source !== undefined) {
          throw invalidInput('source', 'Invalid value for source, expected webhook');
        } else {
          state = await app.ctx.device.features.predictors(tenantId, r.customerId, r.version);
        }
        const head = { customer_id: r.customerId, request_id: requestId, date_requested: f.dateRequested };
        switch (state.state) {
          case 'pending':
            return reply.code(202).send({ ...head, status: 'in_progress', message: MESSAGES.in_progress });
          case 'not_found':
            return {
              ...head,
              date_processed: null,
              status: 'not_found',
              message: MESSAGES.not_found,
              data: null,
            };
          case 'no_data':
            return {
              ...head,
              date_processed: finboxTimestamp(new Date(state.processedAt)),
              status: 'no_data',
              message: MESSAGES.no_data,
              data: null,
            };
          case 'complete':
            return {
              ...head,
              date_processed: finboxTimestamp(new Date(state.processedAt)),
              status: 'complete',
              message: MESSAGES.complete,
              data: state.predictors,
            };
        }
      },
    );
  }
};
