/**
 * Request validation, shared by every dialect. Bodies are validated without type coercion, so
 * a wrong JSON type is an error; query strings, path parameters and headers are text and are
 * coerced. Errors are turned into one message that names the field (`deposits[0].amount`).
 */

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerceTypes ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    verbose: true,
    strict: false,
  });
  addFormats.default(ajv);
  // An annotation a schema can carry to replace the generic message for its field.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return ajv;
}

const bodyAjv = makeAjv(false);
const textAjv = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  httpPart === 'body'
    ? bodyValidator(bodyAjv.compile(schema as object))
    : decimalIntegers(textAjv.compile(schema as object), schema as ObjectSchema);

interface ObjectSchema {
  properties?: Record<string, { type?: unknown }>;
}

/** A whole number as text: decimal digits only, with a minus sign if negative (then checked against its minimum). */
const DECIMAL = /^-?\d+$/;

/**
 * A text part's validator that takes an integer only when written in decimal digits. Ajv coerces
 * any string `Number()` reads (`0x1`, `1e2`, ` 1`, `+1`, `1.0`), so a typo or a stray format would
 * pass as some other number; such text is refused as not an integer, as `abc` is.
 */
function decimalIntegers(validate: ValidateFunction, schema: ObjectSchema): ValidateFunction {
  const integers = Object.entries(schema.properties ?? {}).filter(([, s]) => s.type === 'integer');
  if (integers.length === 0) return validate;
  const check = ((data: unknown, ctx?: Parameters<ValidateFunction>[1]) => {
    const fields = (data ?? {}) as Record<string, unknown>;
    for (const [name, s] of integers) {
      const v = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (typeof v !== 'string' || DECIMAL.test(v)) continue;
      check.errors = [
        {
          keyword: 'type',
          instancePath: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          schemaPath: `#/properties/${name}/type`,
          params: { type: 'integer' },
          message: 'must be integer',
          schema: 'integer',
          parentSchema: s,
          data: v,
        },
      ];
      return false;
    }
    const ok = validate(data, ctx);
    check.errors = validate.errors;
    return ok;
  }) as ValidateFunction;
  check.schema = validate.schema;
  check.schemaEnv = validate.schemaEnv;
  return check;
}

/**
 * The error of a request that has no body at all (Fastify validates it as `null`), worded through
 * the `errorMessage` annotation like any field's own message: "request body is empty".
 */
const NO_BODY: ErrorObject[] = [
  {
    keyword: 'type',
    instancePath: '',
    schemaPath: '#/type',
    params: { type: 'object' },
    parentSchema: { errorMessage: 'is empty' },
  },
];

/** Whether validation failed for want of any body: an empty body, as invalid JSON is (errors.md). */
export const isNoBody = (errors: readonly unknown[]): boolean =>
  errors.length === 1 && errors[0] === NO_BODY[0];

/**
 * A body's validator that tells a request without a body (no Content-Type, no content: Fastify
 * validates `null`) from one whose JSON is `null` or of the wrong type. Fastify passes the request
 * as the root's parent to a validator that has `schemaEnv`, as Ajv's own functions do.
 */
function bodyValidator(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, ctx?: Parameters<ValidateFunction>[1]) => {
    const ok = validate(data, ctx);
    check.errors =
      ok || data !== null || (ctx?.parentData as { body?: unknown } | undefined)?.body !== undefined
        ? validate.errors
        : NO_BODY;
    return ok;
  }) as ValidateFunction;
  check.schema = validate.schema;
  check.schemaEnv = validate.schemaEnv;
  return check;
}

/**
 * For a route that checks its input by hand, in its vendor's order and words: the schema still
 * documents the route (OpenAPI), but no validator runs, rather than one whose verdict is ignored.
 */
export const documentationOnly: FastifySchemaCompiler<unknown> = () => () => true;

export interface FieldProblem {
  /** Dotted path of the field (`deposits[0].amount`); empty for the body itself. */
  field: string;
  message: string;
}

/** Turns Ajv's errors into the single most useful problem, phrased for people. */
export function describeValidationError(
  errors: readonly ErrorObject[],
  part: string | undefined,
): FieldProblem {
  // For a union, Ajv lists each branch's failure and then the anyOf failure: the last says it best.
  const union = errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const e = union ?? errors[0]!;
  let field = pointerToPath(e.instancePath);
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    field = field ? `${field}.${missing}` : missing;
    return { field, message: `${field} is required` };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    field = field ? `${field}.${extra}` : extra;
    return { field, message: `${field} is not allowed` };
  }
  const subject =
    field ||
    (part === 'querystring' ? 'query string' : part === 'body' ? 'request body' : (part ?? 'request'));
  const custom = (e.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
  if (custom) return { field, message: `${subject} ${custom}` };
  switch (e.keyword) {
    case 'type': {
      const type = (e.params as { type: string }).type;
      const noun =
        type === 'object'
          ? 'a JSON object'
          : type === 'array'
            ? 'an array'
            : type === 'integer'
              ? 'an integer'
              : `a ${type}`;
      return { field, message: `${subject} must be ${noun}` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { field, message: `${subject} must be one of: ${allowed.join(', ')}` };
    }
    case 'anyOf':
    case 'oneOf':
      return { field, message: `${subject} has an invalid type or value` };
    // In words rather than Ajv's "must NOT have fewer than 1 characters".
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const n = (e.params as { limit: number }).limit;
      const items = e.keyword.endsWith('Items');
      if (e.keyword.startsWith('min') && n === 1) return { field, message: `${subject} must not be empty` };
      const unit = items ? (n === 1 ? 'item' : 'items') : n === 1 ? 'character' : 'characters';
      const bound = e.keyword.startsWith('min') ? 'at least' : 'at most';
      return {
        field,
        message: `${subject} must ${items ? 'hold' : 'be'} ${bound} ${n.toLocaleString('en')} ${unit}${items ? '' : ' long'}`,
      };
    }
    default:
      return { field, message: `${subject} ${e.message ?? 'is invalid'}` };
  }
}

/** `/deposits/0/amount` -> `deposits[0].amount` */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(part) ? `[${part}]` : path === '' ? part : `.${part}`;
  }
  return path;
}
