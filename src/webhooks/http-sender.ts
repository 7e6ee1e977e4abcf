/**
 * One webhook attempt: a POST with a timeout, through the guarded DNS lookup. It reports what
 * happened and never throws, so that the caller records every attempt.
 */
import http from 'node:http';
import https from 'node:https';
import { parseRetryAfter } from '../lib/retry-after.js';
import { DestinationRefusedError, guardedLookup, webhookUrlProblem } from './destination.js';

export interface AttemptResult {
  /** The HTTP status, or null when no response came. */
  status: number | null;
  /** Retry-After in milliseconds, when the receiver sent one. */
  retryAfterMs: number | null;
  /** The first bytes of the response body. */
  excerpt: string | null;
  error: string | null;
  /** The destination was refused (a private address): retrying cannot help. */
  refused: boolean;
  durationMs: number;
}

const EXCERPT_BYTES = 512;

/**
 * Connections to receivers are kept open and reused: a busy receiver gets many events. A socket
 * is only ever opened through the guarded lookup, so reusing it reaches the address that was
 * checked.
 */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 30_000 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64, timeout: 30_000 }),
};

export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: { timeoutMs: number; allowPrivate: boolean; now: () => number },
): Promise<AttemptResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: Date.now() - started });
    };
    // Checked at every attempt, not only when the URL was registered: the guarded lookup sees
    // names only, and an address written in the URL is connected to without a lookup (a URL
    // stored while private destinations were allowed, say).
    const problem = webhookUrlProblem(url, o.allowPrivate);
    if (problem)
      return done({
        status: null,
        retryAfterMs: null,
        excerpt: null,
        error: `the webhook URL ${problem}`,
        refused: true,
      });
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const client = secure ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Credence-Webhooks/1',
        },
        lookup: guardedLookup(o.allowPrivate),
        timeout: o.timeoutMs,
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          done({
            status: res.statusCode ?? null,
            retryAfterMs: parseRetryAfter(res.headers['retry-after'], o.now()),
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            error: null,
            refused: false,
          }),
        );
        res.on('error', (err) =>
          done({
            status: res.statusCode ?? null,
            retryAfterMs: null,
            excerpt: null,
            error: err.message,
            refused: false,
          }),
        );
      },
    );
    // The whole attempt, not only an idle socket, is bounded by the timeout.
    const timer = setTimeout(
      () => req.destroy(new Error(`no response within ${o.timeoutMs} ms`)),
      o.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${o.timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(timer);
      done({
        status: null,
        retryAfterMs: null,
        excerpt: null,
        error: err.message,
        refused: err instanceof DestinationRefusedError,
      });
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}
