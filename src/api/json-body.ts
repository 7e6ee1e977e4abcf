/**
 * A JSON request body, parsed the one way every route reads JSON: keys that would reach an
 * object's prototype are refused, and so is a number beyond the range of a double, which
 * `JSON.parse` turns into `Infinity` and which would then be scored as a number but stored and
 * answered as `null`. So is a body nested deeper than MAX_JSON_DEPTH: what is accepted is kept
 * and answered again later (a client's history), and a value nested thousands of levels deep
 * could be parsed but not written out again.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { CredenceError } from '../domain/errors.js';

const SAFE = { protoAction: 'error', constructorAction: 'error' } as const;
const DROP = { protoAction: 'remove', constructorAction: 'remove' } as const;
/** Objects and arrays inside one another; no request of any dialect needs more than a few. */
export const MAX_JSON_DEPTH = 64;
/**
 * Only a literal with an exponent of three digits or more, or with more than 308 digits, can
 * overflow; the walk over the parsed value runs only when the text holds one (or a string that
 * looks like one). `mayBeHuge` reads the text once: a pattern for 309 digits would read up to 308
 * digits again from every digit of a long run of them, seconds for a large body.
 */
const LARGE_EXPONENT = /\d[eE]\+?\d{3}/;
const MAX_FINITE_DIGITS = 308;

function mayBeHuge(text: string): boolean {
  if (LARGE_EXPONENT.test(text)) return true;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run > MAX_FINITE_DIGITS) return true;
    } else run = 0;
  }
  return false;
}
/** An escaped surrogate (`\uD83D`), half of a pair or not. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** An escaped NUL, the only way JSON text can carry one. */
const NUL_ESCAPE = /\\u0000/;

export interface JsonBodyOptions {
  /**
   * Whether text may hold the NUL character: only where every text that may hold one is stored
   * encrypted (a device sync's SMS bodies), and the route refuses it in what is not.
   */
  nul?: boolean;
  /**
   * What becomes of a key that would reach an object's prototype (`__proto__`, or `constructor`
   * holding a `prototype`): refused (the default), or dropped where it is read, for a dialect that
   * ignores parameters it does not know, so that such a name is ignored as any other would be.
   */
  prototypeKeys?: 'refuse' | 'drop';
  /**
   * The field whose value is this JSON text (a form field holding JSON), when it is not the request
   * body: refusals name it, and the paths inside it (`user_agent.os`).
   */
  field?: string;
}

export function parseJsonBody(text: string, options: JsonBodyOptions = {}): unknown {
  const root = options.field ?? '';
  const whole = options.field ?? 'request body';
  let value: unknown;
  try {
    value = sjson.parse(text, options.prototypeKeys === 'drop' ? DROP : SAFE);
  } catch (e) {
    if (e instanceof SyntaxError && e.message.includes('forbidden prototype')) {
      throw new CredenceError(
        'CREDENCE_INVALID_JSON',
        `${whole} must not use the key "__proto__", nor "constructor" with a "prototype"`,
      );
    }
    throw new CredenceError('CREDENCE_INVALID_JSON', `${whole} is not valid JSON`);
  }
  // Checked first: the walk below recurses as deep as the value goes.
  if (text.length > 2 * MAX_JSON_DEPTH && nestedDeeperThan(text, MAX_JSON_DEPTH))
    throw new CredenceError(
      'CREDENCE_INVALID_JSON',
      `${whole} is nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays inside one another)`,
    );
  // JSON can escape half a surrogate pair (`"\ud800"`): text no database or answer can hold, which
  // would be stored mangled and then not found again. Only an escape can make one.
  refuseText(
    text,
    value,
    root,
    SURROGATE_ESCAPE,
    isIllFormed,
    'text that is not valid Unicode (half of a surrogate pair)',
  );
  // Nor can PostgreSQL hold the NUL character in text: an id holding one would fail there, where
  // SQLite takes it. Refused on every database, so that a request has one answer.
  if (!options.nul)
    refuseText(
      text,
      value,
      root,
      NUL_ESCAPE,
      hasNul,
      'the NUL character (\\u0000), which text may not contain',
    );
  if (mayBeHuge(text)) {
    const field = nonFiniteAt(value, root);
    if (field !== undefined) {
      const name = field === '' ? 'request body' : field;
      throw new CredenceError('CREDENCE_INVALID_JSON', `${name} is a number too large to represent`, {
        ...(field === '' ? {} : { field }),
      });
    }
  }
  return value;
}

/**
 * A body's bytes as text. JSON is UTF-8 (RFC 8259), and so is every form a dialect reads: other
 * bytes (a Latin-1 "é") would be read as U+FFFD and kept mangled, and an id stored so is never
 * found again by the id its sender meant.
 */
export function utf8Text(body: string | Buffer, what = 'JSON'): string {
  if (typeof body === 'string') return body;
  if (!isUtf8(body))
    throw new CredenceError(
      'CREDENCE_INVALID_JSON',
      `request body is not UTF-8 text (${what} must be sent as UTF-8)`,
    );
  return body.toString('utf8');
}

/**
 * Puts `parseJsonBody` in place of Fastify's own parser of `application/json`, for every route
 * whose dialect does not read bodies its own way.
 */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    if (body.length === 0)
      return done(new CredenceError('CREDENCE_INVALID_JSON', 'request body is empty'), undefined);
    try {
      done(null, parseJsonBody(utf8Text(body), { nul: req.routeOptions.config?.textMayHoldNul === true }));
    } catch (e) {
      done(e as CredenceError, undefined);
    }
  });
}

/**
 * Whether valid JSON text opens more than `max` objects or arrays inside one another. A scan of
 * the text, brackets inside strings skipped, so that no depth of nesting costs stack.
 */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Refuses a parsed value with a string `bad` picks, naming where; `escaped` finds the text that may. */
function refuseText(
  text: string,
  value: unknown,
  root: string,
  escaped: RegExp,
  bad: (v: unknown) => boolean,
  what: string,
): void {
  if (!escaped.test(text)) return;
  const field = firstAt(value, root, bad);
  if (field === undefined) return;
  const name = field === '' ? 'request body' : field;
  throw new CredenceError('CREDENCE_INVALID_JSON', `${name} holds ${what}`, field === '' ? {} : { field });
}

/** The path (`a.b[2]`) of the first number that is not finite, if any. */
function nonFiniteAt(value: unknown, path: string): string | undefined {
  return firstAt(value, path, (v) => typeof v === 'number' && !Number.isFinite(v));
}

/** Where in a parsed value (`a.b[2]`, '' for the value itself) the first value `bad` picks is. */
function firstAt(value: unknown, path: string, bad: (v: unknown) => boolean): string | undefined {
  if (bad(value)) return path;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstAt(value[i], `${path}[${i}]`, bad);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    // A key is text too: one that is bad is reported at the object that holds it.
    if (bad(key)) return path;
    const found = firstAt(item, path === '' ? key : `${path}.${key}`, bad);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Half of a UTF-16 surrogate pair without the other half: no character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isIllFormed = (v: unknown) => typeof v === 'string' && LONE_SURROGATE.test(v);
const hasNul = (v: unknown) => typeof v === 'string' && v.includes('\u0000');
