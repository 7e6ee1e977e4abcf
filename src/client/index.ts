/**
 * A typed client for the DeviceConnect predictors call (`credence/client`), following the
 * documented retry policy: an `in_progress` answer is polled again after at least 10 s; a 5xx or
 * 429 is retried twice, after 2 s and then 5 s (longer if the server's Retry-After says so).
 * Every delay is configurable, so tests and impatient scripts can shorten them.
 */
import { finboxSalt } from '../domain/finbox/salt.js';

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
  environment?: 'production' | 'staging';
  /** Wait before polling an in_progress answer again (default 10,000 ms; the vendor's minimum). */
  pollIntervalMs?: number;
  /** Polls of an in_progress answer before giving up (default 30). */
  maxPolls?: number;
  /** Waits before each retry of a 5xx or 429 (default [2000, 5000]: two retries). */
  retryDelaysMs?: readonly number[];
  fetch?: typeof fetch;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PredictorsClient {
  private readonly o: Required<Omit<PredictorsClientOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(options: PredictorsClientOptions) {
    this.o = {
      environment: 'production',
      pollIntervalMs: 10_000,
      maxPolls: 30,
      retryDelaysMs: [2000, 5000],
      fetch: globalThis.fetch,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  salt(customerId: string): string {
    return finboxSalt(customerId, this.o.serverHash);
  }

  /**
   * The customer's predictors, waiting through `in_progress`. Resolves with `complete`,
   * `no_data` or `not_found`, or with `in_progress` when `maxPolls` ran out.
   */
  async predictors(customerId: string): Promise<PredictorsResponse> {
    return this.poll(customerId, '');
  }

  /** What a webhook announced, by its request_id (valid for 24 h). */
  async fromWebhook(customerId: string, requestId: string): Promise<PredictorsResponse> {
    return this.poll(customerId, `?source=webhook&request_id=${encodeURIComponent(requestId)}`);
  }

  private async poll(customerId: string, query: string): Promise<PredictorsResponse> {
    for (let poll = 0; ; poll++) {
      const r = await this.once(customerId, query);
      if (r.status !== 'in_progress' || poll + 1 >= this.o.maxPolls) return r;
      await sleep(this.o.pollIntervalMs);
    }
  }

  /** One request, with the retries of a 5xx or 429. */
  private async once(customerId: string, query: string): Promise<PredictorsResponse> {
    const path = this.o.environment === 'production' ? '/v2/risk/predictors' : '/staging/risk/predictors';
    const delays = this.o.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined;
      let failure: unknown;
      try {
        res = await this.o.fetch(`${this.o.baseUrl}${path}${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.o.apiKey },
          body: JSON.stringify({
            customer_id: customerId,
            version: this.o.version,
            salt: this.salt(customerId),
          }),
        });
      } catch (err) {
        failure = err; // a network error is retried like a 5xx
      }
      const retryable = !res || res.status >= 500 || res.status === 429;
      if (!retryable) {
        if (res!.status === 200 || res!.status === 202) return (await res!.json()) as PredictorsResponse;
        // An error from something in front of the server (a proxy's HTML page) is not JSON.
        const body = (await res!.json().catch(() => null)) as { message?: string } | null;
        throw new PredictorsError(res!.status, body?.message ?? `HTTP ${res!.status}`, body);
      }
      if (attempt >= delays.length) {
        if (!res) throw failure;
        const body = await res.json().catch(() => null);
        throw new PredictorsError(
          res.status,
          (body as { message?: string } | null)?.message ?? `HTTP ${res.status}`,
          body,
        );
      }
      const retryAfter = Number(res?.headers.get('retry-after'));
      await res?.body?.cancel();
      await sleep(Math.max(delays[attempt]!, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0));
    }
  }
}
