/**
 * Typed, time-ordered identifiers: a prefix naming what the id is for, then a ULID
 * (monotonic within a process), e.g. `run_01JD3Q6Y4M8X...`.
 */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export type IdPrefix = 'ten' | 'cli' | 'key' | 'sub' | 'sid' | 'mdl' | 'run' | 'req' | 'aud';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${next()}`;
}
