/**
 * Reads a credit-indicator request (seeds/td-credit-indicators.txt, "Request") and checks it in
 * the documented order (docs/td.md#validation-order), so the caller always gets the first
 * problem:
 *
 *  1. every required parameter is present and not empty, in the order id_number, id_type,
 *     country, name, phone_number, package_name (9060 "{parameter} empty");
 *  2. id_type is `national_id`; country is supported; package_name is a package offered in that
 *     country; id_number is valid for the country (9061 "{parameter} error");
 *  3. phone_number follows the country's rules (9081);
 *  4. name and app_name are text of a sensible length (9061).
 *
 * A parameter of the wrong JSON type is a bad value (9061) when its turn comes. Whether the
 * partner is served in the country (9055) and the state of its package (300-304) are checked
 * after this, by the service.
 */

import { normaliseAppName } from '../../../domain/consortium.js';
import { CredenceError, invalidInput, missingInput } from '../../../domain/errors.js';
import { isIndicatorCountry, isPackageName, offersPackage } from '../../../domain/indicators/packages.js';
import { checkNationalId } from '../../../domain/national-id/index.js';
import { checkNationalPhone } from '../../../domain/national-phone.js';
import { CONTROL_CHARACTER, characterCount } from '../../../lib/text.js';
import type { MeteredRequest } from '../../../services/partner-call-service.js';

export const REQUIRED_PARAMETERS = [
  'id_number',
  'id_type',
  'country',
  'name',
  'phone_number',
  'package_name',
] as const;

export const ID_TYPE = 'national_id';
export const MAX_NAME = 200;

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function text(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string') throw invalidInput(field, `${field} must be a string`);
  return v.trim();
}

/** The country and package of a request, when they are valid: for the record of a failed call. */
export function requestLabels(body: unknown): { country: string | null; package: string | null } {
  const b = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const country = typeof b.country === 'string' ? b.country.trim().toUpperCase() : '';
  const pkg = typeof b.package_name === 'string' ? b.package_name.trim() : '';
  return {
    country: isIndicatorCountry(country) ? country : null,
    package: isPackageName(pkg) ? pkg : null,
  };
}

export function parseIndicatorRequest(body: unknown): MeteredRequest {
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw invalidInput('request body', 'the request body must be a JSON object');
  }
  const b = (body ?? {}) as Record<string, unknown>;
  for (const p of REQUIRED_PARAMETERS) if (isEmpty(b[p])) throw missingInput(p);

  if (text(b, 'id_type') !== ID_TYPE) throw invalidInput('id_type', `id_type must be ${ID_TYPE}`);
  const country = text(b, 'country').toUpperCase();
  if (!isIndicatorCountry(country)) throw invalidInput('country', 'country is not supported');
  const pkg = text(b, 'package_name');
  if (!isPackageName(pkg) || !offersPackage(country, pkg)) {
    throw invalidInput('package_name', `package_name is not offered in ${country}`);
  }
  const nationalId = checkNationalId(country, text(b, 'id_number'));
  if (!nationalId) throw invalidInput('id_number', `id_number is not valid in ${country}`);
  const phone = checkNationalPhone(country, text(b, 'phone_number'));
  if (!phone) {
    throw new CredenceError(
      'CREDENCE_INVALID_PHONE',
      `phone_number does not match the format of ${country}`,
      {
        field: 'phone_number',
      },
    );
  }
  const name = text(b, 'name');
  if (characterCount(name) > MAX_NAME || CONTROL_CHARACTER.test(name))
    throw invalidInput('name', 'name is not a valid name');
  let app: string | null = null;
  if (!isEmpty(b.app_name)) {
    app = normaliseAppName(text(b, 'app_name')) ?? null;
    if (!app) throw invalidInput('app_name', 'app_name is not a valid app name');
  }
  return { country, nationalId, phone, name, app, package: pkg };
}
