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

export function parsePredictorsRequest(body: unknown): PredictorsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidInput('body', 'Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const customerId = need(
    b,
    'customer_id',
    'String',
    (v) => typeof v === 'string' && v.length > 0 && v.length <= 260,
  );
  const version = need(b, 'version', 'Integer', (v) => typeof v === 'number' && Number.isInteger(v));
  const salt = need(b, 'salt', 'String', (v) => typeof v === 'string' && v.length > 0);
  if (!PREDICTOR_VERSIONS.includes(version as number))
    throw invalidInput(
      'version',
      `Invalid version ${version}. Supported versions: ${PREDICTOR_VERSIONS.join(', ')}`,
    );
  return { customerId: customerId as string, version: version as number, salt: salt as string };
}

function need(b: Record<string, unknown>, key: string, type: string, ok: (v: unknown) => boolean): unknown {
  const v = b[key];
  if (v === undefined || v === null) throw invalidInput(key, `Missing Key ${key}`);
  if (!ok(v)) throw invalidInput(key, `Invalid type for key ${key}, expected ${type}`);
  return v;
}
