import { Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { describeValidationError } from './validation.js';

describe('describeValidationError', () => {
  const ajv = new Ajv({ allErrors: false });
  const validate = ajv.compile(
    Type.Object({
      id: Type.String({ minLength: 1, maxLength: 5 }),
      code: Type.Optional(Type.String({ minLength: 3 })),
      items: Type.Optional(Type.Array(Type.Integer(), { minItems: 1, maxItems: 10_000 })),
      pair: Type.Optional(Type.Array(Type.Integer(), { minItems: 2 })),
    }),
  );
  const problem = (body: unknown) => {
    expect(validate(body)).toBe(false);
    return describeValidationError(validate.errors!, 'body');
  };

  it('says in words how long a text or a list must be', () => {
    expect(problem({ id: '' })).toEqual({ field: 'id', message: 'id must not be empty' });
    expect(problem({ id: 'abcdef' })).toEqual({
      field: 'id',
      message: 'id must be at most 5 characters long',
    });
    expect(problem({ id: 'a', code: 'ab' }).message).toBe('code must be at least 3 characters long');
    expect(problem({ id: 'a', items: [] }).message).toBe('items must not be empty');
    expect(problem({ id: 'a', items: Array(10_001).fill(1) }).message).toBe(
      'items must hold at most 10,000 items',
    );
    expect(problem({ id: 'a', pair: [1] }).message).toBe('pair must hold at least 2 items');
  });
});
