/**
 * Seeded randomness for training: a generator, a shuffle, and the stratified splits that decide
 * which rows a model learns from. Every function takes the generator as an argument, so the same
 * seed always gives the same split and a fit can be reproduced byte for byte.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Train/test row indices, each in ascending order. */
export interface Split {
  train: number[];
  test: number[];
}

/**
 * Mulberry32, Tommy Ettinger's 32-bit generator (public domain; as listed in bryc/code,
 * jshash/PRNGs.md). Small state and fast, and good enough to shuffle rows; not for secrets.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A standard normal draw (Box-Muller); used to simulate data in tests and examples. */
export function randomNormal(random: Random): number {
  // 1 - u keeps the argument of the logarithm in (0, 1].
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A shuffled copy (Fisher-Yates, Knuth vol. 2, algorithm 3.4.2 P). */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/** Row indices grouped by class (0 or 1), in ascending order. */
function indicesByClass(target: ArrayLike<number>): [number[], number[]] {
  const goods: number[] = [];
  const bads: number[] = [];
  for (let i = 0; i < target.length; i++) (target[i] === 1 ? bads : goods).push(i);
  return [goods, bads];
}

/**
 * Splits rows so that train and test keep the class ratio of the whole: each class is shuffled
 * on its own and `trainShare` of it (rounded) goes to train.
 */
export function stratifiedSplit(target: ArrayLike<number>, trainShare: number, random: Random): Split {
  if (!(trainShare > 0 && trainShare < 1)) throw new RangeError('trainShare must be between 0 and 1');
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of indicesByClass(target)) {
    const shuffled = shuffle(rows, random);
    const cut = Math.round(rows.length * trainShare);
    // A loop, not push(...rows): spreading a million arguments overflows the stack.
    for (let k = 0; k < shuffled.length; k++) (k < cut ? train : test).push(shuffled[k]!);
  }
  return { train: train.sort(byNumber), test: test.sort(byNumber) };
}

/**
 * Stratified k-fold cross-validation: fold f tests on its rows and trains on the rest. Rows are
 * dealt round-robin per class, continuing across classes, so fold sizes differ by at most one
 * and each fold keeps the class ratio.
 */
export function stratifiedKFold(target: ArrayLike<number>, k: number, random: Random): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError('k must be an integer of at least 2');
  if (k > target.length) throw new RangeError('k must not exceed the number of rows');
  const fold = new Int32Array(target.length);
  let next = 0;
  for (const rows of indicesByClass(target)) {
    for (const i of shuffle(rows, random)) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  const folds: Split[] = Array.from({ length: k }, () => ({ train: [], test: [] }));
  for (let i = 0; i < target.length; i++) {
    for (let f = 0; f < k; f++) (fold[i] === f ? folds[f]!.test : folds[f]!.train).push(i);
  }
  return folds;
}

/** The values at the given row indices, in that order. */
export function takeRows<T>(values: ArrayLike<T>, rows: readonly number[]): T[] {
  return rows.map((i) => values[i] as T);
}

const byNumber = (a: number, b: number) => a - b;
