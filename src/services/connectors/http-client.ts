/**
 * How connectors call a network: a time limit per call, and bounded retries when the network
 * answers 429 or 5xx (after its Retry-After, if it gives one, up to 5 s; else exponential backoff).
 * A connection the network closed before any answer (a kept-alive connection it dropped just as the
 * request went out) is tried again at once, within the same attempts. A timeout or a refused
 * connection is not retried: the network is recorded as failed for this calculation. Answers that
 * say the token is no good are the network's business to recognise (`refusal` below), and end in a
 * TokenRefused.
 */
import { backoffDelay } from '../../jobs/backoff.js';
import { readCapped } from '../../lib/capped-body.js';

export class TokenRefused extends Error {
  override name = 'TokenRefused';
}

export class ConnectorFailure extends Error {
  override name = 'ConnectorFailure';
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface HttpClientOptions {
  timeoutMs: number;
  attempts: number;
  /** First retry delay (default 250 ms). */
  backoffBaseMs?: number;
  signal?: AbortSignal | undefined;
}

const MAX_RETRY_AFTER_MS = 5000;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** How a connection closed before any answer shows in fetch's error cause. */
const CLOSED_BEFORE_ANSWER = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function retryAfterMs(h: Headers): number | undefined {
  const v = h.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

async function readBody(res: Response): Promise<unknown> {
  const buf = await readCapped(
    res,
    MAX_BODY_BYTES,
    () => new ConnectorFailure(`the answer is larger than ${MAX_BODY_BYTES} bytes`),
  );
  const text = buf.toString('utf8');
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One attempt's limit in time, over the answer's headers and its body alike: a timer of its own,
 * held until `done`, and the caller's signal (a job cancelled at shutdown) joined to it.
 */
function attemptLimit(timeoutMs: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  const timedOut = new ConnectorFailure(`no answer within ${timeoutMs} ms`);
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
  const follow = () => controller.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    timedOut,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', follow);
    },
  };
}

export class ConnectorHttp {
  constructor(private readonly o: HttpClientOptions) {}

  /**
   * GETs `url` (or sends `init`), retrying 429 and 5xx. `refusal` tells from an answer that the
   * token was refused (a description) or not (undefined). Any other answer outside 2xx fails.
   */
  async call(
    url: string,
    init: RequestInit,
    refusal: (a: HttpAnswer) => string | undefined,
  ): Promise<HttpAnswer> {
    let last = '';
    const scrub = scrubberOf(url, init);
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      const limit = attemptLimit(this.o.timeoutMs, this.o.signal);
      let res: Response;
      let body: unknown;
      try {
        try {
          res = await fetch(url, { ...init, redirect: 'error', signal: limit.signal });
        } catch (err) {
          if (err === limit.timedOut) throw err;
          const e = err as Error;
          const cause = e.cause as (Error & { code?: string }) | undefined;
          const closed = CLOSED_BEFORE_ANSWER.has(cause?.code ?? '');
          if (closed && !this.o.signal?.aborted && attempt < this.o.attempts) continue;
          throw new ConnectorFailure(`cannot reach ${new URL(url).host}: ${cause?.message ?? e.message}`);
        }
        body = await readBody(res);
      } finally {
        limit.done();
      }
      const answer = { status: res.status, body, headers: res.headers };
      const refused = refusal(answer);
      if (refused !== undefined) throw new TokenRefused(scrub(refused));
      if (res.ok) return answer;
      last = `HTTP ${res.status}${typeof body === 'string' ? '' : ` ${JSON.stringify(body).slice(0, 200)}`}`;
      if (res.status !== 429 && res.status < 500) break;
      if (attempt < this.o.attempts) {
        const wait =
          retryAfterMs(res.headers) ??
          backoffDelay(attempt, { baseMs: this.o.backoffBaseMs ?? 250, maxMs: 4000 });
        await sleep(Math.min(wait, MAX_RETRY_AFTER_MS), this.o.signal);
      } else if (res.status === 429) last = `rate limited (HTTP 429) after ${attempt} attempts`;
      else last = `${last} after ${attempt} attempts`;
    }
    throw new ConnectorFailure(scrub(last));
  }
}

/**
 * A network's error text can quote the request, the token included (`Invalid Value
 * /tokeninfo?access_token=ya29...`); such text is kept and served as what the connector read. The
 * credentials of the request, its query values and its Authorization header's, are masked in it
 * (those of 12 characters or more: a token is longer, and a short value is no secret).
 */
function scrubberOf(url: string, init: RequestInit): (text: string) => string {
  const secrets = new Set<string>();
  for (const v of new URL(url).searchParams.values()) secrets.add(v);
  const auth = new Headers(init.headers).get('authorization');
  if (auth) secrets.add(auth.replace(/^\S+\s+/, ''));
  const forms = [...secrets]
    .filter((v) => v.length >= 12)
    .flatMap((v) => [v, encodeURIComponent(v)])
    .sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((t, v) => t.split(v).join('***'), text);
}
