/**
 * Query strings and form bodies whose `%XX` escapes spell bytes that are not UTF-8 (`caf%E9`, é in
 * Latin-1). Decoded as URLSearchParams does, such a value becomes `caf\uFFFD`; left as it is, as
 * Fastify's query parser does, it becomes the text `caf%E9`, which is the id a client sends as
 * `caf%25E9`. Neither is what was sent, so such a parameter is refused, naming it.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../domain/errors.js';

const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);

/** The bytes `text` spells, its `%XX` escapes decoded and everything else as its UTF-8. */
export function percentDecoded(text: string): Buffer {
  const raw = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]!) && isHex(raw[i + 2]!)) {
      out[n++] = Number.parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16);
      i += 2;
    } else out[n++] = raw[i]!;
  }
  return out.subarray(0, n);
}

/** Whether the escapes of one name or value spell bytes that are not UTF-8. */
export const spellsNonUtf8 = (text: string): boolean => text.includes('%') && !isUtf8(percentDecoded(text));

export const nonUtf8Message = (text: string) =>
  `a parameter is not UTF-8 text: "${text.slice(0, 80)}" is percent-encoded bytes of another encoding`;

/**
 * The first parameter of a query string or form (`a=1&b=2`) whose name or value is not UTF-8 once
 * decoded: its name, as far as it can be read, and the text at fault.
 */
export function nonUtf8Parameter(fields: string): { name: string; text: string } | undefined {
  if (!fields.includes('%')) return undefined;
  for (const pair of fields.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    if (spellsNonUtf8(name)) return { name: name.replaceAll('+', ' '), text: name };
    if (spellsNonUtf8(value))
      return { name: percentDecoded(name.replaceAll('+', ' ')).toString('utf8'), text: value };
  }
  return undefined;
}

/**
 * Refuses a request whose query string holds such a parameter: after the credentials are checked,
 * before the route validates its input, in the words of its dialect.
 */
export function refuseNonUtf8Query(app: FastifyInstance): void {
  // Synchronous: it runs for every request, and nearly none has a `%` in its query string.
  app.addHook('preValidation', (req, _reply, done) => {
    const q = req.url.indexOf('?');
    const bad = q === -1 || req.is404 ? undefined : nonUtf8Parameter(req.url.slice(q + 1));
    done(bad && invalidInput(bad.name, nonUtf8Message(bad.text)));
  });
}
