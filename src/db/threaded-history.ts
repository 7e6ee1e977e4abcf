/**
 * The history of an SQLite file, written by a thread of its own (sqlite-writer-thread.ts). The
 * event loop posts each run as soon as it is scored and goes on with the next request; the thread
 * group-commits and answers. A run is answered only once committed, so durability is unchanged.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { History } from './history.js';
import type { PendingRun } from './run-store.js';

export interface WriterData {
  file: string;
  keys: Uint8Array[];
}

export type ThreadRequest =
  | { type: 'write'; items: PackedRun[] }
  | { type: 'forget'; tenantId: string; partnerId: string }
  | { type: 'drain'; id: number }
  | { type: 'close' };

export type ThreadReply =
  | { type: 'ready' }
  | {
      type: 'settled';
      results: [seq: number, ok: boolean, value: string][];
      stats: { commits: number; runs: number };
    }
  | { type: 'drained'; id: number };

/**
 * A run as it crosses to the writer thread: an array rather than an object, since structured
 * cloning copies every property name of every object.
 */
export type PackedRun = [
  seq: number,
  id: string,
  tenantId: string,
  partnerId: string,
  service: string,
  dialect: string,
  modelId: string | null,
  modelVersion: number | null,
  requestId: string | null,
  input: string,
  result: string,
  createdAt: string,
  identifiers: string[],
  challengerModelId: string | null,
  challengerModelVersion: number | null,
  challengerResult: string | null,
];

export function packRun(seq: number, r: PendingRun): PackedRun {
  const identifiers: string[] = [];
  for (const i of r.identifiers ?? []) identifiers.push(i.kind, i.value);
  return [
    seq,
    r.id,
    r.tenant_id,
    r.partner_id,
    r.service,
    r.dialect,
    r.model_id ?? null,
    r.model_version ?? null,
    r.request_id ?? null,
    r.input,
    r.result,
    r.created_at,
    identifiers,
    r.challenger_model_id ?? null,
    r.challenger_model_version ?? null,
    r.challenger_result ?? null,
  ];
}

export function unpackRun(p: PackedRun): { seq: number; run: PendingRun } {
  const [
    seq,
    id,
    tenant_id,
    partner_id,
    service,
    dialect,
    model_id,
    model_version,
    request_id,
    input,
    result,
    created_at,
    flat,
    challenger_model_id,
    challenger_model_version,
    challenger_result,
  ] = p;
  const identifiers: { kind: string; value: string }[] = [];
  for (let i = 0; i < flat.length; i += 2) identifiers.push({ kind: flat[i]!, value: flat[i + 1]! });
  return {
    seq,
    run: {
      id,
      tenant_id,
      partner_id,
      service,
      dialect,
      model_id,
      model_version,
      request_id,
      input,
      result,
      created_at,
      identifiers,
      challenger_model_id,
      challenger_model_version,
      challenger_result,
    },
  };
}

/** A thread that dies more often than this is not restarted: something is wrong with the database. */
const MAX_RESTARTS = 5;

export class WriterThreadError extends Error {
  override name = 'WriterThreadError';
}

/** Starts the writer thread; from TypeScript sources it loads them through tsx, as the CLI does. */
function spawnWriter(data: WriterData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(tsxEsmApi(here)).href;
    const entry = new URL('./sqlite-writer-thread.ts', here).href;
    const boot = `import(${JSON.stringify(tsx)}).then((t) => { (t.register ?? t.default.register)(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL('./sqlite-writer-thread.js', here), { workerData: data });
}

/** tsx's ESM API entry, read from its package exports (its CommonJS entry cannot be imported). */
function tsxEsmApi(from: string): string {
  const pkgFile = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
}

export class ThreadedHistory implements History {
  readonly stats = { commits: 0, runs: 0 };
  private worker: Worker;
  private seq = 0;
  private drains = 0;
  private ready = false;
  private closing = false;
  private restarts = 0;
  private broken: Error | undefined;
  private readonly waiting = new Map<
    number,
    { resolve: (subjectId: string) => void; reject: (e: Error) => void }
  >();
  private readonly draining = new Map<number, () => void>();
  /** Runs scored in this turn of the event loop, posted together at its end. */
  private outbox: PackedRun[] = [];

  constructor(private readonly data: WriterData) {
    this.worker = this.start();
  }

  write(run: PendingRun): Promise<string> {
    if (this.closing) return Promise.reject(new WriterThreadError('the history is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.waiting.set(seq, { resolve, reject });
      if (this.outbox.length === 0) setImmediate(() => this.flushOutbox());
      this.outbox.push(packRun(seq, run));
    });
  }

  forgetSubject(tenantId: string, partnerId: string): void {
    this.post({ type: 'forget', tenantId, partnerId });
  }

  async drain(): Promise<void> {
    if (this.broken || this.waiting.size === 0) return;
    const id = ++this.drains;
    await new Promise<void>((resolve) => {
      this.draining.set(id, resolve);
      this.post({ type: 'drain', id });
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    await this.drain();
    this.closing = true;
    if (this.broken) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.post({ type: 'close' });
    await exited;
  }

  private flushOutbox(): void {
    const items = this.outbox;
    this.outbox = [];
    if (items.length > 0) this.post({ type: 'write', items });
  }

  private post(m: ThreadRequest): void {
    // Writes scored earlier in this turn go first, so that a drain or close comes after them.
    if (m.type !== 'write' && this.outbox.length > 0) this.flushOutbox();
    this.worker.postMessage(m);
  }

  private start(): Worker {
    const worker = spawnWriter(this.data);
    this.ready = false;
    let lastError: Error | undefined;
    worker.on('message', (m: ThreadReply) => {
      if (m.type === 'ready') this.ready = true;
      else if (m.type === 'drained') {
        this.draining.get(m.id)?.();
        this.draining.delete(m.id);
      } else {
        Object.assign(this.stats, m.stats);
        for (const [seq, ok, value] of m.results) {
          const w = this.waiting.get(seq);
          if (!w) continue;
          this.waiting.delete(seq);
          if (ok) w.resolve(value);
          else w.reject(new WriterThreadError(value));
        }
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      const err = new WriterThreadError(
        `the SQLite writer thread exited with code ${code}${lastError ? `: ${lastError.message}` : ''}`,
      );
      // Runs in flight were refused, not lost: their requests get an error, not an answer.
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
      for (const resolve of this.draining.values()) resolve();
      this.draining.clear();
      if (this.closing) return;
      // A writer that died under load is replaced; one that never started, or keeps dying, is not.
      if (!this.ready || ++this.restarts > MAX_RESTARTS) this.broken = err;
      else this.worker = this.start();
    });
    return worker;
  }
}
