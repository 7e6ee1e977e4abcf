/**
 * The TD vocabulary: every outcome of a call as a response code and message of the seed
 * ("API Interface Response Code"). Business errors are answered with HTTP 200, as the vendor
 * does, so clients read `code`; an internal error (9500) is also an HTTP 500, an unknown path an
 * HTTP 404.
 */
import type { ErrorCode } from '../../../domain/errors.js';
import type { ClassifiedError } from '../../http-errors.js';

export interface TdFailure {
  /** HTTP status. */
  http: number;
  code: number;
  message: string;
}

const SEED_MESSAGES = {
  300: 'Service not purchased or not effective',
  301: 'Service not purchased',
  302: 'Service has been suspend',
  303: 'Not enough balance',
  304: 'Service expired',
  9055: 'The country partner located has no service',
  9081: 'The format of the phone number does not match with the country',
  9500: 'Internal error',
} as const;

const BY_CODE: Partial<Record<ErrorCode, keyof typeof SEED_MESSAGES>> = {
  CREDENCE_PACKAGE_NOT_EFFECTIVE: 300,
  CREDENCE_PACKAGE_NOT_PURCHASED: 301,
  CREDENCE_PACKAGE_SUSPENDED: 302,
  CREDENCE_INSUFFICIENT_BALANCE: 303,
  CREDENCE_PACKAGE_EXPIRED: 304,
  CREDENCE_COUNTRY_NOT_SERVED: 9055,
  CREDENCE_INVALID_PHONE: 9081,
};

const empty = (parameter: string): TdFailure => ({ http: 200, code: 9060, message: `${parameter} empty` });
const error = (parameter: string, http = 200): TdFailure => ({
  http,
  code: 9061,
  message: `${parameter} error`,
});

export function tdFailure(c: ClassifiedError): TdFailure {
  const seed = BY_CODE[c.code];
  if (seed !== undefined) return { http: 200, code: seed, message: SEED_MESSAGES[seed] };
  switch (c.code) {
    case 'CREDENCE_INVALID_INPUT':
      if (!c.field) return error('request body');
      return c.details?.missing === true ? empty(c.field) : error(c.field);
    case 'CREDENCE_UNAUTHENTICATED':
      // A wrong code and a wrong key get the same answer, so codes cannot be discovered by trying.
      return c.details?.missing === true && c.field ? empty(c.field) : error('partner_key');
    case 'CREDENCE_INVALID_JSON':
    case 'CREDENCE_PAYLOAD_TOO_LARGE':
    case 'CREDENCE_UNSUPPORTED_MEDIA_TYPE':
      return error('request body');
    case 'CREDENCE_IDEMPOTENCY_KEY_REUSED':
      return error('Idempotency-Key');
    case 'CREDENCE_ROUTE_NOT_FOUND':
      return error('url', 404);
    default:
      return { http: 500, code: 9500, message: SEED_MESSAGES[9500] };
  }
}

/** The seed's failed example, keys in its order: `{"code", "sequence_id", "message"}`. */
export const failureBody = (f: TdFailure, sequenceId: string): string =>
  JSON.stringify({ code: f.code, sequence_id: sequenceId, message: f.message });
