/**
 * Dense linear algebra for the small symmetric positive definite systems of a logistic regression
 * (one row and column per characteristic, plus the intercept). Matrices are row-major
 * Float64Arrays of n * n.
 */

/**
 * The Cholesky factor L (lower triangular, A = L L^T), row by row (Cholesky-Banachiewicz; Golub &
 * Van Loan, "Matrix Computations", 4th ed., section 4.2). Returns null when A is not
 * positive definite, which for normal equations means a constant or collinear feature.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        // A relative threshold: a pivot that is rounding noise means a singular matrix.
        if (!(sum > 1e-12 * Math.abs(a[i * n + i]!))) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves L L^T x = b for x, given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}

/** The diagonal of A^-1, given the Cholesky factor of A: column by column, n small. */
export function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    out[j] = choleskySolve(l, n, e)[j]!;
  }
  return out;
}
