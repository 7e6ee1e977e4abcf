/**
 * Reads a document and parses it as a CV on a worker thread (cv-reader-thread.ts), within a time
 * limit that holds: when it passes, the thread is stopped, whatever it was doing. The event loop
 * keeps answering requests meanwhile.
 */
import type { CvExtraction } from '../../domain/cv/index.js';
import { spawnThread } from '../../lib/spawn-thread.js';

export interface ReaderData {
  content: Uint8Array;
  /** The time the parser reads relative dates against ("to present"), as ISO 8601. */
  now: string;
}

export type ReaderReply =
  | { started: true }
  | { extraction: CvExtraction }
  | { failure: string }
  | { error: string };

/** What reading gave: the CV, or why the document cannot be read (recorded against it). */
export type ReadOutcome = { extraction: CvExtraction } | { failure: string };

/**
 * A reader thread may use this much heap, and the process this much more memory in all while it
 * reads; a document that needs more is refused. The heap limit alone does not hold the buffers a
 * decompressor fills (a PDF stream or a zip entry that inflates to gigabytes): those are watched
 * from here, through the process's resident memory, and the thread is stopped when they pass it.
 */
const HEAP_MB = 1024;
/** How often the memory of a reading thread is looked at. */
const WATCH_MS = 100;
/** A thread that has not started after this long is not going to. */
const START_MS = 60_000;

export function readCv(
  content: Buffer,
  o: { now: Date; timeoutMs: number; signal?: AbortSignal | undefined; memoryMb?: number },
): Promise<ReadOutcome> {
  const memoryMb = o.memoryMb ?? HEAP_MB;
  return new Promise((resolve, reject) => {
    const bytes = new Uint8Array(content);
    const data: ReaderData = { content: bytes, now: o.now.toISOString() };
    const worker = spawnThread(import.meta.url, 'cv-reader-thread', data, {
      transferList: [bytes.buffer],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
    });
    let settled = false;
    const tooLarge = `reading the document needed more than ${memoryMb} MiB of memory`;
    const before = process.memoryUsage.rss();
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - before > memoryMb * 1024 * 1024)
        settle(() => resolve({ failure: tooLarge }));
    }, WATCH_MS);
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      o.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      f();
    };
    const tooSlow = () =>
      settle(() => resolve({ failure: `reading the document took longer than ${o.timeoutMs / 1000} s` }));
    // The time limit counts from the thread's start: starting a thread is not reading the document.
    let timer = setTimeout(
      () => settle(() => reject(new Error('the document reader did not start'))),
      START_MS,
    );
    const abort = () =>
      settle(() => reject(o.signal!.reason ?? new Error('reading the document was stopped')));
    if (o.signal?.aborted) return abort();
    o.signal?.addEventListener('abort', abort);
    worker.on('message', (m: ReaderReply) => {
      if ('started' in m) {
        clearTimeout(timer);
        timer = setTimeout(tooSlow, o.timeoutMs);
      } else if ('error' in m) settle(() => reject(new Error(`reading the document failed: ${m.error}`)));
      else settle(() => resolve(m));
    });
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() => (err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve({ failure: tooLarge }) : reject(err))),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the document reader stopped (exit code ${code}) without an answer`))),
    );
  });
}
