/**
 * Every error a request can end in, reduced to one entry of the error catalog. Dialects render
 * the result in their own vocabulary; none of them sees raw framework errors.
 */
import type { FastifyError } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { CredenceError, ERROR_CATALOG, type ErrorCode } from '../domain/errors.js';
import { sentPath } from './malformed-path.js';
import { describeValidationError, isNoBody } from './validation.js';

/** A method and path no route serves, quoted as the client sent them; each dialect words it. */
export const routeNotFound = (req: { method: string; originalUrl: string }) =>
  new CredenceError('CREDENCE_ROUTE_NOT_FOUND', `no route ${req.method} ${sentPath(req)}`);

export interface ClassifiedError {
  code: ErrorCode;
  status: number;
  /** Safe to show to the caller: never an internal message or stack. */
  message: string;
  field?: string;
  details?: Record<string, unknown>;
  /** True when the error is ours to fix (logged at error level). */
  internal: boolean;
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'CREDENCE_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'CREDENCE_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'CREDENCE_INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'CREDENCE_INVALID_INPUT',
};

/** The limit most routes have (Fastify's `bodyLimit` in app.ts). */
const USUAL_BODY_LIMIT = 1024 * 1024;

const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  CREDENCE_UNSUPPORTED_MEDIA_TYPE: 'Content-Type must be application/json',
  CREDENCE_INVALID_JSON: 'request body is not valid JSON',
};

/** For a plugin's error that carries only an HTTP status: the catalog's code for that status. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'CREDENCE_UNAUTHENTICATED',
  403: 'CREDENCE_FORBIDDEN',
  404: 'CREDENCE_NOT_FOUND',
  405: 'CREDENCE_METHOD_NOT_ALLOWED',
  406: 'CREDENCE_NOT_ACCEPTABLE',
  409: 'CREDENCE_CONFLICT',
  413: 'CREDENCE_PAYLOAD_TOO_LARGE',
  415: 'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
  429: 'CREDENCE_RATE_LIMITED',
};

/**
 * `bodyLimit` is the limit of the route that failed (`req.routeOptions.bodyLimit`), named in the
 * message for a body over it; routes with the usual limit need not give it.
 */
export function classifyError(error: unknown, bodyLimit = USUAL_BODY_LIMIT): ClassifiedError {
  if (error instanceof CredenceError) {
    const { field, ...rest } = error.details;
    return {
      code: error.code,
      status: error.statusCode,
      message: error.message,
      ...(field !== undefined ? { field } : {}),
      ...(Object.keys(rest).length > 0 ? { details: rest } : {}),
      // Ours (or the operator's) to set right: logged, with the cause.
      internal: error.code === 'CREDENCE_INTERNAL' || error.code === 'CREDENCE_UNAVAILABLE',
    };
  }
  const e = error as FastifyError & { validationContext?: string };
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    const problem = describeValidationError(e.validation as never, e.validationContext);
    return {
      // No body at all is an empty body, whether or not a Content-Type said JSON.
      code: isNoBody(e.validation) ? 'CREDENCE_INVALID_JSON' : 'CREDENCE_INVALID_INPUT',
      status: 400,
      message: problem.message,
      ...(problem.field ? { field: problem.field } : {}),
      internal: false,
    };
  }
  const mapped = e.code ? FRAMEWORK_CODES[e.code] : undefined;
  if (mapped) {
    return {
      code: mapped,
      status: ERROR_CATALOG[mapped].status,
      message:
        e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'request body is empty'
          : mapped === 'CREDENCE_PAYLOAD_TOO_LARGE'
            ? `request body is larger than the ${mebibytes(bodyLimit)} limit`
            : (FRAMEWORK_MESSAGES[mapped] ?? ERROR_CATALOG[mapped].title),
      internal: false,
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // The code that means this status (a static file's 403 is Forbidden, not invalid input).
    const code: ErrorCode = CODE_OF_STATUS[e.statusCode] ?? 'CREDENCE_INVALID_INPUT';
    return { code, status: e.statusCode, message: ERROR_CATALOG[code].title, internal: false };
  }
  if (isDatabaseUnavailable(error))
    return {
      code: 'CREDENCE_UNAVAILABLE',
      status: 503,
      message: 'the database cannot be reached or is busy; try again shortly',
      internal: true,
    };
  return { code: 'CREDENCE_INTERNAL', status: 500, message: 'internal error', internal: true };
}

/** `1 MiB`, `32 MiB`, `1.5 MiB`, `512 KiB`. */
function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
