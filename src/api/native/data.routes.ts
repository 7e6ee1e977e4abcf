/**
 * Pushing data a lender already holds, instead of having Credence's connectors fetch it:
 * `POST /api/v1/subjects/{id}/data/social/{network}` (a network's profile, as the connector
 * would have stored it), `POST .../data/ip-address` (an address and device, looked up at once),
 * `POST .../data/documents` (a CV as PDF, DOCX or text, read in the background) and `GET` to
 * see what a document gave; `GET .../data` lists the newest record of each kind, connector
 * outcomes included. docs/connectors.md#native-api.
 */
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { SCOPES } from '../../auth/scopes.js';
import { CredenceError, invalidInput, notFound } from '../../domain/errors.js';
import { NETWORKS } from '../../domain/footprint/networks.js';
import { socialKind } from '../../domain/footprint/records.js';
import { parseDevice } from '../../domain/footprint/user-agent.js';
import { parseIsoDate } from '../../domain/iso-date.js';
import type { NewDataRecord } from '../../services/data-records.js';
import { PROBLEM_RESPONSES, ProblemSchema } from './problem.js';

const NATIVE = 'native';
const DOCUMENT_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'application/octet-stream',
];
const Params = Type.Object({ id: Type.String() });
const Profile = Type.Object({}, { additionalProperties: true });
const Document = Type.Object({
  id: Type.String(),
  source: Type.String(),
  name: Type.String(),
  media_type: Type.String(),
  size: Type.Integer(),
  status: Type.String(),
  failure: Type.Union([Type.String(), Type.Null()]),
  extraction: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const dataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The subject a route stores data about. Its answer repeats what was said about the person, so a
  // copy kept for Idempotency-Key replays is marked to be erased with them.
  const aboutSubject = async (req: FastifyRequest, id: string) => {
    const s = await app.ctx.history.subject(req.principal!, id);
    req.idempotencySubject = s.id;
    return s;
  };
  // Documents are files, not JSON: their parser and its errors belong to their route alone, so that a
  // file sent to another route of this plugin is refused as any non-JSON body is (415).
  await app.register(async (plugin) => {
    const documents = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const limit = app.ctx.config.connectors.documentMaxBytes;
    // A document over the limit is told so with the documents' own limit, then answered as any error.
    documents.setErrorHandler((error) => {
      const code = (error as { code?: string }).code;
      // A file of a type no reader takes (or none) is told which types are read, not to send JSON.
      if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        throw new CredenceError(
          'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
          `send the file as ${DOCUMENT_TYPES.join(', ')}`,
        );
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new CredenceError(
          'CREDENCE_PAYLOAD_TOO_LARGE',
          `the document is larger than the ${limit} bytes allowed (CREDENCE_DOCUMENT_MAX_BYTES)`,
        );
      throw error;
    });
    // A file sent as JSON (any bytes) is told which types are read, as any other type is, not that
    // it is bad JSON: the body is not read as JSON here, and no JSON is a document.
    documents.removeContentTypeParser('application/json');
    documents.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: limit },
      (_req, _body, done) => done(null, null),
    );
    documents.addContentTypeParser(
      DOCUMENT_TYPES,
      { parseAs: 'buffer', bodyLimit: limit },
      (_req, body, done) => done(null, body),
    );

    documents.post(
      '/subjects/:id/data/documents',
      {
        config: { scope: SCOPES.dataWrite, fileBodyTypes: DOCUMENT_TYPES },
        bodyLimit: limit,
        schema: {
          tags: ['data'],
          summary: 'Upload a CV (PDF, DOCX or UTF-8 text) to be read in the background',
          description: `The body is the file itself; name it with ?name=. At most ${limit} bytes (CREDENCE_DOCUMENT_MAX_BYTES).`,
          params: Params,
          querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 255 })) }),
          response: {
            202: Document,
            413: ProblemSchema,
            415: {
              description: `The body is not a file of a type read here (${DOCUMENT_TYPES.join(', ')}).`,
              content: { 'application/problem+json': { schema: ProblemSchema } },
            },
            ...PROBLEM_RESPONSES,
          },
        },
      },
      async (req, reply) => {
        const body = req.body as unknown;
        if (!Buffer.isBuffer(body))
          throw new CredenceError(
            'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
            `send the file as ${DOCUMENT_TYPES.join(', ')}`,
          );
        if (body.length === 0) throw invalidInput('body', 'the document is empty');
        const s = await aboutSubject(req, req.params.id);
        const row = await app.ctx.connectors.documents.add(
          req.principal!.tenantId,
          s.id,
          {
            source: 'upload',
            name: req.query.name ?? 'document',
            mediaType: (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!,
            content: body,
          },
          { enqueue: true },
        );
        const view = await app.ctx.connectors.documents.view(req.principal!.tenantId, s.id, row.id);
        return reply.code(202).send(view!);
      },
    );
  });

  app.get(
    '/subjects/:id/data',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['data'],
        summary: 'The newest data record of each kind known about the subject (access tokens left out)',
        params: Params,
        response: {
          200: Type.Object({
            records: Type.Array(
              Type.Object({
                kind: Type.String(),
                source: Type.String(),
                created_at: Type.String(),
                data: Type.Unknown(),
              }),
            ),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const s = await app.ctx.history.subject(req.principal!, req.params.id);
      const latest = await app.ctx.dataRecords.latest(req.principal!.tenantId, s.id);
      return {
        records: [...latest.values()]
          .filter((r) => r.kind !== 'access_tokens')
          .map((r) => ({ kind: r.kind, source: r.source, created_at: r.createdAt, data: r.data })),
      };
    },
  );

  app.post(
    '/subjects/:id/data/social/:network',
    {
      config: { scope: SCOPES.dataWrite },
      schema: {
        tags: ['data'],
        summary: "Store a social network's data about the subject, as a connector would",
        description:
          'Fields read by the score: token_valid, account_created_at, connections, emails, phones, scopes (Google), country, and the profile fields of docs/data-records.md.',
        params: Type.Object({ id: Type.String(), network: Type.String() }),
        body: Profile,
        response: { 201: Type.Object({ kind: Type.String(), data: Type.Unknown() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const network = NETWORKS.find((n) => n === req.params.network);
      if (!network) throw invalidInput('network', `network must be one of ${NETWORKS.join(', ')}`);
      const created = (req.body as Record<string, unknown>).account_created_at;
      if (created !== undefined && created !== null) {
        const field = 'account_created_at';
        // A day's lead: today's date east of UTC, or a clock a little ahead.
        const latest = app.ctx.clock.now().getTime() + 86_400_000;
        if (typeof created !== 'string' || parseIsoDate(created, field) > latest)
          throw invalidInput(field, `${field} must be a past date as YYYY-MM-DD or an ISO 8601 date-time`);
      }
      const s = await aboutSubject(req, req.params.id);
      const kind = socialKind(network);
      await app.ctx.dataRecords.add(req.principal!.tenantId, s.id, [
        { kind, source: NATIVE, data: req.body },
      ]);
      return reply.code(201).send({ kind, data: req.body });
    },
  );

  app.post(
    '/subjects/:id/data/ip-address',
    {
      config: { scope: SCOPES.dataWrite },
      schema: {
        tags: ['data'],
        summary: "Store the IP address and device the subject's application came from, and look them up",
        params: Params,
        body: Type.Object(
          {
            ip: Type.String({ minLength: 1, maxLength: 64 }),
            user_agent: Type.Optional(Type.Object({}, { additionalProperties: true })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ip_address: Type.Unknown(), device: Type.Unknown() }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const s = await aboutSubject(req, req.params.id);
      // Trimmed, as FriendlyScore's user_ip is: " 41.90.64.10 " is that address, not a malformed one.
      const ip = req.body.ip.trim();
      if (ip === '') throw invalidInput('ip', 'ip must not be empty');
      const records: NewDataRecord[] = [{ kind: 'ip_address', source: NATIVE, data: { ip } }];
      if (req.body.user_agent)
        records.push({ kind: 'user_agent', source: NATIVE, data: req.body.user_agent });
      await app.ctx.dataRecords.add(req.principal!.tenantId, s.id, records);
      return reply.code(201).send({
        ip_address: await app.ctx.ipIntelligence.lookup(ip),
        device: req.body.user_agent ? parseDevice(req.body.user_agent) : null,
      });
    },
  );

  app.get(
    '/subjects/:id/data/documents/:documentId',
    {
      config: { scope: SCOPES.subjectsRead },
      schema: {
        tags: ['data'],
        summary: 'A document: queued, parsed (with what was found) or failed (with why)',
        params: Type.Object({ id: Type.String(), documentId: Type.String() }),
        response: { 200: Document, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const s = await app.ctx.history.subject(req.principal!, req.params.id);
      const view = await app.ctx.connectors.documents.view(
        req.principal!.tenantId,
        s.id,
        req.params.documentId,
      );
      if (!view) throw notFound('document', req.params.documentId);
      return view;
    },
  );
};
