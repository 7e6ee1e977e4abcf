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
  | 'adk'
  | 'sub'
  | 'sid'
  | 'mdl'
  | 'run'
  | 'req'
  | 'aud'
  | 'out'
  | 'job'
  | 'ocl'
  | 'whs'
  | 'msg'
  | 'att'
  | 'dat'
  | 'srq'
  | 'tok'
  | 'ptn'
  | 'led'
  | 'cap'
  | 'sms'
  | 'tsb'
  | 'cns'
  | 'sig'
  | 'doc';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${next()}`;
}

/**
 * 32 hex digits laid out as a UUIDv7 (RFC 9562, 5.7): 48 bits of Unix time in milliseconds, then
 * 74 random bits. Unique like a random UUID, but ids made close in time sort close together, so
 * a table keyed by them is appended to rather than written at random pages.
 */
export function timeOrderedHex(now: number = Date.now()): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(now, 0, 6);
  for (let i = 6; i < 16; i++) b[i] = Math.floor(pooledRandom() * 256);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('hex');
}
