/**
 * Reads one document on a thread of its own (cv-reader.ts): its text, then the CV parser over it.
 * Both are CPU-bound and can run for seconds on a large document; here they hold no one else up,
 * and the thread is stopped when the document's time is up. Answers one message and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReaderData, ReaderReply } from './cv-reader.js';
import { DocumentRefused, documentText, formatOf, loadReader } from './document-text.js';

const { content, now } = workerData as ReaderData;
const send = (m: ReaderReply) => parentPort!.postMessage(m);
const buf = Buffer.from(content);

try {
  // Loading the readers and the parser (chrono-node, libphonenumber's full metadata) is the
  // thread's start, not the document's reading: the document's time starts after it.
  await loadReader(formatOf(buf));
  const { extractCv } = await import('../../domain/cv/index.js');
  send({ started: true });
  // The thread's end is the time limit: the text needs no other.
  const { text } = await documentText(buf, 2 ** 31 - 1);
  if (text.trim() === '') send({ failure: 'the document has no text (a scanned image?)' });
  else send({ extraction: extractCv(text, { now: new Date(now) }) });
} catch (err) {
  if (err instanceof DocumentRefused) send({ failure: err.message });
  else send({ error: err instanceof Error ? err.message : String(err) });
}
