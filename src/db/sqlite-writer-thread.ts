/**
 * The SQLite writer thread. It owns a connection to the database file and a HistoryWriter: runs
 * posted by the event loop are group-committed here, everything delivered in one turn of this
 * thread's loop in one transaction, so the event loop never waits for a commit. Its messages are
 * defined in threaded-history.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PiiCipher } from '../security/pii-cipher.js';
import { HistoryWriter } from './history-writer.js';
import { openSqlite } from './sqlite-connection.js';
import { SqliteRunStore } from './sqlite-run-store.js';
import { type ThreadReply, type ThreadRequest, unpackRun, type WriterData } from './threaded-history.js';

const { file, keys } = workerData as WriterData;
const sqlite = openSqlite(file);
const writer = new HistoryWriter(new SqliteRunStore(sqlite, new PiiCipher(keys.map((k) => Buffer.from(k)))));
const port = parentPort!;

let results: [seq: number, ok: boolean, value: string][] = [];
let replyScheduled = false;
const send = (m: ThreadReply) => port.postMessage(m);

/** Answers every write settled in this turn of the loop in one message. */
function settle(seq: number, ok: boolean, value: string): void {
  results.push([seq, ok, value]);
  if (replyScheduled) return;
  replyScheduled = true;
  setImmediate(() => {
    replyScheduled = false;
    send({ type: 'settled', results, stats: { ...writer.stats } });
    results = [];
  });
}

port.on('message', (m: ThreadRequest) => {
  switch (m.type) {
    case 'write':
      for (const packed of m.items) {
        const { seq, run } = unpackRun(packed);
        writer.write(run).then(
          (subjectId) => settle(seq, true, subjectId),
          (err: Error) => settle(seq, false, err.message),
        );
      }
      break;
    case 'forget':
      writer.forgetSubject(m.tenantId, m.partnerId);
      break;
    case 'drain':
      void writer.drain().then(() => send({ type: 'drained', id: m.id }));
      break;
    case 'close':
      void writer.close().then(() => {
        sqlite.close();
        port.close();
      });
      break;
  }
});
send({ type: 'ready' });
