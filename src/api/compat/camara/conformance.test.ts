/** The conformance check itself: it must refuse what the OpenAPI files refuse. */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { assertConforms, documentedCodes } from '../../../../test/helpers/camara-spec.js';

const response = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
    json: () => body,
  }) as unknown as LightMyRequestResponse;

describe('conformance to the CAMARA OpenAPI files', () => {
  it('accepts what each file allows and refuses what it does not', () => {
    expect(() =>
      assertConforms('v0.3rc1', response(200, { scoringType: 'veritasIndex', scoringValue: 4 })),
    ).not.toThrow();
    // 0.3 bounds each scale; 0.2 does not.
    expect(() =>
      assertConforms('v0.3rc1', response(200, { scoringType: 'veritasIndex', scoringValue: 20 })),
    ).toThrow();
    expect(() =>
      assertConforms('v0.2', response(200, { scoringType: 'veritasIndex', scoringValue: 20 })),
    ).not.toThrow();
    expect(() =>
      assertConforms('v0.3rc1', response(200, { scoringType: 'gaugeMetric', scoringValue: 299 })),
    ).toThrow();
    expect(() =>
      assertConforms(
        'v0.2',
        response(422, { status: 422, code: 'CUSTOMER_INSIGHTS.INVALID_IDENTIFIERS', message: 'm' }),
      ),
    ).not.toThrow();
    expect(() =>
      assertConforms(
        'v0.3rc1',
        response(422, { status: 422, code: 'CUSTOMER_INSIGHTS.INVALID_IDENTIFIERS', message: 'm' }),
      ),
    ).toThrow();
    expect(() =>
      assertConforms('v0.2', response(401, { status: 401, code: 'PERMISSION_DENIED', message: 'm' })),
    ).toThrow();
    expect(() =>
      assertConforms('v0.2', response(405, { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'm' })),
    ).not.toThrow();
    expect(() =>
      assertConforms('v0.2', response(418, { status: 418, code: 'TEAPOT', message: 'm' })),
    ).toThrow(/documented/);
    expect(() =>
      assertConforms(
        'v0.3rc1',
        response(200, { scoringType: 'gaugeMetric', scoringValue: 600 }, { 'x-correlator': 'a b' }),
      ),
    ).toThrow(/x-correlator/);
  });

  it('reads the error codes of each version from its file', () => {
    expect(documentedCodes('v0.2', 422)).toContain('CUSTOMER_INSIGHTS.ID_DOCUMENT_REQUIRED');
    expect(documentedCodes('v0.3rc1', 422)).not.toContain('CUSTOMER_INSIGHTS.ID_DOCUMENT_REQUIRED');
    expect(documentedCodes('v0.3rc1', 404)).toEqual(['NOT_FOUND', 'IDENTIFIER_NOT_FOUND']);
  });
});
