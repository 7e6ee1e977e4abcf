/**
 * CAMARA's error vocabulary, `{"status", "code", "message"}` (CAMARA_common.yaml ErrorInfo), for
 * each API version. The engine's refusals are catalog errors; this is where they become the codes
 * of a version: 0.2 has CUSTOMER_INSIGHTS.ID_DOCUMENT_REQUIRED and .INVALID_IDENTIFIERS, which
 * 0.3 folds into SERVICE_NOT_APPLICABLE.
 */
import type { ClassifiedError } from '../../http-errors.js';

export type ApiVersion = 'v0.2' | 'v0.3rc1';

export interface CamaraError {
  status: number;
  code: string;
  message: string;
}

const e = (status: number, code: string, message: string): CamaraError => ({ status, code, message });

export const UNAUTHENTICATED = e(
  401,
  'UNAUTHENTICATED',
  'Request not authenticated due to missing, invalid, or expired credentials. A new authentication is required.',
);
const PERMISSION_DENIED = e(
  403,
  'PERMISSION_DENIED',
  'Client does not have sufficient permissions to perform this action.',
);
const NOT_APPLICABLE = e(
  422,
  'SERVICE_NOT_APPLICABLE',
  'The service is not available for the provided identifier.',
);
const INTERNAL = e(500, 'INTERNAL', 'Unknown server error. Typically a server bug.');

/**
 * Messages are those of the version's OpenAPI file (CAMARA_common.yaml for the statuses it leaves
 * to the Commonalities); a 400 says what was wrong (the spec allows a specific message).
 */
export function camaraError(c: ClassifiedError, version: ApiVersion): CamaraError {
  switch (c.code) {
    case 'CREDENCE_INVALID_INPUT':
    case 'CREDENCE_INVALID_JSON':
    case 'CREDENCE_PAYLOAD_TOO_LARGE':
      return e(
        400,
        'INVALID_ARGUMENT',
        `Client specified an invalid argument, request body or query param: ${c.message}`.slice(0, 512),
      );
    case 'CREDENCE_UNAUTHENTICATED':
      return UNAUTHENTICATED;
    case 'CREDENCE_FORBIDDEN':
      return PERMISSION_DENIED;
    case 'CREDENCE_NOT_FOUND':
      // Each file's own example: 0.2 names the phone number, 0.3 takes the Commonalities' text.
      return c.details?.identifier === 'phoneNumber'
        ? e(
            404,
            'IDENTIFIER_NOT_FOUND',
            version === 'v0.2' ? 'phoneNumber not found.' : 'Device identifier not found.',
          )
        : e(404, 'NOT_FOUND', 'The specified resource is not found.');
    case 'CREDENCE_ROUTE_NOT_FOUND':
      return e(404, 'NOT_FOUND', 'The specified resource is not found.');
    case 'CREDENCE_METHOD_NOT_ALLOWED':
      return e(
        405,
        'METHOD_NOT_ALLOWED',
        'The requested method is not allowed/supported on the target resource.',
      );
    case 'CREDENCE_NOT_ACCEPTABLE':
      return e(
        406,
        'NOT_ACCEPTABLE',
        'The server cannot produce a response matching the content requested by the client through `Accept-*` headers.',
      );
    case 'CREDENCE_UNSUPPORTED_MEDIA_TYPE':
      return e(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'The server refuses to accept the request because the payload format is in an unsupported format.',
      );
    case 'CREDENCE_IDENTIFIER_MISSING':
      return e(422, 'MISSING_IDENTIFIER', 'The phone number cannot be identified.');
    case 'CREDENCE_IDENTIFIER_UNNECESSARY':
      return e(422, 'UNNECESSARY_IDENTIFIER', 'The phone number is already identified by the access token.');
    case 'CREDENCE_OPTION_NOT_SUPPORTED':
      return c.details?.option === 'idDocument'
        ? e(
            422,
            'CUSTOMER_INSIGHTS.ID_DOCUMENT_NOT_SUPPORTED',
            // Without a full stop in 0.2's file, with one in 0.3's.
            `Indicated parameter \`idDocument\` is not supported${version === 'v0.2' ? '' : '.'}`,
          )
        : e(
            422,
            'CUSTOMER_INSIGHTS.SCALE_TYPE_NOT_SUPPORTED',
            'Indicated parameter `scoringType` is not supported.',
          );
    case 'CREDENCE_ID_DOCUMENT_REQUIRED':
      return version === 'v0.2'
        ? e(
            422,
            'CUSTOMER_INSIGHTS.ID_DOCUMENT_REQUIRED',
            'The `idDocument` is required to perform the properties validation.',
          )
        : NOT_APPLICABLE;
    case 'CREDENCE_IDENTIFIERS_MISMATCH':
      return version === 'v0.2'
        ? e(422, 'CUSTOMER_INSIGHTS.INVALID_IDENTIFIERS', 'The request contains invalid data.')
        : NOT_APPLICABLE;
    case 'CREDENCE_NOT_APPLICABLE':
      return NOT_APPLICABLE;
    case 'CREDENCE_RATE_LIMITED':
      return e(429, 'TOO_MANY_REQUESTS', 'Rate limit reached.');
    case 'CREDENCE_NO_ACTIVE_MODEL':
    case 'CREDENCE_UNAVAILABLE':
      return e(503, 'UNAVAILABLE', 'Service Unavailable.');
    default:
      return c.status < 500
        ? e(400, 'INVALID_ARGUMENT', 'Client specified an invalid argument, request body or query param.')
        : INTERNAL;
  }
}
