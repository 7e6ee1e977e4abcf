/**
 * The predictors request body, checked in the order the vendor's table lists its keys, with the
 * vendor's messages ("Missing Key version"). Checked by hand rather than by schema so the first
 * problem is named the vendor's way.
 */
import { invalidInput } from '../../../domain/errors.js';
import { PREDICTOR_VERSIONS } from '../../../domain/features/predictors/registry.js';

export interface PredictorsRequest {
  customerId: string;
  version: number;
  salt: string;
}

/** The seed's response table: customer_id is a STRING [260]. */
const CUSTOMER_ID_MAX = 260;

/** A customer_id the request may carry, and so the only kind an error answer echoes. */
export const isCustomerId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= CUSTOMER_ID_MAX;

export function parsePredictorsRequest(body: unknown): PredictorsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidInput('body', 'Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const customerId = text(b, 'customer_id', CUSTOMER_ID_MAX);
  // A safe integer: a larger JSON number has lost its digits (99999999999999999999999 reads 1e+23).
  const version = need(b, 'version', 'Integer', Number.isSafeInteger) as number;
  const salt = text(b, 'salt');
  if (!PREDICTOR_VERSIONS.includes(version))
    throw invalidInput(
      'version',
      `Invalid version ${version}. Supported versions: ${PREDICTOR_VERSIONS.join(', ')}`,
    );
  return { customerId, version, salt };
}

function need(b: Record<string, unknown>, key: string, type: string, ok: (v: unknown) => boolean): unknown {
  const v = b[key];
  if (v === undefined || v === null) throw invalidInput(key, `Missing Key ${key}`);
  if (!ok(v)) throw invalidInput(key, `Invalid type for key ${key}, expected ${type}`);
  return v;
}

/** A String key, not empty and at most `max` characters: a length problem is not a type problem. */
function text(b: Record<string, unknown>, key: string, max?: number): string {
  const v = need(b, key, 'String', (x) => typeof x === 'string') as string;
  if (v.length === 0 || (max !== undefined && v.length > max)) {
    const expected = max === undefined ? 'at least 1 character' : `1 to ${max} characters`;
    throw invalidInput(key, `Invalid length for key ${key}, expected ${expected}`);
  }
  return v;
}
