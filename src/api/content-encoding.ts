/**
 * Request bodies sent compressed (`Content-Encoding: gzip`, `deflate` or `br`, as HTTP clients
 * on phones often send them) are read decompressed, by every route's own body reader, so each
 * dialect sees the body its client meant. The body limit applies to the decompressed bytes (and
 * to the compressed ones), so a small body that inflates to gigabytes is cut off at the limit
 * and answered as too large.
 *
 * Any other coding, or codings stacked on one another, is refused as an unsupported media type
 * (RFC 9110 §15.5.16) naming the codings that are read, also in `Accept-Encoding` (RFC 7694).
 * A body that is not what its coding says is invalid input. Both are found only when the body
 * is read: a route that leaves its body unread (a 404, a 405) answers as it would without it.
 */
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { CredenceError } from '../domain/errors.js';

// A Map, not an object: a coding named `constructor` or `__proto__` must find nothing.
const DECODERS = new Map<string, () => NodeJS.ReadWriteStream>([
  ['gzip', () => zlib.createGunzip()],
  ['x-gzip', () => zlib.createGunzip()],
  ['deflate', () => zlib.createInflate()],
  ['br', () => zlib.createBrotliDecompress()],
]);
const READ_CODINGS = 'gzip, deflate, br';

/** The stream a route's body reader reads, with the compressed length it has read so far. */
type DecodedBody = Readable & { receivedEncodedLength: number };

export function decodeCompressedBodies(app: FastifyInstance): void {
  app.addHook('preParsing', (req, reply, payload, done) => {
    const header = req.headers['content-encoding'];
    if (header === undefined) return done(null, payload);
    const codings = header
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '' && c !== 'identity');
    if (codings.length === 0) return done(null, payload);
    const decoder = codings.length === 1 ? DECODERS.get(codings[0]!) : undefined;
    if (!decoder) {
      const refused = new Readable({
        read() {
          reply.header('accept-encoding', READ_CODINGS);
          this.destroy(
            new CredenceError(
              'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
              `Content-Encoding ${header} is not supported: send the body uncompressed, or as ${READ_CODINGS}`,
            ),
          );
        },
      });
      return done(null, refused);
    }
    const inflate = decoder();
    const decoded = new PassThrough() as PassThrough & DecodedBody;
    decoded.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      decoded.receivedEncodedLength += chunk.length;
    });
    inflate.on('error', () =>
      decoded.destroy(
        new CredenceError(
          'CREDENCE_INVALID_INPUT',
          `request body is not valid ${codings[0]} data, as its Content-Encoding says`,
        ),
      ),
    );
    // The body's reader takes that error as its own. A route that never reads the body (a 404, a
    // 405) has no reader: without a listener of its own here, the 'error' event would end the
    // process.
    decoded.on('error', () => {});
    payload.pipe(inflate).pipe(decoded);
    done(null, decoded);
  });
}
