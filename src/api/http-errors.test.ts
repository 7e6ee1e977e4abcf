import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../domain/errors.js';
import { classifyError } from './http-errors.js';

describe('classifyError', () => {
  it("gives an error that carries only an HTTP status the code of that status (a plugin's 403 is Forbidden)", () => {
    for (const [status, code] of [
      [401, 'CREDENCE_UNAUTHENTICATED'],
      [403, 'CREDENCE_FORBIDDEN'],
      [404, 'CREDENCE_NOT_FOUND'],
      [405, 'CREDENCE_METHOD_NOT_ALLOWED'],
      [406, 'CREDENCE_NOT_ACCEPTABLE'],
      [409, 'CREDENCE_CONFLICT'],
      [413, 'CREDENCE_PAYLOAD_TOO_LARGE'],
      [415, 'CREDENCE_UNSUPPORTED_MEDIA_TYPE'],
      [429, 'CREDENCE_RATE_LIMITED'],
    ] as const) {
      const c = classifyError(Object.assign(new Error('from a plugin'), { statusCode: status }));
      expect(c, String(status)).toMatchObject({ code, status, internal: false });
      expect(ERROR_CATALOG[c.code].status).toBe(status);
    }
    // A status no code stands for keeps its status, as invalid input.
    expect(classifyError(Object.assign(new Error('range'), { statusCode: 416 }))).toMatchObject({
      code: 'CREDENCE_INVALID_INPUT',
      status: 416,
    });
  });
});
