/**
 * Typed, time-ordered identifiers: a prefix naming what the id is for, then a ULID
 * (monotonic within a process), e.g. `run_01JD3Q6Y4M8X...`.
 */
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid's default source asks the CSPRNG for one byte per character; draw them in bulk instead.
const pool = Buffer.alloc(4096);
let at = pool.length;
function pooledRandom(): number {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  return pool[at++]! / 256;
}

const next = monotonicFactory(pooledRandom);

export type IdPrefix =
  | 'ten'
  | 'cli'
  | 'key'
  | 'sub'
  | 'sid'
  | 'mdl'
  | 'run'
  | 'req'
  | 'aud'
  | 'out'
  | 'ptn'
  | 'led'
  | 'cap';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${next()}`;
}
