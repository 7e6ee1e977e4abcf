/**
 * What the OpenAPI document says of a route beyond the schemas that validate it:
 * - a query parameter with a default is not required of the caller, though the validator lists it
 *   as required so that the handler always sees a value;
 * - the Idempotency-Key header of the routes that honour it, which a hook reads;
 * - the body of a route that takes a file as it is, which no schema validates.
 * The route's own schema is left as it is; only the document's copy changes.
 */
import type { FastifySchema, RouteOptions } from 'fastify';

interface ObjectSchema {
  properties?: Record<string, { default?: unknown }>;
  required?: string[];
  [key: string]: unknown;
}

const IDEMPOTENCY_KEY = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description:
        'Makes the request safe to retry: the same key with the same body replays the first answer (header Idempotent-Replayed: true) for 24 hours; with another body, 422.',
    },
  },
};

function withoutDefaultsRequired(schema: ObjectSchema): ObjectSchema {
  const props = schema.properties ?? {};
  const required = schema.required?.filter((name) => props[name]?.default === undefined);
  if (required?.length === schema.required?.length) return schema;
  const { required: _, ...rest } = schema;
  return required && required.length > 0 ? { ...rest, required } : rest;
}

export function documentRoute(o: { schema: FastifySchema; url: string; route: RouteOptions }): {
  schema: FastifySchema;
  url: string;
} {
  const schema = { ...o.schema } as FastifySchema & { querystring?: ObjectSchema; headers?: unknown };
  if (schema.querystring) schema.querystring = withoutDefaultsRequired(schema.querystring);
  if (o.route.config?.idempotencyKey && schema.headers === undefined) schema.headers = IDEMPOTENCY_KEY;
  const files = o.route.config?.fileBodyTypes;
  if (files && schema.body === undefined)
    Object.assign(schema, { body: { type: 'string', format: 'binary' }, consumes: [...files] });
  return { schema, url: o.url };
}
