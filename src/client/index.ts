/**
 * A typed client for the DeviceConnect predictors call (`credence/client`), following the
 * documented retry policy: an `in_progress` answer is polled again after at least 10 s; a 5xx or
 * 429 is retried twice, after 2 s and then 5 s (longer if the server's Retry-After says so).
 * Every delay is configurable, so tests and impatient scripts can shorten them.
 */
import { finboxSalt } from '../domain/finbox/salt.js';
import { parseRetryAfter } from '../lib/retry-after.js';

export type PredictorValue = number | string | null;
export interface Predictor {
  name: string;
  value: PredictorValue;
}

export type PredictorsResponse =
  | (Base & { status: 'complete'; date_processed: string; data: Predictor[] })
  | (Base & { status: 'no_data'; date_processed: string; data: null })
  | (Base & { status: 'not_found'; date_processed: null; data: null })
  | (Base & { status: 'in_progress' });

interface Base {
  customer_id: string;
  request_id: string;
  date_requested: string;
  message: string;
}

export interface PredictorsClientOptions {
  /** Where Credence's DeviceConnect dialect lives, e.g. `https://credence.example.com/finbox`. */
  baseUrl: string;
  /** The SERVER_API_KEY (a `finbox-server` key). */
  apiKey: string;
  /** The key's SERVER_HASH, for the salt. */
  serverHash: string;
  /** DC_PREDICTORS_VERSION. */
  version: number;
  /** `production` (default; IP allowlist applies) or `staging`. */
  environment?: 'production' | 'staging' | undefined;
  /** Wait before polling an in_progress answer again (default 10,000 ms; the vendor's minimum). */
  pollIntervalMs?: number | undefined;
  /** Polls of an in_progress answer before giving up (default 30). */
  maxPolls?: number | undefined;
  /** Waits before each retry of a 5xx or 429 (default [2000, 5000]: two retries). */
  retryDelaysMs?: readonly number[] | undefined;
  /** How long one attempt may take before it counts as failed and is retried (default 30,000 ms). */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** Per call: a signal that cancels the call, its retries and its polls at once. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** A final error answer: 400, 403, or a 5xx/429 that retrying did not cure. */
export class PredictorsError extends Error {
  override name = 'PredictorsError';
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error text of an answer's body, when it is JSON with a message. */
const messageOf = (body: unknown, status: number) =>
  (body as { message?: unknown } | null)?.message?.toString() ?? `HTTP ${status}`;

export class PredictorsClient {
  private readonly o: {
    baseUrl: string;
    apiKey: string;
    serverHash: string;
    version: number;
    path: string;
    pollIntervalMs: number;
    maxPolls: number;
    retryDelaysMs: readonly number[];
    timeoutMs: number;
    fetch: typeof fetch;
  };

  constructor(options: PredictorsClientOptions) {
    // An option given as undefined takes its default, as one left out does.
    const environment = options.environment ?? 'production';
    if (environment !== 'production' && environment !== 'staging')
      throw new TypeError(`environment must be production or staging, not ${String(environment)}`);
    this.o = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      apiKey: options.apiKey,
      serverHash: options.serverHash,
      version: options.version,
      path: environment === 'production' ? '/v2/risk/predictors' : '/staging/risk/predictors',
      pollIntervalMs: options.pollIntervalMs ?? 10_000,
      maxPolls: options.maxPolls ?? 30,
      retryDelaysMs: options.retryDelaysMs ?? [2000, 5000],
      timeoutMs: options.timeoutMs ?? 30_000,
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  salt(customerId: string): string {
    return finboxSalt(customerId, this.o.serverHash);
  }

  /**
   * The customer's predictors, waiting through `in_progress`. Resolves with `complete`,
   * `no_data` or `not_found`, or with `in_progress` when `maxPolls` ran out.
   */
  async predictors(customerId: string, call: CallOptions = {}): Promise<PredictorsResponse> {
    return this.poll(customerId, '', call.signal);
  }

  /** What a webhook announced, by its request_id (valid for 24 h). */
  async fromWebhook(
    customerId: string,
    requestId: string,
    call: CallOptions = {},
  ): Promise<PredictorsResponse> {
    return this.poll(customerId, `?source=webhook&request_id=${encodeURIComponent(requestId)}`, call.signal);
  }

  private async poll(
    customerId: string,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<PredictorsResponse> {
    for (let poll = 0; ; poll++) {
      const r = await this.once(customerId, query, signal);
      if (r.status !== 'in_progress' || poll + 1 >= this.o.maxPolls) return r;
      await sleep(this.o.pollIntervalMs, signal);
    }
  }

  /**
   * One request, with the retries of a 5xx, a 429, a network error or an attempt that timed out.
   * The caller's abort is never retried: it rejects with the signal's reason.
   */
  private async once(
    customerId: string,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<PredictorsResponse> {
    const delays = this.o.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined;
      let text = '';
      let failure: unknown;
      signal?.throwIfAborted();
      const attemptSignal = AbortSignal.timeout(this.o.timeoutMs);
      try {
        res = await this.o.fetch(`${this.o.baseUrl}${this.o.path}${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.o.apiKey },
          body: JSON.stringify({
            customer_id: customerId,
            version: this.o.version,
            salt: this.salt(customerId),
          }),
          signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal,
        });
        // The body is part of the attempt: one that stalls past the timeout is retried too.
        if (!(res.status >= 500 || res.status === 429)) text = await res.text();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        res = undefined;
        failure = err; // a network error or a timed-out attempt is retried like a 5xx
      }
      if (res && !(res.status >= 500 || res.status === 429)) {
        // An answer from something in front of the server (a proxy's HTML page) is not JSON.
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          throw new PredictorsError(res.status, `HTTP ${res.status}`, text);
        }
        if (res.status === 200 || res.status === 202) return body as PredictorsResponse;
        throw new PredictorsError(res.status, messageOf(body, res.status), body);
      }
      if (attempt >= delays.length) {
        if (!res) throw failure;
        const body = await res.json().catch(() => null);
        throw new PredictorsError(res.status, messageOf(body, res.status), body);
      }
      const retryAfter = parseRetryAfter(res?.headers.get('retry-after'), Date.now()) ?? 0;
      await res?.body?.cancel();
      await sleep(Math.max(delays[attempt]!, retryAfter), signal);
    }
  }
}
