/**
 * The one error catalog. Services and domain code throw `CredenceError`s with a stable code;
 * each API dialect maps codes to its own vocabulary. Every code here is documented in
 * docs/errors.md (a test checks that).
 */

export const ERROR_CATALOG = {
  CREDENCE_INVALID_INPUT: { status: 400, title: 'Invalid input' },
  CREDENCE_INVALID_JSON: { status: 400, title: 'Malformed JSON body' },
  CREDENCE_UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  CREDENCE_FORBIDDEN: { status: 403, title: 'Forbidden' },
  CREDENCE_NOT_FOUND: { status: 404, title: 'Not found' },
  CREDENCE_ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  CREDENCE_CONFLICT: { status: 409, title: 'Conflict' },
  CREDENCE_PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  CREDENCE_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  CREDENCE_INVALID_MODEL: { status: 422, title: 'Invalid model' },
  CREDENCE_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused with another request' },
  CREDENCE_NOT_APPLICABLE: { status: 422, title: 'Not applicable' },
  CREDENCE_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  CREDENCE_NO_ACTIVE_MODEL: { status: 503, title: 'No active model for this service' },
  CREDENCE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  CREDENCE_INVALID_PHONE: { status: 400, title: "Phone number does not match the country's format" },
  CREDENCE_COUNTRY_NOT_SERVED: { status: 403, title: 'No service in this country' },
  CREDENCE_PACKAGE_NOT_PURCHASED: { status: 403, title: 'Package not purchased' },
  CREDENCE_PACKAGE_NOT_EFFECTIVE: { status: 403, title: 'Package not effective yet' },
  CREDENCE_PACKAGE_SUSPENDED: { status: 403, title: 'Package suspended' },
  CREDENCE_PACKAGE_EXPIRED: { status: 403, title: 'Package expired' },
  CREDENCE_INSUFFICIENT_BALANCE: { status: 402, title: 'Not enough balance' },
  CREDENCE_CONSORTIUM_NOT_JOINED: { status: 403, title: 'Tenant is not in the consortium' },
  CREDENCE_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CREDENCE_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  CREDENCE_IDENTIFIER_MISSING: { status: 422, title: 'The person to score is not identified' },
  CREDENCE_IDENTIFIER_UNNECESSARY: { status: 422, title: 'The person is already identified by the token' },
  CREDENCE_OPTION_NOT_SUPPORTED: { status: 422, title: 'Option not offered by this operator' },
  CREDENCE_ID_DOCUMENT_REQUIRED: { status: 422, title: 'An id document is required' },
  CREDENCE_IDENTIFIERS_MISMATCH: { status: 422, title: 'The identifiers name different people' },
  CREDENCE_INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorDetails {
  /** The request field at fault, as a dotted path (`deposits[0].amount`). */
  field?: string;
  /** Further problems, for errors that report several at once. */
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
}

export class CredenceError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredenceError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

export const invalidInput = (field: string, message: string) =>
  new CredenceError('CREDENCE_INVALID_INPUT', message, { field });

/** A required field that is absent, null or empty (dialects that tell "empty" from "error" read `missing`). */
export const missingInput = (field: string) =>
  new CredenceError('CREDENCE_INVALID_INPUT', `${field} is required`, { field, missing: true });

export const notFound = (what: string, id: string) =>
  new CredenceError('CREDENCE_NOT_FOUND', `${what} ${id} not found`);

export const isCredenceError = (err: unknown): err is CredenceError => err instanceof CredenceError;
