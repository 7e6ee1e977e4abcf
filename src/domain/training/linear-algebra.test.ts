import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, inverseDiagonal } from './linear-algebra.js';

// The textbook example: A = L L^T with L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]].
const A = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);

describe('cholesky', () => {
  it('factors a positive definite matrix', () => {
    expect(Array.from(cholesky(A, 3)!)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('returns null for a singular or indefinite matrix', () => {
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2)).toBeNull();
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
  });
});

describe('choleskySolve', () => {
  it('solves A x = b', () => {
    const x = [1, -2, 0.5];
    const b = [0, 1, 2].map((i) => x.reduce((s, xj, j) => s + A[i * 3 + j]! * xj, 0));
    const solved = choleskySolve(cholesky(A, 3)!, 3, b);
    for (const [i, v] of solved.entries()) expect(v).toBeCloseTo(x[i]!, 10);
  });
});

describe('inverseDiagonal', () => {
  it('gives the diagonal of A^-1', () => {
    // A^-1 of [[2, 1], [1, 2]] is [[2, -1], [-1, 2]] / 3.
    const d = inverseDiagonal(cholesky(Float64Array.of(2, 1, 1, 2), 2)!, 2);
    expect(d[0]).toBeCloseTo(2 / 3, 12);
    expect(d[1]).toBeCloseTo(2 / 3, 12);
  });
});
