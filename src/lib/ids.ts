/**
 * Typed, time-ordered identifiers: a prefix naming what the id is for, then a ULID
 * (monotonic within a process), e.g. `run_01JD3Q6Y4M8X...`.
 */
import { randomFillSync } from 'node:crypto';

// Random bytes are drawn from the CSPRNG in bulk: one call instead of one per id.
const pool = Buffer.alloc(4096);
let at = pool.length;
function randomByte(): number {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  return pool[at++]!;
}

/**
 * ULIDs (https://github.com/ulid/spec): 48 bits of Unix time in milliseconds as 10 Crockford
 * base32 digits, then 80 random bits as 16 digits. Monotonic within the process: an id made in
 * the same millisecond as the last one (or after the clock stepped back) takes the last random
 * part plus one. Made with one string concatenation from digits kept as numbers, since an id is
 * made for every request and every run.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE = Uint8Array.from(CROCKFORD, (c) => c.charCodeAt(0));
/** The id being made, as character codes: 10 of time, then 16 random digits. */
const chars = new Uint8Array(26);
/** The random digits as numbers (0-31), for the increment. */
const random = new Uint8Array(16);
let lastTime = -1;

function ulid(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    let t = now;
    for (let i = 9; i >= 0; i--) {
      chars[i] = CODE[t % 32]!;
      t = Math.floor(t / 32);
    }
    for (let i = 0; i < 16; i++) {
      random[i] = randomByte() & 31;
      chars[10 + i] = CODE[random[i]!]!;
    }
  } else {
    let i = 15;
    while (i >= 0 && random[i] === 31) {
      random[i] = 0;
      chars[10 + i] = CODE[0]!;
      i--;
    }
    // 2^80 ids in one millisecond: the spec says to fail rather than wrap.
    if (i < 0) throw new Error('ULID random part overflowed within one millisecond');
    chars[10 + i] = CODE[++random[i]!]!;
  }
  return String.fromCharCode.apply(null, chars as unknown as number[]);
}

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
  return `${prefix}_${ulid()}`;
}

/**
 * 32 hex digits laid out as a UUIDv7 (RFC 9562, 5.7): 48 bits of Unix time in milliseconds, then
 * 74 random bits. Unique like a random UUID, but ids made close in time sort close together, so
 * a table keyed by them is appended to rather than written at random pages.
 */
export function timeOrderedHex(now: number = Date.now()): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(now, 0, 6);
  for (let i = 6; i < 16; i++) b[i] = randomByte();
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('hex');
}
